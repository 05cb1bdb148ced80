#include "reconciler/engine/natural_keys.h"

#include <map>
#include <utility>
#include <vector>

namespace stashform::engine {

namespace {

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

}  // namespace stashform::engine
