#pragma once
// Moving a state between places (a file and PostgreSQL, either way): the stored bytes and the
// journal are copied as they are, so the lineage, the serial, the journal's records and an
// encrypted state's envelope arrive unchanged.

#include <string>

#include "base/status.h"
#include "state/locker.h"
#include "state/store_options.h"

namespace stashform::state {

struct MigrateResult {
  std::string lineage;
  uint64_t serial = 0;          // of the stored state; the journal's records continue it
  size_t state_bytes = 0;
  size_t journal_bytes = 0;
};

/// Copies the state at `from` to `to` (a path or a postgres:// URL) under both locks, taken with
/// `lock` (waiting up to `timeout`). Refuses when `to` already holds a state, unless `force`.
/// `options` open the state only to read its lineage and serial; the bytes travel sealed.
Result<MigrateResult> MigrateState(const std::string& from, const std::string& to, const StateStoreOptions& options,
                                   bool force, const LockInfo& lock, std::chrono::milliseconds timeout);

}  // namespace stashform::state
