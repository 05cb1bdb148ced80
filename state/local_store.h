#pragma once
// LocalFileStore keeps state in one local JSON file; it is the only store that touches the disk.

#include <optional>
#include <string>

#include "state/encryption.h"
#include "state/journal.h"
#include "state/store.h"
#include "state/store_options.h"

namespace stashform::state {

/// LocalFileStore reads and atomically replaces `path`, keeps `<path>.backup` of the version it
/// first replaced, and locks through `<path>.lock`. It never overwrites a file it could not read.
/// With a key in the options the file is an encrypted envelope (see state/encryption.h).
/// Append writes to `<path>.journal` (see state/journal.h); Load replays it, and the next Save
/// writes the file in full and removes it.
class LocalFileStore : public StateStore {
 public:
  explicit LocalFileStore(std::string path, StateStoreOptions options = {});
  ~LocalFileStore() override;  // releases a lock still held
  LocalFileStore(const LocalFileStore&) = delete;
  LocalFileStore& operator=(const LocalFileStore&) = delete;

  Result<std::optional<State>> Load() override;
  Status Save(State& state) override;
  bool CanAppend() const override;
  Result<uint64_t> Append(const std::vector<StateChange>& changes) override;
  bool WantsFullSave() const override;
  Status Lock(const LockInfo& info, std::chrono::milliseconds timeout) override;
  Status Unlock() override;
  std::string Describe() const override { return path_; }

  /// Removes the lock on the state at `state_path` only when its id is `lock_id`.
  static Status ForceUnlock(const std::string& state_path, const std::string& lock_id);
  /// Who holds the lock on the state at `state_path`, if anyone recorded it.
  static std::optional<LockInfo> ReadLockHolder(const std::string& state_path);

  const std::string& path() const { return path_; }
  std::string backup_path() const { return path_ + ".backup"; }
  std::string lock_path() const { return path_ + ".lock"; }
  std::string journal_path() const { return path_ + ".journal"; }
  /// The lock this store holds, as written to the lock file.
  const std::optional<LockInfo>& held_lock() const { return held_; }

 private:
  enum class Attempt { kAcquired, kBusy, kRetryNow };
  Result<Attempt> TryLockOnce(const LockInfo& info);
  Status WriteLockInfo(const LockInfo& info);
  Status WriteText(const std::string& text);
  Status KeepBackupOnce();
  Status ReplayJournal(State& state);

  std::string path_;
  StateCipher cipher_;
  bool loaded_ = false;                    // whether stored_ reflects the file
  // What the file holds, as last loaded or saved. The text (not a copy of the State) is kept
  // because comparing it is cheap and it costs a third of the memory for a large state.
  struct Stored {
    std::string lineage;
    uint64_t serial = 0;
    std::string text;  // plaintext JSON
  };
  std::optional<Stored> stored_;
  std::optional<std::string> unreadable_;  // why the file failed to load; Save then refuses
  JournalFile journal_;
  // The serial of the last journal record that continues the stored file, and how many bytes of
  // the journal (loaded, or written by this run) hold intact frames.
  std::optional<uint64_t> journal_serial_;
  std::optional<size_t> journal_intact_;
  bool journal_failed_ = false;  // an append failed: only full saves from now on
  bool backup_taken_ = false;
  int lock_fd_ = -1;
  std::optional<LockInfo> held_;
};

}  // namespace stashform::state
