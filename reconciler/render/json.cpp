#include "reconciler/render/json.h"

#include <boost/json.hpp>
#include <ostream>
#include <sstream>

namespace stashform::render {

namespace json = boost::json;
using engine::Action;

json::value Redacted(const Value& value) {
  if (value.sensitive() || value.is_unknown()) return nullptr;
  if (value.is_list()) {
    json::array out;
    for (const auto& item : value.as_list()) out.push_back(Redacted(item));
    return out;
  }
  if (value.is_map()) {
    json::object out;
    for (const auto& [key, item] : value.as_map()) out[key] = Redacted(item);
    return out;
  }
  return value.ToJson();
}

namespace {

json::value ValuesJson(const Value::Map& attributes, bool present) {
  if (!present) return nullptr;
  json::object out;
  for (const auto& [name, value] : attributes) out[name] = Redacted(value);
  return out;
}

json::object UnknownJson(const Value::Map& attributes) {
  json::object out;
  for (const auto& [name, value] : attributes)
    if (value.ContainsUnknown()) out[name] = true;
  return out;
}

}  // namespace

json::object SensitiveJson(const Value::Map& attributes) {
  json::object out;
  for (const auto& [name, value] : attributes)
    if (value.ContainsSensitive()) out[name] = value.SensitivityJson();
  return out;
}

namespace {

}  // namespace

/// An attribute the config leaves out keeps its value (or takes the one its diff names), so that
/// before and after carry the same keys as Terraform's do.
Value::Map PlannedAttributes(const engine::ResourceChange& change) {
  if (change.action == Action::kNoOp) return change.before;
  Value::Map after = change.after;
  if (change.action == Action::kCreate || change.action == Action::kDelete) return after;
  for (const auto& [name, value] : change.before) {
    if (after.count(name)) continue;
    after[name] = value;
    for (const auto& diff : change.diffs)
      if (diff.name == name) after[name] = diff.after;
  }
  return after;
}

namespace {

/// The object as it is, with a null for each key only the planned object has.
Value::Map BeforeWithEveryKey(const engine::ResourceChange& change, const Value::Map& after) {
  Value::Map before = change.before;
  if (change.action == Action::kUpdate || change.action == Action::kReplace)
    for (const auto& [name, value] : after) before.try_emplace(name, Value());
  return before;
}

json::object ChangeJson(const engine::ResourceChange& change) {
  const bool has_before = change.action != Action::kCreate;
  const bool has_after = change.action != Action::kDelete;
  const Value::Map after = PlannedAttributes(change);
  const Value::Map before = BeforeWithEveryKey(change, after);
  json::object body{{"actions", ActionsJson(change)},
                    {"before", ValuesJson(before, has_before)},
                    {"after", ValuesJson(after, has_after)},
                    {"after_unknown", UnknownJson(has_after ? after : Value::Map{})},
                    {"before_sensitive", has_before ? json::value(SensitiveJson(before)) : json::value(false)},
                    {"after_sensitive", has_after ? json::value(SensitiveJson(after)) : json::value(false)}};
  json::array replace_paths;
  for (const auto& diff : change.diffs)
    if (diff.forces_replacement) replace_paths.push_back(json::array{json::string(diff.name)});
  if (!replace_paths.empty()) body["replace_paths"] = replace_paths;
  // Terraform's shape for an object the plan imports rather than creates.
  if (change.adopt) body["importing"] = json::object{{"id", change.id}};
  return body;
}

}  // namespace

/// Terraform's action_reason where one fits; our own reasons go beside it.
std::string ActionReason(const engine::ResourceChange& change) {
  if (change.action == Action::kDelete) return "delete_because_no_resource_config";
  if (change.action != Action::kReplace) return "";
  for (const auto& reason : change.reasons)
    if (reason == engine::kReplaceRequestedReason) return "replace_by_request";
  return "replace_because_cannot_update";
}

json::object ResourceJson(const engine::ResourceChange& change) {
  const auto& a = change.address;
  json::object out{{"address", a.ToString()}, {"mode", "managed"}, {"type", a.type}, {"name", a.name},
                   {"provider_name", a.type.substr(0, a.type.find('.'))}, {"change", ChangeJson(change)}};
  if (!a.module.empty()) out["module_address"] = "module." + a.module;
  if (std::string reason = ActionReason(change); !reason.empty()) out["action_reason"] = reason;
  json::array reasons;
  for (const auto& r : change.reasons) reasons.push_back(json::string(r));
  out["stashform_reasons"] = reasons;
  return out;
}

json::object DriftJson(const engine::DriftEntry& entry) {
  engine::ResourceChange change;
  change.address = entry.address;
  change.action = entry.deleted ? Action::kDelete : Action::kUpdate;
  for (const auto& diff : entry.diffs) {
    change.before[diff.name] = diff.before;
    change.after[diff.name] = diff.after;
  }
  json::object out = ResourceJson(change);
  out.erase("action_reason");
  out.erase("stashform_reasons");
  return out;
}

namespace {

/// Terraform's action list; a replacement names its order.
json::array ActionList(Action action, bool create_before_destroy) {
  switch (action) {
    case Action::kNoOp: return {"no-op"};
    case Action::kCreate: return {"create"};
    case Action::kUpdate: return {"update"};
    case Action::kDelete: return {"delete"};
    case Action::kReplace: return create_before_destroy ? json::array{"create", "delete"} : json::array{"delete", "create"};
  }
  return {};
}

}  // namespace

json::object OutputChangesJson(const engine::Plan& plan) {
  json::object out;
  for (const auto& output : plan.output_changes) {
    const bool has_before = output.action != Action::kCreate, has_after = output.action != Action::kDelete;
    out[output.name] = json::object{
        {"actions", ActionList(output.action, false)},
        {"before", has_before ? Redacted(output.before) : json::value(nullptr)},
        {"after", has_after ? Redacted(output.after) : json::value(nullptr)},
        {"after_unknown", has_after && output.after.ContainsUnknown()},
        {"before_sensitive", has_before && output.before.ContainsSensitive()},
        {"after_sensitive", has_after && output.after.ContainsSensitive()}};
  }
  return out;
}

json::array ActionsJson(const engine::ResourceChange& change) {
  return ActionList(change.action, change.create_before_destroy);
}

json::value PlanJson(const engine::Plan& plan) {
  json::array changes, drift;
  for (const auto& change : plan.changes) changes.push_back(ResourceJson(change));
  for (const auto& entry : plan.drift) drift.push_back(DriftJson(entry));
  return json::object{{"format_version", "1.2"},
                      {"stashform_version", STASHFORM_VERSION},
                      {"resource_changes", changes},
                      {"resource_drift", drift},
                      {"output_changes", OutputChangesJson(plan)},
                      {"errored", plan.diagnostics.HasErrors()}};
}

void WritePlanJson(std::ostream& out, const engine::Plan& plan) {
  // The text of PlanJson(plan), written one resource at a time: a tree of 100,000 changes would
  // take several times the memory of the plan itself, and the whole text 40 MiB more.
  out << R"({"format_version":"1.2","stashform_version":)" << json::value(STASHFORM_VERSION)
      << R"(,"resource_changes":[)";
  for (size_t i = 0; i < plan.changes.size(); ++i) out << (i ? "," : "") << ResourceJson(plan.changes[i]);
  out << R"(],"resource_drift":[)";
  for (size_t i = 0; i < plan.drift.size(); ++i) out << (i ? "," : "") << DriftJson(plan.drift[i]);
  out << R"(],"output_changes":)" << OutputChangesJson(plan) << R"(,"errored":)"
      << (plan.diagnostics.HasErrors() ? "true}" : "false}");
}

std::string RenderPlanJson(const engine::Plan& plan) {
  std::ostringstream out;
  WritePlanJson(out, plan);
  return std::move(out).str();
}

namespace {

/// Objects waiting on a person (engine::PendingNote): reported beside drift, never counted as it.
json::array PendingJson(const engine::Plan& plan) {
  json::array pending;
  for (const auto& entry : plan.pending)
    pending.push_back(json::object{{"address", entry.address.ToString()}, {"note", entry.note}});
  return pending;
}

}  // namespace

std::string RenderDriftJson(const engine::Plan& plan, const engine::Discovery& discovery) {
  json::array drift, unmanaged, detached;
  for (const auto& entry : plan.drift) drift.push_back(DriftJson(entry));
  for (const auto& object : discovery.objects)
    (object.detached_stack ? detached : unmanaged)
        .push_back(json::object{{"server", object.server}, {"type", object.type}, {"id", object.id},
                                {"description", object.description}});
  const bool drifted = !drift.empty() || !unmanaged.empty() || !detached.empty();
  // One document for a cron job: what changed, what nobody declared, which stacks lost their
  // integration, and what waits on a person (never counted as drift).
  return json::serialize(json::object{{"format_version", "1.1"},
                                      {"drifted", drifted},
                                      {"resource_drift", drift},
                                      {"unmanaged", unmanaged},
                                      {"detached_stacks", detached},
                                      {"pending_verifications", PendingJson(plan)},
                                      {"ignored_unmanaged", discovery.ignored},
                                      {"errored", discovery.diagnostics.HasErrors()}});
}

}  // namespace stashform::render
