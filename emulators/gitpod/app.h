#pragma once
// App answers one HTTP request of the Gitpod emulator: the public API's AuthProviderService over
// the Connect protocol (JSON; `POST [/public-api]/gitpod.v1.AuthProviderService/<Method>`; bearer
// personal access token; faults; request log) and the admin API under /_emulator/. It is the only
// place that takes the lock.

#include "emulators/common/errors.h"
#include "emulators/common/http.h"
#include "emulators/common/router.h"
#include "emulators/gitpod/model.h"

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace stashform::emulator::gitpod {

/// ConnectError is what a procedure throws to answer with Connect's error envelope.
struct ConnectError {
  std::string code;  // "not_found", "already_exists", …
  std::string message;
};

/// The HTTP status Connect gives a code (invalid_argument 400, not_found 404, …).
int HttpStatusOfCode(const std::string& code);
/// `{"code": code, "message": message}` with that code's HTTP status.
Response ConnectErrorResponse(const std::string& code, const std::string& message);

/// What a procedure of AuthProviderService sees: the caller, the request message (its fields
/// already checked against the proto) and the state, lock held.
struct ServiceCall {
  const User& caller;
  const boost::json::object& message;
  State& state;
};

/// One procedure: the fields its request message may carry (nested ones as "outer.inner") and
/// the handler, which answers the response message or throws ConnectError.
struct Procedure {
  std::vector<std::string> fields;
  std::function<boost::json::object(ServiceCall&)> handle;
};
/// CreateAuthProvider, GetAuthProvider, ListAuthProviders, UpdateAuthProvider, DeleteAuthProvider.
const std::map<std::string, Procedure>& Procedures();

/// AdminCall is what an admin handler sees: the request, path parameters and the state (lock held).
struct AdminCall {
  const Request& request;
  std::map<std::string, std::string> params;
  State& state;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};
using AdminRouter = BasicRouter<AdminCall>;
/// The /_emulator/ routes (admin.cpp).
void RegisterAdminRoutes(AdminRouter& router);

/// ConnectErrors dresses the common parts' errors (admin misses, bad bodies, injected faults) in
/// Connect's envelope.
class ConnectErrors : public ErrorShape {
 public:
  Response Error(int status, const std::string& message) const override;
  Response Injected(const InjectedError& error) const override;
};
const ConnectErrors& Errors();

class App {
 public:
  /// Throws std::runtime_error when the seed is malformed.
  App(boost::json::value seed, Settings settings, FaultConfig faults);
  Outcome Handle(const Request& request);
  /// The dashboard's URL in settingsUrl: http://127.0.0.1:PORT.
  void SetBaseUrl(const std::string& base_url);

 private:
  Outcome HandleService(const Request& request, const std::string& procedure);
  Response HandleAdmin(const Request& request);

  std::mutex mutex_;
  State state_;
  AdminRouter admin_;
};

}  // namespace stashform::emulator::gitpod
