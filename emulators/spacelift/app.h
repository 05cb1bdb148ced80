#pragma once
// App answers one HTTP request of the Spacelift emulator: POST /graphql (login, bearer check,
// faults, resolvers, projection, request log), the integrations' webhook URLs (signature check),
// and the admin API under /_emulator/. It is the only place that takes the lock.

#include "emulators/common/errors.h"
#include "emulators/common/http.h"
#include "emulators/common/router.h"
#include "emulators/spacelift/model.h"

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <string>

namespace stashform::emulator::spacelift {

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

class App {
 public:
  /// Throws std::runtime_error when the seed is malformed.
  App(boost::json::value seed, Settings settings, FaultConfig faults);
  Outcome Handle(const Request& request);
  /// The JWT audience and the base of webhook URLs: http://127.0.0.1:PORT.
  void SetBaseUrl(const std::string& base_url);

 private:
  Outcome HandleGraphQL(const Request& request);
  Response HandleAdmin(const Request& request);
  Response HandleWebhook(const Request& request, const std::string& integration_id);

  std::mutex mutex_;
  State state_;
  AdminRouter admin_;
};

/// `{"errors":[{"message": ...}]}` with the given status (200 for GraphQL-level errors).
Response GraphQLErrorResponse(int status, const std::string& message);

/// GraphQLErrors is GraphQL's error shape for the common code: admin misses (404 for an unknown
/// path and for a known one under another method alike), bad bodies, injected faults.
class GraphQLErrors : public ErrorShape {
 public:
  Response Error(int status, const std::string& message) const override;
  Response NotFound(const Request& request) const override;
  Response MethodNotAllowed(const Request& request) const override;
  /// Keeps the injected status and Retry-After; the message is "injected fault <status>".
  Response Injected(const InjectedError& error) const override;
};
const GraphQLErrors& Errors();


/// Re-derives every integration's webhook URL from the base URL (after a seed or a reset).
void RefreshWebhookUrls(State& state);

}  // namespace stashform::emulator::spacelift
