// The admin API under /_emulator/: no auth, no faults, not in the request log. Tests and the
// example's README use it to inspect state and to do what only a person can (an owner's OAuth
// consent) or what happens out of band (a provider deleted or edited in the dashboard).
#include "emulators/common/admin.h"
#include "emulators/common/json_body.h"
#include "emulators/gitpod/app.h"

namespace stashform::emulator::gitpod {

namespace json = boost::json;

namespace {

Response Dump(AdminCall& call) {
  json::array providers, organizations, users;
  for (const auto& provider : call.state.model.providers) providers.push_back(ProviderJson(provider, call.state, true));
  for (const auto& organization : call.state.model.organizations) {
    json::array members(organization.members.begin(), organization.members.end());
    organizations.push_back(json::object{{"id", organization.id}, {"name", organization.name}, {"members", members}});
  }
  for (const auto& user : call.state.model.users) users.push_back(json::object{{"id", user.id}, {"name", user.name}});
  return JsonResponse(200, json::object{{"authProviders", providers}, {"organizations", organizations}, {"users", users}});
}

AuthProvider* Find(AdminCall& call) { return call.state.model.FindProvider(call.Param("id")); }

/// What the owner's browser flow ends with: Gitpod's markAsVerified.
Response Verify(AdminCall& call) {
  AuthProvider* provider = Find(call);
  if (!provider) return ConnectErrorResponse("not_found", "no auth provider " + call.Param("id"));
  provider->verified = true;
  return JsonResponse(200, ProviderJson(*provider, call.state, true));
}

/// A change made in the dashboard: {clientId?, clientSecret?, verified?}; nothing else moves.
Response Edit(AdminCall& call) {
  AuthProvider* provider = Find(call);
  if (!provider) return ConnectErrorResponse("not_found", "no auth provider " + call.Param("id"));
  auto parsed = ParseJsonObjectBody(call.request.body, Errors());
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const json::object& edit = std::get<json::object>(parsed);
  if (const auto* v = edit.if_contains("clientId"); v && v->is_string()) provider->client_id = v->as_string();
  if (const auto* v = edit.if_contains("clientSecret"); v && v->is_string()) provider->client_secret = v->as_string();
  if (const auto* v = edit.if_contains("verified"); v && v->is_bool()) provider->verified = v->as_bool();
  return JsonResponse(200, ProviderJson(*provider, call.state, true));
}

Response Delete(AdminCall& call) {
  auto& providers = call.state.model.providers;
  auto it = std::find_if(providers.begin(), providers.end(), [&](const AuthProvider& p) { return p.id == call.Param("id"); });
  if (it == providers.end()) return ConnectErrorResponse("not_found", "no auth provider " + call.Param("id"));
  json::object gone = ProviderJson(*it, call.state, true);
  providers.erase(it);
  return JsonResponse(200, gone);
}

Response Reset(AdminCall& call) {
  LoadSeed(call.state, call.state.seed);
  call.state.faults.RestartCounters();
  call.state.request_log.Clear();
  return EmptyResponse(204);
}

json::object LogEntryJson(const LoggedRequest& entry) {
  json::object out = LoggedRequestJson(entry);
  out["procedure"] = entry.procedure;
  out["caller"] = entry.caller;
  if (!entry.code.empty()) out["code"] = entry.code;
  if (!entry.error.empty()) out["error"] = entry.error;
  out["dropped"] = entry.dropped;
  return out;
}

}  // namespace

void RegisterAdminRoutes(AdminRouter& router) {
  router.Add("GET", "/_emulator/dump", Dump);
  router.Add("POST", "/_emulator/reset", Reset);
  router.Add("POST", "/_emulator/auth-providers/{id}/verify", Verify);
  router.Add("PATCH", "/_emulator/auth-providers/{id}", Edit);
  router.Add("DELETE", "/_emulator/auth-providers/{id}", Delete);
  AddFaultRoutes(router, [](AdminCall& call) -> Faults& { return call.state.faults; }, Errors());
  AddRequestLogRoutes(router, [](AdminCall& call) -> BoundedLog<LoggedRequest>& { return call.state.request_log; },
                      LogEntryJson);
}

Response App::HandleAdmin(const Request& request) {
  std::vector<std::string> segments = DecodedSegments(request.path);
  auto match = admin_.Find(request.method, segments);
  if (!match) return Errors().NotFound(request);
  if (!match->handler) return Errors().MethodNotAllowed(request);
  AdminCall call{request, std::move(match->params), state_};
  try {
    return (*match->handler)(call);
  } catch (const std::exception& error) {
    return ConnectErrorResponse("invalid_argument", error.what());
  }
}

}  // namespace stashform::emulator::gitpod
