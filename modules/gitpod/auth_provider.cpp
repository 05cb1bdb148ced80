#include "modules/gitpod/auth_provider.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/attribute_checks.h"
#include "base/digest.h"
#include "modules/resource_answers.h"

namespace stashform::gitpod {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

constexpr int kPageSize = 100;  // the most a ListAuthProviders page holds
constexpr int kMaxPages = 1000;

// ---- Wire mapping: gitpod.v1 AuthProvider (authprovider.proto) in proto3 JSON. ----
// The `type` attribute's words and the AuthProviderType enum's names.
const std::vector<std::pair<std::string, std::string>> kTypes = {
    {"github", "AUTH_PROVIDER_TYPE_GITHUB"},
    {"gitlab", "AUTH_PROVIDER_TYPE_GITLAB"},
    {"bitbucket", "AUTH_PROVIDER_TYPE_BITBUCKET"},
    {"bitbucket_server", "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER"},
    {"azure_devops", "AUTH_PROVIDER_TYPE_AZURE_DEVOPS"},
};

std::string EnumOfType(const std::string& word) {
  for (const auto& [w, name] : kTypes)
    if (w == word) return name;
  return "AUTH_PROVIDER_TYPE_UNSPECIFIED";
}

/// proto3 JSON may carry an enum by name or by number (1 = GITHUB … 5 = AZURE_DEVOPS).
std::string TypeOfEnum(const json::value& value) {
  if (value.is_int64() && value.as_int64() >= 1 && value.as_int64() <= 5) return kTypes[value.as_int64() - 1].first;
  for (const auto& [word, name] : kTypes)
    if (value.is_string() && value.as_string() == name) return word;
  return value.is_string() ? std::string(value.as_string()) : "";
}

std::string Text(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

const json::object& Object(const json::object& object, const char* key) {
  static const json::object kEmpty;
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? value->as_object() : kEmpty;
}

/// The provider's attributes from an AuthProvider message; client_secret is `secret` (a digest),
/// since every read answers "redacted".
Value::Map AttributesOf(const json::object& provider, const Value& secret) {
  Value::Map out;
  out["id"] = Value(Text(provider, "id"));
  if (!Text(provider, "organizationId").empty()) out["organization_id"] = Value(Text(provider, "organizationId"));
  if (!Text(provider, "ownerId").empty()) out["owner_id"] = Value(Text(provider, "ownerId"));
  out["type"] = Value(provider.if_contains("type") ? TypeOfEnum(provider.at("type")) : "");
  out["host"] = Value(Text(provider, "host"));
  const json::object& oauth = Object(provider, "oauth2Config");
  out["client_id"] = Value(Text(oauth, "clientId"));
  out["client_secret"] = secret;
  out["authorization_url"] = Value(Text(oauth, "authorizationUrl"));
  out["token_url"] = Value(Text(oauth, "tokenUrl"));
  out["settings_url"] = Value(Text(provider, "settingsUrl"));
  return out;
}

bool Verified(const json::object& provider) {
  const json::value* verified = provider.if_contains("verified");
  return verified && verified->is_bool() && verified->as_bool();
}
// ---- End of the wire mapping. ----

/// "https://Bitbucket.Example.com:8443/context" → "bitbucket.example.com:8443": Gitpod keys a
/// provider by its bare, lower-case host (the dashboard strips the scheme and slashes too).
std::string BareHost(const std::string& text) {
  std::string host = text;
  if (auto scheme = host.find("://"); scheme != std::string::npos) host = host.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host;
}

// Gitpod checks the host by fetching https://<host> (platforms.md §2, CreateAuthProvider), so
// it must be a DNS name (at most 253 characters) with an optional port: no spaces, no user@.
std::string CheckHost(const Value& value) {
  if (!value.is_string()) return "";
  const std::string host = BareHost(value.as_string());
  if (host.empty()) return "expected a host such as bitbucket.example.com, or a URL of it, got " + value.Render();
  if (host.size() > 253)
    return "is " + std::to_string(host.size()) + " characters; a host name has at most 253 (shorten it)";
  for (unsigned char c : host)
    if (!std::isalnum(c) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']')
      return "\"" + host + "\" is not a host name (letters, digits, dots, dashes and a :port only)";
  return "";
}

// "organizationId must be a UUID" (platforms.md §2, CreateAuthProvider's server-side checks).
std::string CheckUuid(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& id = value.as_string();
  bool ok = id.size() == 36;
  for (size_t i = 0; ok && i < id.size(); ++i)
    ok = (i == 8 || i == 13 || i == 18 || i == 23) ? id[i] == '-' : std::isxdigit(static_cast<unsigned char>(id[i])) != 0;
  return ok ? "" : "expected a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e (Gitpod refuses anything else), got " +
                       value.Render();
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "gitpod.auth_provider";
  s.server_type = "gitpod.account";
  s.description = "A Git integration (auth provider) of a Gitpod organization or user.";
  s.natural_key = {"organization_id", "owner_id", "host"};
  auto organization = MakeAttribute("organization_id", AttrType::kString, AttrMode::kOptional,
                                    "Owning organization (a UUID); default: the account's organization_id.");
  organization.force_new = true;
  organization.check = CheckUuid;
  auto owner = MakeAttribute("owner_id", AttrType::kString, AttrMode::kOptional,
                             "Owning user, for a user's own provider instead of an organization's.");
  owner.force_new = true;
  auto type = MakeAttribute("type", AttrType::kString, AttrMode::kOptional, "The Git host's kind.");
  type.default_value = Value("bitbucket_server");
  type.force_new = true;
  for (const auto& [word, name] : kTypes) type.allowed.push_back(word);
  auto host = MakeAttribute("host", AttrType::kString, AttrMode::kRequired,
                            "The Git host (bitbucket.example.com), or a URL of it whose host is kept; a change replaces the provider.");
  host.force_new = true;
  host.check = CheckHost;
  auto secret = MakeAttribute("client_secret", AttrType::kString, AttrMode::kRequired,
                              "OAuth 2 client secret; read back as \"redacted\", so compared by digest.");
  secret.sensitive = true;
  secret.write_only = true;
  auto authorize = MakeAttribute("authorization_url", AttrType::kString, AttrMode::kOptional,
                                 "OAuth 2 authorize URL; default for Bitbucket Server https://<host>/rest/oauth2/latest/authorize.");
  authorize.force_new = true;
  authorize.check = CheckAbsoluteHttpUrl;  // UpdateAuthProvider ignores the URLs of every type but Azure DevOps
  auto token = MakeAttribute("token_url", AttrType::kString, AttrMode::kOptional,
                             "OAuth 2 token URL; default for Bitbucket Server https://<host>/rest/oauth2/latest/token.");
  token.force_new = true;
  token.check = CheckAbsoluteHttpUrl;
  s.attributes = {organization, owner, type, host,
                  MakeAttribute("client_id", AttrType::kString, AttrMode::kRequired, "OAuth 2 client id."),
                  secret, authorize, token,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Gitpod's id of the provider (a UUID)."),
                  MakeAttribute("settings_url", AttrType::kString, AttrMode::kComputed,
                                "Where an owner connects (verifies) the provider.")};
  return s;
}

bool IsNull(const Value::Map& map, const char* key) {
  auto it = map.find(key);
  return it == map.end() || it->second.is_null();
}

/// The secret to send, or "" when only its digest is known (state never keeps the value).
std::string SecretToSend(const Value::Map& planned) {
  std::string secret = StringField(planned, "client_secret");
  return IsSecretDigest(secret) ? "" : secret;
}

Value SecretForState(const std::string& sent, const Value::Map& prior) {
  if (sent.empty()) {
    auto it = prior.find("client_secret");
    return it != prior.end() ? it->second : Value::Sensitive(Value(""));
  }
  return ValueForState(*AuthProviderSchema().Find("client_secret"), Value(sent));
}

/// The owner part of a request: organizationId or ownerId, as the oneof allows one.
void SetOwner(json::object& message, const Value::Map& attributes, const char* organization_key, const char* user_key) {
  if (!StringField(attributes, "owner_id").empty()) message[user_key] = StringField(attributes, "owner_id");
  else message[organization_key] = StringField(attributes, "organization_id");
}

bool LooksLikeUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
      return false;
  return true;
}


}  // namespace

std::string PendingVerificationNote(const std::string& url) {
  return "pending verification — an owner must connect at " + url;
}

const ResourceSchema& AuthProviderSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

namespace {

/// A read or write answer's pending note: "" once an owner has connected the provider.
std::string PendingOf(const json::object& provider, const AccountSettings& settings) {
  if (Verified(provider)) return "";
  std::string url = Text(provider, "settingsUrl");
  return PendingVerificationNote(url.empty() ? settings.url + "/settings/git" : url);
}

ApplyResponse Applied(const json::object& answer, const Value& secret, const AccountSettings& settings,
                      const std::string& method) {
  const json::object& provider = Object(answer, "authProvider");
  if (Text(provider, "id").empty()) return modules::FailedApply("gitpod " + method + ": the answer has no authProvider.id");
  ApplyResponse response;
  response.id = Text(provider, "id");
  response.attributes = AttributesOf(provider, secret);
  response.pending = PendingOf(provider, settings);
  return response;
}

}  // namespace

ReadResponse AuthProviderType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GetAuthProvider", {{"authProviderId", request.id}});
  if (!answer.ok()) return modules::GoneOrFailedRead(answer.status());
  const json::object& provider = Object(*answer, "authProvider");
  if (Text(provider, "id").empty()) return modules::FailedRead("gitpod GetAuthProvider: the answer has no authProvider");
  ReadResponse response;
  auto prior = request.prior.find("client_secret");
  response.attributes = AttributesOf(provider, prior != request.prior.end() ? prior->second : Value::Sensitive(Value("")));
  response.pending = PendingOf(provider, api_.settings());
  return response;
}

provider::PlanResponse AuthProviderType::Plan(const provider::PlanRequest& request) {
  provider::PlanRequest filled = request;
  Value::Map& proposed = filled.proposed;
  if (IsNull(proposed, "organization_id") && IsNull(proposed, "owner_id") && !api_.settings().organization_id.empty())
    proposed["organization_id"] = Value(api_.settings().organization_id);
  if (auto host = proposed.find("host"); host != proposed.end() && host->second.is_string()) {
    Value bare(BareHost(host->second.as_string()));
    bare.MarkSensitive(host->second.sensitive());
    host->second = bare;
  }
  if (StringField(proposed, "type") == "bitbucket_server") {
    const Value host = proposed.count("host") ? proposed.at("host") : Value();
    for (auto [attribute, endpoint] : {std::pair{"authorization_url", "authorize"}, std::pair{"token_url", "token"}}) {
      if (!IsNull(proposed, attribute)) continue;
      Value url = host.is_string() ? Value(fmt::format("https://{}/rest/oauth2/latest/{}", host.as_string(), endpoint))
                                   : Value::UnknownValue();
      url.MarkSensitive(host.sensitive());
      proposed[attribute] = url;
    }
  }
  return provider::PlanBySchema(schema(), filled);
}

ApplyResponse AuthProviderType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request.id, request.planned, request.prior);
    case ApplyAction::kDelete:
      return modules::DeleteAnswer(api_.Call("DeleteAuthProvider", {{"authProviderId", request.id}}).status(), request.id);
  }
  return {};
}

ApplyResponse AuthProviderType::Create(const ApplyRequest& request) {
  const Value::Map& planned = request.planned;
  std::string secret = SecretToSend(planned);
  if (secret.empty())
    return modules::FailedApply("gitpod CreateAuthProvider: client_secret is not known (state keeps only its digest)");
  json::object message;
  SetOwner(message, planned, "organizationId", "ownerId");
  message["type"] = EnumOfType(StringField(planned, "type"));
  message["host"] = StringField(planned, "host");
  message["oauth2Config"] = json::object{{"clientId", StringField(planned, "client_id")},
                                         {"clientSecret", secret},
                                         {"authorizationUrl", StringField(planned, "authorization_url")},
                                         {"tokenUrl", StringField(planned, "token_url")}};
  auto answer = api_.Call("CreateAuthProvider", message, /*retry_safe=*/false);
  if (!answer.ok() && answer.status().IsAlreadyExists()) return AdoptExisting(request, answer.status());
  if (!answer.ok()) return modules::FailedCreate(answer.status());
  return Applied(*answer, SecretForState(secret, {}), api_.settings(), "CreateAuthProvider");
}

/// The (organization, host) pair is taken: the provider that holds it is ours to keep (a lost
/// answer, a lost state, or one made by hand); it is found through List and given our client.
ApplyResponse AuthProviderType::AdoptExisting(const ApplyRequest& request, const Status& conflict) {
  ImportResponse found = Find(request.planned);
  if (found.diagnostics.HasErrors() || !found.found)
    return modules::FailedApply(conflict.message() + "; and no provider for host \"" + StringField(request.planned, "host") +
                                "\" could be listed to adopt");
  return Update(found.id, request.planned, found.attributes);
}

ApplyResponse AuthProviderType::Update(const std::string& id, const Value::Map& planned, const Value::Map& prior) {
  const AttributeSchema& secret_attr = *schema().Find("client_secret");
  std::string secret = SecretToSend(planned);
  // An empty secret keeps the old one: sent only when it differs from what state recorded.
  auto recorded = prior.find("client_secret");
  if (recorded != prior.end() && AttributeValuesEqual(secret_attr, Value(secret), recorded->second)) secret.clear();
  json::object message{{"authProviderId", id}, {"clientId", StringField(planned, "client_id")}, {"clientSecret", secret}};
  auto answer = api_.Call("UpdateAuthProvider", message);
  if (!answer.ok()) return modules::FailedApply(answer.message());
  return Applied(*answer, SecretForState(secret, prior), api_.settings(), "UpdateAuthProvider");
}

ImportResponse AuthProviderType::Import(const std::string& id) {
  if (!LooksLikeUuid(id)) return Find({{"organization_id", Value(api_.settings().organization_id)}, {"host", Value(id)}});
  auto answer = api_.Call("GetAuthProvider", {{"authProviderId", id}});
  if (!answer.ok()) return answer.status().IsNotFound() ? ImportResponse{} : modules::FailedImport(answer.message());
  const json::object& provider = Object(*answer, "authProvider");
  // The secret is unknown until the config supplies it: an empty digest makes the first plan send it.
  return modules::FoundResponse(Text(provider, "id"), AttributesOf(provider, Value::Sensitive(Value(""))));
}

ImportResponse AuthProviderType::Find(const Value::Map& natural_key) {
  json::object message;
  SetOwner(message, natural_key, "organizationId", "userId");
  const std::string host = BareHost(StringField(natural_key, "host"));
  std::string token;
  for (int page = 0; page < kMaxPages; ++page) {
    json::object pagination{{"pageSize", kPageSize}};
    if (!token.empty()) pagination["token"] = token;
    message["pagination"] = pagination;
    auto answer = api_.Call("ListAuthProviders", message);
    if (!answer.ok()) return modules::FailedImport(answer.message());
    if (const auto* list = answer->if_contains("authProviders"); list && list->is_array())
      for (const auto& item : list->as_array())
        if (item.is_object() && BareHost(Text(item.as_object(), "host")) == host)
          return modules::FoundResponse(Text(item.as_object(), "id"),
                                        AttributesOf(item.as_object(), Value::Sensitive(Value(""))));
    token = Text(Object(*answer, "pagination"), "nextToken");
    if (token.empty()) break;
  }
  return {};
}

}  // namespace stashform::gitpod
