// stack(id), searchStacks(input), stackCreate, stackUpdate(id, input) and stackDelete(id)
// (spacelift-graphql.md §4). stackUpdate sets what StackInput carries and leaves the rest of the
// stack alone; stackCreate starts from the seed's defaults.
#include "emulators/spacelift/resolvers.h"

#include <algorithm>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

const std::vector<std::string> kStackInputKeys = {
    "administrative", "afterApply", "afterDestroy", "afterInit", "afterPerform", "afterPlan", "afterRun",
    "autodeploy", "autoretry", "beforeApply", "beforeDestroy", "beforeInit", "beforePerform", "beforePlan",
    "branch", "description", "githubActionDeploy", "labels", "localPreviewEnabled",
    "enableWellKnownSecretMasking", "enableSensitiveOutputUpload", "name", "namespace", "projectRoot",
    "additionalProjectGlobs", "gitSparseCheckoutPaths", "protectFromDeletion", "provider", "repository",
    "repositoryURL", "runnerImage", "space", "vcsIntegrationId", "vendorConfig", "workerPool"};

const std::vector<std::string> kProviders = {"AZURE_DEVOPS", "BITBUCKET_CLOUD", "BITBUCKET_DATACENTER", "GITHUB",
                                             "GITHUB_ENTERPRISE", "GITLAB", "GIT", "SHOWCASE", "SPACELIFT"};

const std::map<std::string, std::string> kVendorTypes = {
    {"ansible", "StackConfigVendorAnsible"},       {"cloudFormation", "StackConfigVendorCloudFormation"},
    {"kubernetes", "StackConfigVendorKubernetes"}, {"opentofu", "StackConfigVendorOpenTofu"},
    {"pulumi", "StackConfigVendorPulumi"},         {"terraform", "StackConfigVendorTerraform"},
    {"terragrunt", "StackConfigVendorTerragrunt"}};

std::string IdArgument(const FieldCall& call) { return RequiredString(call.field.arguments, "id", "ID!"); }

json::value NotFound(FieldCall& call) {
  if (call.state.settings.not_found_as_error) throw GraphQLError("stack not found");
  return nullptr;
}

json::value Read(FieldCall& call) {
  auto it = call.state.model.stacks.find(IdArgument(call));
  if (it == call.state.model.stacks.end()) return NotFound(call);
  return it->second;
}

/// Whether the stack meets one searchStacks predicate: {field, constraint: {booleanEquals,
/// enumEquals, stringMatches}}, each constraint a list of accepted values.
bool Matches(const json::object& stack, const json::value& predicate) {
  if (!predicate.is_object()) throw GraphQLError("Expected type QueryPredicate! for field \"predicates\".");
  const json::object& p = predicate.as_object();
  const json::value* field = p.if_contains("field");
  const json::value* constraint = p.if_contains("constraint");
  if (!field || !field->is_string() || !constraint || !constraint->is_object())
    throw GraphQLError("a predicate needs a field and a constraint");
  const json::value* actual = stack.if_contains(field->as_string());
  if (!actual) return false;
  for (const char* kind : {"booleanEquals", "enumEquals", "stringMatches"}) {
    const json::value* accepted = constraint->as_object().if_contains(kind);
    if (!accepted || accepted->is_null()) continue;
    if (!accepted->is_array()) throw GraphQLError(std::string("Expected a list for field \"") + kind + "\".");
    const auto& values = accepted->as_array();
    if (std::find(values.begin(), values.end(), *actual) == values.end()) return false;
  }
  return true;
}

/// searchStacks(input: SearchInput!): stacks in id order, `first` at a time after the cursor
/// `after` (the last id of the previous page), as a connection (spacelift-graphql.md §4.6).
json::value Search(FieldCall& call) {
  const json::object* input = InputObject(call.field.arguments, "input", "SearchInput",
                                          {"first", "after", "predicates", "orderBy", "fullTextSearch"});
  if (!input) throw GraphQLError("Argument \"input\" of type \"SearchInput!\" is required, but it was not provided.");
  const json::value* first = input->if_contains("first");
  int64_t limit = first && first->is_int64() ? first->as_int64() : 50;
  if (limit <= 0) throw GraphQLError("first must be positive");
  const json::value* after = input->if_contains("after");
  std::string cursor = after && after->is_string() ? std::string(after->as_string()) : "";
  const json::value* predicates = input->if_contains("predicates");
  json::array edges;
  bool more = false;
  for (const auto& [id, stack] : call.state.model.stacks) {
    if (!cursor.empty() && id <= cursor) continue;
    bool kept = true;
    if (predicates && predicates->is_array())
      for (const auto& predicate : predicates->as_array()) kept = kept && Matches(stack, predicate);
    if (!kept) continue;
    if (static_cast<int64_t>(edges.size()) == limit) {
      more = true;
      break;
    }
    edges.push_back(json::object{{"cursor", id}, {"node", stack}});
  }
  std::string end = edges.empty() ? "" : std::string(edges.back().at("cursor").as_string());
  return json::object{{"edges", edges},
                      {"pageInfo", json::object{{"endCursor", end}, {"hasNextPage", more},
                                                {"hasPreviousPage", !cursor.empty()}}}};
}

json::value VcsIntegration(State& state, const json::value& id, const json::object& stack) {
  if (id.is_null()) {
    // A null id binds the account's default integration (spacelift-graphql.md §4.2, INFERRED).
    auto* provider = stack.if_contains("provider");
    Integration* fallback = provider && *provider == "BITBUCKET_DATACENTER" ? state.model.DefaultIntegration() : nullptr;
    if (!fallback) return nullptr;
    return json::object{{"id", fallback->id}, {"isDefault", true}};
  }
  if (!id.is_string()) throw GraphQLError("Expected type ID for field \"vcsIntegrationId\".");
  Integration* integration = state.model.FindIntegration(std::string(id.as_string()));
  if (!integration) throw GraphQLError("vcs integration \"" + std::string(id.as_string()) + "\" not found");
  return json::object{{"id", integration->id}, {"isDefault", integration->fields.at("isDefault")}};
}

json::value VendorConfig(const json::value& input) {
  if (!input.is_object()) throw GraphQLError("Expected type VendorConfigInput for field \"vendorConfig\".");
  for (const auto& [key, config] : input.as_object()) {
    if (config.is_null()) continue;
    auto type = kVendorTypes.find(std::string(key));
    if (type == kVendorTypes.end() || !config.is_object())
      throw GraphQLError("Field \"" + std::string(key) + "\" is not defined by type \"VendorConfigInput\".");
    json::object out = config.as_object();
    out["__typename"] = type->second;
    return out;
  }
  throw GraphQLError("vendorConfig: exactly one vendor must be set");
}

json::value ListOrEmpty(const json::value& value) { return value.is_null() ? json::value(json::array()) : value; }

void SetFromInput(State& state, json::object& stack, const std::string& key, const json::value& value) {
  if (key == "vcsIntegrationId") {
    stack["vcsIntegration"] = VcsIntegration(state, value, stack);
  } else if (key == "workerPool") {
    stack["workerPool"] = value.is_null() ? json::value(nullptr) : json::value(json::object{{"id", value}});
  } else if (key == "vendorConfig") {
    stack["vendorConfig"] = VendorConfig(value);
  } else if (key == "space") {
    stack["space"] = value.is_null() ? json::value("root") : value;
  } else if (key == "labels" || key == "additionalProjectGlobs" || key == "gitSparseCheckoutPaths") {
    stack[key] = ListOrEmpty(value);
  } else if (key == "provider") {
    if (!value.is_string() || std::find(kProviders.begin(), kProviders.end(), std::string(value.as_string())) == kProviders.end())
      throw GraphQLError("Value " + json::serialize(value) + " does not exist in \"VCSProvider\" enum.");
    stack[key] = value;
  } else {
    stack[key] = value;
  }
}

json::value Update(FieldCall& call) {
  std::string id = IdArgument(call);
  const json::object* input = InputObject(call.field.arguments, "input", "StackInput", kStackInputKeys);
  if (!input) throw GraphQLError("Argument \"input\" of type \"StackInput!\" is required, but it was not provided.");
  auto it = call.state.model.stacks.find(id);
  if (it == call.state.model.stacks.end()) throw GraphQLError("stack \"" + id + "\" not found");
  json::object updated = it->second;
  // provider first: binding to the default integration depends on it.
  if (auto* provider = input->if_contains("provider")) SetFromInput(call.state, updated, "provider", *provider);
  for (const auto& [key, value] : *input)
    if (key != "provider") SetFromInput(call.state, updated, std::string(key), value);
  // Only a whole valid input changes the stack.
  it->second = std::move(updated);
  return it->second;
}

/// stackCreate(input, manageState, stackObjectID, slug) (§4.2): the id is `slug`, or the slug of
/// the name; the input is applied as stackUpdate applies it.
json::value Create(FieldCall& call) {
  const json::object& arguments = call.field.arguments;
  const json::object* input = InputObject(arguments, "input", "StackInput", kStackInputKeys);
  if (!input) throw GraphQLError("Argument \"input\" of type \"StackInput!\" is required, but it was not provided.");
  const json::value* manage = arguments.if_contains("manageState");
  if (!manage || !manage->is_bool())
    throw GraphQLError("Argument \"manageState\" of type \"Boolean!\" is required, but it was not provided.");
  const json::value* name = input->if_contains("name");
  if (!name || !name->is_string() || name->as_string().empty()) throw GraphQLError("name must not be empty");
  const json::value* slug = arguments.if_contains("slug");
  std::string id = slug && slug->is_string() ? std::string(slug->as_string()) : Slugify(std::string(name->as_string()));
  if (call.state.model.stacks.count(id)) throw GraphQLError("stack with id \"" + id + "\" already exists");
  json::object stack = StackFromSeed(json::object{{"id", id}, {"name", *name}}, call.state.model);
  stack["managesStateFile"] = *manage;
  if (auto* provider = input->if_contains("provider")) SetFromInput(call.state, stack, "provider", *provider);
  for (const auto& [key, value] : *input)
    if (key != "provider") SetFromInput(call.state, stack, std::string(key), value);
  return call.state.model.stacks.emplace(id, std::move(stack)).first->second;
}

/// stackDelete(id) (§4.5): the stack goes at once, so the answer says `deleting: false`.
json::value Delete(FieldCall& call) {
  std::string id = IdArgument(call);
  auto it = call.state.model.stacks.find(id);
  if (it == call.state.model.stacks.end()) throw GraphQLError("stack \"" + id + "\" not found");
  json::object deleted = std::move(it->second);
  call.state.model.stacks.erase(it);
  deleted["deleting"] = false;
  return deleted;
}

json::value RunTrigger(FieldCall& call) {
  return QueueRun(call.state, RequiredString(call.field.arguments, "stack", "ID!"), "api::" + call.caller);
}

}  // namespace

json::object QueueRun(State& state, const std::string& stack_id, const std::string& triggered_by) {
  auto it = state.model.stacks.find(stack_id);
  if (it == state.model.stacks.end()) throw GraphQLError("stack \"" + stack_id + "\" not found");
  if (it->second.at("provider") == "BITBUCKET_DATACENTER" && it->second.at("vcsIntegration").is_null())
    throw GraphQLError("Run creation on this stack is currently disabled: the stack is detached from its integration");
  json::object run{{"id", "run-" + std::to_string(state.runs.size() + 1)}, {"stack", stack_id},
                   {"state", "QUEUED"}, {"type", "TRACKED"}, {"triggeredBy", triggered_by}};
  state.runs.push_back(run);
  return run;
}

void AddStackResolvers(std::map<std::string, Resolver>& queries, std::map<std::string, Resolver>& mutations) {
  queries["stack"] = {"Stack", Read};
  queries["searchStacks"] = {"StackConnection", Search};
  mutations["stackUpdate"] = {"Stack", Update};
  mutations["stackCreate"] = {"Stack", Create};
  mutations["stackDelete"] = {"Stack", Delete};
  mutations["runTrigger"] = {"Run", RunTrigger};
}

}  // namespace stashform::emulator::spacelift
