#pragma once
// LockInfo helpers shared by every store: filling in the holder, its JSON form, and the message a
// waiting run shows.

#include <optional>
#include <string>

#include "state/locker.h"

namespace stashform::state {

/// A lock description for this process: fresh id, `user@host`, the current UTC time.
LockInfo NewLockInfo(std::string operation, std::string what);

/// Fills id, who and created when the caller left them empty.
LockInfo CompleteLockInfo(LockInfo info);

std::string EncodeLockInfo(const LockInfo& info);
std::optional<LockInfo> DecodeLockInfo(const std::string& text);

/// `state is locked by root@host (apply, since …, lock ID …); wait, or run "stashform force-unlock …"
/// if that run is dead`.
std::string LockedMessage(const LockInfo& holder);

}  // namespace stashform::state
