#include "modules/spacelift/integration.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cctype>

#include "modules/spacelift/common.h"
#include "modules/spacelift/documents.h"
#include "base/attribute_checks.h"
#include "base/digest.h"

namespace stashform::spacelift {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

const Operation kCreate{true, "BitbucketDatacenterIntegrationCreate", "bitbucketDatacenterIntegrationCreate",
                        documents::kIntegrationCreate, /*retry_safe=*/false};
const Operation kRead{false, "BitbucketDatacenterIntegrationRead", "bitbucketDatacenterIntegration",
                      documents::kIntegrationRead};
const Operation kUpdate{true, "BitbucketDatacenterIntegrationUpdate", "bitbucketDatacenterIntegrationUpdate",
                        documents::kIntegrationUpdate};
const Operation kDelete{true, "BitbucketDatacenterIntegrationDelete", "bitbucketDatacenterIntegrationDelete",
                        documents::kIntegrationDelete};

// The id is the slug of the name (spacelift-graphql.md §1, "the integration id is the slug of
// name"): a name with no letter or digit has an empty slug, an id no later read can find.
std::string CheckIntegrationName(const Value& value) {
  if (!value.is_string()) return "";
  if (std::string problem = TextOfLength(1, 255, "Spacelift")(value); !problem.empty()) return problem;
  if (Slugify(value.as_string()).empty())
    return "has no letter or digit, so its slug (the integration's id) would be empty (name it with letters or digits)";
  return "";
}

// Space ids are slugs: "root", "legacy" or name-ULID (spacelift-graphql.md §1.1, `space_id`
// default `root`); anything else is refused by the create with "space not found".
std::string CheckSpaceId(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& id = value.as_string();
  if (id.empty()) return "must not be empty: use \"root\" for the root space";
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '-' && c != '_')
      return "\"" + id + "\" is not a space id (letters, digits, - and _ only, such as \"root\" or \"team-01H...\")";
  return "";
}

// api_host may name a VCS agent pool instead of a URL: `private://<pool>` (platforms.md §1.1).
std::string CheckApiHost(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& host = value.as_string();
  if (host.rfind("private://", 0) == 0)
    return host.size() > 10 ? "" : "\"private://\" needs the VCS agent pool's name after it";
  return CheckAbsoluteHttpUrl(value);
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "spacelift.bitbucket_datacenter_integration";
  s.server_type = "spacelift.account";
  s.description = "A Bitbucket Data Center integration of a Spacelift account.";
  s.natural_key = {"name"};
  s.identity = {"name"};  // the id is the slug of the name
  auto name = MakeAttribute("name", AttrType::kString, AttrMode::kRequired,
                   "Integration name; its slug is the id, and the webhook URL derives from it.");
  name.force_new = true;
  name.check = CheckIntegrationName;
  auto is_default = MakeAttribute("is_default", AttrType::kBool, AttrMode::kOptional,
                         "The account's default integration (at most one); cannot change in place.");
  is_default.force_new = true;
  is_default.default_value = Value(false);
  auto space = MakeAttribute("space", AttrType::kString, AttrMode::kOptional, "Space id.");
  space.default_value = Value("root");
  space.check = CheckSpaceId;
  auto labels = MakeAttribute("labels", AttrType::kStringSet, AttrMode::kOptional, "Labels; a set.");
  labels.default_value = Value(Value::List{});
  labels.check = EachItem(TextOfLength(1, 255, "Spacelift"));  // "optional set of non-empty strings" (platforms.md §1.1)
  auto description = MakeAttribute("description", AttrType::kString, AttrMode::kOptional, "Markdown description.");
  description.default_value = Value("");
  auto token = MakeAttribute("access_token", AttrType::kString, AttrMode::kRequired,
                    "Bitbucket HTTP access token of username; never read back, compared by digest.");
  token.sensitive = true;
  token.write_only = true;
  auto checks = MakeAttribute("vcs_checks", AttrType::kString, AttrMode::kOptional, "How commit statuses are reported.");
  checks.default_value = Value("INDIVIDUAL");
  checks.allowed = {"INDIVIDUAL", "AGGREGATED", "ALL"};
  auto secret = MakeAttribute("webhook_secret", AttrType::kString, AttrMode::kComputed,
                     "Secret Bitbucket webhooks must sign with; new at every create.");
  secret.sensitive = true;
  auto api_host = MakeAttribute("api_host", AttrType::kString, AttrMode::kRequired,
                                "Bitbucket URL Spacelift calls, or private://<vcs agent pool>.");
  api_host.check = CheckApiHost;
  auto user_facing_host = MakeAttribute("user_facing_host", AttrType::kString, AttrMode::kRequired, "Bitbucket URL users see.");
  user_facing_host.check = CheckAbsoluteHttpUrl;
  auto username = MakeAttribute("username", AttrType::kString, AttrMode::kRequired, "Bitbucket user owning the token.");
  username.check = TextOfLength(1, 255, "Bitbucket");
  s.attributes = {name, is_default, space, labels, description, api_host, user_facing_host, username,
                  token, checks,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Spacelift's id (the slug of name)."),
                  MakeAttribute("webhook_url", AttrType::kString, AttrMode::kComputed, "Where Bitbucket webhooks POST."),
                  secret};
  return s;
}

json::value Labels(const Value::Map& planned) {
  auto it = planned.find("labels");
  std::vector<std::string> items = it == planned.end() ? std::vector<std::string>{} : it->second.StringItems();
  if (items.empty()) return nullptr;  // as the provider sends an empty set
  json::array labels;
  for (const auto& label : items) labels.emplace_back(label);
  return labels;
}

/// The token to send, or "" when the plan holds only its digest (state never keeps the value).
std::string TokenToSend(const Value::Map& planned) {
  std::string token = StringField(planned, "access_token");
  return IsSecretDigest(token) ? "" : token;
}

Value TokenForState(const Value::Map& planned, const Value::Map& prior) {
  std::string token = TokenToSend(planned);
  if (token.empty()) {
    auto it = prior.find("access_token");
    return it != prior.end() ? it->second : Value::Sensitive(Value(""));
  }
  return ValueForState(*IntegrationSchema().Find("access_token"), Value(token));
}

ApplyResponse Applied(const json::value& answer, const Value& token) {
  ApplyResponse response;
  if (!answer.is_object() || JsonText(answer, "id").empty())
    return FailedApply("spacelift: the integration answer has no id");
  response.id = JsonText(answer, "id");
  response.attributes = IntegrationFromJson(answer, token);
  response.private_data["webhook_secret"] = response.attributes["webhook_secret"];
  return response;
}

}  // namespace

const ResourceSchema& IntegrationSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Value::Map IntegrationFromJson(const json::value& answer, const Value& prior_token) {
  Value::Map out;
  out["id"] = Value(JsonText(answer, "id"));
  out["name"] = Value(JsonText(answer, "name"));
  out["is_default"] = Value(JsonBool(answer, "isDefault"));
  const json::value* space = answer.as_object().if_contains("space");
  std::string space_id = space ? JsonText(*space, "id") : "";
  out["space"] = Value(space_id.empty() ? "root" : space_id);
  Value::List labels;
  if (const json::value* list = answer.as_object().if_contains("labels"); list && list->is_array())
    for (const auto& label : list->as_array())
      if (label.is_string()) labels.emplace_back(std::string(label.as_string()));
  out["labels"] = Value(std::move(labels));
  out["description"] = Value(JsonText(answer, "description"));
  out["api_host"] = Value(JsonText(answer, "apiHost"));
  out["user_facing_host"] = Value(JsonText(answer, "userFacingHost"));
  out["username"] = Value(JsonText(answer, "username"));
  out["access_token"] = prior_token;
  out["vcs_checks"] = Value(JsonText(answer, "vcsChecks"));
  out["webhook_url"] = Value(JsonText(answer, "webhookURL"));
  out["webhook_secret"] = Value::Sensitive(Value(JsonText(answer, "webhookSecret")));
  return out;
}

Result<bool> IntegrationExists(const SpaceliftApi& api, const std::string& id) {
  auto answer = api.Call(kRead, {{"id", id}});
  if (!answer.ok()) return answer.status();
  return !answer->is_null();
}

ReadResponse IntegrationType::Read(const ReadRequest& request) {
  auto answer = api_.Call(kRead, {{"id", request.id}});
  if (!answer.ok()) return FailedRead(answer.message());
  if (answer->is_null()) return GoneResponse();
  ReadResponse response;
  auto prior = request.prior.find("access_token");
  response.attributes = IntegrationFromJson(*answer, prior != request.prior.end() ? prior->second : Value::Sensitive(Value("")));
  return response;
}

ApplyResponse IntegrationType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request);
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse IntegrationType::Create(const ApplyRequest& request) {
  const Value::Map& planned = request.planned;
  std::string token = TokenToSend(planned);
  if (token.empty())
    return FailedApply("spacelift BitbucketDatacenterIntegrationCreate: access_token is not known (state keeps only its digest)");
  // Keys as the provider sends them: top level sorted, customInput in its struct's order.
  json::object custom{{"name", StringField(planned, "name")},
                      {"spaceID", StringField(planned, "space")},
                      {"labels", Labels(planned)},
                      {"description", StringField(planned, "description")},
                      {"isDefault", planned.count("is_default") && planned.at("is_default").is_bool() &&
                                        planned.at("is_default").as_bool()},
                      {"vcsChecks", StringField(planned, "vcs_checks").empty() ? "INDIVIDUAL" : StringField(planned, "vcs_checks")},
                      {"useGitCheckout", nullptr}};
  json::object variables{{"accessToken", token},
                         {"apiHost", StringField(planned, "api_host")},
                         {"customInput", custom},
                         {"userFacingHost", StringField(planned, "user_facing_host")},
                         {"username", StringField(planned, "username")}};
  auto answer = api_.Call(kCreate, variables);
  if (!answer.ok()) return FailedApply(answer.message());
  return Applied(*answer, TokenForState(planned, {}));
}

ApplyResponse IntegrationType::Update(const ApplyRequest& request) {
  const Value::Map& planned = request.planned;
  std::string token = TokenToSend(planned);
  json::object custom{{"id", request.id},
                      {"space", StringField(planned, "space")},
                      {"labels", Labels(planned)},
                      {"description", StringField(planned, "description")},
                      {"vcsChecks", StringField(planned, "vcs_checks").empty() ? "INDIVIDUAL" : StringField(planned, "vcs_checks")},
                      {"useGitCheckout", nullptr}};
  json::object variables{{"accessToken", token.empty() ? json::value(nullptr) : json::value(token)},
                         {"apiHost", StringField(planned, "api_host")},
                         {"customInput", custom},
                         {"userFacingHost", StringField(planned, "user_facing_host")},
                         {"username", StringField(planned, "username")}};
  auto answer = api_.Call(kUpdate, variables);
  if (!answer.ok()) return FailedApply(answer.message());
  return Applied(*answer, TokenForState(planned, request.prior));
}

ApplyResponse IntegrationType::Delete(const ApplyRequest& request) {
  return DeleteAnswer(api_.Call(kDelete, {{"id", request.id}}).status(), request.id);
}

ImportResponse IntegrationType::Import(const std::string& id) {
  auto answer = api_.Call(kRead, {{"id", id}});
  if (!answer.ok()) return FailedImport(answer.message());
  if (answer->is_null()) return {};
  // The token is unknown until the config supplies it: an empty digest makes the first plan set it.
  return FoundResponse(JsonText(*answer, "id"), IntegrationFromJson(*answer, Value::Sensitive(Value(""))));
}

ImportResponse IntegrationType::Find(const Value::Map& natural_key) {
  std::string name = StringField(natural_key, "name");
  ImportResponse response = Import(Slugify(name));
  // Another integration may hold the slug under a different name; that one is not ours.
  if (response.found && StringField(response.attributes, "name") != name) response = ImportResponse{};
  return response;
}

}  // namespace stashform::spacelift
