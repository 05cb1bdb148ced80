#pragma once
// The state store's fakes: a byte backend and a locker in memory, for the conformance suite and for
// tests of other layers. Never linked into the product.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "state/backend.h"
#include "state/locker.h"

namespace stashform::state {

/// MemoryBacking is one place where state lives, shared by every backend and locker made on it,
/// like two runs on one file.
struct MemoryBacking {
  std::optional<std::string> bytes;  // what a state file would hold; nothing = no state
  std::optional<StateVersion> version;  // the version the last Write said `bytes` hold
  std::optional<std::string> backup;
  std::optional<std::string> journal;
  std::mutex lock_mutex;  // lockers may race from several threads
  std::optional<LockInfo> lock;
  int writes = 0;   // successful full writes
  int appends = 0;  // successful journal records (the header not counted)
  std::optional<std::string> fail_writes;  // when set, every write and append fails so
};

/// MemoryJournalStream keeps the journal's bytes in the backing.
class MemoryJournalStream : public JournalStream {
 public:
  explicit MemoryJournalStream(std::shared_ptr<MemoryBacking> backing) : backing_(std::move(backing)) {}
  Result<std::optional<std::string>> Read() override { return backing_->journal; }
  Status Open(size_t keep_bytes) override;
  Status Append(std::string_view bytes) override;
  Status Remove() override;
  size_t bytes() const override { return backing_->journal ? backing_->journal->size() : 0; }
  std::string Describe() const override { return "memory journal"; }

 private:
  std::shared_ptr<MemoryBacking> backing_;
  bool header_next_ = false;  // the next append starts a fresh journal: its header
};

/// MemoryBackend compares and swaps on the version stored beside the bytes, as a database row would.
class MemoryBackend : public StateBackend {
 public:
  explicit MemoryBackend(std::shared_ptr<MemoryBacking> backing);
  Result<std::optional<std::string>> Read() override { return backing_->bytes; }
  Status Write(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected) override;
  Result<std::optional<std::string>> ReadBackup() override { return backing_->backup; }
  JournalStream& journal() override { return journal_; }
  std::string Describe() const override { return "memory"; }
  std::string DescribeBackup() const override { return "the memory backup"; }

 private:
  std::shared_ptr<MemoryBacking> backing_;
  MemoryJournalStream journal_;
  bool backup_taken_ = false;
};

/// MemoryLocker excludes other lockers on the same backing, across threads of one process.
class MemoryLocker : public Locker {
 public:
  explicit MemoryLocker(std::shared_ptr<MemoryBacking> backing) : backing_(std::move(backing)) {}
  ~MemoryLocker() override;  // releases a lock still held
  Status Acquire(const LockInfo& info, std::chrono::milliseconds timeout) override;
  Status Release() override;
  std::optional<LockInfo> Holder() override;
  Status ForceUnlock(const std::string& lock_id) override;
  const std::optional<LockInfo>& held() const override { return held_; }
  std::string Describe() const override { return "memory"; }

 private:
  std::shared_ptr<MemoryBacking> backing_;
  std::optional<LockInfo> held_;
};

}  // namespace stashform::state
