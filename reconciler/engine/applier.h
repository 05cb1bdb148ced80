#pragma once
// The applier carries out a Plan: it writes remotely through resource types and persists state
// after every successful write, so a failed or interrupted apply leaves state true to what was done.

#include <functional>
#include <string>

#include "dsl/config.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/engine/servers.h"
#include "state/store.h"

namespace stashform::engine {

struct ApplyReport {
  int added = 0;
  int changed = 0;
  int destroyed = 0;
  int failed = 0;
  Diagnostics diagnostics;
};

/// Called after each operation: the change and "" on success, or the error message.
using ApplyProgress = std::function<void(const ResourceChange&, const std::string& error)>;

ApplyReport ApplyPlan(const Plan& plan, const dsl::Config& config, const Refreshed& refreshed,
                      state::State& state, state::StateStore& store, const Servers& servers,
                      const ApplyProgress& progress);

/// Before planning: every intent left by an interrupted create is resolved by looking the object
/// up by its natural key: found, it is adopted into state; not found, the intent is dropped.
/// Returns whether state changed (the caller saves it).
bool ResolvePendingIntents(state::State& state, const Servers& servers, Diagnostics& diagnostics);

}  // namespace stashform::engine
