#pragma once
// Harness runs the Bitbucket emulator in-process on a loopback port and talks to it over real HTTP.

#include "emulators/bitbucket/app.h"
#include "emulators/common/server.h"

#include <boost/json.hpp>
#include <httplib.h>

#include <memory>
#include <string>

namespace stashform::emulator::testing {

/// The seed most tests use: an admin, a reader, a repo admin, one project with three repositories.
extern const char* const kDefaultSeed;

std::string BasicAuth(const std::string& user, const std::string& password);
std::string BearerAuth(const std::string& token);
inline std::string AdminAuth() { return BasicAuth("admin", "admin"); }

class Harness {
 public:
  explicit Harness(const std::string& seed_json = kDefaultSeed, Settings settings = {}, FaultConfig faults = {});
  ~Harness();

  /// Sends one request; auth is the whole Authorization header value, empty for none.
  httplib::Result Send(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& auth = AdminAuth());
  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
};

boost::json::value Json(const httplib::Result& result);
/// The first error message of an error envelope, or "" when the body is not one.
std::string ErrorMessage(const httplib::Result& result);

}  // namespace stashform::emulator::testing
