#pragma once
// App answers one HTTP request of the Spacelift emulator: POST /graphql (login, bearer check,
// faults, resolvers, projection, request log), the integrations' webhook URLs (signature check),
// and the admin API under /_emulator/. It is the only place that takes the lock.

#include "emulators/bitbucket/app.h"  // Outcome, shared with the Beast transport
#include "emulators/spacelift/model.h"

#include <boost/json.hpp>

#include <mutex>
#include <string>

namespace stashform::emulator::spacelift {

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
};

/// `{"errors":[{"message": ...}]}` with the given status (200 for GraphQL-level errors).
Response GraphQLErrorResponse(int status, const std::string& message);

/// Re-derives every integration's webhook URL from the base URL (after a seed or a reset).
void RefreshWebhookUrls(State& state);

}  // namespace stashform::emulator::spacelift
