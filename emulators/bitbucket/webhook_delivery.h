#pragma once
// Webhook delivery: a real POST with X-Event-Key, X-Request-Id, X-Hub-Signature (sha256 HMAC of the
// raw body) and Basic credentials, as bitbucket-api.md §2.5 describes. Used by /webhooks/test and by
// the admin "fire event" paths. Delivery runs outside the model lock.

#include "emulators/common/http.h"
#include "emulators/bitbucket/model.h"
#include "emulators/bitbucket/router.h"
#include "emulators/bitbucket/state.h"

#include <optional>
#include <string>

namespace stashform::emulator {

struct DeliveryTarget {
  int webhook_id = 0;
  std::string url;
  std::string secret;  // empty: unsigned
  std::optional<WebhookCredentials> credentials;
};

/// Sends one POST and waits for the answer; never throws.
DeliveryRecord Deliver(const DeliveryTarget& target, const std::string& event_key, const std::string& body,
                       int timeout_ms);

DeliveryTarget TargetOf(const Webhook& webhook);
boost::json::value DeliveryRecordJson(const DeliveryRecord& record);
/// The invented ?statistics=true object (UNCONFIRMED shape, documented in docs/emulator.md).
boost::json::object StatisticsJson(const State& state, int webhook_id);

/// RestDetailedInvocation of the newest matching delivery (GET …/webhooks/{id}/latest); empty: 204.
std::optional<boost::json::object> LatestInvocationJson(const State& state, const Webhook& webhook,
                                                        const std::optional<std::string>& event,
                                                        const std::optional<std::string>& outcome);

/// POST …/webhooks/test; the caller has already checked scope and permission.
Response TestWebhook(Call& call);

/// Builds the event payload frame {eventKey, date, actor, repository|project, …} for a fired event.
boost::json::object EventPayload(const State& state, const std::string& event_key, const Project& project,
                                 const Repository* repository, const User* actor);

}  // namespace stashform::emulator
