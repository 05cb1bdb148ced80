#pragma once
// The applier carries out a Plan: it writes remotely through resource types, in dependency order
// with bounded concurrency, and persists state after every successful write, so a failed or
// interrupted apply leaves state true to what was done.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/engine/servers.h"
#include "state/store.h"

namespace stashform::engine {

enum class OperationStatus { kDone, kFailed, kSkipped, kNotStarted, kNothingToDo };

/// One operation of an apply, as the summary reports it.
struct OperationResult {
  ResourceAddress address;
  Action action = Action::kNoOp;
  OperationStatus status = OperationStatus::kNotStarted;
  std::string message;  // the error, or why it was skipped
};

struct ApplyReport {
  int added = 0;
  int changed = 0;
  int destroyed = 0;
  int failed = 0;
  int max_in_flight = 0;
  std::vector<OperationResult> operations;  // in plan order
  Diagnostics diagnostics;
  /// Objects whose write answered that they now wait on a person (ApplyResponse::pending).
  std::vector<PendingNote> pending;

  /// Operations that did not happen (failed, skipped, not started), for the closing summary.
  std::vector<OperationResult> NotDone() const;
};

/// Called after each operation ends, from the thread that ran it (calls are serialised).
using ApplyProgress = std::function<void(const ResourceChange&, const OperationResult&)>;

/// Called as each step of an operation starts (a replacement has two), from the thread that runs
/// it; calls are not serialised.
using ApplyStarting = std::function<void(const ResourceChange&)>;

struct ApplyOptions {
  int parallelism = 16;
  const std::atomic<bool>* interrupted = nullptr;  // set by SIGINT: start nothing new
  ApplyProgress progress;
  ApplyStarting starting;  // optional
  /// A create that failed in a way that may pass (a 5xx, a reset), and whose lookup by natural
  /// key proves nothing was made, is sent again, up to this many sends in all...
  int max_create_sends = 3;
  /// ...after this pause, doubled at each further send.
  std::chrono::milliseconds resend_backoff{200};
  /// Without the state lock (-lock=false), or with a saved plan whose lookups are as old as the
  /// plan, another run may create the same objects meanwhile: each create is preceded by a lookup
  /// by natural key (an object found is adopted, or a token refused) and followed by one that
  /// keeps only the oldest object of that key, so that runs at once end with one object each.
  bool recheck_natural_keys = false;
};

/// Applies `plan` alone: everything it needs (lifecycle flags, natural keys, dependencies, the
/// attributes as written) is in the plan, so no config is read. Secrets are in the plan's values.
ApplyReport ApplyPlan(const Plan& plan, state::State& state, state::StateStore& store, const Servers& servers,
                      const ApplyOptions& options = {});

/// Before planning: every intent left by an interrupted create is resolved by looking the object
/// up by its natural key: found, it is adopted into state; not found, the intent is dropped.
/// Returns whether state changed (the caller saves it).
bool ResolvePendingIntents(state::State& state, const Servers& servers, Diagnostics& diagnostics);

}  // namespace stashform::engine
