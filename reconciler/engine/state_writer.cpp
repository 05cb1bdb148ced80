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
      saved_.wait(lock);
      continue;
    }
    // This thread writes for everyone, outside the lock: the changes so far, or all the state.
    saving_ = true;
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
    saved_.notify_all();
    if (!status.ok()) {
      full_save_due_ = true;  // the changes taken are in the state: the next write saves it all
      return status;
    }
    persisted_ = std::max(persisted_, generation);
  }
  return Status::Ok();
}

}  // namespace stashform::engine
