#include "state/file_backend.h"

#include <cerrno>

#include "state/file_io.h"

namespace stashform::state {

namespace {

bool SameVersionOfFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
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
