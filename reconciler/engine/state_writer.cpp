#include "reconciler/engine/state_writer.h"

namespace stashform::engine {

void StateWriter::Mutate(const std::function<void(state::State&)>& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  change(state_);
  ++changes_;
}

void StateWriter::Read(const std::function<void(const state::State&)>& read) const {
  std::lock_guard<std::mutex> lock(mutex_);
  read(state_);
}

Status StateWriter::Commit() {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t wanted = changes_;
  while (persisted_ < wanted) {
    if (saving_) {
      saved_.wait(lock);
      continue;
    }
    // This thread saves for everyone: a snapshot of all changes so far, written outside the lock.
    saving_ = true;
    state::State snapshot = state_;
    const uint64_t generation = changes_;
    lock.unlock();
    Status status = store_.Save(snapshot);
    lock.lock();
    saving_ = false;
    if (status.ok()) {
      state_.serial = snapshot.serial;
      persisted_ = std::max(persisted_, generation);
    } else {
      last_error_ = status;
      saved_.notify_all();
      return status;
    }
    saved_.notify_all();
  }
  return Status::Ok();
}

}  // namespace stashform::engine
