// The admin API under /_emulator: no Bitbucket auth, no faults, not in the request log.
// Tests drive it to reset, inspect and change state out of band; its shapes are documented in
// docs/emulator.md and must stay stable.
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/render.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"
#include "emulators/bitbucket/webhook_delivery.h"
#include "emulators/bitbucket/webhooks.h"
#include "emulators/common/admin.h"
#include "emulators/common/json_body.h"

#include <algorithm>

namespace stashform::emulator {

namespace {

const WebhookView kDumpView{false, true, true};

std::variant<boost::json::value, Response> ParseBody(const Call& call) {
  return ParseJsonBody(call.request.body, Errors());
}

Webhook* FindWebhook(Call& call) {
  try {
    return call.state.model.FindWebhook(std::stoi(call.Param("webhookId")));
  } catch (const std::exception&) {
    return nullptr;
  }
}

boost::json::object TokenDumpJson(const AccessToken& token) {
  boost::json::array permissions;
  for (const auto& permission : token.permissions) permissions.push_back(boost::json::string(permission));
  boost::json::object json{{"id", token.id},
                           {"scopeType", token.scope_type},
                           {"name", token.name},
                           {"permissions", permissions},
                           {"createdDate", token.created_date},
                           {"token", token.secret}};
  if (!token.owner_user.empty()) json["user"] = token.owner_user;
  if (!token.project_key.empty()) json["projectKey"] = token.project_key;
  if (!token.repository_slug.empty()) json["repositorySlug"] = token.repository_slug;
  if (token.expiry_days) json["expiryDays"] = *token.expiry_days;
  if (token.last_authenticated) json["lastAuthenticated"] = *token.last_authenticated;
  return json;
}

boost::json::object ApplinkDumpJson(const ApplicationLink& link) {
  boost::json::object json{{"id", link.id},         {"name", link.name},     {"typeId", link.type_id},
                           {"rpcUrl", link.rpc_url}, {"displayUrl", link.display_url}, {"primary", link.primary}};
  json["incomingConsumer"] = link.incoming_consumer ? boost::json::value(*link.incoming_consumer) : nullptr;
  json["outgoingProvider"] = link.outgoing_provider ? boost::json::value(*link.outgoing_provider) : nullptr;
  return json;
}

boost::json::object OAuth2ClientDumpJson(const OAuth2Client& client) {
  boost::json::array redirects;
  for (const auto& redirect : client.redirects) redirects.push_back(boost::json::string(redirect));
  return {{"id", client.id},   {"clientId", client.client_id}, {"clientSecret", client.client_secret},
          {"name", client.name}, {"scope", client.scope},       {"redirects", redirects}};
}

Response Dump(Call& call) {
  const State& state = call.state;
  const Model& model = state.model;
  boost::json::array users, projects, webhooks, tokens, applinks, clients;
  for (const auto& user : model.users) {
    boost::json::object json = UserJson(user, state.base_url);
    json["admin"] = user.sys_admin;
    users.push_back(json);
  }
  for (const auto& project : model.projects()) {
    boost::json::object json = ProjectJson(project, state.base_url);
    boost::json::array repositories;
    for (const auto& repository : project.repositories)
      repositories.push_back(RepositoryJson(project, repository, state.base_url));
    json["repositories"] = repositories;
    projects.push_back(json);
  }
  for (const auto& webhook : model.webhooks()) webhooks.push_back(WebhookJson(webhook, kDumpView));
  for (const auto& token : model.tokens) tokens.push_back(TokenDumpJson(token));
  for (const auto& link : model.application_links) applinks.push_back(ApplinkDumpJson(link));
  for (const auto& client : model.oauth2_clients) clients.push_back(OAuth2ClientDumpJson(client));
  return JsonResponse(200, boost::json::object{{"users", users},
                                               {"projects", projects},
                                               {"webhooks", webhooks},
                                               {"accessTokens", tokens},
                                               {"applicationLinks", applinks},
                                               {"oauth2Clients", clients}});
}

Response Reset(Call& call) {
  call.state.model = ModelFromSeed(call.state.seed);
  call.state.request_log.Clear();
  call.state.deliveries.Clear();
  call.state.faults.RestartCounters();
  return JsonResponse(200, boost::json::object{{"reset", true}});
}

Response CreateWebhookOutOfBand(Call& call) {
  auto body = ParseBody(call);
  if (auto* error = std::get_if<Response>(&body)) return *error;
  const auto& json = std::get<boost::json::value>(body);
  if (!json.is_object() || !json.as_object().contains("projectKey"))
    return ValidationError("projectKey", "projectKey is required.");
  std::string key(json.at("projectKey").as_string());
  std::string slug = json.as_object().contains("repositorySlug") ? std::string(json.at("repositorySlug").as_string()) : "";
  if (!call.state.model.FindProject(key)) return NoSuchProject(key);
  if (!slug.empty() && !call.state.model.FindRepository(key, slug)) return NoSuchRepository(key, slug);
  auto parsed = ParseWebhookBody(json, nullptr);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  Webhook webhook = std::get<Webhook>(std::move(parsed));
  webhook.id = call.state.model.next_webhook_id++;
  webhook.scope_type = slug.empty() ? "project" : "repository";
  webhook.project_key = key;
  webhook.repository_slug = slug;
  webhook.created_date = webhook.updated_date = NowMillis();
  const Webhook& stored = call.state.model.AddWebhook(std::move(webhook));
  return JsonResponse(201, WebhookJson(stored, kDumpView));
}

/// PUT replaces like the REST PUT; PATCH changes only the fields it names.
Response EditWebhook(Call& call, bool merge) {
  Webhook* stored = FindWebhook(call);
  if (!stored) return NoSuchWebhook(call.Param("webhookId"));
  auto body = ParseBody(call);
  if (auto* error = std::get_if<Response>(&body)) return *error;
  boost::json::value json = std::get<boost::json::value>(body);
  if (!json.is_object()) return ErrorResponse(400, "The request body must be a JSON object.");
  if (merge) {
    boost::json::object merged = WebhookJson(*stored, kDumpView);
    for (const auto& [key, value] : json.as_object()) merged[key] = value;
    json = merged;
  }
  auto parsed = ParseWebhookBody(json, stored);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  Webhook replacement = std::get<Webhook>(std::move(parsed));
  replacement.id = stored->id;
  replacement.scope_type = stored->scope_type;
  replacement.project_key = stored->project_key;
  replacement.repository_slug = stored->repository_slug;
  replacement.created_date = stored->created_date;
  replacement.updated_date = std::max(NowMillis(), stored->updated_date);
  *stored = std::move(replacement);
  return JsonResponse(200, WebhookJson(*stored, kDumpView));
}

Response DeleteWebhook(Call& call) {
  Webhook* stored = FindWebhook(call);
  if (!stored) return NoSuchWebhook(call.Param("webhookId"));
  call.state.model.RemoveWebhook(stored->id);
  return EmptyResponse(204);
}

boost::json::object RequestJson(const LoggedRequest& entry) {
  boost::json::object json = LoggedRequestJson(entry);
  json["user"] = entry.caller.empty() ? boost::json::value(nullptr) : boost::json::value(entry.caller);
  json["dropped"] = entry.dropped;
  return json;
}

Response GetSettings(Call& call) { return JsonResponse(200, SettingsToJson(call.state.settings)); }

Response PatchSettings(Call& call) {
  auto body = ParseBody(call);
  if (auto* error = std::get_if<Response>(&body)) return *error;
  const auto& json = std::get<boost::json::value>(body);
  if (!json.is_object()) return ErrorResponse(400, "The request body must be a JSON object.");
  try {
    ApplySettingsJson(call.state.settings, json.as_object());
  } catch (const std::exception& error) {
    return ErrorResponse(400, error.what());
  }
  return JsonResponse(200, SettingsToJson(call.state.settings));
}

Response Deliveries(Call& call) {
  boost::json::array deliveries;
  for (const auto& record : call.state.deliveries) deliveries.push_back(DeliveryRecordJson(record));
  return JsonResponse(200, boost::json::object{{"deliveries", deliveries}});
}

}  // namespace

// Defined in admin_events.cpp and admin_objects.cpp.
void RegisterAdminEventRoutes(Router& router);
void RegisterAdminObjectRoutes(Router& router);

void RegisterAdminRoutes(Router& router) {
  router.Add("POST", "/_emulator/reset", Reset);
  router.Add("GET", "/_emulator/dump", Dump);
  router.Add("POST", "/_emulator/webhooks", CreateWebhookOutOfBand);
  router.Add("PUT", "/_emulator/webhooks/{webhookId}", [](Call& call) { return EditWebhook(call, false); });
  router.Add("PATCH", "/_emulator/webhooks/{webhookId}", [](Call& call) { return EditWebhook(call, true); });
  router.Add("DELETE", "/_emulator/webhooks/{webhookId}", DeleteWebhook);
  AddRequestLogRoutes(router, [](Call& call) -> BoundedLog<LoggedRequest>& { return call.state.request_log; },
                      RequestJson);
  router.Add("GET", "/_emulator/settings", GetSettings);
  router.Add("PATCH", "/_emulator/settings", PatchSettings);
  AddFaultRoutes(router, [](Call& call) -> Faults& { return call.state.faults; }, Errors());
  router.Add("GET", "/_emulator/deliveries", Deliveries);
  RegisterAdminEventRoutes(router);
  RegisterAdminObjectRoutes(router);
}

}  // namespace stashform::emulator
