#include "modules/spacelift/stacks_data_source.h"

#include <boost/json.hpp>

#include "modules/spacelift/common.h"
#include "modules/spacelift/documents.h"

namespace stashform::spacelift {

namespace json = boost::json;

const Operation kStackRead{false, "StackRead", "stack", documents::kStackRead};
const Operation kStackUpdate{true, "StackUpdate", "stackUpdate", documents::kStackUpdate};

namespace {

// What the provider's spacelift_stacks data source sends (spacelift-graphql.md §4.6).
const Operation kSearchStacks{false, "StacksPage", "searchStacks", documents::kSearchStacks};
constexpr int kPageSize = 50;
// A bound on pages, so that a server that always says "more" cannot keep a refresh going.
constexpr int kMaxPages = 10000;

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
  json::array stacks;
  json::value after = nullptr;
  for (int page = 0; page < kMaxPages; ++page) {
    json::object input{{"first", kPageSize}, {"after", after}, {"predicates", nullptr}};
    auto answer = api.Call(kSearchStacks, {{"input", input}});
    if (!answer.ok()) return answer.status();
    const json::object* connection = answer->if_object();
    const json::value* edges = connection ? connection->if_contains("edges") : nullptr;
    const json::value* info = connection ? connection->if_contains("pageInfo") : nullptr;
    if (!edges || !edges->is_array() || !info || !info->is_object())
      return Status::Error("spacelift StacksPage: the answer has no edges and pageInfo");
    for (const auto& edge : edges->as_array())
      if (const json::value* node = edge.is_object() ? edge.as_object().if_contains("node") : nullptr) stacks.push_back(*node);
    if (!JsonBool(*info, "hasNextPage")) return stacks;
    std::string cursor = JsonText(*info, "endCursor");
    if (cursor.empty()) return Status::Error("spacelift StacksPage: hasNextPage without an endCursor");
    after = json::value(cursor);
  }
  return Status::Error("spacelift StacksPage: more than " + std::to_string(kMaxPages) + " pages");
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
