#include "reconciler/engine/state_writer.h"

#include <utility>

namespace stashform::engine {

void StateWriter::Change(state::StateChange change) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.Apply(change);
  pending_.push_back(std::move(change));
  ++changes_;
}

void StateWriter::Mutate(const std::function<void(state::State&)>& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  change(state_);
  full_save_due_ = true;
  ++changes_;
}

void StateWriter::Read(const std::function<void(const state::State&)>& read) const {
  std::lock_guard<std::mutex> lock(mutex_);
  read(state_);
}

Status StateWriter::Persist(bool full) {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t wanted = changes_;
  while (persisted_ < wanted || (full && journaled_)) {
    if (saving_) {
      // Sleep until the write that will hold this change ends: the one under way if it took the
      // change, else the next one. Only that write's end wakes this thread (one condition per
      // parity of the write's number), not every write's.
      const uint64_t write = wanted <= saving_upto_ ? writes_ : writes_ + 1;
      ended_[write % 2].wait(lock);
      continue;
    }
    // This thread writes for everyone, outside the lock: the changes so far, or all the state.
    saving_ = true;
    ++writes_;
    saving_upto_ = changes_;
    const uint64_t generation = changes_;
    Status status;
    if (full || full_save_due_ || !store_.CanAppend() || store_.WantsFullSave()) {
      state::State snapshot = state_;
      pending_.clear();  // the snapshot holds them
      full_save_due_ = false;
      lock.unlock();
      status = store_.Save(snapshot);
      lock.lock();
      if (status.ok()) {
        state_.serial = snapshot.serial;
        journaled_ = false;
      }
    } else {
      std::vector<state::StateChange> batch;
      batch.swap(pending_);
      lock.unlock();
      Result<uint64_t> serial = store_.Append(batch);
      lock.lock();
      status = serial.status();
      if (serial.ok()) {
        state_.serial = *serial;
        journaled_ = true;
      }
    }
    saving_ = false;
    if (status.ok()) persisted_ = std::max(persisted_, generation);
    else full_save_due_ = true;  // the changes taken are in the state: the next write saves it all
    // This write's waiters return (after a failure they write again themselves); one waiter of the
    // next write, if any, wakes to make it. They are woken after the lock is let go, so that none
    // wakes only to block on it again while this thread still holds it.
    const uint64_t ended = writes_;
    lock.unlock();
    ended_[ended % 2].notify_all();
    ended_[(ended + 1) % 2].notify_one();
    if (!status.ok()) return status;
    if (!full) return Status::Ok();  // this write held every change made before the call
    lock.lock();
  }
  return Status::Ok();
}

}  // namespace stashform::engine
