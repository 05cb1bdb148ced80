#pragma once
// StateWriter lets many apply threads change state and wait until their change is on disk, with
// one write serving every change made while the previous one ran (group commit): each change is
// still persisted before it is reported done, without one fsync per operation in a row.
//
// Changes made through Change() are appended to the store's journal where it keeps one, so a
// commit costs the size of what changed, not of the whole state; Mutate() and Flush() write the
// state in full.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "state/store.h"

namespace stashform::engine {

class StateWriter {
 public:
  StateWriter(state::State& state, state::StateStore& store) : state_(state), store_(store) {}

  /// Makes one change (a resource recorded or removed, an intent added or dropped).
  void Change(state::StateChange change);
  /// Changes the state at large under the writer's lock; the next commit writes it in full.
  void Mutate(const std::function<void(state::State&)>& change);
  /// Reads the state under the writer's lock.
  void Read(const std::function<void(const state::State&)>& read) const;
  /// Returns once a write that includes every change made before the call has finished.
  Status Commit() { return Persist(false); }
  /// Like Commit, and the state is then written in full (no journal left behind).
  Status Flush() { return Persist(true); }

 private:
  Status Persist(bool full);

  state::State& state_;
  state::StateStore& store_;
  mutable std::mutex mutex_;
  std::condition_variable ended_[2];        // a write ended, by the parity of its number
  uint64_t changes_ = 0;                    // generation of the latest change
  uint64_t persisted_ = 0;                  // generation the latest finished write included
  bool saving_ = false;
  uint64_t writes_ = 0;                     // number of the write under way, or of the last one
  uint64_t saving_upto_ = 0;                // generation the write under way includes
  std::vector<state::StateChange> pending_;  // changes no write has taken yet
  bool full_save_due_ = false;               // a Mutate, or a failed write, since the last full save
  bool journaled_ = false;                   // appends were made since the last full save
};

}  // namespace stashform::engine
