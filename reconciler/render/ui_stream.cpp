#include "reconciler/render/ui_stream.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

#include "reconciler/render/json.h"

namespace stashform::render {

namespace json = boost::json;
using engine::Action;

namespace {

/// The planned_change and hook action names: Terraform's, with "noop" for no change.
const char* UiAction(Action action) {
  switch (action) {
    case Action::kNoOp: return "noop";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "noop";
}

/// planned_change.reason: Terraform's short names for the action_reasons of the plan representation.
const char* UiReason(const engine::ResourceChange& change) {
  const std::string reason = ActionReason(change);
  if (reason == "replace_by_request") return "requested";
  if (reason == "replace_because_cannot_update") return "cannot_update";
  if (reason == "delete_because_no_resource_config") return "delete_because_no_resource_config";
  return "";
}

/// "Creating", "Modifying", "Destroying", "Replacing"... and their endings.
struct Verbs {
  const char* going;
  const char* done;
};
Verbs VerbsOf(Action action) {
  switch (action) {
    case Action::kCreate: return {"Creating", "Creation"};
    case Action::kUpdate: return {"Modifying", "Modifications"};
    case Action::kDelete: return {"Destroying", "Destruction"};
    case Action::kReplace: return {"Replacing", "Replacement"};
    case Action::kNoOp: break;
  }
  return {"Reading", "Read"};
}

/// Terraform rounds elapsed_seconds to whole seconds.
int64_t WholeSeconds(std::chrono::duration<double> elapsed) { return std::llround(elapsed.count()); }

/// The hook of an apply message: the resource, the action and, when known, the remote id.
json::object ApplyHook(const engine::ResourceChange& change) {
  json::object hook{{"resource", UiResource(change.address)}, {"action", UiAction(change.action)}};
  if (!change.id.empty()) {
    hook["id_key"] = "id";
    hook["id_value"] = change.id;
  }
  return hook;
}

std::string IdSuffix(const std::string& id) { return id.empty() ? "" : " [id=" + id + "]"; }

}  // namespace

json::object UiResource(const ResourceAddress& address) {
  const ResourceAddress in_module{"", address.type, address.name};
  return {{"addr", address.ToString()},
          {"module", address.module.empty() ? "" : "module." + address.module},
          {"resource", in_module.ToString()},
          {"implied_provider", address.type.substr(0, address.type.find('.'))},
          {"resource_type", address.type},
          {"resource_name", address.name},
          {"resource_key", nullptr}};
}

ChangeCounts PlanCounts(const engine::Plan& plan) {
  return {plan.ToAdd(), plan.ToChange(), plan.ToAdopt(), plan.ToDestroy()};
}

UiStream::UiStream(std::ostream& out, std::function<std::string()> now) : out_(out), now_(std::move(now)) {}

void UiStream::Write(const char* level, const std::string& message, const std::string& type, json::object fields) {
  json::object line{{"@level", level}, {"@message", message}, {"@module", kUiModule}, {"@timestamp", now_()}};
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  line["type"] = type;
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << json::serialize(line) << '\n';
  out_.flush();
}

void UiStream::Version() {
  Write("info", fmt::format("stashform {}", STASHFORM_VERSION), "version",
        {{"terraform", STASHFORM_VERSION}, {"stashform", STASHFORM_VERSION}, {"ui", kUiVersion}});
}

void UiStream::Diagnostics(const stashform::Diagnostics& diagnostics) {
  for (const auto& item : diagnostics.items()) {
    const bool error = item.severity == Severity::kError;
    std::string summary = item.subject.empty() ? item.message : item.subject + ": " + item.message;
    json::object diagnostic{{"severity", error ? "error" : "warning"}, {"summary", summary}, {"detail", item.hint}};
    if (item.pos.known())
      diagnostic["range"] = json::object{{"filename", item.pos.file},
                                         {"start", json::object{{"line", item.pos.line}, {"column", 1}, {"byte", 0}}},
                                         {"end", json::object{{"line", item.pos.line}, {"column", 1}, {"byte", 0}}}};
    Write(error ? "error" : "warn", (error ? "Error: " : "Warning: ") + summary, "diagnostic",
          {{"diagnostic", std::move(diagnostic)}});
  }
}

void UiStream::ResourceDrift(const engine::DriftEntry& entry) {
  const char* action = entry.deleted ? "delete" : "update";
  Write("info", fmt::format("{}: Drift detected ({})", entry.address.ToString(), action), "resource_drift",
        {{"change", json::object{{"resource", UiResource(entry.address)}, {"action", action}}}});
}

void UiStream::PlannedChange(const engine::ResourceChange& change) {
  if (change.action == Action::kNoOp && !change.adopt) return;
  const char* action = change.action == Action::kNoOp ? "import" : UiAction(change.action);
  json::object body{{"resource", UiResource(change.address)}, {"action", action}};
  if (const char* reason = UiReason(change); *reason) body["reason"] = reason;
  // An adoption (an existing object with the block's natural key) is Terraform's import.
  if (change.adopt) body["importing"] = json::object{{"id", change.id}};
  Write("info", fmt::format("{}: Plan to {}", change.address.ToString(), action), "planned_change",
        {{"change", std::move(body)}});
}

void UiStream::Plan(const engine::Plan& plan) {
  for (const auto& entry : plan.drift) ResourceDrift(entry);
  for (const auto& change : plan.changes) PlannedChange(change);
  ChangeSummary(PlanCounts(plan), "plan");
}

void UiStream::ChangeSummary(const ChangeCounts& counts, const std::string& operation) {
  std::string message;
  if (operation == "apply")
    message = fmt::format("Apply complete! Resources: {}{} added, {} changed, {} destroyed.",
                          counts.import ? fmt::format("{} imported, ", counts.import) : "", counts.add, counts.change,
                          counts.remove);
  else
    message = fmt::format("Plan: {}{} to add, {} to change, {} to destroy.",
                          counts.import ? fmt::format("{} to import, ", counts.import) : "", counts.add, counts.change,
                          counts.remove);
  Write("info", message, "change_summary",
        {{"changes", json::object{{"add", counts.add}, {"change", counts.change}, {"import", counts.import},
                                  {"remove", counts.remove}, {"operation", operation}}}});
}

void UiStream::RefreshStart(const ResourceAddress& address, const std::string& id) {
  Write("info", fmt::format("{}: Refreshing state...{}", address.ToString(), IdSuffix(id)), "refresh_start",
        {{"hook", json::object{{"resource", UiResource(address)}, {"id_key", "id"}, {"id_value", id}}}});
}

void UiStream::RefreshComplete(const ResourceAddress& address, const std::string& id) {
  Write("info", fmt::format("{}: Refresh complete{}", address.ToString(), IdSuffix(id)), "refresh_complete",
        {{"hook", json::object{{"resource", UiResource(address)}, {"id_key", "id"}, {"id_value", id}}}});
}

void UiStream::ApplyStart(const engine::ResourceChange& change) {
  Write("info", fmt::format("{}: {}...{}", change.address.ToString(), VerbsOf(change.action).going, IdSuffix(change.id)),
        "apply_start", {{"hook", ApplyHook(change)}});
}

void UiStream::ApplyComplete(const engine::ResourceChange& change, std::chrono::duration<double> elapsed) {
  json::object hook = ApplyHook(change);
  hook["elapsed_seconds"] = WholeSeconds(elapsed);
  Write("info", fmt::format("{}: {} complete after {}s{}", change.address.ToString(), VerbsOf(change.action).done,
                            WholeSeconds(elapsed), IdSuffix(change.id)),
        "apply_complete", {{"hook", std::move(hook)}});
}

void UiStream::ApplyErrored(const engine::ResourceChange& change, std::chrono::duration<double> elapsed) {
  json::object hook{{"resource", UiResource(change.address)}, {"action", UiAction(change.action)},
                    {"elapsed_seconds", WholeSeconds(elapsed)}};
  Write("error", fmt::format("{}: {} errored after {}s", change.address.ToString(), VerbsOf(change.action).done,
                             WholeSeconds(elapsed)),
        "apply_errored", {{"hook", std::move(hook)}});
}

void UiStream::Outputs(const Value::Map& outputs) {
  json::object out;
  for (const auto& [name, value] : outputs) {
    json::object output{{"sensitive", value.ContainsSensitive()}};
    if (!value.ContainsSensitive()) output["value"] = Redacted(value);
    out[name] = std::move(output);
  }
  Write("info", fmt::format("Outputs: {}", outputs.size()), "outputs", {{"outputs", std::move(out)}});
}

void UiStream::Own(const std::string& type, const std::string& message, json::object fields, const char* level) {
  Write(level, message, kOwnTypePrefix + type, std::move(fields));
}

}  // namespace stashform::render
