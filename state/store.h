#pragma once
// StateStore is where state lives; every store passes the same conformance test.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "state/state.h"

namespace stashform::state {

/// LockInfo is who holds the state: shown to the one that waits or fails.
struct LockInfo {
  std::string id;         // UUID, for force-unlock
  std::string operation;  // "plan", "apply", ...
  std::string who;        // user@host
  std::string created;    // RFC 3339 time
  std::string path;       // what is locked
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  /// The stored state, or nothing when none was ever written. A corrupt file is an error naming
  /// the file and position, and is never overwritten afterwards.
  virtual Result<std::optional<State>> Load() = 0;
  /// Persists the state when its content differs from what is stored, bumping its serial first.
  virtual Status Save(State& state) = 0;
  /// Whether Append can record changes now (after a Load or Save, on a store that journals).
  virtual bool CanAppend() const { return false; }
  /// Persists `changes`, already made to the caller's state, after what is stored instead of
  /// rewriting it all, and returns the serial the stored state now has. Only when CanAppend().
  virtual Result<uint64_t> Append(const std::vector<StateChange>& changes) {
    (void)changes;
    return Status::Error(Describe() + " cannot append changes; save the state in full");
  }
  /// Whether what was appended has grown enough that the next write should be a full Save.
  virtual bool WantsFullSave() const { return false; }
  /// Takes the lock for the whole command, waiting up to `timeout` with backoff.
  virtual Status Lock(const LockInfo& info, std::chrono::milliseconds timeout) = 0;
  virtual Status Unlock() = 0;
  virtual std::string Describe() const = 0;  // the path, for messages
};

}  // namespace stashform::state
