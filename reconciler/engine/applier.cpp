#include "reconciler/engine/applier.h"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "reconciler/engine/planner.h"
#include "reconciler/engine/references.h"
#include "reconciler/engine/scheduler.h"
#include "reconciler/engine/state_writer.h"

namespace stashform::engine {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The natural key the plan carries, with what was known only after apply filled in from the
/// values the create sends.
Value::Map NaturalKey(const ResourceChange& change, const Value::Map& planned) {
  Value::Map key = change.natural_key;
  for (auto& [name, value] : key)
    if (auto it = planned.find(name); value.ContainsUnknown() && it != planned.end()) value = it->second;
  return key;
}

/// The lifecycle flags that must outlive the block: they decide what its removal does.
void KeepLifecycle(const LifecycleFlags& lifecycle, state::ResourceState& resource) {
  if (!lifecycle.declared) return;
  resource.prevent_destroy = lifecycle.prevent_destroy;
  resource.keep_on_removal = lifecycle.keep_on_removal;
}

/// The record of an object the plan adopts as it is: what the lookup found.
state::ResourceState AdoptedRecord(const ResourceChange& change) {
  state::ResourceState resource;
  resource.address = change.address;
  resource.server = change.server;
  resource.id = change.id;
  resource.attributes = change.before;
  return resource;
}

/// Whether the type has values only a create answer carries (a token's), which an object adopted
/// after that answer was lost lacks.
bool HasCreateAnswerOnlyValues(const ResourceSchema& schema) {
  for (const auto& attr : schema.attributes)
    if (attr.create_answer_only) return true;
  return false;
}

std::string FirstError(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items())
    if (d.severity == Severity::kError) return d.ToString();
  return "failed";
}

/// An operation's outcome: "" for success, or the error; `wrote` false when nothing was sent.
struct Outcome {
  std::string error;
  bool wrote = true;
};

/// Apply turns a plan into tasks (a create or update, and a destroy, per change) and runs them.
class Apply {
 public:
  Apply(const Plan& plan, state::State& state, state::StateStore& store, const Servers& servers,
        const ApplyOptions& options)
      : plan_(plan), writer_(state, store), store_(store), servers_(servers), options_(options) {
    report_.operations.resize(plan.changes.size());
    for (size_t i = 0; i < plan.changes.size(); ++i) {
      report_.operations[i].address = plan.changes[i].address;
      report_.operations[i].action = plan.changes[i].action;
      if (plan.changes[i].action == Action::kNoOp) report_.operations[i].status = OperationStatus::kNothingToDo;
    }
  }

  void Run() {
    // Sync: record what refresh found for objects the plan leaves alone, forget deleted ones.
    SyncUnchanged();
    // Order: one task per write, edges from dependencies.
    BuildTasks();
    RunStats stats;
    auto outcomes = RunTasks(tasks_, options_.parallelism, options_.interrupted, &stats);
    report_.max_in_flight = stats.max_in_flight;
    // Summary: what did not run, and why.
    for (size_t t = 0; t < tasks_.size(); ++t) {
      auto& op = report_.operations[task_change_[t]];
      if (outcomes[t] == TaskOutcome::kSkipped && op.status == OperationStatus::kNotStarted) {
        op.status = OperationStatus::kSkipped;
        op.message = "not applied: a resource it depends on failed";
      }
    }
    for (auto& op : report_.operations)
      if (op.status == OperationStatus::kNotStarted) op.message = "not started: apply was interrupted";
    VerifyDependantsOfDestroyed();
    // The file alone then holds everything: no journal is left for the next run to replay.
    Status saved = writer_.Flush();
    if (!saved.ok()) report_.diagnostics.Error({}, store_.Describe(), saved.message());
  }

  ApplyReport report() { return std::move(report_); }

 private:
  enum class Step { kApply, kDestroy };

  void BuildTasks() {
    std::map<ResourceAddress, size_t> apply_task, destroy_task;
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      const auto& change = plan_.changes[i];
      if (change.action == Action::kNoOp) continue;
      if (change.action != Action::kDelete) apply_task[change.address] = AddTask(i, Step::kApply);
      if (change.action == Action::kDelete || change.action == Action::kReplace)
        destroy_task[change.address] = AddTask(i, Step::kDestroy);
    }
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      const auto& change = plan_.changes[i];
      auto apply = apply_task.find(change.address);
      auto destroy = destroy_task.find(change.address);
      // A block is applied after the blocks it refers to.
      if (apply != apply_task.end())
        for (const auto& dependency : change.dependencies)
          if (auto it = apply_task.find(dependency); it != apply_task.end()) After(apply->second, it->second);
      if (change.action == Action::kReplace) {
        if (change.create_before_destroy) After(destroy->second, apply->second);
        else After(apply->second, destroy->second);
      }
    }
    // An object goes only after everything that pointed at it has moved on or gone too; a plain
    // replacement (destroy first) is the exception, as its dependants need the new object.
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      const auto& change = plan_.changes[i];
      auto destroy = destroy_task.find(change.address);
      if (destroy == destroy_task.end() || (change.action == Action::kReplace && !change.create_before_destroy))
        continue;
      for (const auto& other : plan_.changes) {
        if (other.address == change.address || !PointedAt(other, change.address)) continue;
        if (auto it = apply_task.find(other.address); it != apply_task.end()) After(destroy->second, it->second);
        if (auto it = destroy_task.find(other.address); it != destroy_task.end() &&
            !(other.action == Action::kReplace && !other.create_before_destroy))
          After(destroy->second, it->second);
      }
    }
  }

  bool PointedAt(const ResourceChange& change, const ResourceAddress& target) const {
    for (const auto& dependency : change.dependencies)
      if (dependency == target) return true;
    bool recorded = false;
    writer_.Read([&](const state::State& state) {
      if (const auto* resource = state.Find(change.address))
        for (const auto& text : resource->dependencies) recorded = recorded || text == target.ToString();
    });
    return recorded;
  }

  size_t AddTask(size_t change_index, Step step) {
    tasks_.push_back({{}, [this, change_index, step] { return RunStep(change_index, step); }});
    task_change_.push_back(change_index);
    return tasks_.size() - 1;
  }

  void After(size_t task, size_t before) { tasks_[task].after.push_back(before); }

  bool RunStep(size_t index, Step step) {
    const ResourceChange& change = plan_.changes[index];
    if (options_.starting) options_.starting(change);
    Outcome outcome;
    provider::ResourceType* type = servers_.Type(change.server, change.address.type);
    if (!type) outcome.error = "server \"" + change.server + "\" is not configured";
    else if (step == Step::kDestroy) outcome = Destroy(*type, change);
    else if (change.action == Action::kUpdate) outcome = Update(*type, change);
    else outcome = Create(*type, change);
    // The replacement's two steps count once, when both are done.
    std::lock_guard<std::mutex> lock(report_mutex_);
    auto& op = report_.operations[index];
    if (!outcome.error.empty()) {
      op.status = OperationStatus::kFailed;
      op.message = outcome.error;
      ++report_.failed;
      report_.diagnostics.Error(change.pos, change.address.ToString(), outcome.error);
    } else if (change.action != Action::kReplace || ++replace_steps_[index] == 2) {
      op.status = outcome.wrote ? OperationStatus::kDone : OperationStatus::kNothingToDo;
      Count(change, outcome);
    }
    if (options_.progress && (op.status != OperationStatus::kNotStarted)) options_.progress(change, op);
    return outcome.error.empty();
  }

  void Count(const ResourceChange& change, const Outcome& outcome) {
    if (!outcome.wrote) return;
    switch (change.action) {
      case Action::kCreate: ++report_.added; break;
      case Action::kUpdate: ++report_.changed; break;
      case Action::kDelete: ++report_.destroyed; break;
      case Action::kReplace: ++report_.added, ++report_.destroyed; break;
      case Action::kNoOp: break;
    }
  }

  /// The planned attributes again, now that the resources this one refers to exist.
  Value::Map Replan(provider::ResourceType& type, const ResourceChange& change, bool creating,
                    const Value::Map& current) {
    if (change.config_attributes.empty()) return change.after;
    ReferenceLookup lookup = [&](const std::string& text, const std::string& attribute) -> std::optional<Value> {
      std::optional<Value> found;
      writer_.Read([&](const state::State& state) { found = RecordedLookup(state)(text, attribute); });
      return found;
    };
    Value::Map proposed = ProposedAttributes(type.schema(), Resolve(change.config_attributes, lookup));
    auto response = type.Plan({creating, creating ? Value::Map{} : current, proposed});
    return NormalizedAttributes(type.schema(), response.planned);
  }

  Outcome Create(provider::ResourceType& type, const ResourceChange& change) {
    Value::Map planned = Replan(type, change, true, {});
    const Value::Map natural_key = NaturalKey(change, planned);
    const bool recheck = options_.recheck_natural_keys && change.action == Action::kCreate;
    // Without the lock, another run may have made it since the plan: look right before sending.
    if (recheck) {
      Existing existing = OldestWithKey(type, natural_key, "");
      if (!existing.error.empty()) return {"nothing was sent: " + existing.error, false};
      if (existing.object) return TakeExisting(type, change, *existing.object, "");
    }
    // Intent first: a crash between the create and the save must not lead to a duplicate.
    writer_.Change(state::StateChange::AddIntent({change.address, change.server, natural_key, NowMs()}));
    if (!writer_.Commit().ok()) return {"state could not be saved before the create; nothing was sent", false};
    provider::ApplyResponse response;
    for (int send = 1;; ++send) {
      response = type.Apply({provider::ApplyAction::kCreate, "", {}, planned});
      if (!response.diagnostics.HasErrors()) {
        // The answer is journaled before anything else is done with it: it alone holds the
        // values nothing can read back (a token's).
        Record(type, change, response, RecordAs::kCreated);
        if (!writer_.Commit().ok()) return {"created, but state could not be saved"};
        return recheck ? KeepTheOldest(type, change, natural_key, response) : Outcome{};
      }
      // The answer may be lost while the object exists: look before giving up the intent.
      auto found = type.Find(natural_key);
      // Refused because it exists: someone else made it, so it holds no value of ours to lose.
      if (found.found && response.already_exists && change.action == Action::kCreate)
        return TakeExisting(type, change, found, "");
      // With create_before_destroy the object being replaced may share the key: finding it
      // proves nothing either way.
      const bool replaced_one = found.found && change.action == Action::kReplace && found.id == change.id;
      if (found.found && !replaced_one) return Adopt(type, change, found);
      if (found.diagnostics.HasErrors() || replaced_one) {
        // Nothing proves what happened: the intent stays for the next run to resolve.
        writer_.Commit();
        return {FirstError(response.diagnostics) + UnresolvedLookup(found)};
      }
      if (!MaySendAgain(response, send)) break;
      // A fault that may pass, and proof that nothing was made: send it again in this apply.
      std::this_thread::sleep_for(options_.resend_backoff * (1 << (send - 1)));
    }
    writer_.Change(state::StateChange::RemoveIntent(change.address));
    writer_.Commit();
    return {FirstError(response.diagnostics)};
  }

  /// The oldest object with `natural_key` that state does not hold under another address (and that
  /// is not `ours`), where `ours` sits among them (past the end when absent), or the lookup's error.
  struct Existing {
    std::optional<provider::ImportResponse> object;
    bool older_than_ours = false;
    std::string error;
  };

  Existing OldestWithKey(provider::ResourceType& type, const Value::Map& natural_key, const std::string& ours) {
    provider::FoundObjects found = std::move(type.FindMany({natural_key}).front());
    Existing existing;
    if (found.diagnostics.HasErrors()) {
      existing.error = "looking it up by its natural key failed: " + FirstError(found.diagnostics);
      return existing;
    }
    bool seen_ours = false;
    for (auto& object : found.objects) {
      seen_ours = seen_ours || object.id == ours;
      if (object.id == ours || !HolderOf(type, object.id).empty()) continue;
      existing.older_than_ours = !seen_ours;
      existing.object = std::move(object);
      break;
    }
    return existing;
  }

  /// The address of this state that records `id` for the type, or "".
  std::string HolderOf(const provider::ResourceType& type, const std::string& id) const {
    std::string holder;
    writer_.Read([&](const state::State& state) {
      for (const auto& resource : state.resources)
        if (resource.address.type == type.schema().type && resource.id == id) holder = resource.address.ToString();
    });
    return holder;
  }

  /// An object another run made with this change's key: recorded instead of a second one, or, for a
  /// type that cannot be adopted (a token), refused. `deleted` names the duplicate this run removed.
  Outcome TakeExisting(provider::ResourceType& type, const ResourceChange& change,
                       const provider::ImportResponse& existing, const std::string& deleted) {
    const std::string made = deleted.empty() ? "" : " (this run's own, " + deleted + ", was deleted)";
    if (!type.schema().adoptable) {
      writer_.Change(state::StateChange::RemoveIntent(change.address));
      writer_.Commit();
      return {"another run made it meanwhile: an object with its natural key exists (id " + existing.id + ")" + made +
                  "; its value cannot be read back, so it is not adopted; keep it with \"stashform import '" +
                  change.address.ToString() + "' " + (existing.import_id.empty() ? existing.id : existing.import_id) +
                  "\", or set on_conflict = \"replace\"",
              !deleted.empty()};
    }
    provider::ApplyResponse response;
    response.id = existing.id;
    response.attributes = existing.attributes;
    Record(type, change, response, RecordAs::kAdoptedFromOther);
    {
      std::lock_guard<std::mutex> lock(report_mutex_);
      report_.diagnostics.Warning(change.pos, change.address.ToString(),
                                  "adopted: an object with the same natural key exists (id " + existing.id +
                                      "), made by another run" + made + "; no second one was created");
    }
    return {writer_.Commit().ok() ? "" : "adopted, but state could not be saved", !deleted.empty()};
  }

  /// After a create made without the lock: when another run made an object with the same key
  /// first, this run's own is deleted and the older one taken, so both runs record the same one.
  Outcome KeepTheOldest(provider::ResourceType& type, const ResourceChange& change, const Value::Map& natural_key,
                        const provider::ApplyResponse& created) {
    Existing older = OldestWithKey(type, natural_key, created.id);
    if (!older.error.empty())
      return {"created (id " + created.id + "), but checking for another run's copy failed: " + older.error};
    if (!older.object || !older.older_than_ours) return {};
    auto gone = type.Apply({provider::ApplyAction::kDelete, created.id, created.attributes, {}});
    if (gone.diagnostics.HasErrors())
      return {"another run made the same object (id " + older.object->id + ") and deleting this run's copy (id " +
              created.id + ") failed: " + FirstError(gone.diagnostics)};
    writer_.Change(state::StateChange::Remove(change.address));
    return TakeExisting(type, change, *older.object, "id " + created.id);
  }

  /// Why a failed create was not sent again, for its error: the lookup that would have told.
  static std::string UnresolvedLookup(const provider::ImportResponse& found) {
    if (!found.diagnostics.HasErrors()) return "; an object with its key already exists (the one it replaces)";
    return "; looking it up failed too, so the next run checks before creating it (" +
           FirstError(found.diagnostics) + ")";
  }

  bool MaySendAgain(const provider::ApplyResponse& response, int sends) const {
    const bool interrupted = options_.interrupted && options_.interrupted->load();
    return response.may_resend && sends < options_.max_create_sends && !interrupted;
  }

  /// An object the create made although its answer was lost: recorded as found, without the
  /// values only that answer carried, which the next plan replaces it to get.
  Outcome Adopt(provider::ResourceType& type, const ResourceChange& change, const provider::ImportResponse& found) {
    provider::ApplyResponse response;
    response.id = found.id;
    response.attributes = found.attributes;
    Record(type, change, response, RecordAs::kAdopted);
    return {writer_.Commit().ok() ? "" : "created, but state could not be saved"};
  }

  Outcome Update(provider::ResourceType& type, const ResourceChange& change) {
    Value::Map planned = Replan(type, change, false, change.before);
    if (!change.write_always && !HasSettableDifference(type.schema(), planned, change.before)) {
      // A change planned on "known after apply" inputs that turned out equal.
      return {"", false};
    }
    auto response = type.Apply({provider::ApplyAction::kUpdate, change.id, change.before, planned});
    if (response.diagnostics.HasErrors()) return {FirstError(response.diagnostics)};
    Record(type, change, response, RecordAs::kUpdated);
    return {writer_.Commit().ok() ? "" : "updated, but state could not be saved"};
  }

  Outcome Destroy(provider::ResourceType& type, const ResourceChange& change) {
    if (std::string holder = HolderOfId(change); !holder.empty()) {
      // Deleting it would delete the object the new state holds (a create that found the old one).
      std::lock_guard<std::mutex> lock(report_mutex_);
      report_.diagnostics.Warning(change.pos, change.address.ToString(),
                                  "the old object was not destroyed: " + holder + " holds its id \"" + change.id + "\"");
      if (change.action == Action::kDelete) writer_.Change(state::StateChange::Remove(change.address));
      return {writer_.Commit().ok() ? "" : "forgotten, but state could not be saved", false};
    }
    auto response = type.Apply({provider::ApplyAction::kDelete, change.id, change.before, {}});
    if (response.diagnostics.HasErrors()) return {FirstError(response.diagnostics)};
    // With create_before_destroy the address already holds the new object.
    bool forget = !(change.action == Action::kReplace && change.create_before_destroy);
    if (forget) writer_.Change(state::StateChange::Remove(change.address));
    {
      std::lock_guard<std::mutex> lock(report_mutex_);
      destroyed_.insert(change.address);
    }
    return {writer_.Commit().ok() ? "" : "destroyed, but state could not be saved"};
  }

  /// The address of the new state that holds the remote id this destroy would delete, or "": the
  /// replacement itself (create_before_destroy that got the old id back), or another object of
  /// the same type on the same server.
  std::string HolderOfId(const ResourceChange& change) const {
    std::string holder;
    writer_.Read([&](const state::State& state) {
      for (const auto& resource : state.resources) {
        bool same_object = resource.address == change.address;
        if (same_object && !(change.action == Action::kReplace && change.create_before_destroy)) continue;
        if (resource.address.type == change.address.type && resource.server == change.server &&
            !change.id.empty() && resource.id == change.id)
          holder = resource.address.ToString();
      }
    });
    return holder;
  }

  /// Verify: an object that depends on one this apply destroyed may have been reset by the server
  /// (Spacelift detaches the stacks of a deleted integration). Each is read again; one that no
  /// longer matches what state records fails the apply, by name.
  void VerifyDependantsOfDestroyed() {
    if (destroyed_.empty()) return;
    for (const auto& change : plan_.changes) {
      if (change.action == Action::kDelete || !DependsOnDestroyed(change)) continue;
      provider::ResourceType* type = servers_.Type(change.server, change.address.type);
      std::optional<state::ResourceState> recorded;
      writer_.Read([&](const state::State& state) {
        if (const auto* resource = state.Find(change.address)) recorded = *resource;
      });
      if (!type || !recorded) continue;
      std::string mismatch = Mismatch(*type, *recorded);
      if (!mismatch.empty())
        report_.diagnostics.Error(change.pos, change.address.ToString(), "after this apply " + mismatch,
                                  "run apply again; it plans the repair");
    }
  }

  bool DependsOnDestroyed(const ResourceChange& change) const {
    for (const auto& dependency : change.dependencies)
      if (destroyed_.count(dependency)) return true;
    return false;
  }

  /// How the remote object differs from its record, or "" when it matches.
  static std::string Mismatch(provider::ResourceType& type, const state::ResourceState& recorded) {
    auto found = type.Read({recorded.id, recorded.attributes});
    if (found.diagnostics.HasErrors()) return "it could not be read: " + FirstError(found.diagnostics);
    if (found.gone) return "the remote object \"" + recorded.id + "\" no longer exists";
    std::string differences;
    for (const auto& attr : type.schema().attributes) {
      if (!attr.settable() || attr.write_only) continue;
      auto before = recorded.attributes.find(attr.name);
      auto after = found.attributes.find(attr.name);
      Value was = before == recorded.attributes.end() ? Value() : before->second;
      Value is = after == found.attributes.end() ? Value() : after->second;
      if (!AttributeValuesEqual(attr, was, is))
        differences += (differences.empty() ? "" : ", ") + attr.name + " is " + is.Render() + ", not " + was.Render();
    }
    if (differences.empty()) return "";  // notes explain a difference; alone they are none
    for (const auto& note : found.notes) differences += "; " + note;
    return "\"" + recorded.id + "\" does not match the state: " + differences;
  }

  static bool HasSettableDifference(const ResourceSchema& schema, const Value::Map& planned, const Value::Map& current) {
    for (const auto& attr : schema.attributes) {
      if (!attr.settable()) continue;
      auto p = planned.find(attr.name);
      auto c = current.find(attr.name);
      if (!AttributeValuesEqual(attr, p == planned.end() ? Value() : p->second, c == current.end() ? Value() : c->second))
        return true;
    }
    return false;
  }

  // kAdopted: this run's create whose answer was lost; kAdoptedFromOther: another run's object.
  enum class RecordAs { kCreated, kUpdated, kAdopted, kAdoptedFromOther };

  void Record(provider::ResourceType& type, const ResourceChange& change, const provider::ApplyResponse& response,
              RecordAs as) {
    state::ResourceState resource;
    resource.address = change.address;
    resource.server = change.server;
    resource.id = response.id;
    resource.attributes = NormalizedAttributes(type.schema(), response.attributes);
    resource.private_data = response.private_data;
    for (const auto& dependency : change.dependencies) resource.dependencies.push_back(dependency.ToString());
    KeepLifecycle(change.lifecycle, resource);
    if (as == RecordAs::kAdopted) resource.create_answer_lost = HasCreateAnswerOnlyValues(type.schema());
    // An update keeps private values (a token) that only the create answer carried. No other
    // task writes this address meanwhile: its steps are ordered. A new object never takes the
    // values of the one it replaces.
    if (as == RecordAs::kUpdated && resource.private_data.empty())
      writer_.Read([&](const state::State& s) {
        if (const auto* before = s.Find(change.address)) {
          resource.private_data = before->private_data;
          resource.create_answer_lost = before->create_answer_lost;
        }
      });
    writer_.Change(state::StateChange::Upsert(std::move(resource)));
    writer_.Change(state::StateChange::RemoveIntent(change.address));
    NotePending(change.address, response.pending);
  }

  void NotePending(const ResourceAddress& address, const std::string& pending) {
    if (pending.empty()) return;
    std::lock_guard<std::mutex> lock(report_mutex_);
    report_.pending.push_back({address, pending});
  }

  /// The plan alone says what refresh found: a no-op's `before` is the object as it is now.
  void SyncUnchanged() {
    writer_.Mutate([&](state::State& s) {
      for (const auto& change : plan_.changes) {
        if (change.action != Action::kNoOp) continue;
        if (change.adopt && !s.Find(change.address)) s.Upsert(AdoptedRecord(change));
        auto* recorded = s.Find(change.address);
        if (!recorded) continue;
        if (change.forget) {
          s.Remove(change.address);
          continue;
        }
        if (!change.before.empty()) recorded->attributes = change.before;
        if (!change.lifecycle.declared) continue;
        KeepLifecycle(change.lifecycle, *recorded);
        recorded->dependencies.clear();
        for (const auto& dependency : change.dependencies) recorded->dependencies.push_back(dependency.ToString());
      }
      for (const auto& address : plan_.forgotten) s.Remove(address);
    });
  }

  const Plan& plan_;
  StateWriter writer_;
  state::StateStore& store_;
  const Servers& servers_;
  const ApplyOptions& options_;
  std::vector<Task> tasks_;
  std::vector<size_t> task_change_;
  std::mutex report_mutex_;
  std::map<size_t, int> replace_steps_;
  std::set<ResourceAddress> destroyed_;  // addresses whose old remote object this apply deleted
  ApplyReport report_;
};

}  // namespace

std::vector<OperationResult> ApplyReport::NotDone() const {
  std::vector<OperationResult> out;
  for (const auto& op : operations)
    if (op.status == OperationStatus::kFailed || op.status == OperationStatus::kSkipped ||
        op.status == OperationStatus::kNotStarted)
      out.push_back(op);
  return out;
}

ApplyReport ApplyPlan(const Plan& plan, state::State& state, state::StateStore& store, const Servers& servers,
                      const ApplyOptions& options) {
  Apply apply(plan, state, store, servers, options);
  apply.Run();
  return apply.report();
}

bool ResolvePendingIntents(state::State& state, const Servers& servers, Diagnostics& diagnostics) {
  bool changed = false;
  auto intents = state.intents;
  for (const auto& intent : intents) {
    provider::ResourceType* type = servers.Type(intent.server, intent.address.type);
    if (!type) continue;
    auto found = type->Find(intent.natural_key);
    if (found.diagnostics.HasErrors()) {
      diagnostics.Append(found.diagnostics);
      continue;
    }
    if (found.found) {
      state::ResourceState resource;
      resource.address = intent.address;
      resource.server = intent.server;
      resource.id = found.id;
      resource.attributes = NormalizedAttributes(type->schema(), found.attributes);
      resource.create_answer_lost = HasCreateAnswerOnlyValues(type->schema());
      state.Upsert(std::move(resource));
    }
    state.RemoveIntent(intent.address);
    changed = true;
  }
  return changed;
}

}  // namespace stashform::engine
