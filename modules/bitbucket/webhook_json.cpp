#include "modules/bitbucket/webhook_json.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "modules/bitbucket/api.h"
#include "modules/bitbucket/events.h"
#include "modules/bitbucket/resource_util.h"
#include "base/digest.h"

namespace stashform::bitbucket {

namespace json = boost::json;

namespace {

bool LooksRedacted(const std::string& secret) {
  return !secret.empty() && secret.find_first_not_of('*') == std::string::npos;
}

Value PriorOr(const Value::Map& prior, const std::string& key, Value fallback) {
  auto it = prior.find(key);
  return it != prior.end() && !it->second.is_null() ? it->second : fallback;
}

Value::List Events(const json::object& o) {
  Value::List events;
  if (auto* list = o.if_contains("events"); list && list->is_array())
    for (const auto& e : list->as_array())
      if (e.is_string()) events.emplace_back(std::string(e.as_string()));
  return events;
}

Value SecretFromJson(const json::object& o, const Value::Map& prior) {
  std::string secret;
  if (auto* config = o.if_contains("configuration"); config && config->is_object())
    if (auto* s = config->as_object().if_contains("secret"); s && s->is_string()) secret = std::string(s->as_string());
  if (LooksRedacted(secret)) return PriorOr(prior, "secret", Value::Sensitive(Value("")));
  return Value::Sensitive(Value(secret.empty() ? "" : SecretDigest(secret)));
}

}  // namespace

bool SecretHidden(const json::value& hook) {
  const json::object* o = hook.if_object();
  const json::value* config = o ? o->if_contains("configuration") : nullptr;
  const json::value* secret = config && config->is_object() ? config->as_object().if_contains("secret") : nullptr;
  return secret && secret->is_string() && LooksRedacted(std::string(secret->as_string()));
}

const std::vector<std::string>& WebhookScopeKeys(WebhookScope scope) {
  static const std::vector<std::string> kRepository = {"project", "repository"};
  static const std::vector<std::string> kProject = {"project"};
  return scope == WebhookScope::kRepository ? kRepository : kProject;
}

ResourceSchema MakeWebhookSchema(WebhookScope scope, std::string type, std::string description) {
  ResourceSchema s;
  s.type = std::move(type);
  s.server_type = "bitbucket.server";
  s.description = std::move(description);
  auto project = MakeAttribute("project", AttrType::kString, AttrMode::kRequired, "Project key, e.g. INFRA.");
  project.force_new = true;
  s.attributes.push_back(project);
  if (scope == WebhookScope::kRepository) {
    auto repository = MakeAttribute("repository", AttrType::kString, AttrMode::kRequired, "Repository slug.");
    repository.force_new = true;
    s.attributes.push_back(repository);
  }
  s.natural_key = WebhookScopeKeys(scope);
  s.natural_key.insert(s.natural_key.end(), {"name", "url"});
  auto url = MakeAttribute("url", AttrType::kString, AttrMode::kRequired, "Where Bitbucket POSTs events.");
  url.check = CheckHttpUrl;
  auto events = MakeAttribute("events", AttrType::kStringSet, AttrMode::kRequired, "Event keys; a set.");
  events.allowed = WebhookEventKeys();
  auto active = MakeAttribute("active", AttrType::kBool, AttrMode::kOptional, "Whether events are delivered.");
  active.default_value = Value(true);
  auto secret = MakeAttribute("secret", AttrType::kString, AttrMode::kOptional,
                     "HMAC key for X-Hub-Signature; kept in state only as a digest.");
  secret.sensitive = true;
  secret.write_only = true;
  auto username = MakeAttribute("credentials_username", AttrType::kString, AttrMode::kOptional,
                       "User for the Basic auth Bitbucket sends with each delivery.");
  auto password = MakeAttribute("credentials_password", AttrType::kString, AttrMode::kOptional,
                       "Password for that Basic auth; never returned by the server, kept as a digest.");
  password.sensitive = true;
  password.write_only = true;
  auto ssl = MakeAttribute("ssl_verification_required", AttrType::kBool, AttrMode::kOptional,
                  "Whether Bitbucket verifies the receiver's TLS certificate.");
  ssl.default_value = Value(true);
  auto name = MakeAttribute("name", AttrType::kString, AttrMode::kRequired, "Webhook name, 1 to 255 characters.");
  name.check = BitbucketText();  // the emulator answers 400 "The name should be between 1 and 255 characters."
  for (auto& attr : {name, url, events, active,
                     secret, username, password, ssl,
                     MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Bitbucket's webhook id.")})
    s.attributes.push_back(attr);
  return s;
}

std::string WebhooksPath(WebhookScope scope, const Value::Map& attributes) {
  std::string path = "/rest/api/1.0/projects/" + PathSegment(StringField(attributes, "project"));
  if (scope == WebhookScope::kRepository) path += "/repos/" + PathSegment(StringField(attributes, "repository"));
  return path + "/webhooks";
}

Value::Map WebhookFromJson(WebhookScope scope, const Value::Map& where, const json::value& hook,
                           const Value::Map& prior) {
  Value::Map out;
  const json::object& o = hook.as_object();
  for (const auto& key : WebhookScopeKeys(scope)) out[key] = Value(StringField(where, key));
  out["id"] = Value(JsonId(hook));
  if (auto* name = o.if_contains("name"); name && name->is_string()) out["name"] = Value(std::string(name->as_string()));
  if (auto* url = o.if_contains("url"); url && url->is_string()) out["url"] = Value(std::string(url->as_string()));
  out["events"] = Value(Events(o));
  auto* active = o.if_contains("active");
  out["active"] = Value(active && active->is_bool() ? active->as_bool() : true);
  // Servers older than 7.x do not report the flag; what we last sent is then the truth.
  if (auto* ssl = o.if_contains("sslVerificationRequired"); ssl && ssl->is_bool())
    out["ssl_verification_required"] = Value(ssl->as_bool());
  else
    out["ssl_verification_required"] = PriorOr(prior, "ssl_verification_required", Value(true));
  out["secret"] = SecretFromJson(o, prior);
  const json::value* credentials = o.if_contains("credentials");
  std::string username = credentials ? JsonString(*credentials, "username") : "";
  out["credentials_username"] = username.empty() ? Value() : Value(username);
  // The password is never returned: while the server still has a username, trust the digest we sent.
  out["credentials_password"] = username.empty() ? Value::Sensitive(Value(""))
                                                 : PriorOr(prior, "credentials_password", Value::Sensitive(Value("")));
  return out;
}

json::value WebhookToJson(const Value::Map& planned) {
  json::object body;
  body["name"] = StringField(planned, "name");
  body["url"] = StringField(planned, "url");
  json::array events;
  if (auto it = planned.find("events"); it != planned.end())
    for (const auto& e : it->second.StringItems()) events.emplace_back(e);
  body["events"] = std::move(events);
  body["active"] = BoolAttr(planned, "active", true);
  body["sslVerificationRequired"] = BoolAttr(planned, "ssl_verification_required", true);
  // Bitbucket clears the secret when a PUT has no configuration, so always send it when set.
  std::string secret = StringField(planned, "secret");
  if (!secret.empty()) body["configuration"] = json::object{{"secret", secret}};
  // Omitting credentials removes them; a username alone keeps the stored password.
  std::string username = StringField(planned, "credentials_username");
  std::string password = StringField(planned, "credentials_password");
  if (!username.empty()) {
    json::object credentials{{"username", username}};
    if (!password.empty() && !IsSecretDigest(password)) credentials["password"] = password;
    body["credentials"] = std::move(credentials);
  }
  return body;
}

void RecordSentSecrets(const ResourceSchema& schema, const Value::Map& planned, const Value::Map& prior,
                       Value::Map& attributes) {
  for (const char* key : {"secret", "credentials_password"}) {
    auto it = planned.find(key);
    std::string sent = it == planned.end() || !it->second.is_string() ? "" : it->second.as_string();
    // A password left out of the body is the one the server already had.
    if (IsSecretDigest(sent) || (sent.empty() && std::string(key) == "credentials_password" &&
                                 !StringField(planned, "credentials_username").empty())) {
      attributes[key] = PriorOr(prior, key, Value::Sensitive(Value(sent)));
      continue;
    }
    attributes[key] = ValueForState(*schema.Find(key), Value(sent));
  }
}

}  // namespace stashform::bitbucket
