// HTTP access tokens at user, project and repository scope (bitbucket-api.md §3).
#include "emulators/bitbucket/tokens.h"

#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/encoding.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/common/json_body.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/render.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <openssl/rand.h>

#include <algorithm>

namespace stashform::emulator {

namespace {

constexpr std::size_t kMaxTokensPerOwner = 100;
const std::vector<std::string> kRepositoryPermissions = {"REPO_READ", "REPO_WRITE", "REPO_ADMIN"};
const std::vector<std::string> kProjectPermissions = {"PROJECT_READ", "PROJECT_WRITE", "PROJECT_ADMIN"};
const std::vector<std::string> kGlobalPermissions = {"LICENSED_USER", "PROJECT_CREATE", "ADMIN", "SYS_ADMIN"};

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// Owner is the container a token path names, resolved and permission-checked.
struct Owner {
  std::string scope_type;
  std::string user_slug;
  std::string project_key;
  std::string repository_slug;
  bool Holds(const AccessToken& token) const {
    return token.scope_type == scope_type && token.owner_user == user_slug && token.project_key == project_key &&
           token.repository_slug == repository_slug;
  }
};

std::variant<Owner, Response> ResolveOwner(Call& call, bool writing) {
  if (!call.principal) return NotAuthenticated();
  // Tokens may not manage tokens: that is acting "on behalf of a user" (§1.2).
  if (writing && IsTokenAuthenticated(call.principal)) return NotPermitted();
  Model& model = call.state.model;
  Owner owner;
  if (auto slug = call.params.find("userSlug"); slug != call.params.end()) {
    User* user = model.FindUserBySlug(slug->second);
    if (!user || user->service) return NoSuchUser(slug->second);
    bool self = call.principal->user == user;
    if (!self && !IsSysAdmin(call.principal)) return NotPermitted();
    owner.scope_type = "user";
    owner.user_slug = user->slug;
    return owner;
  }
  const std::string& key = call.Param("projectKey");
  Project* project = model.FindProject(key);
  if (!project) return NoSuchProject(key);
  owner.project_key = key;
  if (auto slug = call.params.find("repositorySlug"); slug != call.params.end()) {
    Repository* repository = model.FindRepository(key, slug->second);
    if (!repository) return NoSuchRepository(key, slug->second);
    if (!MayOnRepository(call.principal, *project, *repository, Level::kAdmin)) return NotPermitted();
    owner.scope_type = "repository";
    owner.repository_slug = repository->slug;
    return owner;
  }
  if (!MayOnProject(call.principal, *project, Level::kAdmin)) return NotPermitted();
  owner.scope_type = "project";
  return owner;
}

std::variant<AccessToken*, Response> ResolveToken(Call& call, const Owner& owner) {
  AccessToken* token = call.state.model.FindToken(call.Param("tokenId"));
  if (!token || !owner.Holds(*token))
    return ErrorResponse(404, "No access token with id " + call.Param("tokenId") + " exists.", std::nullopt,
                         "com.atlassian.bitbucket.auth.NoSuchAccessTokenException");
  return token;
}

std::variant<boost::json::object, Response> ParseObject(const Call& call) {
  return ParseJsonObjectBody(call.request.body, Errors());
}

std::string NewTokenId(const Model& model) {
  for (;;) {
    std::string id = std::to_string(100000000000ULL + std::stoull(RandomHex(6), nullptr, 16) % 900000000000ULL);
    bool taken = false;
    for (const auto& token : model.tokens) taken = taken || token.id == id;
    if (!taken) return id;
  }
}

/// base64(id + ":" + 20 random bytes), the format the spec example decodes to (§3.2).
std::string NewTokenValue(const std::string& id) {
  std::string random(20, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size()));
  return Base64Encode(id + ":" + random);
}

Response ListTokens(Call& call) {
  auto owner = ResolveOwner(call, false);
  if (auto* error = std::get_if<Response>(&owner)) return *error;
  boost::json::array all;
  for (const auto& token : call.state.model.tokens)
    if (std::get<Owner>(owner).Holds(token)) all.push_back(TokenJson(token, call.state.model, call.state.base_url, false));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response CreateToken(Call& call) {
  auto resolved = ResolveOwner(call, true);
  if (auto* error = std::get_if<Response>(&resolved)) return *error;
  const Owner& owner = std::get<Owner>(resolved);
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const auto& body = std::get<boost::json::object>(parsed);
  AccessToken token;
  const auto* name = body.if_contains("name");
  if (!name || !name->is_string() || name->as_string().empty())
    return ValidationError("name", "A name is required for the access token.");
  token.name = std::string(name->as_string());
  if (auto error = ValidateTokenPermissions(body.if_contains("permissions"), owner.scope_type, token.permissions))
    return *error;
  if (const auto* days = body.if_contains("expiryDays"); days && !days->is_null()) {
    if (!days->is_int64() || days->as_int64() < 1)
      return ValidationError("expiryDays", "expiryDays must be a positive number of days.");
    token.expiry_days = static_cast<int>(days->as_int64());
  }
  Model& model = call.state.model;
  std::size_t owned = std::count_if(model.tokens.begin(), model.tokens.end(), [&](const AccessToken& t) { return owner.Holds(t); });
  if (owned >= kMaxTokensPerOwner)
    return ValidationError("name", "The maximum number of access tokens for this owner has been reached.");
  token.id = NewTokenId(model);
  token.scope_type = owner.scope_type;
  token.owner_user = owner.user_slug;
  token.project_key = owner.project_key;
  token.repository_slug = owner.repository_slug;
  token.created_date = NowMillis();
  token.secret = NewTokenValue(token.id);
  if (token.scope_type != "user") token.service_user_id = model.next_user_id++;
  model.tokens.push_back(token);
  return JsonResponse(200, TokenJson(token, model, call.state.base_url, true));
}

Response GetToken(Call& call) {
  auto owner = ResolveOwner(call, false);
  if (auto* error = std::get_if<Response>(&owner)) return *error;
  auto token = ResolveToken(call, std::get<Owner>(owner));
  if (auto* error = std::get_if<Response>(&token)) return *error;
  return JsonResponse(200, TokenJson(*std::get<AccessToken*>(token), call.state.model, call.state.base_url, false));
}

/// POST is a partial update: fields not sent are left alone (§3.1).
Response UpdateToken(Call& call) {
  auto owner = ResolveOwner(call, true);
  if (auto* error = std::get_if<Response>(&owner)) return *error;
  auto found = ResolveToken(call, std::get<Owner>(owner));
  if (auto* error = std::get_if<Response>(&found)) return *error;
  AccessToken& token = *std::get<AccessToken*>(found);
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const auto& body = std::get<boost::json::object>(parsed);
  std::string name = token.name;
  if (const auto* value = body.if_contains("name"); value && !value->is_null()) {
    if (!value->is_string() || value->as_string().empty())
      return ValidationError("name", "A name is required for the access token.");
    name = std::string(value->as_string());
  }
  std::vector<std::string> permissions = token.permissions;
  if (const auto* value = body.if_contains("permissions"); value && !value->is_null()) {
    permissions.clear();
    if (auto error = ValidateTokenPermissions(value, token.scope_type, permissions)) return *error;
  }
  token.name = name;
  token.permissions = permissions;
  return JsonResponse(200, TokenJson(token, call.state.model, call.state.base_url, false));
}

Response DeleteToken(Call& call) {
  auto owner = ResolveOwner(call, true);
  if (auto* error = std::get_if<Response>(&owner)) return *error;
  auto found = ResolveToken(call, std::get<Owner>(owner));
  if (auto* error = std::get_if<Response>(&found)) return *error;
  std::string id = std::get<AccessToken*>(found)->id;
  auto& tokens = call.state.model.tokens;
  tokens.erase(std::remove_if(tokens.begin(), tokens.end(), [&](const AccessToken& t) { return t.id == id; }), tokens.end());
  return EmptyResponse(204);
}

}  // namespace

std::optional<Response> ValidateTokenPermissions(const boost::json::value* permissions, const std::string& scope_type,
                                                 std::vector<std::string>& out) {
  if (!permissions || !permissions->is_array() || permissions->as_array().empty())
    return ValidationError("permissions", "At least one permission is required.");
  for (const auto& value : permissions->as_array()) {
    if (!value.is_string()) return ValidationError("permissions", "Permissions must be strings.");
    std::string permission(value.as_string());
    if (Contains(kGlobalPermissions, permission))
      return ValidationError("permissions", "Tokens may not have the following permission: " + permission);
    bool is_repository = Contains(kRepositoryPermissions, permission);
    if (!is_repository && !Contains(kProjectPermissions, permission))
      return ValidationError("permissions", permission + " is not a valid permission");
    if (scope_type == "repository" && !is_repository)
      return ValidationError("permissions",
                             "Permissions for REPOSITORY scope must be one of: REPO_READ, REPO_WRITE, REPO_ADMIN");
    if (!Contains(out, permission)) out.push_back(permission);
  }
  return std::nullopt;
}

boost::json::object TokenJson(const AccessToken& token, const Model& model, const std::string& base_url,
                              bool with_secret) {
  boost::json::object json;
  json["id"] = token.id;
  json["createdDate"] = token.created_date;
  if (token.last_authenticated) json["lastAuthenticated"] = *token.last_authenticated;
  if (token.expiry_days) json["expiryDays"] = *token.expiry_days;
  json["name"] = token.name;
  boost::json::array permissions;
  for (const auto& permission : token.permissions) permissions.push_back(boost::json::string(permission));
  json["permissions"] = permissions;
  if (token.scope_type == "user") {
    for (const auto& user : model.users)
      if (user.slug == token.owner_user) json["user"] = UserJson(user, base_url);
  }
  if (with_secret) json["token"] = token.secret;
  return json;
}

void RegisterTokenRoutes(Router& router) {
  const std::string base = "/rest/access-tokens/latest";
  for (std::string owner : {base + "/users/{userSlug}", base + "/projects/{projectKey}",
                            base + "/projects/{projectKey}/repos/{repositorySlug}"}) {
    router.Add("GET", owner, ListTokens);
    router.Add("PUT", owner, CreateToken);
    router.Add("GET", owner + "/{tokenId}", GetToken);
    router.Add("POST", owner + "/{tokenId}", UpdateToken);
    router.Add("DELETE", owner + "/{tokenId}", DeleteToken);
  }
}

}  // namespace stashform::emulator
