#pragma once
// Harness runs the Spacelift emulator in-process on a loopback port and talks GraphQL to it over
// real HTTP, logging in with the seeded API key.

#include "emulators/common/server.h"
#include "emulators/spacelift/app.h"

#include <boost/json.hpp>
#include <httplib.h>

#include <memory>
#include <string>

namespace stashform::emulator::spacelift::testing {

/// One API key (key-1 / secret-1), stacks tf-network and tf-dns, no integrations.
extern const char* const kSeed;

/// The provider's create document (spacelift-graphql.md §3.1) and friends.
extern const char* const kCreateDocument;
extern const char* const kReadDocument;
extern const char* const kUpdateDocument;
extern const char* const kDeleteDocument;
extern const char* const kStackDocument;
extern const char* const kStackUpdateDocument;

class Harness {
 public:
  explicit Harness(const std::string& seed = kSeed, Settings settings = {}, FaultConfig faults = {});
  ~Harness();

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// POST /graphql with the session's bearer (logging in first if needed); the parsed answer.
  boost::json::value GraphQL(const std::string& document, const boost::json::object& variables = {});
  /// The raw exchange, with a chosen Authorization header ("" for none).
  httplib::Result Post(const std::string& document, const boost::json::object& variables, const std::string& auth);
  /// A JWT for the seeded key.
  std::string Login();
  /// Admin API: method and path under /_emulator/; the parsed body (null when empty).
  boost::json::value Admin(const std::string& method, const std::string& path, const std::string& body = "");

  /// Creates an integration named `name` through the provider's document; the answer object.
  boost::json::value CreateIntegration(const std::string& name, bool is_default = false,
                                       const std::string& token = "bb-token");

 private:
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::string jwt_;
};

/// The first error message of an answer, or "".
std::string FirstError(const boost::json::value& answer);

}  // namespace stashform::emulator::spacelift::testing
