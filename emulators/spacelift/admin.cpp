// The admin API under /_emulator/: no auth, no faults, not in the request log. Tests and the
// example's README use it to reset, inspect and change state out of band (docs/emulator.md).
#include "emulators/common/admin.h"
#include "emulators/common/json_body.h"
#include "emulators/spacelift/app.h"
#include "emulators/spacelift/resolvers.h"

#include <openssl/evp.h>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += {kHex[digest[i] >> 4], kHex[digest[i] & 0xf]};
  return out;
}

/// Answered carries a finished answer (a 400 for a malformed body) out of a handler's helpers.
struct Answered {
  Response response;
};

/// The body as JSON; a malformed one throws Answered with the common 400.
json::value Body(const Request& request) {
  auto parsed = ParseJsonBody(request.body, Errors());
  if (auto* error = std::get_if<Response>(&parsed)) throw Answered{std::move(*error)};
  return std::get<json::value>(parsed);
}

Response Dump(const State& state) {
  json::array keys, integrations, stacks;
  for (const auto& key : state.model.api_keys) keys.push_back(json::object{{"id", key.id}, {"name", key.name}});
  for (const auto& integration : state.model.integrations) {
    json::object json = integration.fields;
    // The token itself never leaves the emulator; its digest lets tests see a rotation.
    json["accessTokenSha256"] = Sha256Hex(integration.access_token);
    integrations.push_back(json);
  }
  for (const auto& [id, stack] : state.model.stacks) stacks.push_back(stack);
  json::array runs(state.runs.begin(), state.runs.end());
  return JsonResponse(200, json::object{
                               {"apiKeys", keys}, {"integrations", integrations}, {"stacks", stacks}, {"runs", runs}});
}

Response PatchStack(State& state, const std::string& id, const json::value& body) {
  auto it = state.model.stacks.find(id);
  if (it == state.model.stacks.end()) return GraphQLErrorResponse(404, "no stack " + id);
  json::object seed = body.as_object();
  seed["id"] = id;
  for (const auto& [key, value] : it->second)
    if (!seed.contains(key) && key != "vcsIntegration") seed[key] = value;
  if (!body.as_object().contains("vcsIntegration")) {
    const auto& bound = it->second.at("vcsIntegration");
    seed["vcsIntegration"] = bound.is_object() ? bound.as_object().at("id") : json::value(nullptr);
  }
  it->second = StackFromSeed(seed, state.model);
  return JsonResponse(200, it->second);
}

/// As renaming in the UI does: the name changes, the id (the slug of the first name) stays.
Response RenameIntegration(State& state, const std::string& id, const json::value& body) {
  Integration* integration = state.model.FindIntegration(id);
  if (!integration) return GraphQLErrorResponse(404, "no integration " + id);
  const json::value* name = body.is_object() ? body.as_object().if_contains("name") : nullptr;
  if (!name || !name->is_string() || name->as_string().empty() || body.as_object().size() != 1)
    return GraphQLErrorResponse(400, "expected {\"name\": \"<new name>\"}; only the name can be changed here");
  integration->fields["name"] = name->as_string();
  return JsonResponse(200, integration->fields);
}

Response Reset(AdminCall& call) {
  State& state = call.state;
  LoadSeed(state, state.seed);
  RefreshWebhookUrls(state);
  state.request_log.Clear();
  state.deliveries.clear();
  state.runs.clear();
  return EmptyResponse(204);
}

Response Deliveries(AdminCall& call) {
  json::array out(call.state.deliveries.begin(), call.state.deliveries.end());
  return JsonResponse(200, json::object{{"deliveries", out}});
}

Response RevokeTokens(AdminCall& call) {
  ++call.state.token_generation;
  return EmptyResponse(204);
}

Response PatchSettings(AdminCall& call) {
  ApplySettingsJson(call.state.settings, Body(call.request).as_object());
  RefreshWebhookUrls(call.state);
  return JsonResponse(200, SettingsToJson(call.state.settings));
}

Response DeleteIntegration(AdminCall& call) {
  const std::string& id = call.Param("id");
  auto deleted = call.state.model.DeleteIntegration(id);
  return deleted ? JsonResponse(200, *deleted) : GraphQLErrorResponse(404, "no integration " + id);
}

/// As the UI's "Delete stack" does: the stack is gone, whatever it was bound to.
Response DeleteStack(AdminCall& call) {
  const std::string& id = call.Param("id");
  auto it = call.state.model.stacks.find(id);
  if (it == call.state.model.stacks.end()) return GraphQLErrorResponse(404, "no stack " + id);
  json::object deleted = it->second;
  call.state.model.stacks.erase(it);
  return JsonResponse(200, deleted);
}

json::object RequestJson(const LoggedRequest& entry) {
  json::object json = LoggedRequestJson(entry);
  for (auto [key, value] : {std::pair{"caller", &entry.caller}, {"kind", &entry.kind}, {"fields", &entry.fields},
                            {"operation", &entry.operation}, {"id", &entry.id},
                            {"vcsIntegrationId", &entry.vcs_integration_id}, {"error", &entry.error}})
    json[key] = *value;
  return json;
}

}  // namespace

void RegisterAdminRoutes(AdminRouter& router) {
  router.Add("POST", "/_emulator/reset", Reset);
  router.Add("GET", "/_emulator/dump", [](AdminCall& call) { return Dump(call.state); });
  AddRequestLogRoutes(router, [](AdminCall& call) -> BoundedLog<LoggedRequest>& { return call.state.request_log; },
                      RequestJson);
  router.Add("GET", "/_emulator/deliveries", Deliveries);
  router.Add("POST", "/_emulator/revoke-tokens", RevokeTokens);
  router.Add("GET", "/_emulator/settings",
             [](AdminCall& call) { return JsonResponse(200, SettingsToJson(call.state.settings)); });
  router.Add("PATCH", "/_emulator/settings", PatchSettings);
  AddFaultRoutes(router, [](AdminCall& call) -> Faults& { return call.state.faults; }, Errors());
  router.Add("DELETE", "/_emulator/integrations/{id}", DeleteIntegration);
  router.Add("PATCH", "/_emulator/integrations/{id}",
             [](AdminCall& call) { return RenameIntegration(call.state, call.Param("id"), Body(call.request)); });
  router.Add("PATCH", "/_emulator/stacks/{id}",
             [](AdminCall& call) { return PatchStack(call.state, call.Param("id"), Body(call.request)); });
  router.Add("DELETE", "/_emulator/stacks/{id}", DeleteStack);
}

Response App::HandleAdmin(const Request& request) {
  std::vector<std::string> segments = DecodedSegments(request.path);
  auto match = admin_.Find(request.method, segments);
  if (!match) return Errors().NotFound(request);
  if (!match->handler) return Errors().MethodNotAllowed(request);
  AdminCall call{request, std::move(match->params), state_};
  try {
    return (*match->handler)(call);
  } catch (const Answered& answered) {
    return answered.response;
  } catch (const std::exception& error) {
    return GraphQLErrorResponse(400, error.what());
  }
}

}  // namespace stashform::emulator::spacelift
