// The admin API under /_emulator/: no auth, no faults, not in the request log. Tests and the
// example's README use it to reset, inspect and change state out of band (docs/emulator.md).
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

json::value Body(const Request& request) {
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (ec) throw std::runtime_error("malformed JSON: " + ec.message());
  return body;
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

Response Requests(const State& state) {
  json::array out;
  for (const auto& entry : state.request_log) {
    out.push_back(json::object{{"sequence", entry.sequence}, {"method", entry.method}, {"path", entry.path},
                               {"status", entry.status},     {"time", entry.time},     {"caller", entry.caller},
                               {"kind", entry.kind},         {"fields", entry.fields}, {"operation", entry.operation},
                               {"id", entry.id},             {"vcsIntegrationId", entry.vcs_integration_id},
                               {"error", entry.error}});
  }
  return JsonResponse(200, json::object{{"requests", out}});
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

Response Route(State& state, const Request& request) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  if (path == "/_emulator/reset" && method == "POST") {
    LoadSeed(state, state.seed);
    RefreshWebhookUrls(state);
    state.request_log.clear();
    state.deliveries.clear();
    state.runs.clear();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/dump" && method == "GET") return Dump(state);
  if (path == "/_emulator/requests" && method == "GET") return Requests(state);
  if (path == "/_emulator/requests" && method == "DELETE") {
    state.request_log.clear();
    return EmptyResponse(204);
  }
  if (path == "/_emulator/deliveries" && method == "GET") {
    json::array out(state.deliveries.begin(), state.deliveries.end());
    return JsonResponse(200, json::object{{"deliveries", out}});
  }
  if (path == "/_emulator/revoke-tokens" && method == "POST") {
    ++state.token_generation;
    return EmptyResponse(204);
  }
  if (path == "/_emulator/settings" && method == "GET") return JsonResponse(200, SettingsToJson(state.settings));
  if (path == "/_emulator/settings" && method == "PATCH") {
    ApplySettingsJson(state.settings, Body(request).as_object());
    RefreshWebhookUrls(state);
    return JsonResponse(200, SettingsToJson(state.settings));
  }
  if (path == "/_emulator/faults" && method == "GET") return JsonResponse(200, FaultConfigToJson(state.faults.config()));
  if (path == "/_emulator/faults" && method == "PUT") {
    state.faults.Configure(FaultConfigFromJson(Body(request)));
    return JsonResponse(200, FaultConfigToJson(state.faults.config()));
  }
  if (path == "/_emulator/faults" && method == "DELETE") {
    state.faults.Configure({});
    return EmptyResponse(204);
  }
  const std::string integrations = "/_emulator/integrations/";
  if (path.rfind(integrations, 0) == 0 && method == "DELETE") {
    auto deleted = state.model.DeleteIntegration(path.substr(integrations.size()));
    return deleted ? JsonResponse(200, *deleted) : GraphQLErrorResponse(404, "no integration " + path.substr(integrations.size()));
  }
  if (path.rfind(integrations, 0) == 0 && method == "PATCH")
    return RenameIntegration(state, path.substr(integrations.size()), Body(request));
  const std::string stacks = "/_emulator/stacks/";
  if (path.rfind(stacks, 0) == 0 && method == "PATCH") return PatchStack(state, path.substr(stacks.size()), Body(request));
  if (path.rfind(stacks, 0) == 0 && method == "DELETE") {
    // As the UI's "Delete stack" does: the stack is gone, whatever it was bound to.
    std::string id = path.substr(stacks.size());
    auto it = state.model.stacks.find(id);
    if (it == state.model.stacks.end()) return GraphQLErrorResponse(404, "no stack " + id);
    json::object deleted = it->second;
    state.model.stacks.erase(it);
    return JsonResponse(200, deleted);
  }
  return GraphQLErrorResponse(404, "no admin route " + method + " " + path);
}

}  // namespace

Response App::HandleAdmin(const Request& request) {
  try {
    return Route(state_, request);
  } catch (const std::exception& error) {
    return GraphQLErrorResponse(400, error.what());
  }
}

}  // namespace stashform::emulator::spacelift
