#pragma once
// StateStore is where state lives, as the engine and the CLI see it; every store passes the same
// conformance suite (tests/state/store_conformance.h). The one implementation, LayeredStore
// (state/layered_store.h), composes codec, encryption, journal, a byte backend and a locker.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "state/locker.h"
#include "state/state.h"
#include "state/store_options.h"

namespace stashform::state {

class StateStore {
 public:
  virtual ~StateStore() = default;
  /// The stored state, or nothing when none was ever written. A corrupt state is an error naming
  /// the place and position, and is never overwritten afterwards.
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
  /// The lock on this state, taken for the whole command.
  virtual Locker& locker() = 0;
  virtual std::string Describe() const = 0;  // the path (or row), for messages
};

/// How the CLI opens the store for a state location (`-state`): OpenLocalStore in the product,
/// a memory store in tests.
using StateStoreFactory = std::function<std::unique_ptr<StateStore>(const std::string& where, StateStoreOptions)>;

}  // namespace stashform::state
