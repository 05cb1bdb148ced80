#include "tests/support/memory_backend.h"

#include "state/lock_info.h"

namespace stashform::state {

namespace {

std::string VersionText(const std::optional<StateVersion>& version) {
  if (!version) return "no state";
  return "lineage " + version->lineage + " serial " + std::to_string(version->serial);
}

}  // namespace

Status MemoryJournalStream::Open(size_t keep_bytes) {
  if (backing_->fail_writes) return Status::Error(*backing_->fail_writes);
  backing_->journal = backing_->journal.value_or("").substr(0, keep_bytes);
  header_next_ = keep_bytes == 0;
  return Status::Ok();
}

Status MemoryJournalStream::Append(std::string_view bytes) {
  if (backing_->fail_writes) return Status::Error(*backing_->fail_writes);
  if (!backing_->journal) return Status::Error("memory journal is not open");
  backing_->journal->append(bytes);
  if (!header_next_) ++backing_->appends;
  header_next_ = false;
  return Status::Ok();
}

Status MemoryJournalStream::Remove() {
  backing_->journal.reset();
  return Status::Ok();
}

MemoryBackend::MemoryBackend(std::shared_ptr<MemoryBacking> backing) : backing_(backing), journal_(backing) {}

Status MemoryBackend::Write(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected) {
  const std::optional<StateVersion> stored = backing_->bytes ? backing_->version : std::nullopt;
  if (stored != expected)
    return StaleWriteError(Describe(), "it holds " + VersionText(stored) + ", not " + VersionText(expected));
  if (backing_->fail_writes) return Status::Error(*backing_->fail_writes);
  if (!backup_taken_ && backing_->bytes) backing_->backup = backing_->bytes;
  backup_taken_ = true;
  backing_->bytes = std::string(bytes);
  backing_->version = next;
  ++backing_->writes;
  return Status::Ok();
}

MemoryLocker::~MemoryLocker() {
  if (held_) Release();
}

Status MemoryLocker::Acquire(const LockInfo& requested, std::chrono::milliseconds timeout) {
  if (held_) return Status::Error(Describe() + " is already locked by this run");
  LockInfo info = CompleteLockInfo(requested);
  if (info.what.empty()) info.what = Describe();
  auto attempt = [&]() -> Result<LockAttempt> {
    std::lock_guard<std::mutex> guard(backing_->lock_mutex);
    if (backing_->lock) return LockAttempt::kBusy;
    backing_->lock = info;
    return LockAttempt::kAcquired;
  };
  Status acquired = AcquireWithBackoff(attempt, [this] { return Holder(); }, Describe(), timeout);
  if (acquired.ok()) held_ = info;
  return acquired;
}

Status MemoryLocker::Release() {
  if (!held_) return Status::Error(Describe() + " is not locked by this run");
  std::lock_guard<std::mutex> guard(backing_->lock_mutex);
  // After a force-unlock the lock may be another locker's: it stays.
  if (backing_->lock && backing_->lock->id == held_->id) backing_->lock.reset();
  held_.reset();
  return Status::Ok();
}

std::optional<LockInfo> MemoryLocker::Holder() {
  std::lock_guard<std::mutex> guard(backing_->lock_mutex);
  return backing_->lock;
}

Status MemoryLocker::ForceUnlock(const std::string& lock_id) {
  std::lock_guard<std::mutex> guard(backing_->lock_mutex);
  if (!backing_->lock) return NotLockedError(Describe());
  if (backing_->lock->id != lock_id) return WrongLockIdError(lock_id, Describe(), *backing_->lock);
  backing_->lock.reset();
  return Status::Ok();
}

}  // namespace stashform::state
