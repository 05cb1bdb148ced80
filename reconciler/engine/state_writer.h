#pragma once
// StateWriter lets many apply threads change state and wait until their change is on disk, with
// one save serving every change made while the previous save ran (group commit): each write is
// still persisted before it is reported done, without one fsync per operation in a row.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "state/store.h"

namespace stashform::engine {

class StateWriter {
 public:
  StateWriter(state::State& state, state::StateStore& store) : state_(state), store_(store) {}

  /// Changes the state under the writer's lock.
  void Mutate(const std::function<void(state::State&)>& change);
  /// Reads the state under the writer's lock.
  void Read(const std::function<void(const state::State&)>& read) const;
  /// Returns once a save that includes every change made before the call has finished.
  Status Commit();

 private:
  state::State& state_;
  state::StateStore& store_;
  mutable std::mutex mutex_;
  std::condition_variable saved_;
  uint64_t changes_ = 0;      // generation of the latest change
  uint64_t persisted_ = 0;    // generation the latest finished save included
  bool saving_ = false;
  Status last_error_;
};

}  // namespace stashform::engine
