#pragma once
// Locker keeps runs from changing one state at once: a lock with a recorded holder, for a file, a
// database workspace or memory. It knows nothing of the state it guards.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "base/status.h"

namespace stashform::state {

/// LockInfo is who holds the state: shown to the one that waits or fails.
struct LockInfo {
  std::string id;         // UUID, for force-unlock
  std::string operation;  // "plan", "apply", ...
  std::string who;        // user@host
  std::string created;    // RFC 3339 time
  std::string what;       // what is locked, for messages: a file's path, a workspace
};

/// Locker takes and gives back one lock. Instances on the same place exclude each other.
class Locker {
 public:
  virtual ~Locker() = default;
  /// Takes the lock, waiting up to `timeout` with backoff; then fails naming the holder. Fills in
  /// id, who and created when `info` leaves them empty, and `what` with Describe().
  virtual Status Acquire(const LockInfo& info, std::chrono::milliseconds timeout) = 0;
  /// Gives back the lock this instance holds, unless a force-unlock gave it to someone else.
  virtual Status Release() = 0;
  /// Who holds the lock now, if anyone recorded it.
  virtual std::optional<LockInfo> Holder() = 0;
  /// Removes the lock only when its id is `lock_id`: for a run that died holding it.
  virtual Status ForceUnlock(const std::string& lock_id) = 0;
  /// The lock this instance holds.
  virtual const std::optional<LockInfo>& held() const = 0;
  virtual std::string Describe() const = 0;  // what is locked, for messages
};

/// How one attempt to take a lock went.
enum class LockAttempt { kAcquired, kBusy, kRetryNow };

/// The wait every locker shares: tries `attempt` until it acquires or `timeout` passes, backing
/// off from 10 ms doubling to 1 s; on timeout, the error names `holder()` (or an unknown one).
Status AcquireWithBackoff(const std::function<Result<LockAttempt>()>& attempt,
                          const std::function<std::optional<LockInfo>()>& holder, const std::string& what,
                          std::chrono::milliseconds timeout);

/// The refusals of ForceUnlock every locker words the same way.
Status NotLockedError(const std::string& what);
Status WrongLockIdError(const std::string& lock_id, const std::string& what, const LockInfo& holder);

}  // namespace stashform::state
