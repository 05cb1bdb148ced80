#include "reconciler/engine/applier.h"

#include <chrono>

#include "reconciler/engine/planner.h"

namespace stashform::engine {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

Value::Map NaturalKey(const ResourceSchema& schema, const Value::Map& attributes) {
  Value::Map key;
  for (const auto& name : schema.natural_key)
    if (auto it = attributes.find(name); it != attributes.end()) key[name] = it->second;
  return key;
}

/// Apply runs one change at a time and keeps state and store in step with what happened.
class Apply {
 public:
  Apply(const dsl::Config& config, state::State& state, state::StateStore& store, const Servers& servers,
        const ApplyProgress& progress)
      : config_(config), state_(state), store_(store), servers_(servers), progress_(progress) {}

  void Run(const Plan& plan, const Refreshed& refreshed) {
    // Sync: record what refresh found for objects the plan leaves alone, forget deleted ones.
    SyncUnchanged(plan, refreshed);
    for (const auto& change : plan.changes) {
      if (change.action == Action::kNoOp) continue;
      std::string error = Run(change);
      if (!error.empty()) {
        ++report_.failed;
        report_.diagnostics.Error(change.pos, change.address.ToString(), error);
      }
      if (progress_) progress_(change, error);
    }
    Persist();
  }

  ApplyReport report() { return std::move(report_); }

 private:
  std::string Run(const ResourceChange& change) {
    provider::ResourceType* type = servers_.Type(change.server, change.address.type);
    if (!type) return "server \"" + change.server + "\" is not configured";
    switch (change.action) {
      case Action::kCreate: return Create(*type, change);
      case Action::kUpdate: return Update(*type, change);
      case Action::kDelete: return Delete(*type, change);
      case Action::kReplace: {
        // Without create_before_destroy the old object goes first: two live copies could both fire.
        if (change.create_before_destroy) {
          std::string error = Create(*type, change);
          return error.empty() ? Delete(*type, change, /*forget=*/false) : error;
        }
        std::string error = Delete(*type, change);
        return error.empty() ? Create(*type, change) : error;
      }
      case Action::kNoOp: return "";
    }
    return "";
  }

  std::string Create(provider::ResourceType& type, const ResourceChange& change) {
    // Intent first: a crash between the create and the save must not lead to a duplicate.
    state_.AddIntent({change.address, change.server, NaturalKey(type.schema(), change.after), NowMs()});
    if (!Persist()) return "state could not be saved before the create; nothing was sent";
    provider::ApplyRequest request{provider::ApplyAction::kCreate, "", {}, change.after};
    auto response = type.Apply(request);
    if (response.diagnostics.HasErrors()) {
      // The answer may be lost while the object exists: look before giving up the intent.
      auto found = type.Find(NaturalKey(type.schema(), change.after));
      if (!found.found) {
        if (!found.diagnostics.HasErrors()) state_.RemoveIntent(change.address);
        Persist();
        return FirstError(response.diagnostics);
      }
      response.id = found.id;
      response.attributes = found.attributes;
    }
    Record(type, change, response);
    ++report_.added;
    return Persist() ? "" : "created, but state could not be saved";
  }

  std::string Update(provider::ResourceType& type, const ResourceChange& change) {
    provider::ApplyRequest request{provider::ApplyAction::kUpdate, change.id, change.before, change.after};
    auto response = type.Apply(request);
    if (response.diagnostics.HasErrors()) return FirstError(response.diagnostics);
    Record(type, change, response);
    ++report_.changed;
    return Persist() ? "" : "updated, but state could not be saved";
  }

  std::string Delete(provider::ResourceType& type, const ResourceChange& change, bool forget = true) {
    provider::ApplyRequest request{provider::ApplyAction::kDelete, change.id, change.before, {}};
    auto response = type.Apply(request);
    if (response.diagnostics.HasErrors()) return FirstError(response.diagnostics);
    if (forget) state_.Remove(change.address);
    ++report_.destroyed;
    return Persist() ? "" : "destroyed, but state could not be saved";
  }

  void Record(provider::ResourceType& type, const ResourceChange& change, const provider::ApplyResponse& response) {
    state::ResourceState resource;
    resource.address = change.address;
    resource.server = change.server;
    resource.id = response.id;
    resource.attributes = NormalizedAttributes(type.schema(), response.attributes);
    resource.private_data = response.private_data;
    if (const auto* block = config_.FindResource(change.address)) {
      resource.prevent_destroy = block->lifecycle.prevent_destroy;
      resource.dependencies = block->depends_on;
    }
    state_.Upsert(std::move(resource));
    state_.RemoveIntent(change.address);
  }

  void SyncUnchanged(const Plan& plan, const Refreshed& refreshed) {
    for (const auto& change : plan.changes) {
      if (change.action != Action::kNoOp) continue;
      auto* recorded = state_.Find(change.address);
      const auto* found = refreshed.Find(change.address);
      if (recorded && found && !found->gone) recorded->attributes = change.before;
      if (recorded)
        if (const auto* block = config_.FindResource(change.address))
          recorded->prevent_destroy = block->lifecycle.prevent_destroy;
    }
    for (const auto& [address, found] : refreshed.by_address)
      if (found.gone && !config_.FindResource(address)) state_.Remove(address);
  }

  bool Persist() {
    Status status = store_.Save(state_);
    if (!status.ok()) report_.diagnostics.Error({}, store_.Describe(), status.message());
    return status.ok();
  }

  static std::string FirstError(const Diagnostics& diagnostics) {
    for (const auto& d : diagnostics.items())
      if (d.severity == Severity::kError) return d.ToString();
    return "failed";
  }

  const dsl::Config& config_;
  state::State& state_;
  state::StateStore& store_;
  const Servers& servers_;
  const ApplyProgress& progress_;
  ApplyReport report_;
};

}  // namespace

ApplyReport ApplyPlan(const Plan& plan, const dsl::Config& config, const Refreshed& refreshed,
                      state::State& state, state::StateStore& store, const Servers& servers,
                      const ApplyProgress& progress) {
  Apply apply(config, state, store, servers, progress);
  apply.Run(plan, refreshed);
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
      state.Upsert(std::move(resource));
    }
    state.RemoveIntent(intent.address);
    changed = true;
  }
  return changed;
}

}  // namespace stashform::engine
