#include "modules/spacelift/stack_binding.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <optional>

#include "modules/spacelift/common.h"
#include "modules/spacelift/documents.h"
#include "modules/spacelift/integration.h"
#include "modules/spacelift/stack.h"
#include "modules/spacelift/stacks_data_source.h"

namespace stashform::spacelift {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {


// StackInput keys copied as read, in the provider's order (§4.3); the rest are converted below.
const char* const kCopiedBefore[] = {
    "administrative", "afterApply", "afterDestroy", "afterInit", "afterPerform", "afterPlan", "afterRun",
    "autodeploy", "autoretry", "beforeApply", "beforeDestroy", "beforeInit", "beforePerform", "beforePlan",
    "branch", "description", "githubActionDeploy", "labels", "localPreviewEnabled", "enableWellKnownSecretMasking",
    "enableSensitiveOutputUpload", "name", "namespace", "projectRoot", "additionalProjectGlobs",
    "gitSparseCheckoutPaths", "protectFromDeletion", "provider", "repository", "repositoryURL", "runnerImage",
    "space"};

// vendorConfig's __typename → its VendorConfigInput key.
const std::pair<const char*, const char*> kVendors[] = {
    {"ansible", "StackConfigVendorAnsible"},   {"cloudFormation", "StackConfigVendorCloudFormation"},
    {"kubernetes", "StackConfigVendorKubernetes"}, {"opentofu", "StackConfigVendorOpenTofu"},
    {"pulumi", "StackConfigVendorPulumi"},     {"terraform", "StackConfigVendorTerraform"},
    {"terragrunt", "StackConfigVendorTerragrunt"}};

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "spacelift.stack_binding";
  s.server_type = "spacelift.account";
  s.description = "Binds an existing stack to a Bitbucket Data Center integration, project and repository.";
  s.natural_key = {"stack"};
  s.recreatable = false;  // a binding cannot make the stack it binds
  auto stack = MakeAttribute("stack", AttrType::kString, AttrMode::kRequired, "The stack's id.");
  stack.force_new = true;
  auto branch = MakeAttribute("branch", AttrType::kString, AttrMode::kOptionalComputed,
                     "Tracked branch; the stack's own when unset.");
  s.attributes = {stack,
                  MakeAttribute("integration", AttrType::kString, AttrMode::kRequired, "The integration's id."),
                  MakeAttribute("namespace", AttrType::kString, AttrMode::kRequired, "Bitbucket project key."),
                  MakeAttribute("repository", AttrType::kString, AttrMode::kRequired, "Repository slug."),
                  branch};
  return s;
}

json::value NullIfEmptyList(const json::value& value) {
  return value.is_array() && value.as_array().empty() ? json::value(nullptr) : value;
}

json::value VendorInput(const json::value* vendor) {
  json::object input;
  std::string type = vendor ? JsonText(*vendor, "__typename") : "";
  bool matched = false;
  for (const auto& [key, type_name] : kVendors) {
    if (type != type_name) {
      input[key] = nullptr;
      continue;
    }
    matched = true;
    json::object config;
    for (const auto& [field, value] : vendor->as_object()) {
      if (field == "__typename") continue;
      config[field == "openTofuWorkflowTool" ? "workflowTool" : field] = value;
    }
    input[key] = config;
  }
  // Anything else is read with the Terraform fields, as the provider does.
  if (!matched && vendor && vendor->is_object()) {
    json::object config;
    for (const char* field : {"useSmartSanitization", "version", "workflowTool", "workspace", "externalStateAccessEnabled"})
      if (const json::value* value = vendor->as_object().if_contains(field)) config[field] = *value;
    input["terraform"] = config;
  }
  return input;
}

std::string BoundIntegration(const json::value& stack) {
  const json::value* vcs = stack.as_object().if_contains("vcsIntegration");
  return vcs && vcs->is_object() ? JsonText(*vcs, "id") : "";
}

}  // namespace

const ResourceSchema& StackBindingSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Value::Map BindingFromStack(const json::value& stack) {
  std::string integration = BoundIntegration(stack);
  return {{"stack", Value(JsonText(stack, "id"))},
          {"integration", integration.empty() ? Value() : Value(integration)},
          {"namespace", Value(JsonText(stack, "namespace"))},
          {"repository", Value(JsonText(stack, "repository"))},
          {"branch", Value(JsonText(stack, "branch"))}};
}

json::object StackInputFromStack(const json::value& stack) {
  const json::object& object = stack.as_object();
  json::object input;
  for (const char* key : kCopiedBefore) {
    const json::value* value = object.if_contains(key);
    json::value copied = value ? *value : json::value(nullptr);
    bool set_valued = std::string_view(key) == "labels" || std::string_view(key) == "additionalProjectGlobs" ||
                      std::string_view(key) == "gitSparseCheckoutPaths";
    input[key] = set_valued ? NullIfEmptyList(copied) : copied;
  }
  std::string integration = BoundIntegration(stack);
  input["vcsIntegrationId"] = integration.empty() ? json::value(nullptr) : json::value(integration);
  input["vendorConfig"] = VendorInput(object.if_contains("vendorConfig"));
  const json::value* pool = object.if_contains("workerPool");
  input["workerPool"] = pool && pool->is_object() ? json::value(JsonText(*pool, "id")) : json::value(nullptr);
  return input;
}

namespace {

/// Whether integrations exist, each asked once per refresh.
class IntegrationsSeen {
 public:
  explicit IntegrationsSeen(const SpaceliftApi& api) : api_(api) {}
  std::optional<bool> Exists(const std::string& id) {
    auto it = known_.find(id);
    if (it != known_.end()) return it->second;
    auto exists = IntegrationExists(api_, id);
    if (!exists.ok()) return std::nullopt;
    return known_[id] = *exists;
  }

 private:
  const SpaceliftApi& api_;
  std::map<std::string, bool> known_;
};

/// Why the stack is not bound to the integration its binding records, or "" when it is.
std::string DetachedNote(const std::string& bound, const Value::Map& prior, IntegrationsSeen& integrations) {
  std::string recorded = StringField(prior, "integration");
  if (recorded.empty()) return bound.empty() ? kDetachedNote : "";  // no record to tell by
  if (bound == recorded) return "";
  if (!bound.empty()) return fmt::format("{} \"{}\"", kRebound, bound);
  std::optional<bool> exists = integrations.Exists(recorded);
  if (!exists) return "stack detached";
  return *exists ? kUnboundNote : kDetachedNote;
}

ReadResponse FromStack(const std::string& id, const json::value& stack, const Value::Map& prior,
                       IntegrationsSeen& integrations) {
  if (stack.is_null()) {
    ReadResponse gone = GoneResponse();
    gone.notes.push_back(fmt::format("stack \"{}\" no longer exists", id));
    return gone;
  }
  if (!stack.is_object()) return FailedRead(NotAStack(id));
  ReadResponse response;
  response.attributes = BindingFromStack(stack);
  std::string note = DetachedNote(BoundIntegration(stack), prior, integrations);
  if (!note.empty()) response.notes.push_back(note);
  return response;
}

}  // namespace

ReadResponse StackBindingType::Read(const ReadRequest& request) {
  auto stack = api_.Call(kStackRead, {{"id", request.id}});
  if (!stack.ok()) return FailedRead(stack.message());
  IntegrationsSeen integrations(api_);
  return FromStack(request.id, *stack, request.prior, integrations);
}

std::vector<ReadResponse> StackBindingType::ReadMany(const std::vector<ReadRequest>& requests,
                                                     const provider::ReadDone& done) {
  auto stacks = requests.size() > 1 ? ListStacks(api_) : Result<json::array>(Status::Error("one binding"));
  // Without a listing, one read per binding (the default) reports each as it ends.
  if (!stacks.ok()) return ResourceType::ReadMany(requests, done);
  std::map<std::string, const json::value*> by_id;
  for (const auto& stack : *stacks) by_id[JsonText(stack, "id")] = &stack;
  IntegrationsSeen integrations(api_);
  std::vector<ReadResponse> responses;
  for (const auto& request : requests) {
    auto found = by_id.find(request.id);
    responses.push_back(FromStack(request.id, found == by_id.end() ? json::value(nullptr) : *found->second, request.prior, integrations));
    provider::ReportRead(done, responses.size() - 1, responses.back());
  }
  return responses;
}

ApplyResponse StackBindingType::Apply(const ApplyRequest& request) {
  if (request.action != ApplyAction::kDelete) return Bind(request);
  // The stack outlives its binding: detaching it would stop its runs, which no removal from a
  // config should do by surprise.
  ApplyResponse response;
  response.id = request.id;
  return response;
}

ApplyResponse StackBindingType::Bind(const ApplyRequest& request) {
  // Read the whole stack, change the binding, write the whole stack back.
  std::string id = StringField(request.planned, "stack");
  auto stack = api_.Call(kStackRead, {{"id", id}});
  if (!stack.ok()) return FailedApply(stack.message());
  if (stack->is_null()) return FailedApply(fmt::format("spacelift StackRead: stack \"{}\" not found; a binding needs an existing stack", id));
  if (!stack->is_object()) return FailedApply(NotAStack(id));
  json::object input = StackInputFromStack(*stack);
  input["provider"] = "BITBUCKET_DATACENTER";
  input["namespace"] = StringField(request.planned, "namespace");
  input["repository"] = StringField(request.planned, "repository");
  if (std::string branch = StringField(request.planned, "branch"); !branch.empty()) input["branch"] = branch;
  input["vcsIntegrationId"] = StringField(request.planned, "integration");
  auto updated = api_.Call(kStackUpdate, {{"id", id}, {"input", input}});
  if (!updated.ok()) return FailedApply(updated.message());
  if (!updated->is_object()) return FailedApply(fmt::format("spacelift StackUpdate: no stack in the answer for \"{}\"", id));
  ApplyResponse response;
  response.id = id;
  response.attributes = BindingFromStack(*updated);
  return response;
}

ImportResponse StackBindingType::Import(const std::string& id) {
  auto stack = api_.Call(kStackRead, {{"id", id}});
  if (!stack.ok()) return FailedImport(stack.message());
  if (stack->is_null()) return {};
  if (!stack->is_object()) return FailedImport(NotAStack(id));
  return FoundResponse(id, BindingFromStack(*stack));
}

ImportResponse StackBindingType::Find(const Value::Map& natural_key) { return Import(StringField(natural_key, "stack")); }

}  // namespace stashform::spacelift
