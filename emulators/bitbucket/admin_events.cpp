// Admin "fire event": delivers a real event POST to the webhooks that subscribe to it.
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"
#include "emulators/bitbucket/webhook_delivery.h"

#include <algorithm>

namespace stashform::emulator {

namespace {

struct PendingDelivery {
  DeliveryTarget target;
  std::string body;
};

/// Delivers outside the lock and records each attempt; answers the records.
Response DeliverAll(Call& call, const std::string& event_key, std::vector<PendingDelivery> pending) {
  int timeout = call.state.settings.delivery_timeout_ms;
  call.lock->unlock();
  std::vector<DeliveryRecord> records;
  for (const auto& delivery : pending) records.push_back(Deliver(delivery.target, event_key, delivery.body, timeout));
  call.lock->lock();
  boost::json::array answer;
  for (auto& record : records) {
    answer.push_back(DeliveryRecordJson(record));
    call.state.Record(std::move(record));
  }
  return JsonResponse(200, boost::json::object{{"deliveries", answer}});
}

std::optional<std::string> StringMember(const boost::json::object& object, const char* name) {
  const auto* value = object.if_contains(name);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

void MergePayload(boost::json::object& payload, const boost::json::object& body) {
  if (const auto* extra = body.if_contains("payload"); extra && extra->is_object())
    for (const auto& [key, value] : extra->as_object()) payload[key] = value;
}

/// POST /_emulator/events {"event", "projectKey", "repositorySlug"?, "actor"?, "payload"?}
Response FireEvent(Call& call) {
  boost::system::error_code ec;
  auto json = boost::json::parse(call.request.body, ec);
  if (ec || !json.is_object()) return MalformedJson(ec ? ec.message() : "expected an object");
  const auto& body = json.as_object();
  auto event = StringMember(body, "event");
  auto key = StringMember(body, "projectKey");
  if (!event) return ValidationError("event", "event is required.");
  if (!key) return ValidationError("projectKey", "projectKey is required.");
  auto slug = StringMember(body, "repositorySlug");
  Model& model = call.state.model;
  Project* project = model.FindProject(*key);
  if (!project) return NoSuchProject(*key);
  Repository* repository = slug ? model.FindRepository(*key, *slug) : nullptr;
  if (slug && !repository) return NoSuchRepository(*key, *slug);
  auto actor_name = StringMember(body, "actor");
  User* actor = actor_name ? model.FindUserByName(*actor_name) : nullptr;
  if (!actor && !model.users.empty()) actor = &model.users.front();
  boost::json::object payload = EventPayload(call.state, *event, *project, repository, actor);
  MergePayload(payload, body);
  std::string serialized = boost::json::serialize(payload);
  std::vector<PendingDelivery> pending;
  for (const auto& webhook : model.webhooks()) {
    bool in_scope = webhook.project_key == *key &&
                    (webhook.scope_type == "project" || (repository && webhook.repository_slug == repository->slug));
    bool subscribed = std::find(webhook.events.begin(), webhook.events.end(), *event) != webhook.events.end();
    if (in_scope && subscribed && webhook.active) pending.push_back({TargetOf(webhook), serialized});
  }
  return DeliverAll(call, *event, std::move(pending));
}

/// POST /_emulator/webhooks/{id}/fire {"event"?, "payload"?}: one webhook, active or not.
Response FireWebhook(Call& call) {
  Webhook* webhook = nullptr;
  try {
    webhook = call.state.model.FindWebhook(std::stoi(call.Param("webhookId")));
  } catch (const std::exception&) {
  }
  if (!webhook) return NoSuchWebhook(call.Param("webhookId"));
  boost::json::object body;
  if (!call.request.body.empty()) {
    boost::system::error_code ec;
    auto json = boost::json::parse(call.request.body, ec);
    if (ec || !json.is_object()) return MalformedJson(ec ? ec.message() : "expected an object");
    body = json.as_object();
  }
  std::string event = StringMember(body, "event").value_or(webhook->events.empty() ? "diagnostics:ping"
                                                                                   : webhook->events.front());
  Model& model = call.state.model;
  Project* project = model.FindProject(webhook->project_key);
  if (!project) return NoSuchProject(webhook->project_key);
  Repository* repository =
      webhook->repository_slug.empty() ? nullptr : model.FindRepository(webhook->project_key, webhook->repository_slug);
  User* actor = model.users.empty() ? nullptr : &model.users.front();
  boost::json::object payload = EventPayload(call.state, event, *project, repository, actor);
  MergePayload(payload, body);
  return DeliverAll(call, event, {PendingDelivery{TargetOf(*webhook), boost::json::serialize(payload)}});
}

}  // namespace

void RegisterAdminEventRoutes(Router& router) {
  router.Add("POST", "/_emulator/events", FireEvent);
  router.Add("POST", "/_emulator/webhooks/{webhookId}/fire", FireWebhook);
}

}  // namespace stashform::emulator
