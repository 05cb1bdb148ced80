// gitpod.v1.AuthProviderService's procedures with the server-side checks of platforms.md §2.2:
// a UUID organization id, one provider per (organization, host), built-in hosts refused, the host
// reachable, secrets redacted on every read, `pending` after a create and after any real change.
#include "emulators/gitpod/app.h"

#include <algorithm>
#include <set>

namespace stashform::emulator::gitpod {

namespace json = boost::json;

namespace {

constexpr int kDefaultPageSize = 25;
constexpr int kMaxPageSize = 100;

const std::set<std::string> kBuiltInHosts = {"github.com", "gitlab.com", "bitbucket.org"};
const std::set<std::string> kTypes = {"AUTH_PROVIDER_TYPE_GITHUB", "AUTH_PROVIDER_TYPE_GITLAB",
                                      "AUTH_PROVIDER_TYPE_BITBUCKET", "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER",
                                      "AUTH_PROVIDER_TYPE_AZURE_DEVOPS"};

std::string Text(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  if (value && !value->is_string() && !value->is_null())
    throw ConnectError{"invalid_argument", std::string("field \"") + key + "\" must be a string"};
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

const json::object& Message(const json::object& object, const char* key) {
  static const json::object kEmpty;
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? value->as_object() : kEmpty;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

/// The organization the caller may manage providers of; not_found or permission_denied otherwise.
const Organization& ManagedOrganization(ServiceCall& call, const std::string& id) {
  if (!IsUuid(id)) throw ConnectError{"invalid_argument", "organization_id must be a valid UUID, got \"" + id + "\""};
  const Organization* organization = call.state.model.FindOrganization(id);
  if (!organization) throw ConnectError{"not_found", "organization " + id + " not found"};
  if (!organization->members.count(call.caller.id))
    throw ConnectError{"permission_denied", "you are not a member of organization " + id};
  return *organization;
}

/// The provider the caller may see and change.
AuthProvider& Accessible(ServiceCall& call, const std::string& id) {
  if (id.empty()) throw ConnectError{"invalid_argument", "auth_provider_id is required"};
  AuthProvider* provider = call.state.model.FindProvider(id);
  if (!provider) throw ConnectError{"not_found", "auth provider " + id + " not found"};
  if (!provider->organization_id.empty()) ManagedOrganization(call, provider->organization_id);
  else if (provider->owner_id != call.caller.id) throw ConnectError{"not_found", "auth provider " + id + " not found"};
  return *provider;
}

json::object Answer(const AuthProvider& provider, const State& state) {
  return json::object{{"authProvider", ProviderJson(provider, state)}};
}

/// The owner oneof: exactly one of the two keys.
void ReadOwner(ServiceCall& call, const char* user_key, AuthProvider& provider) {
  const bool user = call.message.contains(user_key), organization = call.message.contains("organizationId");
  if (user == organization) throw ConnectError{"invalid_argument", std::string("set exactly one of ") + user_key + " and organizationId"};
  if (organization) {
    provider.organization_id = ManagedOrganization(call, Text(call.message, "organizationId")).id;
  } else if (Text(call.message, user_key) != call.caller.id) {
    throw ConnectError{"permission_denied", "a user's auth provider can only be managed by that user"};
  }
}

void CheckHost(const State& state, const AuthProvider& created) {
  if (created.host.empty() || created.host.find('/') != std::string::npos || created.host.find(':') == 0)
    throw ConnectError{"invalid_argument", "host must be a bare host such as bitbucket.example.com"};
  if (kBuiltInHosts.count(created.host))
    throw ConnectError{"already_exists", "a built-in auth provider serves " + created.host};
  for (const auto& other : state.model.providers)
    if (other.host == created.host && other.organization_id == created.organization_id &&
        (!created.organization_id.empty() || other.owner_id == created.owner_id))
      throw ConnectError{"already_exists", "Provider for this host already exists."};
  // Gitpod GETs https://<host> and wants a status of 399 or less within 15 s.
  if (state.model.unreachable_hosts.count(created.host))
    throw ConnectError{"failed_precondition", "host " + created.host + " is not reachable (GET https://" + created.host + " failed)"};
}

json::object Create(ServiceCall& call) {
  AuthProvider created;
  created.owner_id = call.caller.id;
  ReadOwner(call, "ownerId", created);
  created.type = Text(call.message, "type");
  if (!kTypes.count(created.type)) throw ConnectError{"invalid_argument", "type must be one of AUTH_PROVIDER_TYPE_*, not \"" + created.type + "\""};
  created.host = Lower(Text(call.message, "host"));
  CheckHost(call.state, created);
  const json::object& oauth = Message(call.message, "oauth2Config");
  created.client_id = Text(oauth, "clientId");
  created.client_secret = Text(oauth, "clientSecret");
  if (created.client_id.empty() || created.client_secret.empty())
    throw ConnectError{"invalid_argument", "oauth2_config.client_id and client_secret are required"};
  created.authorization_url = Text(oauth, "authorizationUrl");
  created.token_url = Text(oauth, "tokenUrl");
  if (created.type == "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER") {
    created.authorization_url = "https://" + created.host + "/rest/oauth2/latest/authorize";
    created.token_url = "https://" + created.host + "/rest/oauth2/latest/token";
  }
  created.id = call.state.NewUuid();
  created.oauth_revision = call.state.RandomHex(8);
  call.state.model.providers.push_back(created);
  return Answer(created, call.state);
}

json::object Get(ServiceCall& call) {
  return Answer(Accessible(call, Text(call.message, "authProviderId")), call.state);
}

json::object List(ServiceCall& call) {
  AuthProvider owner;  // which providers: the organization's, or the user's own
  ReadOwner(call, "userId", owner);
  const json::object& pagination = Message(call.message, "pagination");
  int64_t size = kDefaultPageSize;
  if (const auto* given = pagination.if_contains("pageSize"); given && given->is_number()) size = given->to_number<int64_t>();
  if (size <= 0) size = kDefaultPageSize;
  size = std::min<int64_t>(size, kMaxPageSize);
  size_t start = 0;
  if (std::string token = Text(pagination, "token"); !token.empty()) {
    try {
      start = std::stoul(token);
    } catch (const std::exception&) {
      throw ConnectError{"invalid_argument", "pagination.token \"" + token + "\" is not one this server gave"};
    }
  }
  json::array page;
  size_t seen = 0, next = 0;
  for (const auto& provider : call.state.model.providers) {
    bool mine = owner.organization_id.empty() ? provider.organization_id.empty() && provider.owner_id == call.caller.id
                                              : provider.organization_id == owner.organization_id;
    if (!mine || seen++ < start) continue;
    if (page.size() == static_cast<size_t>(size)) {
      next = seen - 1;
      break;
    }
    page.push_back(ProviderJson(provider, call.state));
  }
  json::object out{{"authProviders", page}};
  out["pagination"] = next ? json::object{{"nextToken", std::to_string(next)}} : json::object{};
  return out;
}

json::object Update(ServiceCall& call) {
  AuthProvider& provider = Accessible(call, Text(call.message, "authProviderId"));
  const std::string client_id = Text(call.message, "clientId"), secret = Text(call.message, "clientSecret");
  if (client_id.empty() && secret.empty())
    throw ConnectError{"invalid_argument", "client_id or client_secret is required"};
  bool changed = false;
  if (!client_id.empty() && client_id != provider.client_id) provider.client_id = client_id, changed = true;
  // An empty secret keeps the old one.
  if (!secret.empty() && secret != provider.client_secret) provider.client_secret = secret, changed = true;
  // The URLs count only for Azure DevOps; every other type derives them.
  if (provider.type == "AUTH_PROVIDER_TYPE_AZURE_DEVOPS") {
    for (auto [key, field] : {std::pair{"authorizationUrl", &provider.authorization_url}, std::pair{"tokenUrl", &provider.token_url}})
      if (std::string url = Text(call.message, key); !url.empty() && url != *field) *field = url, changed = true;
  }
  if (changed) {
    // Any real change needs an owner to connect again.
    provider.verified = false;
    provider.oauth_revision = call.state.RandomHex(8);
  }
  return Answer(provider, call.state);
}

json::object Delete(ServiceCall& call) {
  AuthProvider& provider = Accessible(call, Text(call.message, "authProviderId"));
  auto& providers = call.state.model.providers;
  const std::string id = provider.id;
  providers.erase(std::remove_if(providers.begin(), providers.end(), [&](const AuthProvider& p) { return p.id == id; }),
                  providers.end());
  return json::object{};
}

}  // namespace

const std::map<std::string, Procedure>& Procedures() {
  static const std::map<std::string, Procedure> kProcedures = {
      {"CreateAuthProvider",
       {{"ownerId", "organizationId", "type", "host", "oauth2Config", "oauth2Config.clientId",
         "oauth2Config.clientSecret", "oauth2Config.authorizationUrl", "oauth2Config.tokenUrl"},
        Create}},
      {"GetAuthProvider", {{"authProviderId"}, Get}},
      {"ListAuthProviders", {{"pagination", "pagination.pageSize", "pagination.token", "userId", "organizationId"}, List}},
      {"UpdateAuthProvider", {{"authProviderId", "clientId", "clientSecret", "authorizationUrl", "tokenUrl"}, Update}},
      {"DeleteAuthProvider", {{"authProviderId"}, Delete}},
  };
  return kProcedures;
}

}  // namespace stashform::emulator::gitpod
