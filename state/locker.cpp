#include "state/locker.h"

#include <algorithm>
#include <thread>

#include "state/lock_info.h"

namespace stashform::state {

Status AcquireWithBackoff(const std::function<Result<LockAttempt>()>& attempt,
                          const std::function<std::optional<LockInfo>()>& holder, const std::string& what,
                          std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds delay(10);
  for (;;) {
    Result<LockAttempt> tried = attempt();
    if (!tried.ok()) return tried.status();
    if (*tried == LockAttempt::kAcquired) return Status::Ok();
    if (*tried == LockAttempt::kRetryNow) continue;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      LockInfo unknown{"(unknown)", "(unknown)", "an unknown holder", "(unknown)", what};
      return Status::Error(LockedMessage(holder().value_or(unknown)));
    }
    // Backoff: waiting runs poll less as the wait grows, but never past the deadline.
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
    delay = std::min(delay * 2, std::chrono::milliseconds(1000));
  }
}

Status NotLockedError(const std::string& what) { return Status::Error(what + " is not locked"); }

Status WrongLockIdError(const std::string& lock_id, const std::string& what, const LockInfo& holder) {
  return Status::Error("lock ID \"" + lock_id + "\" does not match the lock on " + what + " (lock ID " + holder.id +
                       ", held by " + holder.who + ")");
}

}  // namespace stashform::state
