#include "state/memory_store.h"

#include "state/lock_info.h"
#include "state/save_rules.h"

namespace stashform::state {

MemoryStateStore::MemoryStateStore() : backing_(std::make_shared<Backing>()) {}

MemoryStateStore::MemoryStateStore(std::shared_ptr<Backing> backing) : backing_(std::move(backing)) {}

MemoryStateStore::~MemoryStateStore() {
  if (held_id_) Unlock();
}

Result<std::optional<State>> MemoryStateStore::Load() {
  if (!backing_->text) return std::optional<State>();
  Result<State> decoded = DecodeState(*backing_->text, Describe());
  if (!decoded.ok()) return decoded.status();
  return std::optional<State>(std::move(*decoded));
}

Status MemoryStateStore::Save(State& state) {
  // Decoding what is stored on every save keeps the rules of the file store (a corrupt state is
  // never overwritten) without tracking what was loaded.
  Result<std::optional<State>> stored = Load();
  if (!stored.ok())
    return Status::Error("refusing to overwrite " + Describe() + ": it could not be read (" + stored.message() + ")");
  uint64_t serial_before = state.serial;
  Result<bool> due = PrepareSave(*stored, state, Describe());
  if (!due.ok() || !*due) return due.status();
  if (backing_->fail_writes) {
    state.serial = serial_before;
    return Status::Error(*backing_->fail_writes);
  }
  backing_->text = EncodeState(state);
  ++backing_->writes;
  return Status::Ok();
}

Result<uint64_t> MemoryStateStore::Append(const std::vector<StateChange>& changes) {
  Result<std::optional<State>> stored = Load();
  if (!stored.ok() || !stored->has_value())
    return Status::Error("cannot append to " + Describe() + ": nothing readable is stored");
  if (backing_->fail_writes) return Status::Error(*backing_->fail_writes);
  State& state = **stored;
  for (const auto& change : changes) state.Apply(change);
  ++state.serial;
  backing_->text = EncodeState(state);
  ++backing_->appends;
  return state.serial;
}

Status MemoryStateStore::Lock(const LockInfo& requested, std::chrono::milliseconds) {
  if (held_id_) return Status::Error(Describe() + " is already locked by this run");
  if (backing_->lock) return Status::Error(LockedMessage(*backing_->lock));
  LockInfo info = CompleteLockInfo(requested);
  if (info.path.empty()) info.path = Describe();
  backing_->lock = info;
  held_id_ = info.id;
  return Status::Ok();
}

Status MemoryStateStore::Unlock() {
  if (!held_id_) return Status::Error(Describe() + " is not locked by this run");
  if (backing_->lock && backing_->lock->id == *held_id_) backing_->lock.reset();
  held_id_.reset();
  return Status::Ok();
}

}  // namespace stashform::state
