#pragma once
// App answers one HTTP request of the Private Packagist emulator: the REST API under /api
// (signature check, faults, routes, request log) and the admin API under /_emulator/. It is the
// only place that takes the lock.

#include "emulators/common/errors.h"
#include "emulators/common/http.h"
#include "emulators/common/router.h"
#include "emulators/packagist/model.h"

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <string>

namespace stashform::emulator::packagist {

/// Call is what a handler sees: the request, path parameters and the state (lock held).
struct Call {
  const Request& request;
  std::map<std::string, std::string> params;
  State& state;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};
using Router = BasicRouter<Call>;

/// The /api routes: credentials.cpp, packages.cpp (packages, jobs, synchronizations).
void RegisterCredentialRoutes(Router& router);
void RegisterPackageRoutes(Router& router);
/// The /_emulator/ routes (admin.cpp).
void RegisterAdminRoutes(Router& router);

/// One page of `items` by ?page=N (1-based) and Settings::page_size, with a Link header naming
/// the next and last pages when there are more.
Response PagedResponse(const Call& call, const boost::json::array& items);

/// Body as a JSON object, or throws Answered with a 400.
boost::json::object ObjectBody(const Request& request);

/// Answered carries a finished answer (a 400, a 404) out of a handler's helpers.
struct Answered {
  Response response;
};

/// Packagist's error envelope: {"status":"error","message":…}.
class PackagistErrors : public ErrorShape {
 public:
  Response Error(int status, const std::string& message) const override;
};
const PackagistErrors& Errors();

class App {
 public:
  /// Throws std::runtime_error when the seed is malformed.
  App(boost::json::value seed, Settings settings, FaultConfig faults);
  Outcome Handle(const Request& request);
  /// Where Link headers point: http://127.0.0.1:PORT.
  void SetBaseUrl(const std::string& base_url);

 private:
  Response Route(Router& router, const Request& request);

  std::mutex mutex_;
  State state_;
  Router api_;
  Router admin_;
};

}  // namespace stashform::emulator::packagist
