// bitbucketDatacenterIntegration{Create,Update,Delete}, bitbucketDatacenterIntegration(id), the
// invented list bitbucketDatacenterIntegrations, and apiKeyUser (spacelift-graphql.md §2, §3).
#include "emulators/spacelift/jwt.h"
#include "emulators/spacelift/resolvers.h"

#include <algorithm>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

const std::vector<std::string> kCreateInputKeys = {"name", "spaceID", "labels", "description", "isDefault",
                                                   "vcsChecks", "useGitCheckout"};
const std::vector<std::string> kUpdateInputKeys = {"id", "space", "labels", "description", "vcsChecks",
                                                   "useGitCheckout"};

std::string OptionalString(const json::object* object, const char* key, const std::string& fallback) {
  if (!object) return fallback;
  auto* value = object->if_contains(key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_string()) throw GraphQLError(std::string("Expected type String for field \"") + key + "\".");
  return std::string(value->as_string());
}

std::string Space(const json::object* input, const char* key) {
  std::string space = OptionalString(input, key, "");
  return space.empty() ? "root" : space;
}

std::string VcsChecks(const json::object* input, const std::string& fallback) {
  std::string checks = OptionalString(input, "vcsChecks", fallback);
  if (checks != "INDIVIDUAL" && checks != "AGGREGATED" && checks != "ALL")
    throw GraphQLError("Value \"" + checks + "\" does not exist in \"VCSCheck\" enum.");
  return checks;
}

json::array Labels(const json::object* input) {
  json::array labels;
  auto* value = input ? input->if_contains("labels") : nullptr;
  if (!value || value->is_null()) return labels;
  if (!value->is_array()) throw GraphQLError("Expected type [String!] for field \"labels\".");
  for (const auto& label : value->as_array()) {
    if (!label.is_string() || label.as_string().empty()) throw GraphQLError("labels must be non-empty strings");
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  }
  return labels;
}

bool OptionalBool(const json::object* input, const char* key, bool fallback) {
  auto* value = input ? input->if_contains(key) : nullptr;
  if (!value || value->is_null()) return fallback;
  if (!value->is_bool()) throw GraphQLError(std::string("Expected type Boolean for field \"") + key + "\".");
  return value->as_bool();
}

std::string IdArgument(const FieldCall& call) {
  auto* id = call.field.arguments.if_contains("id");
  if (!id || !id->is_string()) throw GraphQLError("Argument \"id\" of type \"ID!\" is required.");
  return std::string(id->as_string());
}

json::value NotFound(FieldCall& call) {
  if (call.state.settings.not_found_as_error) throw GraphQLError("not found");
  return nullptr;
}

json::value ApiKeyUser(FieldCall& call) {
  std::string id = RequiredString(call.field.arguments, "id", "ID!");
  std::string secret = RequiredString(call.field.arguments, "secret", "String!");
  const ApiKey* key = call.state.model.FindApiKey(id);
  if (!key) return nullptr;  // the provider says "no such API user, your key ID may be incorrect"
  if (key->secret != secret) throw GraphQLError("unauthorized: invalid API key secret");
  return json::object{{"id", key->id}, {"name", key->name}, {"jwt", IssueJwt(call.state, key->id)}};
}

json::value Read(FieldCall& call) {
  std::string id = IdArgument(call);
  // The data source asks with an empty id for the default integration (§3.3).
  Integration* integration = id.empty() ? call.state.model.DefaultIntegration() : call.state.model.FindIntegration(id);
  if (!integration) return NotFound(call);
  return integration->fields;
}

json::value List(FieldCall& call) {
  json::array out;
  for (const auto& integration : call.state.model.integrations) out.push_back(integration.fields);
  return out;
}

json::value Create(FieldCall& call) { return CreateIntegration(call.state, call.field.arguments).fields; }

json::value Update(FieldCall& call) {
  const json::object& arguments = call.field.arguments;
  const json::object* input = InputObject(arguments, "customInput", "CustomVCSUpdateInput", kUpdateInputKeys);
  std::string id = OptionalString(input, "id", "");
  Integration* integration = call.state.model.FindIntegration(id);
  if (!integration) throw GraphQLError("bitbucket datacenter integration \"" + id + "\" not found");
  json::object& fields = integration->fields;
  fields["apiHost"] = RequiredString(arguments, "apiHost", "String!");
  fields["userFacingHost"] = RequiredString(arguments, "userFacingHost", "String!");
  fields["username"] = OptionalString(&arguments, "username", std::string(fields["username"].as_string()));
  // A null accessToken keeps the stored one (platforms.md §1.2).
  std::string token = OptionalString(&arguments, "accessToken", "");
  if (!token.empty()) integration->access_token = token;
  fields["space"] = json::object{{"id", Space(input, "space")}};
  fields["labels"] = Labels(input);
  fields["description"] = OptionalString(input, "description", "");
  fields["vcsChecks"] = VcsChecks(input, "INDIVIDUAL");
  fields["useGitCheckout"] = OptionalBool(input, "useGitCheckout", fields["useGitCheckout"].as_bool());
  return fields;
}

json::value Delete(FieldCall& call) {
  std::string id = IdArgument(call);
  auto deleted = call.state.model.DeleteIntegration(id);
  if (!deleted) throw GraphQLError("bitbucket datacenter integration \"" + id + "\" not found");
  return *deleted;
}

}  // namespace

std::string RequiredString(const json::object& arguments, const std::string& name, const std::string& type) {
  auto* value = arguments.if_contains(name);
  if (!value || value->is_null())
    throw GraphQLError("Argument \"" + name + "\" of type \"" + type + "\" is required, but it was not provided.");
  if (!value->is_string()) throw GraphQLError("Argument \"" + name + "\" has invalid value: expected " + type + ".");
  return std::string(value->as_string());
}

const json::object* InputObject(const json::object& arguments, const std::string& name, const std::string& type,
                                const std::vector<std::string>& allowed) {
  auto* value = arguments.if_contains(name);
  if (!value || value->is_null()) return nullptr;
  if (!value->is_object()) throw GraphQLError("Argument \"" + name + "\" has invalid value: expected " + type + ".");
  for (const auto& [key, item] : value->as_object())
    if (std::find(allowed.begin(), allowed.end(), std::string(key)) == allowed.end())
      throw GraphQLError("Field \"" + std::string(key) + "\" is not defined by type \"" + type + "\".");
  return &value->as_object();
}

std::string WebhookUrl(const State& state, const std::string& id) {
  return state.base_url + "/webhooks/bitbucket_datacenter/" + state.settings.account + "/integration/" + id;
}

Integration& CreateIntegration(State& state, const json::object& arguments) {
  const json::object* input = InputObject(arguments, "customInput", "CustomVCSInput", kCreateInputKeys);
  std::string name = OptionalString(input, "name", "");
  std::string id = Slugify(name);
  if (id.empty()) throw GraphQLError("name must contain at least one letter or digit");
  if (state.model.FindIntegration(id))
    throw GraphQLError("bitbucket datacenter integration with id \"" + id + "\" already exists");
  bool is_default = OptionalBool(input, "isDefault", false);
  if (is_default && state.model.DefaultIntegration())
    throw GraphQLError("a default Bitbucket Data Center integration already exists");
  Integration integration;
  integration.id = id;
  integration.access_token = RequiredString(arguments, "accessToken", "String!");
  integration.fields = json::object{
      {"id", id},
      {"name", name},
      {"isDefault", is_default},
      {"space", json::object{{"id", Space(input, "spaceID")}}},
      {"labels", Labels(input)},
      {"description", OptionalString(input, "description", "")},
      {"apiHost", RequiredString(arguments, "apiHost", "String!")},
      {"username", OptionalString(&arguments, "username", "")},
      {"userFacingHost", RequiredString(arguments, "userFacingHost", "String!")},
      {"webhookSecret", state.RandomHex(24)},  // fresh at every create, also under a reused name
      {"webhookURL", WebhookUrl(state, id)},
      {"vcsChecks", VcsChecks(input, "INDIVIDUAL")},
      {"useGitCheckout", OptionalBool(input, "useGitCheckout", false)}};
  state.model.integrations.push_back(std::move(integration));
  return state.model.integrations.back();
}

void AddIntegrationResolvers(std::map<std::string, Resolver>& queries, std::map<std::string, Resolver>& mutations) {
  const std::string type = "BitbucketDatacenterIntegration";
  queries["bitbucketDatacenterIntegration"] = {type, Read};
  queries["bitbucketDatacenterIntegrations"] = {type, List};
  mutations["apiKeyUser"] = {"User", ApiKeyUser};
  mutations["bitbucketDatacenterIntegrationCreate"] = {type, Create};
  mutations["bitbucketDatacenterIntegrationUpdate"] = {type, Update};
  mutations["bitbucketDatacenterIntegrationDelete"] = {type, Delete};
}

}  // namespace stashform::emulator::spacelift
