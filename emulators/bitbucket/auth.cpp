#include "emulators/bitbucket/auth.h"

#include "emulators/bitbucket/encoding.h"

#include <algorithm>

namespace stashform::emulator {

namespace {

bool Expired(const AccessToken& token) {
  if (!token.expiry_days) return false;
  return NowMillis() > token.created_date + static_cast<std::int64_t>(*token.expiry_days) * 86'400'000;
}

AccessToken* FindLiveToken(Model& model, const std::string& secret) {
  for (auto& token : model.tokens)
    if (token.secret == secret && !Expired(token)) return &token;
  return nullptr;
}

std::optional<Principal> TokenPrincipal(Model& model, AccessToken& token) {
  token.last_authenticated = NowMillis();
  Principal principal;
  principal.token = &token;
  if (token.scope_type == "user") {
    User* owner = model.FindUserBySlug(token.owner_user);
    if (!owner) return std::nullopt;
    principal.user = owner;
    principal.name = owner->name;
    principal.id = owner->id;
  } else {
    // Project and repository tokens act as a hidden service user of their own.
    principal.name = "token-" + token.id;
    principal.id = token.service_user_id;
  }
  return principal;
}

Principal UserPrincipal(User& user) { return Principal{user.name, user.id, &user, nullptr}; }

AuthResult FromBasic(Model& model, const std::string& encoded) {
  auto decoded = Base64Decode(encoded);
  if (!decoded) return {std::nullopt, true};
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return {std::nullopt, true};
  std::string name = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  User* user = model.FindUserByName(name);
  if (!user || user->service) return {std::nullopt, true};
  if (!user->password.empty() && user->password == password) return {UserPrincipal(*user), false};
  // A personal token also works as the Basic password of its owner (never project/repo tokens).
  AccessToken* token = FindLiveToken(model, password);
  if (token && token->scope_type == "user" && token->owner_user == user->slug) {
    auto principal = TokenPrincipal(model, *token);
    if (principal) return {principal, false};
  }
  return {std::nullopt, true};
}

Level TokenRepositoryLevel(const AccessToken& token) {
  Level best = Level::kNone;
  for (const auto& permission : token.permissions) best = std::max(best, ParseLevel(permission));
  return best;
}

Level TokenProjectLevel(const AccessToken& token) {
  Level best = Level::kNone;
  for (const auto& permission : token.permissions)
    if (permission.rfind("PROJECT_", 0) == 0) best = std::max(best, ParseLevel(permission));
  return best;
}

Level UserProjectLevel(const User& user, const Project& project) {
  if (user.sys_admin || IsPersonalProjectOf(project, user)) return Level::kAdmin;
  Level level = project.is_public ? Level::kRead : Level::kNone;
  auto it = user.project_levels.find(project.key);
  if (it != user.project_levels.end()) level = std::max(level, it->second);
  return level;
}

Level UserRepositoryLevel(const User& user, const Project& project, const Repository& repository) {
  Level level = UserProjectLevel(user, project);
  if (repository.is_public) level = std::max(level, Level::kRead);
  auto it = user.repository_levels.find(project.key + "/" + repository.slug);
  if (it != user.repository_levels.end()) level = std::max(level, it->second);
  return level;
}

}  // namespace

AuthResult Authenticate(const Request& request, Model& model) {
  auto header = request.Header("authorization");
  if (!header) return {};
  if (header->rfind("Basic ", 0) == 0) return FromBasic(model, header->substr(6));
  if (header->rfind("Bearer ", 0) == 0) {
    AccessToken* token = FindLiveToken(model, header->substr(7));
    if (!token) return {std::nullopt, true};
    auto principal = TokenPrincipal(model, *token);
    if (!principal) return {std::nullopt, true};
    return {principal, false};
  }
  return {std::nullopt, true};
}

bool IsSysAdmin(const Principal* principal) {
  return principal && principal->user && principal->user->sys_admin && !principal->token;
}

bool IsTokenAuthenticated(const Principal* principal) { return principal && principal->token; }

bool MayOnProject(const Principal* principal, const Project& project, Level needed) {
  if (!principal) return false;
  const AccessToken* token = principal->token;
  if (token && token->scope_type == "repository") return false;
  if (token && token->scope_type == "project" && token->project_key != project.key) return false;
  Level level = principal->user ? UserProjectLevel(*principal->user, project) : Level::kAdmin;
  if (token) level = std::min(level, TokenProjectLevel(*token));
  return level >= needed;
}

bool MayOnRepository(const Principal* principal, const Project& project, const Repository& repository,
                     Level needed) {
  if (!principal) return false;
  const AccessToken* token = principal->token;
  if (token && token->scope_type != "user" && token->project_key != project.key) return false;
  if (token && token->scope_type == "repository" && token->repository_slug != repository.slug) return false;
  Level level = principal->user ? UserRepositoryLevel(*principal->user, project, repository) : Level::kAdmin;
  if (token) level = std::min(level, TokenRepositoryLevel(*token));
  return level >= needed;
}

}  // namespace stashform::emulator
