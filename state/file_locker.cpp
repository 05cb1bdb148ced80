#include "state/file_locker.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "state/file_io.h"
#include "state/lock_info.h"

namespace stashform::state {

namespace {

bool SameFile(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

}  // namespace

LocalFileLocker::LocalFileLocker(std::string state_path) : state_path_(std::move(state_path)) {}

LocalFileLocker::~LocalFileLocker() {
  if (lock_fd_ >= 0) Release();
}

Status LocalFileLocker::Acquire(const LockInfo& requested, std::chrono::milliseconds timeout) {
  if (lock_fd_ >= 0) return Status::Error(state_path_ + " is already locked by this run");
  LockInfo info = CompleteLockInfo(requested);
  if (info.what.empty()) info.what = state_path_;
  return AcquireWithBackoff([&] { return TryOnce(info); }, [this] { return Holder(); }, state_path_, timeout);
}

Result<LockAttempt> LocalFileLocker::TryOnce(const LockInfo& info) {
  std::string lock = lock_path();
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("cannot open lock file " + lock + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return LockAttempt::kBusy;
    return Status::Error("cannot lock " + lock + ": " + std::strerror(error));
  }
  // The previous holder may have unlinked the file between our open and flock: a lock on that
  // orphan would exclude nobody, so start over on the file now at the path.
  struct stat held {}, current {};
  if (::fstat(fd, &held) != 0 || ::stat(lock.c_str(), &current) != 0 || !SameFile(held, current)) {
    ::close(fd);
    return LockAttempt::kRetryNow;
  }
  lock_fd_ = fd;
  if (Status s = WriteLockInfo(info); !s.ok()) {
    Release();
    return s;
  }
  held_ = info;
  // Runs that died mid-save left their temp files (whole states, maybe secrets); no one else
  // writes while we hold the lock, so they can go now.
  RemoveLeftoverTempFiles(state_path_);
  return LockAttempt::kAcquired;
}

// No fsync: the record is for other runs reading it while the flock is held, and they read the
// page cache. A crash drops the flock with it, and the next run overwrites whatever the file holds,
// so a record made durable would outlive the lock it describes for nothing (an fsync a command).
Status LocalFileLocker::WriteLockInfo(const LockInfo& info) {
  std::string text = EncodeLockInfo(info);
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, text.data(), text.size(), 0) != ssize_t(text.size()))
    return Status::Error("cannot write lock file " + lock_path() + ": " + std::strerror(errno));
  return Status::Ok();
}

Status LocalFileLocker::Release() {
  if (lock_fd_ < 0) return Status::Error(state_path_ + " is not locked by this run");
  // Remove the file only while it is still ours: after a force-unlock it may be another run's.
  struct stat held {}, current {};
  if (::fstat(lock_fd_, &held) == 0 && ::stat(lock_path().c_str(), &current) == 0 && SameFile(held, current))
    ::unlink(lock_path().c_str());
  ::close(lock_fd_);
  lock_fd_ = -1;
  held_.reset();
  return Status::Ok();
}

std::optional<LockInfo> LocalFileLocker::Holder() {
  auto text = ReadFileIfExists(lock_path());
  if (!text.ok() || !text->has_value()) return std::nullopt;
  return DecodeLockInfo(**text);
}

Status LocalFileLocker::ForceUnlock(const std::string& lock_id) {
  std::optional<LockInfo> holder = Holder();
  if (!holder) return NotLockedError(state_path_);
  if (holder->id != lock_id) return WrongLockIdError(lock_id, state_path_, *holder);
  if (::unlink(lock_path().c_str()) != 0 && errno != ENOENT)
    return Status::Error("cannot remove " + lock_path() + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace stashform::state
