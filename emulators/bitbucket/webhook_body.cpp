// Parsing and rendering of RestWebhook (bitbucket-api.md §2.2, §2.3).
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/webhooks.h"

#include <algorithm>

namespace stashform::emulator {

const std::vector<std::string>& SubscribableEvents() {
  static const std::vector<std::string> events = {
      "repo:refs_changed",     "repo:modified",          "repo:forked",         "repo:comment:added",
      "repo:comment:edited",   "repo:comment:deleted",   "repo:secret_detected", "mirror:repo_synchronized",
      "project:modified",      "pr:opened",              "pr:from_ref_updated", "pr:modified",
      "pr:merged",             "pr:declined",            "pr:deleted",          "pr:reviewer:updated",
      "pr:reviewer:approved",  "pr:reviewer:unapproved", "pr:reviewer:needs_work", "pr:comment:added",
      "pr:comment:edited",     "pr:comment:deleted"};
  return events;
}

namespace {

bool IsSubscribable(const std::string& event) {
  const auto& events = SubscribableEvents();
  return std::find(events.begin(), events.end(), event) != events.end();
}

std::optional<Response> ReadEvents(const boost::json::object& body, Webhook& webhook) {
  const auto* events = body.if_contains("events");
  if (!events || events->is_null()) return std::nullopt;
  if (!events->is_array()) return ValidationError("events", "events must be a list of event keys.");
  for (const auto& event : events->as_array()) {
    if (!event.is_string()) return ValidationError("events", "events must be a list of event keys.");
    std::string key(event.as_string());
    // Real servers answer with the un-interpolated template (sic), see bitbucket-api.md §2.3.
    if (!IsSubscribable(key)) return ValidationError("events", "the event ${validatedValue} is unknown");
    if (std::find(webhook.events.begin(), webhook.events.end(), key) == webhook.events.end())
      webhook.events.push_back(key);
  }
  return std::nullopt;
}

std::optional<Response> ReadBool(const boost::json::object& body, const char* name, bool& target) {
  const auto* value = body.if_contains(name);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_bool()) return ValidationError(name, std::string(name) + " must be true or false.");
  target = value->as_bool();
  return std::nullopt;
}

std::optional<Response> ReadConfiguration(const boost::json::object& body, Webhook& webhook) {
  const auto* configuration = body.if_contains("configuration");
  // A PUT without configuration clears the secret: the object is replaced, not merged.
  if (!configuration || configuration->is_null()) return std::nullopt;
  if (!configuration->is_object())
    return ValidationError("configuration", "configuration must be an object of string values.");
  for (const auto& [key, value] : configuration->as_object()) {
    if (!value.is_string())
      return ValidationError("configuration", "configuration must be an object of string values.");
    webhook.configuration[key] = value;
  }
  return std::nullopt;
}

std::optional<Response> ReadCredentials(const boost::json::object& body, const Webhook* previous, Webhook& webhook) {
  const auto* credentials = body.if_contains("credentials");
  if (!credentials || credentials->is_null()) return std::nullopt;
  if (!credentials->is_object()) return ValidationError("credentials", "credentials must be an object.");
  const auto& object = credentials->as_object();
  WebhookCredentials read;
  const auto* username = object.if_contains("username");
  const auto* password = object.if_contains("password");
  if (username && !username->is_null()) {
    if (!username->is_string()) return ValidationError("credentials.username", "username must be a string.");
    read.username = std::string(username->as_string());
  }
  if (password && !password->is_null()) {
    if (!password->is_string()) return ValidationError("credentials.password", "password must be a string.");
    read.password = std::string(password->as_string());
  } else if (previous && previous->credentials && previous->credentials->username == read.username) {
    // Sending the username alone keeps the stored password (live-tested, §2.3).
    read.password = previous->credentials->password;
  }
  if (read.username.empty() && read.password.empty()) return std::nullopt;
  webhook.credentials = read;
  return std::nullopt;
}

std::optional<Response> ReadRequiredString(const boost::json::object& body, const char* name, std::size_t max_size,
                                           std::string& target, const std::string& message) {
  const auto* value = body.if_contains(name);
  if (!value || !value->is_string() || value->as_string().empty() || value->as_string().size() > max_size)
    return ValidationError(name, message);
  target = std::string(value->as_string());
  return std::nullopt;
}

}  // namespace

std::variant<Webhook, Response> ParseWebhookBody(const boost::json::value& body, const Webhook* previous) {
  if (!body.is_object()) return ErrorResponse(400, "The request body must be a JSON object.");
  const auto& object = body.as_object();
  Webhook webhook;
  if (auto error = ReadRequiredString(object, "name", 255, webhook.name, "The name should be between 1 and 255 characters."))
    return *error;
  if (auto error = ReadRequiredString(object, "url", 2048, webhook.url, "A URL is required for the webhook.")) return *error;
  if (webhook.url.rfind("http://", 0) != 0 && webhook.url.rfind("https://", 0) != 0)
    return ValidationError("url", "The URL must use http or https.");
  if (auto error = ReadEvents(object, webhook)) return *error;
  if (auto error = ReadBool(object, "active", webhook.active)) return *error;
  if (auto error = ReadBool(object, "sslVerificationRequired", webhook.ssl_verification_required)) return *error;
  if (auto error = ReadConfiguration(object, webhook)) return *error;
  if (auto error = ReadCredentials(object, previous, webhook)) return *error;
  return webhook;
}

boost::json::object WebhookJson(const Webhook& webhook, const WebhookView& view) {
  boost::json::object json;
  json["id"] = webhook.id;
  json["name"] = webhook.name;
  json["createdDate"] = webhook.created_date;
  json["updatedDate"] = webhook.updated_date;
  boost::json::array events;
  for (const auto& event : webhook.events) events.push_back(boost::json::string(event));
  json["events"] = events;
  boost::json::object configuration = webhook.configuration;
  if (view.redact_secret && configuration.contains("secret")) configuration["secret"] = "********";
  json["configuration"] = configuration;
  json["url"] = webhook.url;
  json["active"] = webhook.active;
  json["scopeType"] = webhook.scope_type;
  json["sslVerificationRequired"] = webhook.ssl_verification_required;
  if (webhook.credentials) {
    boost::json::object credentials{{"username", webhook.credentials->username}};
    if (view.reveal_password) credentials["password"] = webhook.credentials->password;
    json["credentials"] = credentials;
  }
  if (view.scope_details) {
    boost::json::object scope{{"type", webhook.scope_type}, {"projectKey", webhook.project_key}};
    if (!webhook.repository_slug.empty()) scope["repositorySlug"] = webhook.repository_slug;
    json["scope"] = scope;
  }
  return json;
}

}  // namespace stashform::emulator
