#pragma once
// SpaceliftApi is one Spacelift account seen through its GraphQL API: it logs in with an API key,
// caches the JWT (refreshed before it expires, and once after a 401), sends each operation to
// `<aud>/graphql` as Spacelift's own Terraform provider does, and turns errors into one line that
// names the operation and carries the server's message. It is the one place that gives a GraphQL
// error its StatusCode: downstream code reads the code, never the text. It knows no resource type.

#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "modules/http/http_client.h"
#include "base/status.h"

namespace stashform::spacelift {

/// Where and as whom to talk to an account.
struct AccountSettings {
  std::string api_url;         // https://ACCOUNT.app.spacelift.io (login goes to <api_url>/graphql)
  std::string api_key_id;
  std::string api_key_secret;  // never in messages
};

/// Operation is one GraphQL document and the name that travels in the Spacelift-GraphQL-* header.
struct Operation {
  bool mutation = false;
  std::string name;        // "StackRead", "BitbucketDatacenterIntegrationCreate", ...
  std::string root_field;  // "stack", "bitbucketDatacenterIntegrationCreate", ...
  std::string document;
  bool retry_safe = true;  // false for creates: a lost answer may hide an object that now exists
};

class SpaceliftApi {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;
  SpaceliftApi(AccountSettings settings, http::HttpClient& client, WallClock now = nullptr);

  /// Sends the operation and answers data.<root_field>. A query for a missing object answers
  /// null (Spacelift says so with a null field or an error whose message contains "not found");
  /// a mutation on a missing object fails with StatusCode::kNotFound. HTTP failures carry the
  /// code of http::CodeOf, except a 404 or 410: that says the GraphQL endpoint is missing, never
  /// an object, and is kInternal.
  Result<boost::json::value> Call(const Operation& operation, const boost::json::object& variables) const;

  /// Logs in (again): the cheap check behind Server::Verify.
  Status Login() const;

  const AccountSettings& settings() const { return settings_; }

 private:
  struct Session {
    std::string jwt;
    std::string base_url;  // the JWT's single aud claim
    std::chrono::system_clock::time_point expires;
  };
  Result<Session> CurrentSession(bool force_login) const;
  Result<Session> LoginLocked() const;
  http::Request MakeRequest(const std::string& url, const Operation& operation,
                            const boost::json::object& variables, const std::string& jwt) const;

  AccountSettings settings_;
  http::HttpClient& client_;
  WallClock now_;
  mutable std::mutex mutex_;
  mutable Session session_;
};

/// The claims that matter of a JWT, read without checking its signature (as the provider does):
/// its single audience and its expiry (epoch seconds; 0 when absent).
struct JwtClaims {
  std::string audience;
  int64_t expires = 0;
};
Result<JwtClaims> ReadJwtClaims(const std::string& jwt);

/// The id Spacelift derives from an integration's name (lower case, dash-separated).
std::string Slugify(const std::string& name);

}  // namespace stashform::spacelift
