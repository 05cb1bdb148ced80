// OAuth 2.0 incoming links: /rest/oauth2/latest/client. The evidence pins only the POST path and its
// 401 for non-admins (bitbucket-api.md §4.2); every field name here is our best reading, kept in this
// one file so that it is easy to change, and documented as UNCONFIRMED in docs/emulator.md.
#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/common/json_body.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <algorithm>
#include <sstream>

namespace stashform::emulator {

namespace {

const std::vector<std::string> kScopes = {"PUBLIC_REPOS", "REPO_READ",     "REPO_WRITE",  "REPO_ADMIN",
                                          "PROJECT_ADMIN", "ACCOUNT_WRITE", "ADMIN_WRITE", "SYSTEM_ADMIN"};

std::optional<Response> RequireSysAdmin(const Call& call) {
  if (!call.principal) return NotAuthenticated();
  if (!IsSysAdmin(call.principal)) return NotPermitted();
  return std::nullopt;
}

boost::json::object ClientJson(const OAuth2Client& client) {
  boost::json::array redirects;
  for (const auto& redirect : client.redirects) redirects.push_back(boost::json::string(redirect));
  return {{"id", client.id},       {"clientId", client.client_id}, {"clientSecret", client.client_secret},
          {"name", client.name},   {"redirects", redirects},       {"scope", client.scope},
          {"userKey", client.user_key}, {"createdDate", client.created_date}};
}

/// Reads name, scope (space-separated scope names) and redirects into client; an answer is a 400.
std::optional<Response> ReadClient(const boost::json::object& body, OAuth2Client& client) {
  const auto* name = body.if_contains("name");
  if (!name || !name->is_string() || name->as_string().empty()) return ValidationError("name", "A name is required.");
  client.name = std::string(name->as_string());
  const auto* scope = body.if_contains("scope");
  if (!scope || !scope->is_string() || scope->as_string().empty())
    return ValidationError("scope", "A scope is required.");
  std::istringstream words{std::string(scope->as_string())};
  for (std::string word; words >> word;)
    if (std::find(kScopes.begin(), kScopes.end(), word) == kScopes.end())
      return ValidationError("scope", "Unknown scope: " + word);
  client.scope = std::string(scope->as_string());
  const auto* redirects = body.if_contains("redirects");
  if (!redirects || !redirects->is_array() || redirects->as_array().empty())
    return ValidationError("redirects", "At least one redirect URL is required.");
  client.redirects.clear();
  for (const auto& redirect : redirects->as_array()) {
    if (!redirect.is_string()) return ValidationError("redirects", "Redirect URLs must be strings.");
    std::string url(redirect.as_string());
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      return ValidationError("redirects", "Redirect URL is not an http or https URL: " + url);
    client.redirects.push_back(url);
  }
  return std::nullopt;
}

std::variant<boost::json::object, Response> ParseObject(const Call& call) {
  return ParseJsonObjectBody(call.request.body, Errors());
}

OAuth2Client* FindClient(Call& call) {
  for (auto& client : call.state.model.oauth2_clients)
    if (client.client_id == call.Param("clientId")) return &client;
  return nullptr;
}

Response NoSuchClient(const std::string& id) { return ErrorResponse(404, "No OAuth 2.0 client with id " + id + " exists."); }

Response ListClients(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  boost::json::array clients;
  for (const auto& client : call.state.model.oauth2_clients) clients.push_back(ClientJson(client));
  return JsonResponse(200, clients);
}

Response CreateClient(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  OAuth2Client client;
  if (auto error = ReadClient(std::get<boost::json::object>(parsed), client)) return *error;
  client.id = RandomUuid();
  client.client_id = RandomHex(16);
  client.client_secret = RandomHex(32);
  client.user_key = call.principal->user ? std::to_string(call.principal->user->id) : "";
  client.created_date = NowMillis();
  call.state.model.oauth2_clients.push_back(client);
  return JsonResponse(201, ClientJson(client));
}

Response GetClient(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  OAuth2Client* client = FindClient(call);
  if (!client) return NoSuchClient(call.Param("clientId"));
  return JsonResponse(200, ClientJson(*client));
}

Response UpdateClient(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  OAuth2Client* client = FindClient(call);
  if (!client) return NoSuchClient(call.Param("clientId"));
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  OAuth2Client updated = *client;
  if (auto error = ReadClient(std::get<boost::json::object>(parsed), updated)) return *error;
  *client = updated;
  return JsonResponse(200, ClientJson(*client));
}

Response DeleteClient(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  OAuth2Client* client = FindClient(call);
  if (!client) return NoSuchClient(call.Param("clientId"));
  std::string id = client->client_id;
  auto& clients = call.state.model.oauth2_clients;
  clients.erase(std::remove_if(clients.begin(), clients.end(), [&](const OAuth2Client& c) { return c.client_id == id; }),
                clients.end());
  return EmptyResponse(204);
}

}  // namespace

void RegisterOAuth2ClientRoutes(Router& router) {
  const std::string base = "/rest/oauth2/latest/client";
  router.Add("GET", base, ListClients);
  router.Add("POST", base, CreateClient);
  router.Add("GET", base + "/{clientId}", GetClient);
  router.Add("PUT", base + "/{clientId}", UpdateClient);
  router.Add("DELETE", base + "/{clientId}", DeleteClient);
}

}  // namespace stashform::emulator
