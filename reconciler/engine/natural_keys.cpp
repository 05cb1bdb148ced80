#include "reconciler/engine/natural_keys.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace stashform::engine {

namespace {

Value LookupIn(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? Value() : it->second;
}

/// Whether a lookup by this change's key can tell anything now.
bool NeedsLookup(const ResourceChange& change, const state::State& state, const Servers& servers,
                 const Refreshed& refreshed) {
  if (change.action != Action::kCreate || change.natural_key.empty()) return false;
  if (state.Find(change.address) || refreshed.FoundByKey(change.address)) return false;
  for (const auto& [name, value] : change.natural_key)
    if (value.ContainsUnknown()) return false;  // known only after apply: apply looks it up
  const auto* schema = servers.registry().FindSchema(change.address.type);
  // A type that only binds an object made elsewhere finds that object, not a binding.
  return schema && schema->recreatable;
}

}  // namespace

bool LookUpPlannedCreates(const Plan& plan, const state::State& state, const Servers& servers, Refreshed& refreshed) {
  std::map<std::pair<std::string, std::string>, std::vector<const ResourceChange*>> groups;
  for (const auto& change : plan.changes)
    if (NeedsLookup(change, state, servers, refreshed)) groups[{change.server, change.address.type}].push_back(&change);
  bool found_any = false;
  for (const auto& [key, changes] : groups) {
    provider::ResourceType* type = servers.Type(key.first, key.second);
    if (!type) continue;
    std::vector<Value::Map> keys;
    keys.reserve(changes.size());
    for (const auto* change : changes) keys.push_back(change->natural_key);
    std::vector<provider::FoundObjects> answers = type->FindMany(keys);
    for (size_t i = 0; i < changes.size() && i < answers.size(); ++i) {
      for (auto d : answers[i].diagnostics.items()) {
        if (d.subject.empty()) d.subject = changes[i]->address.ToString();
        d.message = "looking it up by its natural key before creating it: " + d.message;
        refreshed.diagnostics.Add(std::move(d));
      }
      found_any = found_any || !answers[i].objects.empty();
      refreshed.by_natural_key[changes[i]->address] = std::move(answers[i]);
    }
  }
  return found_any;
}

/// "name", or "project, repository, name and url": the key an adoption's reason names.
std::string KeyWords(const ResourceSchema& schema) {
  for (const auto& name : schema.natural_key)
    if (name == "name") return "name";
  std::string words;
  for (size_t i = 0; i < schema.natural_key.size(); ++i)
    words += (i == 0 ? "" : i + 1 == schema.natural_key.size() ? " and " : ", ") + schema.natural_key[i];
  return words;
}

/// The values a create would yield that only its answer carries (a generated private key), which
/// an adopted object lacks: each is said once, with what replacing the object breaks.
void WarnUnknownCreateAnswerValues(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                                   provider::ResourceType& type, const Value::Map& proposed, Plan& plan) {
  auto created = type.Plan({true, {}, proposed});
  for (const auto& attr : schema.attributes) {
    if (!attr.create_answer_only || !LookupIn(created.planned, attr.name).is_unknown()) continue;
    std::string message = attr.name + " is unknown: this state never held it (the object was adopted, not created " +
                          "here), so references to it stay empty and the plan keeps the object as it is";
    std::string hint = "rotating it (stashform apply -replace='" + block.address.ToString() + "') makes a new one";
    if (!attr.held_by.empty()) hint += " and breaks " + attr.held_by + " until it is given the new value";
    plan.diagnostics.Warning(block.pos, block.address.ToString(), message, hint);
  }
}

/// The refusal for an object that cannot be adopted (a token): named, with its two ways out.
void RefuseConflict(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                    const provider::ImportResponse& found, Plan& plan) {
  auto cut = block.address.type.find_last_of("._");
  std::string noun = cut == std::string::npos ? block.address.type : block.address.type.substr(cut + 1);
  const bool vowel = !noun.empty() && std::string("aeiou").find(noun[0]) != std::string::npos;
  std::string import_id = found.import_id.empty() ? found.id : found.import_id;
  plan.diagnostics.Error(
      block.pos, block.address.ToString(),
      (vowel ? "an " : "a ") + noun + " with the same " + KeyWords(schema) + " already exists (id " + found.id +
          ") and no state records it; its value cannot be read back, so stashform neither adopts it nor makes a second one",
      "keep it with \"stashform import '" + block.address.ToString() + "' " + import_id +
          "\" (its value stays unknown to stashform), or set on_conflict = \"replace\" to delete it and create a new one");
}

}  // namespace stashform::engine
