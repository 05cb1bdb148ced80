#include "reconciler/render/plan_representation.h"

#include <boost/json.hpp>

#include <functional>
#include <set>

#include "reconciler/render/json.h"
#include "reconciler/render/json_stream.h"

namespace stashform::render {

namespace json = boost::json;
using engine::Action;

namespace {

/// Writes the resources of one module ("" for the root) as items of an array.
using ModuleResources = std::function<void(const std::string& module, JsonItems& items)>;

std::string ProviderName(const std::string& type) { return type.substr(0, type.find('.')); }

/// One object in planned_values or a state's values: Terraform's resource value representation.
json::object ResourceValues(const ResourceAddress& address, const Value::Map& attributes) {
  json::object values;
  for (const auto& [name, value] : attributes) values[name] = Redacted(value);
  return {{"address", address.ToString()}, {"mode", "managed"}, {"type", address.type}, {"name", address.name},
          {"provider_name", ProviderName(address.type)}, {"schema_version", 0}, {"values", std::move(values)},
          {"sensitive_values", SensitiveJson(attributes)}};
}

/// A module's resources then its child modules (the root only; stashform modules do not nest).
/// The modules are few, so one pass over the resources per module keeps the writer free of a copy.
void WriteModule(JsonMembers& module, const std::set<std::string>& children, const ModuleResources& write) {
  {
    JsonItems resources(module.Key("resources"));
    write("", resources);
  }
  if (children.empty()) return;
  JsonItems child_modules(module.Key("child_modules"));
  for (const auto& name : children) {
    JsonMembers child(child_modules.Next());
    child.Put("address", json::string("module." + name));
    JsonItems resources(child.Key("resources"));
    write(name, resources);
  }
}

/// Terraform's output values: a secret's value is left out, its mark kept.
json::object OutputValues(const Value::Map& outputs) {
  json::object out;
  for (const auto& [name, value] : outputs) {
    json::object output{{"sensitive", value.ContainsSensitive()}};
    if (!value.ContainsSensitive()) output["value"] = Redacted(value);
    out[name] = std::move(output);
  }
  return out;
}

void WriteStateValues(std::ostream& out, const state::State& state) {
  JsonMembers values(out);
  values.Put("outputs", OutputValues(state.outputs));
  std::set<std::string> children;
  for (const auto& resource : state.resources)
    if (!resource.address.module.empty()) children.insert(resource.address.module);
  JsonMembers root(values.Key("root_module"));
  WriteModule(root, children, [&state](const std::string& module, JsonItems& items) {
    for (const auto& resource : state.resources)
      if (resource.address.module == module) items.Put(ResourceValues(resource.address, resource.attributes));
  });
}

/// planned_values: every object as it will be once applied (deleted ones left out).
void WritePlannedValues(std::ostream& out, const engine::Plan& plan) {
  JsonMembers values(out);
  json::object outputs;
  for (const auto& output : plan.output_changes) {
    if (output.action == Action::kDelete) continue;
    json::object entry{{"sensitive", output.after.ContainsSensitive()}};
    if (!output.after.ContainsSensitive() && !output.after.ContainsUnknown()) entry["value"] = Redacted(output.after);
    outputs[output.name] = std::move(entry);
  }
  values.Put("outputs", outputs);
  std::set<std::string> children;
  for (const auto& change : plan.changes)
    if (!change.address.module.empty()) children.insert(change.address.module);
  JsonMembers root(values.Key("root_module"));
  WriteModule(root, children, [&plan](const std::string& module, JsonItems& items) {
    for (const auto& change : plan.changes)
      if (change.address.module == module && change.action != Action::kDelete)
        items.Put(ResourceValues(change.address, PlannedAttributes(change)));
  });
}

/// A resource change with the refactorings that led to it: a moved block's old address, an
/// import block's id.
json::object ResourceChangeJson(const engine::ResourceChange& change, const engine::Plan& plan) {
  json::object out = ResourceJson(change);
  for (const auto& edit : plan.state_edits) {
    if (edit.to != change.address) continue;
    if (edit.kind == engine::StateEdit::Kind::kMove) out["previous_address"] = edit.from.ToString();
    if (edit.kind == engine::StateEdit::Kind::kImport)
      out["change"].as_object()["importing"] = json::object{{"id", edit.id}};
  }
  return out;
}

/// An expression as written: its references, or its value when it has none; a secret's value is
/// never written (Terraform shows a sensitive variable as a reference too).
json::object ExpressionJson(const Value& value, bool sensitive) {
  std::vector<Value::Reference> references;
  value.CollectReferences(references);
  if (!references.empty()) {
    json::array names;
    for (const auto& reference : references) {
      names.push_back(json::string(reference.address + "." + reference.attribute));
      names.push_back(json::string(reference.address));
    }
    return {{"references", std::move(names)}};
  }
  if (sensitive || value.ContainsSensitive() || value.ContainsUnknown()) return {};
  return {{"constant_value", value.ToJson()}};
}

json::object ExpressionsJson(const Value::Map& attributes, const ResourceSchema* schema) {
  json::object out;
  for (const auto& [name, value] : attributes) {
    const AttributeSchema* attribute = schema ? schema->Find(name) : nullptr;
    out[name] = ExpressionJson(value, !attribute || attribute->sensitive || attribute->write_only);
  }
  return out;
}

json::object ConfigResourceJson(const dsl::ResourceBlock& block, const provider::Registry& registry) {
  const ResourceAddress relative{"", block.address.type, block.address.name};
  json::array depends_on;
  for (const auto& address : block.depends_on) depends_on.push_back(json::string(address));
  json::object out{{"address", relative.ToString()},
                   {"mode", "managed"},
                   {"type", block.address.type},
                   {"name", block.address.name},
                   {"provider_config_key", block.server},
                   {"expressions", ExpressionsJson(block.attributes, registry.FindSchema(block.address.type))},
                   {"schema_version", 0}};
  if (!depends_on.empty()) out["depends_on"] = std::move(depends_on);
  return out;
}

/// configuration: the server blocks as provider configs, the outputs, and every resource block
/// (a module's under module_calls), each written as it is met.
void WriteConfiguration(std::ostream& out, const dsl::Config& config, const provider::Registry& registry) {
  JsonMembers configuration(out);
  json::object providers;
  for (const auto& server : config.servers)
    providers[server.name] = json::object{{"name", ProviderName(server.type)},
                                          {"full_name", "stashform/" + ProviderName(server.type)},
                                          {"expressions", ExpressionsJson(server.attributes, registry.FindSchema(server.type))}};
  configuration.Put("provider_config", providers);
  JsonMembers root(configuration.Key("root_module"));
  json::object outputs;
  for (const auto& output : config.outputs) {
    json::object entry{{"expression", ExpressionJson(output.value, output.sensitive)}, {"sensitive", output.sensitive}};
    if (!output.description.empty()) entry["description"] = output.description;
    outputs[output.name] = std::move(entry);
  }
  root.Put("outputs", outputs);
  std::set<std::string> modules;
  auto write = [&](const std::string& module, JsonItems& items) {
    for (const auto& block : config.resources)
      if (block.address.module == module) items.Put(ConfigResourceJson(block, registry));
  };
  {
    JsonItems resources(root.Key("resources"));
    write("", resources);
  }
  for (const auto& block : config.resources)
    if (!block.address.module.empty()) modules.insert(block.address.module);
  if (modules.empty()) return;
  JsonMembers calls(root.Key("module_calls"));
  for (const auto& name : modules) {
    JsonMembers call(calls.Key(name));
    call.Put("source", json::string(name));
    JsonMembers module(call.Key("module"));
    JsonItems resources(module.Key("resources"));
    write(name, resources);
  }
}

/// The attributes whose drift the plan took into account: every drifted one.
json::array RelevantAttributes(const engine::Plan& plan) {
  json::array out;
  for (const auto& entry : plan.drift)
    for (const auto& diff : entry.diffs)
      out.push_back(json::object{{"resource", entry.address.ToString()}, {"attribute", json::array{json::string(diff.name)}}});
  return out;
}

void WriteStateDocument(std::ostream& out, const state::State& state) {
  JsonMembers document(out);
  document.Put("format_version", kStateFormatVersion);
  document.Put("terraform_version", STASHFORM_VERSION);
  WriteStateValues(document.Key("values"), state);
}

}  // namespace

void WritePlanRepresentation(std::ostream& out, const PlanDocument& document) {
  const engine::Plan& plan = document.plan;
  const bool errored = plan.diagnostics.HasErrors();
  JsonMembers top(out);
  top.Put("format_version", kPlanFormatVersion);
  top.Put("terraform_version", STASHFORM_VERSION);
  WritePlannedValues(top.Key("planned_values"), plan);
  {
    JsonItems drift(top.Key("resource_drift"));
    for (const auto& entry : plan.drift) drift.Put(DriftJson(entry));
  }
  {
    JsonItems changes(top.Key("resource_changes"));
    for (const auto& change : plan.changes) changes.Put(ResourceChangeJson(change, plan));
  }
  top.Put("output_changes", OutputChangesJson(plan));
  WriteStateDocument(top.Key("prior_state"), document.prior);
  WriteConfiguration(top.Key("configuration"), document.config, document.registry);
  top.Put("relevant_attributes", RelevantAttributes(plan));
  top.Put("checks", json::array{});
  top.Put("timestamp", json::string(document.timestamp));
  top.Put("applyable", plan.HasChanges() && !errored);
  // Terraform calls a plan complete when applying it leaves nothing for a next plan to do: a
  // -target or -exclude plan leaves the rest.
  top.Put("complete", document.options.targets.empty() && document.options.excludes.empty());
  top.Put("errored", errored);
}

void WriteStateRepresentation(std::ostream& out, const state::State& state) { WriteStateDocument(out, state); }

}  // namespace stashform::render
