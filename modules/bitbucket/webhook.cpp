#include "modules/bitbucket/webhook.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "modules/bitbucket/events.h"
#include "reconciler/base/digest.h"

namespace stashform::bitbucket {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

std::string CheckUrl(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& url = value.as_string();
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) return "";
  return "expected an http:// or https:// URL, got " + value.Render();
}

AttributeSchema Attr(std::string name, AttrType type, AttrMode mode, std::string description) {
  AttributeSchema attr;
  attr.name = std::move(name);
  attr.type = type;
  attr.mode = mode;
  attr.description = std::move(description);
  return attr;
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "bitbucket.webhook";
  s.server_type = "bitbucket.server";
  s.description = "A webhook on one repository.";
  s.natural_key = {"project", "repository", "name", "url"};
  auto project = Attr("project", AttrType::kString, AttrMode::kRequired, "Project key, e.g. INFRA.");
  project.force_new = true;
  auto repository = Attr("repository", AttrType::kString, AttrMode::kRequired, "Repository slug.");
  repository.force_new = true;
  auto url = Attr("url", AttrType::kString, AttrMode::kRequired, "Where Bitbucket POSTs events.");
  url.check = CheckUrl;
  auto events = Attr("events", AttrType::kStringSet, AttrMode::kRequired, "Event keys; a set.");
  events.allowed = WebhookEventKeys();
  auto active = Attr("active", AttrType::kBool, AttrMode::kOptional, "Whether events are delivered.");
  active.default_value = Value(true);
  auto secret = Attr("secret", AttrType::kString, AttrMode::kOptional,
                     "HMAC key for X-Hub-Signature; kept in state only as a digest.");
  secret.sensitive = true;
  secret.write_only = true;
  auto ssl = Attr("ssl_verification_required", AttrType::kBool, AttrMode::kOptional,
                  "Whether Bitbucket verifies the receiver's TLS certificate.");
  ssl.default_value = Value(true);
  s.attributes = {project, repository,
                  Attr("name", AttrType::kString, AttrMode::kRequired, "Webhook name."),
                  url, events, active, secret, ssl,
                  Attr("id", AttrType::kString, AttrMode::kComputed, "Bitbucket's webhook id.")};
  return s;
}

std::string StringAttr(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it != map.end() && it->second.is_string() ? it->second.as_string() : "";
}

std::string WebhooksPath(const std::string& project, const std::string& repository) {
  return fmt::format("/rest/api/1.0/projects/{}/repos/{}/webhooks", PathSegment(project), PathSegment(repository));
}

std::string WebhooksPath(const Value::Map& attributes) {
  return WebhooksPath(StringAttr(attributes, "project"), StringAttr(attributes, "repository"));
}

std::string JsonId(const json::value& object) {
  const json::value* id = object.is_object() ? object.as_object().if_contains("id") : nullptr;
  if (!id) return "";
  if (id->is_int64()) return std::to_string(id->as_int64());
  if (id->is_uint64()) return std::to_string(id->as_uint64());
  if (id->is_string()) return std::string(id->as_string());
  return "";
}

bool LooksRedacted(const std::string& secret) {
  return !secret.empty() && secret.find_first_not_of('*') == std::string::npos;
}

ReadResponse Gone() {
  ReadResponse response;
  response.gone = true;
  return response;
}

ReadResponse Failed(const std::string& message) {
  ReadResponse response;
  response.diagnostics.Error({}, "", message);
  return response;
}

Value SecretForState(const Value::Map& planned) {
  auto it = planned.find("secret");
  return ValueForState(*WebhookSchema().Find("secret"), it == planned.end() || it->second.is_null() ? Value("") : it->second);
}

bool IsNotFound(const Status& status) { return status.message().find(": 404") != std::string::npos; }

}  // namespace

const ResourceSchema& WebhookSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Value::Map WebhookFromJson(const std::string& project, const std::string& repository, const json::value& hook,
                           const Value::Map& prior) {
  Value::Map out;
  const json::object& o = hook.as_object();
  out["project"] = Value(project);
  out["repository"] = Value(repository);
  out["id"] = Value(JsonId(hook));
  if (auto* name = o.if_contains("name"); name && name->is_string()) out["name"] = Value(std::string(name->as_string()));
  if (auto* url = o.if_contains("url"); url && url->is_string()) out["url"] = Value(std::string(url->as_string()));
  Value::List events;
  if (auto* list = o.if_contains("events"); list && list->is_array())
    for (const auto& e : list->as_array())
      if (e.is_string()) events.emplace_back(std::string(e.as_string()));
  out["events"] = Value(std::move(events));
  auto* active = o.if_contains("active");
  out["active"] = Value(active && active->is_bool() ? active->as_bool() : true);
  // Servers older than 7.x do not report the flag; what we last sent is then the truth.
  if (auto* ssl = o.if_contains("sslVerificationRequired"); ssl && ssl->is_bool())
    out["ssl_verification_required"] = Value(ssl->as_bool());
  else if (auto it = prior.find("ssl_verification_required"); it != prior.end())
    out["ssl_verification_required"] = it->second;
  else
    out["ssl_verification_required"] = Value(true);
  std::string secret;
  if (auto* config = o.if_contains("configuration"); config && config->is_object())
    if (auto* s = config->as_object().if_contains("secret"); s && s->is_string()) secret = std::string(s->as_string());
  if (LooksRedacted(secret)) {
    auto it = prior.find("secret");
    out["secret"] = it != prior.end() ? it->second : Value::Sensitive(Value(""));
  } else {
    out["secret"] = Value::Sensitive(Value(secret.empty() ? "" : SecretDigest(secret)));
  }
  return out;
}

json::value WebhookToJson(const Value::Map& planned) {
  json::object body;
  body["name"] = StringAttr(planned, "name");
  body["url"] = StringAttr(planned, "url");
  json::array events;
  if (auto it = planned.find("events"); it != planned.end())
    for (const auto& e : it->second.StringItems()) events.emplace_back(e);
  body["events"] = std::move(events);
  auto active = planned.find("active");
  body["active"] = active == planned.end() || !active->second.is_bool() || active->second.as_bool();
  auto ssl = planned.find("ssl_verification_required");
  body["sslVerificationRequired"] = ssl == planned.end() || !ssl->second.is_bool() || ssl->second.as_bool();
  // Bitbucket clears the secret when a PUT has no configuration, so always send it when set.
  std::string secret = StringAttr(planned, "secret");
  if (!secret.empty()) body["configuration"] = json::object{{"secret", secret}};
  return body;
}

ReadResponse WebhookType::Read(const ReadRequest& request) {
  return ReadMany({request}).front();
}

std::vector<ReadResponse> WebhookType::ReadMany(const std::vector<ReadRequest>& requests) {
  // One paged listing per repository serves every webhook recorded on it.
  std::map<std::string, std::vector<size_t>> by_repository;
  for (size_t i = 0; i < requests.size(); ++i) by_repository[WebhooksPath(requests[i].prior)].push_back(i);
  std::vector<ReadResponse> responses(requests.size());
  for (const auto& [path, indexes] : by_repository) {
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      for (size_t i : indexes) responses[i] = IsNotFound(listing.status()) ? Gone() : Failed(listing.message());
      continue;
    }
    std::map<std::string, const json::value*> by_id;
    for (const auto& hook : *listing)
      if (hook.is_object()) by_id[JsonId(hook)] = &hook;
    for (size_t i : indexes) {
      const auto& request = requests[i];
      auto found = by_id.find(request.id);
      if (found == by_id.end()) {
        responses[i].gone = true;
        continue;
      }
      responses[i].attributes = WebhookFromJson(StringAttr(request.prior, "project"),
                                                StringAttr(request.prior, "repository"), *found->second,
                                                request.prior);
    }
  }
  return responses;
}

ApplyResponse WebhookType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request);
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse WebhookType::Create(const ApplyRequest& request) {
  ApplyResponse response;
  json::value body = WebhookToJson(request.planned);
  // A create is never blindly retried: a lost answer may hide a webhook that now exists.
  auto answer = api_.Call("POST", WebhooksPath(request.planned), &body, /*retry_safe=*/false);
  if (!answer.ok()) {
    response.diagnostics.Error({}, "", answer.message());
    return response;
  }
  response.id = JsonId(answer->body);
  if (response.id.empty()) {
    response.diagnostics.Error({}, "", "POST " + WebhooksPath(request.planned) + ": answer has no webhook id");
    return response;
  }
  // The create answer does not reliably echo the secret, so record what was sent.
  response.attributes = WebhookFromJson(StringAttr(request.planned, "project"),
                                        StringAttr(request.planned, "repository"), answer->body, {});
  response.attributes["secret"] = SecretForState(request.planned);
  return response;
}

ApplyResponse WebhookType::Update(const ApplyRequest& request) {
  ApplyResponse response;
  json::value body = WebhookToJson(request.planned);
  std::string path = WebhooksPath(request.planned) + "/" + PathSegment(request.id);
  auto answer = api_.Call("PUT", path, &body);
  if (!answer.ok()) {
    response.diagnostics.Error({}, "", answer.message());
    return response;
  }
  response.id = request.id;
  response.attributes = WebhookFromJson(StringAttr(request.planned, "project"),
                                        StringAttr(request.planned, "repository"), answer->body, {});
  response.attributes["secret"] = SecretForState(request.planned);
  return response;
}

ApplyResponse WebhookType::Delete(const ApplyRequest& request) {
  ApplyResponse response;
  auto answer = api_.Call("DELETE", WebhooksPath(request.prior) + "/" + PathSegment(request.id));
  // Already gone is what a delete wants.
  if (!answer.ok() && !IsNotFound(answer.status())) response.diagnostics.Error({}, "", answer.message());
  response.id = request.id;
  return response;
}

ImportResponse WebhookType::Import(const std::string& id) {
  // "PROJECT/repo/123" adopts by id; "PROJECT/repo/name" by name (the only webhook of that name).
  ImportResponse response;
  auto first = id.find('/');
  auto second = first == std::string::npos ? std::string::npos : id.find('/', first + 1);
  if (second == std::string::npos) {
    response.diagnostics.Error({}, "", "webhook import id \"" + id + "\": expected PROJECT/repository/ID or PROJECT/repository/NAME");
    return response;
  }
  std::string project = id.substr(0, first), repository = id.substr(first + 1, second - first - 1);
  std::string key = id.substr(second + 1);
  auto listing = api_.ListAll(WebhooksPath(project, repository));
  if (!listing.ok()) {
    response.diagnostics.Error({}, "", listing.message());
    return response;
  }
  int matches = 0;
  for (const auto& hook : *listing) {
    Value::Map attributes = WebhookFromJson(project, repository, hook, {});
    if (JsonId(hook) != key && StringAttr(attributes, "name") != key) continue;
    ++matches;
    response.found = true;
    response.id = JsonId(hook);
    response.attributes = std::move(attributes);
  }
  if (matches > 1) {
    response.found = false;
    response.diagnostics.Error({}, "", fmt::format("{} webhooks on {}/{} are named \"{}\"; import one by its id",
                                                   matches, project, repository, key));
  }
  return response;
}

ImportResponse WebhookType::Find(const Value::Map& natural_key) {
  ImportResponse response;
  auto listing = api_.ListAll(WebhooksPath(natural_key));
  if (!listing.ok()) {
    if (!IsNotFound(listing.status())) response.diagnostics.Error({}, "", listing.message());
    return response;
  }
  for (const auto& hook : *listing) {
    Value::Map attributes = WebhookFromJson(StringAttr(natural_key, "project"),
                                            StringAttr(natural_key, "repository"), hook, {});
    if (StringAttr(attributes, "name") == StringAttr(natural_key, "name") &&
        StringAttr(attributes, "url") == StringAttr(natural_key, "url")) {
      response.found = true;
      response.id = JsonId(hook);
      response.attributes = std::move(attributes);
      return response;
    }
  }
  return response;
}

}  // namespace stashform::bitbucket
