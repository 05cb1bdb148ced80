#include "emulators/gitpod/model.h"

#include <chrono>
#include <stdexcept>

namespace stashform::emulator::gitpod {

namespace json = boost::json;

namespace {

std::string Field(const json::object& object, const char* key, const char* what) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_string() || value->as_string().empty())
    throw std::runtime_error(std::string("seed: every ") + what + " needs a string \"" + key + "\"");
  return std::string(value->as_string());
}

std::string Optional(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

const json::array& List(const json::object& seed, const char* key) {
  static const json::array kEmpty;
  const json::value* value = seed.if_contains(key);
  if (value && !value->is_array()) throw std::runtime_error(std::string("seed: \"") + key + "\" must be a list");
  return value ? value->as_array() : kEmpty;
}

const json::object& Item(const json::value& value, const char* what) {
  if (!value.is_object()) throw std::runtime_error(std::string("seed: every ") + what + " must be an object");
  return value.as_object();
}

AuthProvider ProviderFromSeed(const json::object& seed, State& state) {
  AuthProvider provider;
  provider.id = Optional(seed, "id").empty() ? state.NewUuid() : Optional(seed, "id");
  provider.organization_id = Optional(seed, "organizationId");
  provider.owner_id = Optional(seed, "ownerId");
  provider.type = Optional(seed, "type").empty() ? "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER" : Optional(seed, "type");
  provider.host = Field(seed, "host", "auth provider");
  provider.client_id = Optional(seed, "clientId");
  provider.client_secret = Optional(seed, "clientSecret");
  if (provider.type == "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER") {
    provider.authorization_url = "https://" + provider.host + "/rest/oauth2/latest/authorize";
    provider.token_url = "https://" + provider.host + "/rest/oauth2/latest/token";
  }
  const json::value* verified = seed.if_contains("verified");
  provider.verified = verified && verified->is_bool() && verified->as_bool();
  provider.oauth_revision = state.RandomHex(8);
  return provider;
}

}  // namespace

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

const User* Model::UserOfToken(const std::string& token) const {
  for (const auto& user : users)
    if (!token.empty() && user.token == token) return &user;
  return nullptr;
}

const Organization* Model::FindOrganization(const std::string& id) const {
  for (const auto& organization : organizations)
    if (organization.id == id) return &organization;
  return nullptr;
}

AuthProvider* Model::FindProvider(const std::string& id) {
  for (auto& provider : providers)
    if (provider.id == id) return &provider;
  return nullptr;
}

std::string State::RandomHex(std::size_t bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    auto byte = static_cast<unsigned>(random() & 0xff);
    out += {kHex[byte >> 4], kHex[byte & 0xf]};
  }
  return out;
}

std::string State::NewUuid() {
  std::string hex = RandomHex(16);
  hex[12] = '4';  // version 4
  hex[16] = "89ab"[random() & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

json::object ProviderJson(const AuthProvider& provider, const State& state, bool reveal) {
  json::object out{{"id", provider.id}};
  if (!provider.organization_id.empty()) out["organizationId"] = provider.organization_id;
  else out["ownerId"] = provider.owner_id;
  out["type"] = provider.type;
  out["host"] = provider.host;
  out["settingsUrl"] = state.base_url + "/settings/git";
  // proto3 JSON leaves a false bool out: a pending provider has no "verified" at all.
  if (provider.verified || reveal) out["verified"] = provider.verified;
  if (provider.type == "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER")
    out["scopes"] = json::array{"PUBLIC_REPOS", "REPO_READ", "REPO_WRITE", "REPO_ADMIN", "PROJECT_ADMIN"};
  out["oauth2Config"] = json::object{{"clientId", provider.client_id},
                                     {"clientSecret", reveal ? provider.client_secret : "redacted"},
                                     {"authorizationUrl", provider.authorization_url},
                                     {"tokenUrl", provider.token_url}};
  if (reveal) out["oauthRevision"] = provider.oauth_revision;
  return out;
}

void LoadSeed(State& state, const json::value& seed) {
  if (!seed.is_object()) throw std::runtime_error("seed: expected a JSON object");
  const json::object& object = seed.as_object();
  Model model;
  for (const auto& item : List(object, "users")) {
    const json::object& user = Item(item, "user");
    model.users.push_back({Field(user, "id", "user"), Optional(user, "name"), Field(user, "token", "user")});
  }
  for (const auto& item : List(object, "organizations")) {
    const json::object& seeded = Item(item, "organization");
    Organization organization{Field(seeded, "id", "organization"), Optional(seeded, "name"), {}};
    for (const auto& member : List(seeded, "members"))
      if (member.is_string()) organization.members.insert(std::string(member.as_string()));
    model.organizations.push_back(std::move(organization));
  }
  for (const auto& host : List(object, "unreachableHosts"))
    if (host.is_string()) model.unreachable_hosts.insert(std::string(host.as_string()));
  for (const auto& item : List(object, "authProviders")) model.providers.push_back(ProviderFromSeed(Item(item, "auth provider"), state));
  state.model = std::move(model);
}

}  // namespace stashform::emulator::gitpod
