#pragma once
// LocalFileLocker locks a local state file through `<state>.lock`, across processes.

#include <optional>
#include <string>

#include "state/locker.h"

namespace stashform::state {

/// LocalFileLocker holds an flock(2) on `<state_path>.lock`, which records the holder as JSON, so
/// the kernel releases the lock when the holding process dies. It removes the lock file on
/// release only while the file is still its own (after a force-unlock it may be another run's).
class LocalFileLocker : public Locker {
 public:
  explicit LocalFileLocker(std::string state_path);
  ~LocalFileLocker() override;  // releases a lock still held
  LocalFileLocker(const LocalFileLocker&) = delete;
  LocalFileLocker& operator=(const LocalFileLocker&) = delete;

  Status Acquire(const LockInfo& info, std::chrono::milliseconds timeout) override;
  Status Release() override;
  std::optional<LockInfo> Holder() override;
  Status ForceUnlock(const std::string& lock_id) override;
  const std::optional<LockInfo>& held() const override { return held_; }
  std::string Describe() const override { return state_path_; }

  std::string lock_path() const { return state_path_ + ".lock"; }

 private:
  Result<LockAttempt> TryOnce(const LockInfo& info);
  Status WriteLockInfo(const LockInfo& info);

  std::string state_path_;
  int lock_fd_ = -1;
  std::optional<LockInfo> held_;
};

}  // namespace stashform::state
