// Repository and project webhooks over REST (bitbucket-api.md §2.1–§2.3).
#include "emulators/bitbucket/webhooks.h"

#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/common/json_body.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"
#include "emulators/bitbucket/webhook_delivery.h"

#include <algorithm>
#include <charconv>

namespace stashform::emulator {

namespace {

/// Scope is the container a webhook path names; repository is null at project scope.
struct Scope {
  Project* project = nullptr;
  Repository* repository = nullptr;
  bool Holds(const Webhook& webhook) const {
    if (webhook.project_key != project->key) return false;
    return repository ? webhook.scope_type == "repository" && webhook.repository_slug == repository->slug
                      : webhook.scope_type == "project";
  }
};

/// Finds the scope and checks REPO_ADMIN / PROJECT_ADMIN; an answer means refuse.
std::variant<Scope, Response> ResolveScope(Call& call) {
  if (!call.principal) return NotAuthenticated();
  Scope scope;
  const std::string& key = call.Param("projectKey");
  scope.project = call.state.model.FindProject(key);
  if (!scope.project) return NoSuchProject(key);
  auto slug = call.params.find("repositorySlug");
  if (slug == call.params.end()) {
    if (!MayOnProject(call.principal, *scope.project, Level::kAdmin)) return NotPermitted();
    return scope;
  }
  scope.repository = call.state.model.FindRepository(key, slug->second);
  if (!scope.repository) return NoSuchRepository(key, slug->second);
  if (!MayOnRepository(call.principal, *scope.project, *scope.repository, Level::kAdmin)) return NotPermitted();
  return scope;
}

std::variant<Webhook*, Response> ResolveWebhook(Call& call, const Scope& scope) {
  const std::string& text = call.Param("webhookId");
  int id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  Webhook* webhook = nullptr;
  if (ec == std::errc() && end == text.data() + text.size()) webhook = call.state.model.FindWebhook(id);
  if (!webhook || !scope.Holds(*webhook)) return NoSuchWebhook(text);
  return webhook;
}

WebhookView RestView(const Call& call) { return WebhookView{call.state.settings.redact_webhook_secret, false, false}; }

boost::json::object RenderForList(const Call& call, const Webhook& webhook) {
  boost::json::object json = WebhookJson(webhook, RestView(call));
  if (call.request.Query("statistics") == std::optional<std::string>("true"))
    json["statistics"] = StatisticsJson(call.state, webhook.id);
  return json;
}

/// The webhooks the scope holds, oldest first, from the model's index.
std::vector<const Webhook*> WebhooksIn(const Call& call, const Scope& scope) {
  return call.state.model.WebhooksIn(scope.project->key, scope.repository ? scope.repository->slug : "");
}

bool WantsEvents(const Webhook& webhook, const std::vector<std::string>& events) {
  if (events.empty()) return true;
  for (const auto& event : events)
    if (std::find(webhook.events.begin(), webhook.events.end(), event) != webhook.events.end()) return true;
  return false;
}

Response ListWebhooks(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  const Scope& scope = std::get<Scope>(resolved);
  auto events = call.request.QueryAll("event");
  boost::json::array all;
  for (const Webhook* webhook : WebhooksIn(call, scope))
    if (WantsEvents(*webhook, events)) all.push_back(RenderForList(call, *webhook));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

std::variant<boost::json::value, Response> ParseBody(const Call& call) {
  return ParseJsonBody(call.request.body, Errors());
}

Response CreateWebhook(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  const Scope& scope = std::get<Scope>(resolved);
  auto body = ParseBody(call);
  if (auto* error = std::get_if<Response>(&body)) return *error;
  auto parsed = ParseWebhookBody(std::get<boost::json::value>(body), nullptr);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  Webhook webhook = std::get<Webhook>(std::move(parsed));
  // Duplicates are allowed: real servers store a second identical webhook (§2.3).
  Model& model = call.state.model;
  webhook.id = model.next_webhook_id++;
  webhook.scope_type = scope.repository ? "repository" : "project";
  webhook.project_key = scope.project->key;
  webhook.repository_slug = scope.repository ? scope.repository->slug : "";
  webhook.created_date = webhook.updated_date = NowMillis();
  const Webhook& stored = model.AddWebhook(std::move(webhook));
  return JsonResponse(call.state.settings.webhook_create_status, WebhookJson(stored, RestView(call)));
}

Response GetWebhook(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  auto webhook = ResolveWebhook(call, std::get<Scope>(resolved));
  if (auto* error = std::get_if<Response>(&webhook)) return *error;
  return JsonResponse(200, RenderForList(call, *std::get<Webhook*>(webhook)));
}

Response UpdateWebhook(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  auto found = ResolveWebhook(call, std::get<Scope>(resolved));
  if (auto* error = std::get_if<Response>(&found)) return *error;
  Webhook& stored = *std::get<Webhook*>(found);
  auto body = ParseBody(call);
  if (auto* error = std::get_if<Response>(&body)) return *error;
  auto parsed = ParseWebhookBody(std::get<boost::json::value>(body), &stored);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  Webhook replacement = std::get<Webhook>(std::move(parsed));
  replacement.id = stored.id;
  replacement.scope_type = stored.scope_type;
  replacement.project_key = stored.project_key;
  replacement.repository_slug = stored.repository_slug;
  replacement.created_date = stored.created_date;
  replacement.updated_date = std::max(NowMillis(), stored.updated_date);
  stored = std::move(replacement);
  return JsonResponse(200, WebhookJson(stored, RestView(call)));
}

Response DeleteWebhook(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  auto found = ResolveWebhook(call, std::get<Scope>(resolved));
  if (auto* error = std::get_if<Response>(&found)) return *error;
  call.state.model.RemoveWebhook(std::get<Webhook*>(found)->id);
  return EmptyResponse(204);
}

/// GET …/{id}/latest, …/{id}/statistics and …/{id}/statistics/summary, from the delivery log.
Response WebhookHistory(Call& call, bool latest) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  auto found = ResolveWebhook(call, std::get<Scope>(resolved));
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Webhook& webhook = *std::get<Webhook*>(found);
  if (!latest) return JsonResponse(200, StatisticsJson(call.state, webhook.id));
  auto outcome = call.request.Query("outcome");
  if (outcome && *outcome != "SUCCESS" && *outcome != "FAILURE" && *outcome != "ERROR")
    return ValidationError("outcome", "outcome must be SUCCESS, FAILURE or ERROR.");
  auto invocation = LatestInvocationJson(call.state, webhook, call.request.Query("event"), outcome);
  if (!invocation) return EmptyResponse(204);
  return JsonResponse(200, *invocation);
}

/// /webhooks/search: repository webhooks plus those inherited from the project.
Response SearchWebhooks(Call& call) {
  auto resolved = ResolveScope(call);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  const Scope& scope = std::get<Scope>(resolved);
  auto scope_types = call.request.QueryAll("scopeType");
  for (auto& type : scope_types)
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& type : scope_types)
    if (type != "repository" && type != "project") return ValidationError("scopeType", "Invalid scope type: " + type);
  auto wanted = [&](const std::string& type) {
    return scope_types.empty() || std::find(scope_types.begin(), scope_types.end(), type) != scope_types.end();
  };
  Scope project_scope{scope.project, nullptr};
  auto events = call.request.QueryAll("event");
  // Oldest first across both scopes, as one scan of every webhook would list them.
  std::vector<const Webhook*> found;
  if (wanted("repository")) found = WebhooksIn(call, scope);
  if (wanted("project")) {
    auto inherited = WebhooksIn(call, project_scope);
    found.insert(found.end(), inherited.begin(), inherited.end());
  }
  std::sort(found.begin(), found.end(), [](const Webhook* a, const Webhook* b) { return a->id < b->id; });
  boost::json::array all;
  for (const Webhook* webhook : found)
    if (WantsEvents(*webhook, events)) all.push_back(RenderForList(call, *webhook));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

}  // namespace

void RegisterWebhookRoutes(Router& router) {
  for (std::string base : {"/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks",
                           "/rest/api/latest/projects/{projectKey}/webhooks"}) {
    router.Add("GET", base, ListWebhooks);
    router.Add("POST", base, CreateWebhook);
    router.Add("GET", base + "/{webhookId}", GetWebhook);
    router.Add("PUT", base + "/{webhookId}", UpdateWebhook);
    router.Add("DELETE", base + "/{webhookId}", DeleteWebhook);
    router.Add("GET", base + "/{webhookId}/latest", [](Call& call) { return WebhookHistory(call, true); });
    router.Add("GET", base + "/{webhookId}/statistics", [](Call& call) { return WebhookHistory(call, false); });
    router.Add("GET", base + "/{webhookId}/statistics/summary", [](Call& call) { return WebhookHistory(call, false); });
    router.Add("POST", base + "/test", [](Call& call) {
      auto resolved = ResolveScope(call);
      if (auto* error = std::get_if<Response>(&resolved)) return *error;
      return TestWebhook(call);
    });
  }
  router.Add("GET", "/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks/search", SearchWebhooks);
}

}  // namespace stashform::emulator
