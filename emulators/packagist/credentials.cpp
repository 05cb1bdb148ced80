// /api/credentials/: list (paged), create, show, edit (type, username, credential), delete
// (platforms.md §3.2, src/Api/Credentials.php of Packagist's client).

#include "emulators/packagist/app.h"

#include <algorithm>
#include <array>

namespace stashform::emulator::packagist {

namespace json = boost::json;

namespace {

constexpr std::array<const char*, 7> kTypes = {"bitbucket-app-pw", "github-oauth", "gitlab-token", "http-basic",
                                               "magento", "http-header", "ssh-key"};

std::string Text(const json::object& body, const char* key) {
  const json::value* value = body.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

void CheckType(const std::string& type) {
  if (std::none_of(kTypes.begin(), kTypes.end(), [&](const char* known) { return type == known; }))
    throw Answered{Errors().Error(400, "Invalid credential type \"" + type + "\".")};
}

Credential& Find(Call& call) {
  std::int64_t id = 0;
  try {
    id = std::stoll(call.Param("id"));
  } catch (const std::exception&) {
    throw Answered{Errors().Error(404, "Credential not found.")};
  }
  auto it = call.state.model.credentials.find(id);
  if (it == call.state.model.credentials.end()) throw Answered{Errors().Error(404, "Credential not found.")};
  return it->second;
}

Response List(Call& call) {
  json::array items;
  for (const auto& [id, credential] : call.state.model.credentials) items.push_back(CredentialJson(credential));
  return PagedResponse(call, items);
}

Response Create(Call& call) {
  json::object body = ObjectBody(call.request);
  Credential credential{0, Text(body, "description"), Text(body, "type"), Text(body, "domain"), Text(body, "username"),
                        Text(body, "credential")};
  if (credential.description.empty()) return Errors().Error(400, "description: This value should not be blank.");
  CheckType(credential.type);
  if (credential.secret.empty()) return Errors().Error(400, "credential: This value should not be blank.");
  credential.id = call.state.model.next_credential_id++;
  call.state.model.credentials[credential.id] = credential;
  return JsonResponse(201, CredentialJson(credential));
}

Response Edit(Call& call) {
  Credential& credential = Find(call);
  json::object body = ObjectBody(call.request);
  if (body.contains("type")) {
    CheckType(Text(body, "type"));
    credential.type = Text(body, "type");
  }
  if (body.contains("username")) credential.username = Text(body, "username");
  if (!Text(body, "credential").empty()) credential.secret = Text(body, "credential");
  return JsonResponse(200, CredentialJson(credential));
}

Response Delete(Call& call) {
  Credential& credential = Find(call);
  for (const auto& [name, package] : call.state.model.packages)
    if (package.credentials == credential.id)
      return Errors().Error(409, "The credential is still used by package " + name + ".");
  call.state.model.credentials.erase(credential.id);
  return EmptyResponse(204);
}

}  // namespace

void RegisterCredentialRoutes(Router& router) {
  router.Add("GET", "/api/credentials", List);
  router.Add("POST", "/api/credentials", Create);
  router.Add("GET", "/api/credentials/{id}", [](Call& call) { return JsonResponse(200, CredentialJson(Find(call))); });
  router.Add("PUT", "/api/credentials/{id}", Edit);
  router.Add("DELETE", "/api/credentials/{id}", Delete);
}

}  // namespace stashform::emulator::packagist
