#include "modules/spacelift/stacks_data_source.h"

#include <boost/json.hpp>

#include "modules/spacelift/common.h"

namespace stashform::spacelift {

namespace json = boost::json;

namespace {

// INFERRED: Spacelift's schema has `stacks: [Stack!]!`; the provider itself only uses searchStacks.
const Operation kStacks{false, "StacksList", "stacks",
                        "{stacks{id,name,namespace,repository,branch,provider,vcsIntegration{id}}}"};

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "spacelift.stacks";
  s.server_type = "spacelift.account";
  s.is_data_source = true;
  s.description = "The account's stacks; each item has id, name, namespace, repository, branch, provider, "
                  "integration (null when unbound) and detached.";
  s.attributes = {MakeAttribute("namespace", AttrType::kString, AttrMode::kOptional, "Keep only stacks of this project key."),
                  MakeAttribute("repository", AttrType::kString, AttrMode::kOptional, "Keep only stacks of this repository."),
                  MakeAttribute("detached", AttrType::kBool, AttrMode::kOptional,
                       "Keep only detached (true) or only attached (false) Bitbucket Data Center stacks.")};
  return s;
}

Value StackItem(const json::value& stack) {
  const json::value* vcs = stack.as_object().if_contains("vcsIntegration");
  std::string integration = vcs && vcs->is_object() ? JsonText(*vcs, "id") : "";
  bool detached = JsonText(stack, "provider") == "BITBUCKET_DATACENTER" && integration.empty();
  return Value(Value::Map{{"id", Value(JsonText(stack, "id"))},
                          {"name", Value(JsonText(stack, "name"))},
                          {"namespace", Value(JsonText(stack, "namespace"))},
                          {"repository", Value(JsonText(stack, "repository"))},
                          {"branch", Value(JsonText(stack, "branch"))},
                          {"provider", Value(JsonText(stack, "provider"))},
                          {"integration", integration.empty() ? Value() : Value(integration)},
                          {"detached", Value(detached)}});
}

bool Keep(const Value::Map& item, const Value::Map& arguments) {
  for (const char* key : {"namespace", "repository"}) {
    auto wanted = arguments.find(key);
    if (wanted != arguments.end() && wanted->second.is_string() && item.at(key) != wanted->second) return false;
  }
  auto detached = arguments.find("detached");
  return detached == arguments.end() || !detached->second.is_bool() || item.at("detached") == detached->second;
}

}  // namespace

const ResourceSchema& StacksDataSourceSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Result<json::array> ListStacks(const SpaceliftApi& api) {
  auto answer = api.Call(kStacks, {});
  if (!answer.ok()) return answer.status();
  if (!answer->is_array()) return Status::Error("spacelift StacksList: the answer is not a list of stacks");
  return answer->as_array();
}

Result<Value> ReadStacks(const SpaceliftApi& api, const Value::Map& arguments) {
  auto stacks = ListStacks(api);
  if (!stacks.ok()) return stacks.status();
  Value::List items;
  for (const auto& stack : *stacks) {
    if (!stack.is_object()) continue;
    Value item = StackItem(stack);
    if (Keep(item.as_map(), arguments)) items.push_back(std::move(item));
  }
  return Value(std::move(items));
}

}  // namespace stashform::spacelift
