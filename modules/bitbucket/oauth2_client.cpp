#include "modules/bitbucket/oauth2_client.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <set>
#include <sstream>

#include "modules/bitbucket/resource_util.h"

namespace stashform::bitbucket {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

// ---- Wire mapping: our best reading of an UNCONFIRMED API (bitbucket-api.md §4.2). ----
// Request  {"name", "scope": "REPO_READ PUBLIC_REPOS", "redirects": ["https://…"]}
// Answer   {"id", "clientId", "clientSecret" (create only relied upon), "name", "redirects", "scope", …}
// scope is read as a space- or comma-separated string or as an array; the client id as "clientId"
// or else "id"; the listing as a JSON array or a page.
const char kClientsPath[] = "/rest/oauth2/latest/client";

json::value ClientToJson(const Value::Map& planned) {
  std::string scope;
  for (const auto& s : ListAttr(planned, "scope")) scope += (scope.empty() ? "" : " ") + s;
  json::array redirects;
  for (const auto& url : ListAttr(planned, "redirect_urls")) redirects.emplace_back(url);
  return json::object{{"name", StringField(planned, "name")}, {"scope", scope}, {"redirects", std::move(redirects)}};
}

std::string ClientId(const json::value& client) {
  std::string id = JsonId(client, "clientId");
  return id.empty() ? JsonId(client, "id") : id;
}

Value::List Words(const json::value* scope) {
  Value::List out;
  if (scope && scope->is_array()) {
    for (const auto& s : scope->as_array())
      if (s.is_string()) out.emplace_back(std::string(s.as_string()));
  } else if (scope && scope->is_string()) {
    std::string text(scope->as_string());
    for (char& c : text)
      if (c == ',') c = ' ';
    std::istringstream words(text);
    for (std::string word; words >> word;) out.emplace_back(word);
  }
  return out;
}

Value::Map ClientFromJson(const json::value& client) {
  const json::object& o = client.as_object();
  Value::Map out{{"name", Value(JsonString(client, "name"))}, {"client_id", Value(ClientId(client))}};
  out["scope"] = Value(Words(o.if_contains("scope")));
  Value::List redirects;
  if (const auto* list = o.if_contains("redirects"); list && list->is_array())
    for (const auto& url : list->as_array())
      if (url.is_string()) redirects.emplace_back(std::string(url.as_string()));
  out["redirect_urls"] = Value(std::move(redirects));
  return out;
}
// ---- End of the wire mapping. ----

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "bitbucket.oauth2_client";
  s.server_type = "bitbucket.server";
  s.description = "An OAuth 2.0 incoming link: Bitbucket issues a client id and secret to an external application.";
  s.natural_key = {"name"};
  auto redirects = MakeAttribute("redirect_urls", AttrType::kStringList, AttrMode::kRequired,
                        "Where Bitbucket may send the authorization code.");
  redirects.check = [](const Value& value) -> std::string {
    for (const auto& url : value.StringItems())
      if (auto message = CheckHttpUrl(Value(url)); !message.empty()) return message;
    return "";
  };
  auto scope = MakeAttribute("scope", AttrType::kStringSet, AttrMode::kRequired, "Scopes the application may ask for.");
  scope.allowed = {"PUBLIC_REPOS", "REPO_READ", "REPO_WRITE", "REPO_ADMIN", "PROJECT_ADMIN",
                   "ACCOUNT_WRITE", "ADMIN_WRITE", "SYSTEM_ADMIN"};
  auto secret = MakeAttribute("client_secret", AttrType::kString, AttrMode::kComputed,
                     "The client secret; from the create answer, kept as private sensitive state.");
  secret.sensitive = true;
  secret.create_answer_only = true;
  secret.held_by = "the application that authenticates with this client secret";
  s.attributes = {MakeAttribute("name", AttrType::kString, AttrMode::kRequired, "Application name."), redirects, scope,
                  MakeAttribute("client_id", AttrType::kString, AttrMode::kComputed, "The client id Bitbucket issued."),
                  secret};
  return s;
}

}  // namespace

const ResourceSchema& OAuth2ClientSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

ReadResponse OAuth2ClientType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GET", std::string(kClientsPath) + "/" + PathSegment(request.id));
  if (!answer.ok()) return GoneOrFailedRead(answer.status());
  if (!answer->body.is_object()) return FailedRead(fmt::format("GET {}/{}: answer is not a client", kClientsPath, request.id));
  ReadResponse response;
  response.attributes = ClientFromJson(answer->body);
  return response;
}

provider::PlanResponse OAuth2ClientType::Plan(const provider::PlanRequest& request) {
  return PlanWithPrivateAttributes(schema(), request, {"client_secret"});
}

ApplyResponse OAuth2ClientType::Apply(const ApplyRequest& request) {
  return request.action == ApplyAction::kDelete ? Delete(request) : Write(request);
}

ApplyResponse OAuth2ClientType::Write(const ApplyRequest& request) {
  const bool creating = request.action == ApplyAction::kCreate;
  const std::string path = creating ? kClientsPath : std::string(kClientsPath) + "/" + PathSegment(request.id);
  json::value body = ClientToJson(request.planned);
  auto answer = api_.Call(creating ? "POST" : "PUT", path, &body, /*retry_safe=*/!creating);
  if (!answer.ok()) return creating ? FailedCreate(answer.status()) : FailedApply(answer.message());
  if (!answer->body.is_object() || ClientId(answer->body).empty())
    return FailedApply(fmt::format("{} {}: answer has no client id", creating ? "POST" : "PUT", path));
  ApplyResponse response;
  response.id = ClientId(answer->body);
  response.attributes = ClientFromJson(answer->body);
  if (creating) {
    std::string secret = JsonString(answer->body, "clientSecret");
    if (secret.empty()) return FailedApply("POST " + path + ": answer has no client secret");
    response.private_data["client_secret"] = Value::Sensitive(Value(secret));
  }
  return response;
}

ApplyResponse OAuth2ClientType::Delete(const ApplyRequest& request) {
  return DeleteObject(api_, std::string(kClientsPath) + "/" + PathSegment(request.id), request.id);
}

Result<std::vector<json::value>> OAuth2ClientType::ListClients() {
  auto answer = api_.Call("GET", kClientsPath);
  if (!answer.ok()) return answer.status();
  if (answer->body.is_array()) return std::vector<json::value>(answer->body.as_array().begin(), answer->body.as_array().end());
  return api_.ListAll(kClientsPath);
}

ImportResponse OAuth2ClientType::Find(const Value::Map& natural_key) {
  auto clients = ListClients();
  if (!clients.ok()) return FailedImport(clients.message());
  const std::string key = StringField(natural_key, "name");
  ImportResponse response;
  for (const auto& client : *clients) {
    if (!client.is_object() || (ClientId(client) != key && JsonString(client, "name") != key)) continue;
    if (response.found) return FailedImport(fmt::format("several OAuth 2.0 clients are named \"{}\"; import one by its client id", key));
    response.found = true;
    response.id = ClientId(client);
    response.attributes = ClientFromJson(client);
  }
  return response;
}

std::vector<provider::FoundObjects> OAuth2ClientType::FindMany(const std::vector<Value::Map>& natural_keys) {
  std::vector<provider::FoundObjects> answers(natural_keys.size());
  auto clients = ListClients();
  for (size_t i = 0; i < natural_keys.size(); ++i) {
    if (!clients.ok()) {
      answers[i].diagnostics.Error({}, "", clients.message());
      continue;
    }
    // The listing keeps the server's creation order: oldest first.
    for (const auto& client : *clients)
      if (client.is_object() && JsonString(client, "name") == StringField(natural_keys[i], "name"))
        answers[i].objects.push_back(FoundResponse(ClientId(client), ClientFromJson(client)));
  }
  return answers;
}

std::vector<provider::UnmanagedObject> OAuth2ClientType::ListUnmanaged(const std::vector<ReadRequest>& managed,
                                                                       Diagnostics& diagnostics) {
  std::set<std::string> ids;
  for (const auto& request : managed) ids.insert(request.id);
  auto clients = ListClients();
  if (!clients.ok()) {
    diagnostics.Error({}, "", clients.message());
    return {};
  }
  std::vector<provider::UnmanagedObject> found;
  for (const auto& client : *clients) {
    if (!client.is_object() || ids.count(ClientId(client))) continue;
    found.push_back({ClientId(client), fmt::format("OAuth 2.0 client \"{}\"", JsonString(client, "name")),
                     ClientFromJson(client)});
  }
  return found;
}

ImportResponse OAuth2ClientType::Import(const std::string& id) {
  return NotFoundIsError(Find({{"name", Value(id)}}), schema().type, id, "no client with that id or name");
}

}  // namespace stashform::bitbucket
