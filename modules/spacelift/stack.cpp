#include "modules/spacelift/stack.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "modules/spacelift/common.h"
#include "modules/spacelift/documents.h"
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

const Operation kCheckState{false, "StackCheckState", "stack", documents::kStackRead};
const Operation kStackCreate{true, "StackCreate", "stackCreate", documents::kStackCreate, /*retry_safe=*/false};
const Operation kStackDelete{true, "StackDelete", "stackDelete", documents::kStackDelete};

// How long a delete that answers `deleting: true` is waited for (the provider polls every 5 s).
constexpr auto kDeletePoll = std::chrono::seconds(5);
constexpr int kDeletePolls = 60;

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "spacelift.stack";
  s.server_type = "spacelift.account";
  s.description = "A Spacelift stack whose VCS is Bitbucket Data Center.";
  s.natural_key = {"name"};
  auto optional_text = [](const char* name, const char* description) {
    auto attr = MakeAttribute(name, AttrType::kString, AttrMode::kOptional, description);
    attr.default_value = Value("");
    return attr;
  };
  auto flag = [](const char* name, const char* description) {
    auto attr = MakeAttribute(name, AttrType::kBool, AttrMode::kOptional, description);
    attr.default_value = Value(false);
    return attr;
  };
  auto space = MakeAttribute("space", AttrType::kString, AttrMode::kOptional, "Space id.");
  space.default_value = Value("root");
  auto labels = MakeAttribute("labels", AttrType::kStringSet, AttrMode::kOptional, "Labels; a set.");
  labels.default_value = Value(Value::List{});
  auto integration = MakeAttribute("integration", AttrType::kString, AttrMode::kOptionalComputed,
                                   "The Bitbucket Data Center integration's id; unset binds the default one.");
  auto tool = MakeAttribute("terraform_workflow_tool", AttrType::kString, AttrMode::kOptionalComputed,
                            "TERRAFORM_FOSS, OPEN_TOFU or CUSTOM; Spacelift's default when unset.");
  tool.allowed = {"TERRAFORM_FOSS", "OPEN_TOFU", "CUSTOM"};
  s.attributes = {MakeAttribute("name", AttrType::kString, AttrMode::kRequired, "The stack's name; its id is derived from it."),
                  space,
                  MakeAttribute("namespace", AttrType::kString, AttrMode::kRequired, "Bitbucket project key."),
                  MakeAttribute("repository", AttrType::kString, AttrMode::kRequired, "Repository slug."),
                  MakeAttribute("branch", AttrType::kString, AttrMode::kRequired, "Tracked branch."),
                  optional_text("project_root", "Folder of the project inside the repository."),
                  integration,
                  optional_text("description", "Markdown description."),
                  labels,
                  flag("autodeploy", "Apply without confirmation."),
                  flag("administrative", "May manage Spacelift resources."),
                  MakeAttribute("terraform_version", AttrType::kString, AttrMode::kOptionalComputed,
                                "Terraform (or OpenTofu) version; Spacelift's default when unset."),
                  tool,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Spacelift's id.")};
  return s;
}

json::value TextOrNull(const Value::Map& planned, const char* key) {
  std::string text = StringField(planned, key);
  return text.empty() ? json::value(nullptr) : json::value(text);
}

bool Flag(const Value::Map& planned, const char* key) {
  auto it = planned.find(key);
  return it != planned.end() && it->second.is_bool() && it->second.as_bool();
}

json::value LabelsOrNull(const Value::Map& planned) {
  auto it = planned.find("labels");
  std::vector<std::string> items = it == planned.end() ? std::vector<std::string>{} : it->second.StringItems();
  if (items.empty()) return nullptr;
  json::array labels;
  for (const auto& label : items) labels.emplace_back(label);
  return labels;
}

ApplyResponse Answered(const Result<json::value>& answer, const char* operation) {
  if (!answer.ok()) return FailedApply(answer.message());
  if (!answer->is_object() || JsonText(*answer, "id").empty())
    return FailedApply(fmt::format("spacelift {}: the answer has no stack", operation));
  ApplyResponse response;
  response.id = JsonText(*answer, "id");
  response.attributes = StackFromJson(*answer);
  return response;
}

}  // namespace

const ResourceSchema& StackSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

json::object StackInputFromAttributes(const Value::Map& planned) {
  json::array none;
  json::object terraform{{"useSmartSanitization", false},
                         {"version", TextOrNull(planned, "terraform_version")},
                         {"workflowTool", TextOrNull(planned, "terraform_workflow_tool")},
                         {"workspace", nullptr},
                         {"externalStateAccessEnabled", false}};
  json::object vendor{{"ansible", nullptr}, {"cloudFormation", nullptr}, {"kubernetes", nullptr}, {"opentofu", nullptr},
                      {"pulumi", nullptr},  {"terraform", terraform},    {"terragrunt", nullptr}};
  return {{"administrative", Flag(planned, "administrative")},
          {"afterApply", none}, {"afterDestroy", none}, {"afterInit", none}, {"afterPerform", none},
          {"afterPlan", none}, {"afterRun", none},
          {"autodeploy", Flag(planned, "autodeploy")},
          {"autoretry", false},
          {"beforeApply", none}, {"beforeDestroy", none}, {"beforeInit", none}, {"beforePerform", none},
          {"beforePlan", none},
          {"branch", StringField(planned, "branch")},
          {"description", TextOrNull(planned, "description")},
          {"githubActionDeploy", true},
          {"labels", LabelsOrNull(planned)},
          {"localPreviewEnabled", false},
          {"enableWellKnownSecretMasking", false},
          {"enableSensitiveOutputUpload", true},
          {"name", StringField(planned, "name")},
          {"namespace", StringField(planned, "namespace")},
          {"projectRoot", TextOrNull(planned, "project_root")},
          {"additionalProjectGlobs", nullptr},
          {"gitSparseCheckoutPaths", nullptr},
          {"protectFromDeletion", false},
          {"provider", "BITBUCKET_DATACENTER"},
          {"repository", StringField(planned, "repository")},
          {"repositoryURL", nullptr},
          {"runnerImage", nullptr},
          {"space", TextOrNull(planned, "space")},
          {"vcsIntegrationId", TextOrNull(planned, "integration")},
          {"vendorConfig", vendor},
          {"workerPool", nullptr}};
}

// StackFromJson reads the fields of an object; any other answer is the server's fault, reported
// with the stack it was about rather than thrown out of Boost.JSON's as_object.
std::string NotAStack(const std::string& id) {
  return fmt::format("spacelift StackRead: the answer for stack \"{}\" is not a stack object; "
                     "check the API endpoint (api_url) points at Spacelift's GraphQL API", id);
}

Value::Map StackFromJson(const json::value& stack) {
  Value::List labels;
  if (const json::value* list = stack.as_object().if_contains("labels"); list && list->is_array())
    for (const auto& label : list->as_array())
      if (label.is_string()) labels.emplace_back(std::string(label.as_string()));
  const json::value* vcs = stack.as_object().if_contains("vcsIntegration");
  const json::value* vendor = stack.as_object().if_contains("vendorConfig");
  std::string version = vendor ? JsonText(*vendor, "version") : "";
  std::string tool = vendor ? JsonText(*vendor, "workflowTool") : "";
  if (tool.empty() && vendor) tool = JsonText(*vendor, "openTofuWorkflowTool");
  std::string space = JsonText(stack, "space");
  return {{"id", Value(JsonText(stack, "id"))},
          {"name", Value(JsonText(stack, "name"))},
          {"space", Value(space.empty() ? "root" : space)},
          {"namespace", Value(JsonText(stack, "namespace"))},
          {"repository", Value(JsonText(stack, "repository"))},
          {"branch", Value(JsonText(stack, "branch"))},
          {"project_root", Value(JsonText(stack, "projectRoot"))},
          {"integration", vcs && vcs->is_object() ? Value(JsonText(*vcs, "id")) : Value()},
          {"description", Value(JsonText(stack, "description"))},
          {"labels", Value(std::move(labels))},
          {"autodeploy", Value(JsonBool(stack, "autodeploy"))},
          {"administrative", Value(JsonBool(stack, "administrative"))},
          {"terraform_version", version.empty() ? Value() : Value(version)},
          {"terraform_workflow_tool", tool.empty() ? Value() : Value(tool)}};
}

ReadResponse StackType::Read(const ReadRequest& request) {
  auto stack = api_.Call(kStackRead, {{"id", request.id}});
  if (!stack.ok()) return FailedRead(stack.message());
  if (stack->is_null()) return GoneResponse();
  if (!stack->is_object()) return FailedRead(NotAStack(request.id));
  ReadResponse response;
  response.attributes = StackFromJson(*stack);
  return response;
}

ApplyResponse StackType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate:
      return Answered(api_.Call(kStackCreate, {{"input", StackInputFromAttributes(request.planned)},
                                               {"manageState", true},
                                               {"slug", nullptr},
                                               {"stackObjectID", nullptr}}),
                      "StackCreate");
    case ApplyAction::kUpdate:
      return Answered(api_.Call(kStackUpdate, {{"id", request.id}, {"input", StackInputFromAttributes(request.planned)}}),
                      "StackUpdate");
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse StackType::Delete(const ApplyRequest& request) {
  ApplyResponse response;
  response.id = request.id;
  auto answer = api_.Call(kStackDelete, {{"id", request.id}});
  if (!answer.ok()) return DeleteAnswer(answer.status(), request.id);
  // `deleting: true`: Spacelift removes the stack in the background; wait for it, as the provider does.
  for (int poll = 0; answer->is_object() && JsonBool(*answer, "deleting") && poll < kDeletePolls; ++poll) {
    std::this_thread::sleep_for(kDeletePoll);
    auto state = api_.Call(kCheckState, {{"id", request.id}});
    if (!state.ok()) return FailedApply(state.message());
    if (state->is_null()) return response;
    if (!JsonBool(*state, "deleting"))
      return FailedApply(fmt::format("spacelift StackCheckState: destruction of stack \"{}\" unsuccessful", request.id));
  }
  return response;
}

ImportResponse StackType::Import(const std::string& id) {
  auto stack = api_.Call(kStackRead, {{"id", id}});
  if (!stack.ok()) return FailedImport(stack.message());
  if (stack->is_null()) return {};
  if (!stack->is_object()) return FailedImport(NotAStack(id));
  return FoundResponse(JsonText(*stack, "id"), StackFromJson(*stack));
}

ImportResponse StackType::Find(const Value::Map& natural_key) {
  auto stacks = ListStacks(api_);
  if (!stacks.ok()) return FailedImport(stacks.message());
  std::string name = StringField(natural_key, "name");
  for (const auto& stack : *stacks)
    if (JsonText(stack, "name") == name) return FoundResponse(JsonText(stack, "id"), StackFromJson(stack));
  return {};
}

}  // namespace stashform::spacelift
