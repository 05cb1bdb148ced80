#pragma once
// LocalFileBackend keeps a state's bytes in one local file; with LocalFileLocker it is the local
// file store (state/local_store.h).

#include <sys/stat.h>

#include <optional>
#include <string>

#include "state/backend.h"
#include "state/journal.h"

namespace stashform::state {

/// LocalFileBackend reads `path` and replaces it atomically (temp file, fsync, rename, mode 0600),
/// keeps `<path>.backup` of the version it first replaced, and journals to `<path>.journal`. A
/// file only holds bytes, so its compare-and-swap compares the file's identity (device, inode,
/// size, modification time) with the one it last read or wrote: every write makes a new inode.
class LocalFileBackend : public StateBackend {
 public:
  explicit LocalFileBackend(std::string path);

  Result<std::optional<std::string>> Read() override;
  Status Write(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected) override;
  Result<std::optional<std::string>> ReadBackup() override;
  JournalStream& journal() override { return journal_; }
  std::string Describe() const override { return path_; }
  std::string DescribeBackup() const override { return backup_path(); }

  const std::string& path() const { return path_; }
  std::string backup_path() const { return path_ + ".backup"; }
  std::string journal_path() const { return path_ + ".journal"; }

 private:
  /// What the file was when this backend last read or wrote it: absent, or this identity.
  struct Seen {
    bool exists = false;
    struct stat identity {};
  };
  Status CheckUnchanged(const std::optional<StateVersion>& expected) const;
  Status KeepBackupOnce();

  std::string path_;
  JournalFile journal_;
  std::optional<Seen> seen_;
  bool backup_taken_ = false;
};

}  // namespace stashform::state
