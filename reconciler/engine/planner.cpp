#include "reconciler/engine/planner.h"

#include "reconciler/engine/graph.h"
#include "reconciler/engine/natural_keys.h"
#include "reconciler/engine/plan_scope.h"
#include "reconciler/engine/references.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace stashform::engine {

namespace {

Value Lookup(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? Value() : it->second;
}

Value Normalized(const AttributeSchema& attr, Value value) {
  if (attr.type == AttrType::kStringSet && value.is_list()) {
    // Sorted by key into a new list: sorting Values in place trips GCC 12's uninitialised warning.
    std::map<std::string, Value> sorted;
    for (const auto& item : value.as_list()) sorted.emplace(item.RenderRevealed(), item);
    Value::List items;
    for (auto& [key, item] : sorted) items.push_back(std::move(item));
    bool sensitive = value.sensitive();
    value = Value(std::move(items));
    value.MarkSensitive(sensitive);
  }
  if (attr.sensitive) value.MarkSensitive();
  return value;
}

bool Ignored(const dsl::ResourceBlock& block, const std::string& name) {
  const auto& ignored = block.lifecycle.ignore_changes;
  return std::find(ignored.begin(), ignored.end(), name) != ignored.end();
}

// Drift: what refresh found against what state recorded.
void FindDrift(const ResourceSchema& schema, const state::ResourceState& recorded,
               const provider::ReadResponse& found, Plan& plan) {
  DriftEntry entry;
  entry.address = recorded.address;
  if (found.gone) {
    entry.deleted = true;
    plan.drift.push_back(std::move(entry));
    return;
  }
  for (const auto& attr : schema.attributes) {
    Value before = Normalized(attr, Lookup(recorded.attributes, attr.name));
    Value after = Normalized(attr, Lookup(found.attributes, attr.name));
    if (!AttributeValuesEqual(attr, before, after)) entry.diffs.push_back({attr.name, before, after, false});
  }
  if (!entry.diffs.empty()) plan.drift.push_back(std::move(entry));
}

// A resource type's plan diagnostics name no place; the block's line (the user's, for a block a
// recipe declared) is theirs, so that a check across attributes reads like any config error.
void AppendPlaced(Diagnostics& into, const Diagnostics& from, const dsl::ResourceBlock& block) {
  for (Diagnostic diagnostic : from.items()) {
    if (!diagnostic.pos.known()) diagnostic.pos = block.call_site.known() ? block.call_site : block.pos;
    if (diagnostic.subject.empty()) diagnostic.subject = block.address.ToString();
    into.Add(std::move(diagnostic));
  }
}

ResourceChange PlanCreate(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                          provider::ResourceType& type, const Value::Map& proposed, std::string reason,
                          Plan& plan) {
  ResourceChange change;
  change.address = block.address;
  change.server = block.server;
  change.pos = block.pos;
  change.action = Action::kCreate;
  if (!reason.empty()) change.reasons.push_back(std::move(reason));
  auto response = type.Plan({true, {}, proposed});
  AppendPlaced(plan.diagnostics, response.diagnostics, block);
  change.after = NormalizedAttributes(schema, std::move(response.planned));
  for (const auto& attr : schema.attributes) {
    Value after = Lookup(change.after, attr.name);
    if (!after.is_null()) change.diffs.push_back({attr.name, Value(), after, false});
  }
  return change;
}

/// `owned`, when set, is `current` itself, handed over: the change takes it instead of a copy.
ResourceChange PlanExisting(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                            provider::ResourceType& type, const state::ResourceState& recorded,
                            const Value::Map& current, const std::vector<std::string>& notes,
                            const Value::Map& proposed, Plan& plan, Value::Map* owned = nullptr) {
  ResourceChange change;
  change.address = block.address;
  change.server = block.server;
  change.pos = block.pos;
  change.id = recorded.id;
  change.create_before_destroy = block.lifecycle.create_before_destroy;
  Value::Map desired = proposed;
  for (const auto& name : block.lifecycle.ignore_changes)
    if (auto it = current.find(name); it != current.end()) desired[name] = it->second;
  auto response = type.Plan({false, current, desired});
  AppendPlaced(plan.diagnostics, response.diagnostics, block);
  // After the type's plan, the last reader of `current`.
  change.before = owned ? NormalizedAttributes(schema, std::move(*owned)) : NormalizedAttributes(schema, current);
  change.after = NormalizedAttributes(schema, std::move(response.planned));
  std::set<std::string> replace(response.requires_replace.begin(), response.requires_replace.end());
  for (const auto& attr : schema.attributes) {
    if (!attr.settable() || Ignored(block, attr.name)) continue;
    Value before = Lookup(change.before, attr.name);
    Value after = Lookup(change.after, attr.name);
    if (AttributeValuesEqual(attr, after, before)) continue;
    bool forces = replace.count(attr.name) > 0;
    change.diffs.push_back({attr.name, before, after, forces});
    bool intended = !AttributeValuesEqual(attr, after, Lookup(recorded.attributes, attr.name));
    change.reasons.push_back(attr.name + ": " + (intended ? (forces ? "forces replacement" : "changed in config")
                                                          : (forces ? "changed outside stashform, forces replacement"
                                                                    : "changed outside stashform")));
  }
  if (!replace.empty()) {
    change.action = Action::kReplace;
    // The replacement is a new object: what the server assigns (its id) is not the old one's.
    for (const auto& attr : schema.attributes)
      if (!attr.settable()) change.after[attr.name] = Value::UnknownValue();
  } else if (!change.diffs.empty()) {
    change.action = Action::kUpdate;
  }
  if (change.action != Action::kNoOp)
    change.reasons.insert(change.reasons.end(), notes.begin(), notes.end());
  return change;
}

/// The word a type goes by in reasons: "integration" for spacelift.bitbucket_datacenter_integration.
std::string Noun(const std::string& type) {
  auto cut = type.find_last_of("._");
  return cut == std::string::npos ? type : type.substr(cut + 1);
}

/// Whether a replacement's new object would get the old object's id: its identity attributes
/// equal the old object's, or the type tells that a create with them gets the recorded id (the old
/// object renamed by hand keeps its id, but no longer has the name the id derives from).
bool NewObjectTakesTheOldId(const ResourceSchema& schema, const provider::ResourceType& type,
                            const ResourceChange& change) {
  if (!change.id.empty() && type.IdOfNewObject(change.after) == change.id) return true;
  if (schema.identity.empty()) return false;
  for (const auto& name : schema.identity) {
    const auto* attr = schema.Find(name);
    if (!attr || !AttributeValuesEqual(*attr, Lookup(change.after, name), Lookup(change.before, name))) return false;
  }
  return true;
}

/// create_before_destroy needs the new object beside the old one. When the new object would get
/// the old id, the create would find the old object and the destroy that follows would delete
/// it. Such a replacement goes delete-first.
void OrderSameIdentityDeleteFirst(const ResourceSchema& schema, const provider::ResourceType& type,
                                  ResourceChange& change) {
  if (change.action != Action::kReplace || !change.create_before_destroy) return;
  if (!NewObjectTakesTheOldId(schema, type, change)) return;
  change.create_before_destroy = false;
  change.reasons.push_back(std::string(kDeleteFirstReason) + " \"" + change.id + "\"");
}

/// Whether `address` will hold a new remote object: replaced, or re-created after a deletion.
bool Recreated(const ResourceChange& change, const state::State& state) {
  return change.action == Action::kReplace || (change.action == Action::kCreate && state.Find(change.address));
}

/// A value that is "known after apply" only because a resource it refers to is re-created says
/// so, rather than claiming the config changed: `secret: follows the re-created integration`.
/// Such a change is also written even if apply finds its values equal: the server may have reset
/// the object when the one it refers to went (Spacelift detaches the stacks of a deleted integration).
void FollowRecreatedDependencies(const dsl::ResourceBlock& block, const state::State& state,
                                 const std::function<const ResourceChange*(const ResourceAddress&)>& planned,
                                 ResourceChange& change) {
  if (change.action != Action::kUpdate) return;
  for (const auto& diff : change.diffs) {
    auto written = block.attributes.find(diff.name);
    if (!diff.after.ContainsUnknown() || written == block.attributes.end()) continue;
    std::vector<Value::Reference> references;
    written->second.CollectReferences(references);
    for (const auto& reference : references) {
      auto address = ResourceAddress::Parse(reference.address);
      const ResourceChange* source = address ? planned(*address) : nullptr;
      if (!source || !Recreated(*source, state)) continue;
      std::string reason = diff.name + ": follows the re-created " + Noun(address->type);
      for (auto& existing : change.reasons)
        if (existing.rfind(diff.name + ": ", 0) == 0) existing = reason;
      change.write_always = true;
      break;
    }
  }
}

/// A recorded object that is gone and that its type cannot make again: the plan forgets the record
/// and says so at the user's own line, with the recipe's line under it.
ResourceChange PlanForget(const dsl::ResourceBlock& block, const state::ResourceState& recorded,
                          const provider::ReadResponse& found, Plan& plan) {
  ResourceChange change;
  change.address = block.address;
  change.server = block.server;
  change.pos = block.pos;
  change.id = recorded.id;
  change.forget = true;
  std::string gone;
  for (const auto& note : found.notes) gone += (gone.empty() ? "" : "; ") + note;
  if (gone.empty()) gone = "the remote object \"" + recorded.id + "\" no longer exists";
  std::string message = gone + "; a " + Noun(block.address.type) + " cannot re-create it, so this plan forgets it";
  if (block.call_site.known()) message += "\n  declared in the recipe at " + block.pos.ToString();
  plan.diagnostics.Warning(block.call_site.known() ? block.call_site : block.pos, block.address.ToString(), message,
                           "remove it from the config, or declare what it needs");
  plan.state_notes.push_back("forget " + block.address.ToString() + ": " + gone);
  return change;
}

/// The values only a create answer carries that the recorded object lacks because it was adopted
/// after that answer was lost, among those a create with this config would yield.
std::vector<std::string> LostCreateAnswerValues(const ResourceSchema& schema, provider::ResourceType& type,
                                                const state::ResourceState& recorded, const Value::Map& proposed) {
  std::vector<std::string> lost;
  if (!recorded.create_answer_lost) return lost;
  auto created = type.Plan({true, {}, proposed});
  for (const auto& attr : schema.attributes)
    if (attr.create_answer_only && !recorded.private_data.count(attr.name) &&
        Lookup(created.planned, attr.name).is_unknown())
      lost.push_back(attr.name);
  return lost;
}

/// Nothing can read such a value back, so only a new object has one. The adopted object is
/// deleted first (unless create_before_destroy says otherwise): nobody holds its value, so nothing
/// is lost meanwhile, and two objects never share the natural key a crash would look them up by.
void ReplaceForLostValues(const ResourceSchema& schema, const std::vector<std::string>& lost,
                          ResourceChange& change) {
  if (lost.empty()) return;
  change.action = Action::kReplace;
  for (const auto& name : lost) change.reasons.push_back(name + ": value lost: the create's answer was never saved");
  for (const auto& attr : schema.attributes)
    if (!attr.settable()) change.after[attr.name] = Value::UnknownValue();
}


}  // namespace

std::optional<Value> KnownValue(const ResourceChange& change, const state::ResourceState* recorded,
                                const std::string& attribute) {
  const bool existing = change.action == Action::kNoOp || change.action == Action::kUpdate;
  const Value::Map& attributes = change.action == Action::kNoOp ? change.before : change.after;
  if (auto it = attributes.find(attribute); it != attributes.end() && !it->second.is_null()) return it->second;
  // Values only a create answer carried (a token) live in private state.
  if (existing && recorded)
    if (auto it = recorded->private_data.find(attribute); it != recorded->private_data.end())
      return Value::Sensitive(it->second);
  if (!existing) return Value::UnknownValue();
  return std::nullopt;
}

Value::Map NormalizedAttributes(const ResourceSchema& schema, Value::Map attributes) {
  for (const auto& attr : schema.attributes)
    if (auto it = attributes.find(attr.name); it != attributes.end()) it->second = Normalized(attr, it->second);
  attributes.shrink_to_fit();  // a plan keeps these: no room left over from growing
  return attributes;
}

Value::Map ProposedAttributes(const ResourceSchema& schema, const Value::Map& written) {
  Value::Map proposed;
  for (const auto& attr : schema.attributes) {
    if (!attr.settable()) continue;
    Value value = Lookup(written, attr.name);
    if (value.is_null()) value = attr.default_value;
    if (!value.is_null()) proposed[attr.name] = Normalized(attr, value);
  }
  return proposed;
}

namespace {

bool Contains(const std::vector<ResourceAddress>& list, const ResourceAddress& address) {
  return std::find(list.begin(), list.end(), address) != list.end();
}

/// Outputs as the planned resources will leave them; references to what is created stay unknown.
void PlanOutputs(const dsl::Config& config, const state::State& state, const ReferenceLookup& lookup, Plan& plan) {
  std::set<std::string> declared;
  for (const auto& output : config.outputs) {
    OutputChange change{output.name, Action::kCreate, Value(), Resolve(output.value, lookup)};
    if (output.sensitive) change.after.MarkSensitive();
    if (auto it = state.outputs.find(output.name); it != state.outputs.end()) {
      change.before = it->second;
      change.action = change.after == change.before && !change.after.ContainsUnknown() ? Action::kNoOp : Action::kUpdate;
    }
    declared.insert(output.name);
    plan.output_changes.push_back(std::move(change));
  }
  for (const auto& [name, value] : state.outputs)
    if (!declared.count(name)) plan.output_changes.push_back({name, Action::kDelete, value, Value()});
}

/// Narrows the plan to its scope; -refresh-only keeps nothing but the refreshed view.
void Narrow(Plan& plan, const PlanScope& scope, const PlanOptions& options) {
  for (auto& change : plan.changes) {
    if (options.refresh_only || scope.LeavesOut(change.address)) {
      change.action = Action::kNoOp;
      change.diffs.clear();
      change.reasons.clear();
      change.adopt = false;
    }
  }
  plan.refresh_only = options.refresh_only;
}

/// The value of -replace: a change the user asked to replace although nothing forces it.
void ReplaceOnRequest(const ResourceSchema& schema, const PlanOptions& options, ResourceChange& change) {
  if (!Contains(options.replace, change.address)) return;
  if (change.action != Action::kUpdate && change.action != Action::kNoOp) return;
  change.action = Action::kReplace;
  change.reasons.push_back(kReplaceRequestedReason);
  for (const auto& attr : schema.attributes)
    if (!attr.settable()) change.after[attr.name] = Value::UnknownValue();
}

/// The values of the schema's natural key among `attributes`.
Value::Map NaturalKeyOf(const ResourceSchema& schema, const Value::Map& attributes) {
  Value::Map key;
  for (const auto& name : schema.natural_key)
    if (auto it = attributes.find(name); it != attributes.end()) key[name] = it->second;
  return key;
}

LifecycleFlags FlagsOf(const dsl::Lifecycle& lifecycle) {
  return {true, lifecycle.prevent_destroy, !lifecycle.destroy, lifecycle.ignore_changes};
}

/// Orders indices into a list of changes by the changes' addresses; finds an index by address.
struct ChangesByAddress {
  using is_transparent = void;
  const std::vector<ResourceChange>* changes;
  const ResourceAddress& At(size_t index) const { return (*changes)[index].address; }
  bool operator()(size_t a, size_t b) const { return At(a) < At(b); }
  bool operator()(size_t a, const ResourceAddress& b) const { return At(a) < b; }
  bool operator()(const ResourceAddress& a, size_t b) const { return a < At(b); }
};

/// PlanBuilder runs the steps of one MakePlan over the state they share: the graph, the scope and
/// where each address was planned. It lives for one call.
class PlanBuilder {
 public:
  /// With `taking`, the same object as `refreshed`: its answers' attributes go into the changes.
  PlanBuilder(const dsl::Config& config, const state::State& state, const Refreshed& refreshed,
              const Servers& servers, const PlanOptions& options, Refreshed* taking = nullptr)
      : config_(config), state_(state), refreshed_(refreshed), taking_(taking), servers_(servers),
        registry_(servers.registry()), options_(options) {}

  Plan Build() {
    // Drift: compare what state recorded with what refresh found.
    FindAllDrift();
    // Order by dependencies.
    graph_ = BuildGraph(config_, registry_);
    plan_.diagnostics.Append(graph_.diagnostics);
    if (graph_.diagnostics.HasErrors()) return std::move(plan_);
    scope_.emplace(graph_, options_);
    // From here on the graph is read only for each block's own edges (Completed takes them out
    // as it goes) and for the order; the plan of a large config is the process's peak, so
    // nothing of the graph outlives its use.
    std::vector<ResourceAddress>().swap(graph_.nodes);
    // Removed: the recorded objects whose block is gone. One change per block and per removed
    // object is reserved, so that the list is never copied.
    std::vector<const state::ResourceState*> removed = RemovedObjects();
    plan_.changes.reserve(graph_.order.size() + removed.size());
    // Desired: every block after the blocks it refers to, references resolved against their plans.
    for (const auto& address : graph_.order) PlanBlock(*config_.FindResource(address));
    graph_ = Graph();
    // Delete what was removed from the config.
    for (const auto* recorded : removed) PlanRemoved(*recorded);
    // Outputs, as the planned resources will leave them.
    PlanOutputs(config_, state_, Lookup(), plan_);
    for (const auto& output : config_.outputs) plan_.outputs.push_back({output.name, output.value, output.sensitive});
    // Narrow to -target, -exclude or -refresh-only.
    Narrow(plan_, *scope_, options_);
    return std::move(plan_);
  }

 private:
  void FindAllDrift() {
    for (const auto& recorded : state_.resources) {
      const auto* schema = registry_.FindSchema(recorded.address.type);
      const auto* found = refreshed_.Find(recorded.address);
      if (schema && found) FindDrift(*schema, recorded, *found, plan_);
    }
  }

  std::vector<const state::ResourceState*> RemovedObjects() const {
    std::vector<const state::ResourceState*> removed;
    for (const auto& recorded : state_.resources)
      if (!config_.FindResource(recorded.address)) removed.push_back(&recorded);
    return removed;
  }

  /// References resolve against the changes planned so far; the rest are known after apply.
  ReferenceLookup Lookup() {
    return [this](const std::string& text, const std::string& attribute) -> std::optional<Value> {
      auto address = ResourceAddress::Parse(text);
      const ResourceChange* change = address ? Planned(*address) : nullptr;
      if (!change) return Value::UnknownValue();
      return KnownValue(*change, state_.Find(*address), attribute);
    };
  }

  /// The refreshed attributes of `address` when this plan takes them (MakePlanTakingRefreshed).
  Value::Map* Takeable(const ResourceAddress& address) {
    if (!taking_) return nullptr;
    auto it = taking_->by_address.find(address);
    return it == taking_->by_address.end() ? nullptr : &it->second.attributes;
  }

  const ResourceChange* Planned(const ResourceAddress& address) const {
    auto at = planned_at_.find(address);
    return at == planned_at_.end() ? nullptr : &plan_.changes[*at];
  }

  void Add(ResourceChange change) {
    plan_.changes.push_back(std::move(change));
    const size_t at = plan_.changes.size() - 1;
    if (auto [same, added] = planned_at_.insert(at); !added) {  // the later plan of an address counts
      planned_at_.erase(same);
      planned_at_.insert(at);
    }
  }

  void PlanBlock(const dsl::ResourceBlock& block) {
    const auto* schema = registry_.FindSchema(block.address.type);
    provider::ResourceType* type = servers_.Type(block.server, block.address.type);
    if (!schema || !type) return PlanWithoutServer(block);
    ResourceChange change = Decide(block, *schema, *type);
    ReplaceOnRequest(*schema, options_, change);
    OrderSameIdentityDeleteFirst(*schema, *type, change);
    FollowRecreatedDependencies(block, state_, [this](const ResourceAddress& a) { return Planned(a); }, change);
    if (block.lifecycle.prevent_destroy && change.action == Action::kReplace)
      plan_.diagnostics.Error(block.pos, block.address.ToString(),
                              "lifecycle.prevent_destroy forbids replacing this object",
                              "change the attributes that force replacement back, or remove prevent_destroy");
    Add(Completed(block, *schema, std::move(change)));
  }

  /// A block left out by -target or -exclude is not planned, so its server is not needed: that is
  /// how a server configured from a resource made in this config gets its first apply.
  void PlanWithoutServer(const dsl::ResourceBlock& block) {
    if (scope_->LeavesOut(block.address)) {
      ResourceChange untouched;
      untouched.address = block.address;
      untouched.server = block.server;
      untouched.pos = block.pos;
      untouched.lifecycle = FlagsOf(block.lifecycle);
      return Add(std::move(untouched));
    }
    std::string why = servers_.Unavailable(block.server, block.address.type);
    plan_.diagnostics.Error(block.pos, block.address.ToString(),
                            why.empty() ? "server \"" + block.server + "\" is not configured for " + block.address.type
                                        : why);
  }

  /// Create, forget, re-create or compare with what exists.
  ResourceChange Decide(const dsl::ResourceBlock& block, const ResourceSchema& schema, provider::ResourceType& type) {
    Value::Map proposed = ProposedAttributes(schema, Resolve(block.attributes, Lookup()));
    const auto* recorded = state_.Find(block.address);
    const auto* found = recorded ? refreshed_.Find(block.address) : nullptr;
    if (!recorded) {
      const provider::ImportResponse* existing = UnrecordedWithKey(block);
      if (existing) return PlanFound(block, schema, type, proposed, *existing);
      return PlanCreate(block, schema, type, proposed, "", plan_);
    }
    if (found && found->gone && !schema.recreatable) return PlanForget(block, *recorded, *found, plan_);
    if (!found || found->gone)
      return PlanCreate(block, schema, type, proposed, "remote object deleted outside stashform", plan_);
    ResourceChange change = PlanExisting(block, schema, type, *recorded, found->attributes, found->notes, proposed,
                                         plan_, Takeable(block.address));
    ReplaceForLostValues(schema, LostCreateAnswerValues(schema, type, *recorded, proposed), change);
    return change;
  }

  /// The oldest object that a lookup by this block's natural key found and that neither state
  /// nor another block of this plan holds; null when there is none.
  const provider::ImportResponse* UnrecordedWithKey(const dsl::ResourceBlock& block) {
    const provider::FoundObjects* found = refreshed_.FoundByKey(block.address);
    if (!found) return nullptr;
    if (held_ids_.empty())
      for (const auto& resource : state_.resources) held_ids_.insert({resource.server, resource.address.type, resource.id});
    const provider::ImportResponse* first = nullptr;
    size_t free = 0;
    for (const auto& object : found->objects)
      if (!held_ids_.count({block.server, block.address.type, object.id})) {
        if (!first) first = &object;
        ++free;
      }
    if (free > 1)
      plan_.diagnostics.Warning(block.pos, block.address.ToString(),
                                std::to_string(free) + " objects have this block's natural key; the oldest (id " +
                                    first->id + ") is the one this plan takes",
                                "the others are listed by \"stashform drift\"; delete them by hand");
    if (first) held_ids_.insert({block.server, block.address.type, first->id});
    return first;
  }

  /// An existing object with the block's natural key: adopted and compared with the config, or
  /// replaced (on_conflict = "replace"), or refused (on_conflict = "fail", or a type that cannot
  /// be adopted).
  ResourceChange PlanFound(const dsl::ResourceBlock& block, const ResourceSchema& schema, provider::ResourceType& type,
                           const Value::Map& proposed, const provider::ImportResponse& existing) {
    const std::string on_conflict = block.on_conflict.empty() ? (schema.adoptable ? "adopt" : "fail") : block.on_conflict;
    if (on_conflict == "fail") {
      RefuseConflict(block, schema, existing, plan_);
      return PlanCreate(block, schema, type, proposed, "", plan_);
    }
    state::ResourceState recorded;
    recorded.address = block.address;
    recorded.server = block.server;
    recorded.id = existing.id;
    recorded.attributes = NormalizedAttributes(schema, existing.attributes);
    // What the server cannot report (a choice only the client makes) is taken as configured; a
    // secret it does not report is set again by the update its absence plans.
    for (const auto& attr : schema.attributes)
      if (attr.settable() && !attr.write_only && !recorded.attributes.count(attr.name) && proposed.count(attr.name))
        recorded.attributes[attr.name] = proposed.at(attr.name);
    ResourceChange change = PlanExisting(block, schema, type, recorded, recorded.attributes, {}, proposed, plan_);
    change.adopt = true;
    std::string reason = std::string(kAdoptedReason) + "an object with the same " + KeyWords(schema) +
                         " exists (id " + existing.id + ")";
    change.reasons.insert(change.reasons.begin(), reason);
    if (on_conflict == "replace") {
      change.action = Action::kReplace;
      change.reasons.push_back("on_conflict = \"replace\": the existing object is deleted and a new one created");
      for (const auto& attr : schema.attributes)
        if (!attr.settable()) change.after[attr.name] = Value::UnknownValue();
    } else {
      WarnUnknownCreateAnswerValues(block, schema, type, proposed, plan_);
    }
    return change;
  }

  /// What apply needs besides the decision: the block's attributes, lifecycle, natural key and
  /// dependencies. A no-op writes nothing: `before` stands for its `after` (KnownValue and the
  /// renderers read it), and apply never resolves its block again. Not copying either saves a
  /// third of a large plan's memory.
  ResourceChange Completed(const dsl::ResourceBlock& block, const ResourceSchema& schema, ResourceChange change) {
    change.lifecycle = FlagsOf(block.lifecycle);
    if (change.action == Action::kNoOp) {
      Value::Map().swap(change.after);  // clear() would keep the entries' buffer
    } else {
      change.config_attributes = block.attributes;
      // Only a create looks the object up by its key (intent, lost answer); an update or delete
      // has the id, so a large plan of updates carries no key maps.
      if (change.action == Action::kCreate || change.action == Action::kReplace)
        change.natural_key = NaturalKeyOf(schema, change.after);
    }
    // Each block is completed once: its edges leave the graph with it.
    auto deps = graph_.dependencies.find(block.address);
    if (deps != graph_.dependencies.end()) {
      change.dependencies.assign(deps->second.begin(), deps->second.end());
      graph_.dependencies.erase(deps);
    }
    return change;
  }

  void PlanRemoved(const state::ResourceState& recorded) {
    const auto* found = refreshed_.Find(recorded.address);
    if (found && found->gone) {
      plan_.forgotten.push_back(recorded.address);  // nothing left to delete; apply forgets it
      return;
    }
    ResourceChange change;
    change.address = recorded.address;
    change.server = recorded.server;
    change.id = recorded.id;
    change.action = Action::kDelete;
    change.reasons.push_back("no longer in config");
    change.lifecycle.prevent_destroy = recorded.prevent_destroy;
    change.lifecycle.keep_on_removal = recorded.keep_on_removal;
    for (const auto& text : recorded.dependencies)
      if (auto dependency = ResourceAddress::Parse(text)) change.dependencies.push_back(*dependency);
    const auto* schema = registry_.FindSchema(recorded.address.type);
    Value::Map* owned = found ? Takeable(recorded.address) : nullptr;
    if (schema && owned) change.before = NormalizedAttributes(*schema, std::move(*owned));
    else change.before = schema ? NormalizedAttributes(*schema, found ? found->attributes : recorded.attributes)
                                : recorded.attributes;
    if (recorded.prevent_destroy)
      plan_.diagnostics.Error({}, recorded.address.ToString(), "lifecycle.prevent_destroy forbids destroying this object",
                              "restore the block, or remove prevent_destroy first and apply");
    plan_.changes.push_back(std::move(change));
  }

  const dsl::Config& config_;
  const state::State& state_;
  const Refreshed& refreshed_;
  Refreshed* taking_;
  const Servers& servers_;
  const provider::Registry& registry_;
  const PlanOptions& options_;
  Plan plan_;
  Graph graph_;
  std::optional<PlanScope> scope_;
  /// Where each block's change sits in plan_.changes, ordered by its address: a set of indices is a
  /// third of a map from a copy of each address (at 100,000 blocks, 5 MiB against 14).
  std::set<size_t, ChangesByAddress> planned_at_{ChangesByAddress{&plan_.changes}};
  /// (server, type, remote id) of every object state records or this plan adopts.
  std::set<std::tuple<std::string, std::string, std::string>> held_ids_;
};

}  // namespace

Plan MakePlan(const dsl::Config& config, const state::State& state, const Refreshed& refreshed,
              const Servers& servers, const PlanOptions& options) {
  return PlanBuilder(config, state, refreshed, servers, options).Build();
}

Plan MakePlanTakingRefreshed(const dsl::Config& config, const state::State& state, Refreshed& refreshed,
                             const Servers& servers, const PlanOptions& options) {
  return PlanBuilder(config, state, refreshed, servers, options, &refreshed).Build();
}

void ReturnRefreshed(const Plan& plan, Refreshed& refreshed) {
  for (const auto& change : plan.changes) {
    auto it = refreshed.by_address.find(change.address);
    // A taken answer is empty; an answer that was empty gave an empty `before`.
    if (it != refreshed.by_address.end() && !it->second.gone && it->second.attributes.empty())
      it->second.attributes = change.before;
  }
}

}  // namespace stashform::engine
