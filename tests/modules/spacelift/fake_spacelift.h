#pragma once
// A scripted Spacelift for unit tests: a FakeHttpClient handler that answers login with a JWT
// whose aud is kApiBase, and every other call from a table keyed by the GraphQL root field.

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <string>

#include "tests/support/fake_http_client.h"

namespace stashform::spacelift::testing {

inline const std::string kLoginUrl = "http://spl.test/graphql";
inline const std::string kApiBase = "http://api.spl.test";

std::string Base64Url(const std::string& bytes);
/// An unsigned JWT with the given claims, shaped like Spacelift's.
std::string MakeJwt(const boost::json::object& claims);

/// FakeSpacelift answers login (counting logins) and routes other calls by root field.
class FakeSpacelift {
 public:
  using Answer = std::function<http::Response(const boost::json::object& variables)>;
  explicit FakeSpacelift(http::FakeHttpClient& http, int64_t expires = 4102444800);

  void On(const std::string& root_field, Answer answer) { answers_[root_field] = std::move(answer); }
  void OnData(const std::string& root_field, const boost::json::value& data);
  int logins() const { return logins_; }
  void set_reject_next_call(bool on) { reject_next_call_ = on; }

 private:
  http::Response Handle(const http::Request& request);
  std::map<std::string, Answer> answers_;
  int64_t expires_;
  int logins_ = 0;
  bool reject_next_call_ = false;
};

/// The root field of a GraphQL document sent by the module ("stack", "apiKeyUser", ...).
std::string RootField(const std::string& document);

}  // namespace stashform::spacelift::testing
