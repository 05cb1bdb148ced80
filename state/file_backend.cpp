#include "state/file_backend.h"

#include <unistd.h>

#include <cerrno>

#include "state/file_io.h"

namespace stashform::state {

namespace {

bool SameVersionOfFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// The backup as a second name of the file found: the state is only ever replaced by rename, never
// written in place, so that inode keeps the version found. Saves reading and writing (and
// syncing) a large state again. Only for a file already private (0600), as a copy would be.
bool LinkedAsBackup(const std::string& path, const std::string& backup) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || (info.st_mode & 0777) != 0600) return false;
  if (::unlink(backup.c_str()) != 0 && errno != ENOENT) return false;
  return ::link(path.c_str(), backup.c_str()) == 0;
}

}  // namespace

LocalFileBackend::LocalFileBackend(std::string path) : path_(std::move(path)), journal_(path_ + ".journal") {}

Result<std::optional<std::string>> LocalFileBackend::Read() {
  Seen seen;
  auto bytes = ReadFileIfExists(path_, &seen.identity);
  if (!bytes.ok()) return bytes;
  seen.exists = bytes->has_value();
  seen_ = seen;
  return bytes;
}

Status LocalFileBackend::Write(std::string_view bytes, const StateVersion&, const std::optional<StateVersion>& expected) {
  if (Status s = CheckUnchanged(expected); !s.ok()) return s;
  if (Status s = KeepBackupOnce(); !s.ok()) return s;
  Seen written{true, {}};
  if (Status s = WriteFileAtomically(path_, bytes, 0600, &written.identity); !s.ok()) {
    seen_.reset();  // whether the rename happened is unknown: the next write must read first
    return s;
  }
  seen_ = written;
  return Status::Ok();
}

// The file must be the one this backend last read or wrote: a run that did neither, or whose
// file was replaced meanwhile (a run that did not lock), would otherwise overwrite unseen changes.
Status LocalFileBackend::CheckUnchanged(const std::optional<StateVersion>& expected) const {
  struct stat now {};
  bool exists = ::stat(path_.c_str(), &now) == 0;
  if (!exists && errno != ENOENT) return Errno("cannot stat", path_);
  if (!seen_) {
    if (!exists && !expected) return Status::Ok();
    return StaleWriteError(path_, "this run never read it");
  }
  if (exists != seen_->exists || (exists && !SameVersionOfFile(now, seen_->identity)))
    return StaleWriteError(path_, exists ? "another run replaced the file" : "the file was removed");
  return Status::Ok();
}

// One backup per run: the version this run found, not the one its previous save wrote.
Status LocalFileBackend::KeepBackupOnce() {
  if (backup_taken_) return Status::Ok();
  // The rename of the save that follows syncs the folder, and with it the backup's name.
  if (LinkedAsBackup(path_, backup_path())) {
    backup_taken_ = true;
    return Status::Ok();
  }
  auto old = ReadFileIfExists(path_);
  if (!old.ok()) return old.status();
  if (old->has_value()) {
    if (Status s = WriteFileAtomically(backup_path(), **old); !s.ok()) return s;
  }
  backup_taken_ = true;
  return Status::Ok();
}

Result<std::optional<std::string>> LocalFileBackend::ReadBackup() { return ReadFileIfExists(backup_path()); }

}  // namespace stashform::state
