#include "state/state_migrate.h"

#include <memory>

#include "state/encryption.h"
#include "state/file_backend.h"
#include "state/file_locker.h"
#include "state/postgres_backend.h"
#include "state/state.h"
#include "state/state_location.h"

namespace stashform::state {

namespace {

/// One end of a migration: its bytes and its lock.
struct Place {
  std::unique_ptr<StateBackend> backend;
  std::unique_ptr<Locker> locker;
};

Result<Place> OpenPlace(const std::string& where) {
  if (!IsPostgresUrl(where)) return Place{std::make_unique<LocalFileBackend>(where), std::make_unique<LocalFileLocker>(where)};
  auto location = ParsePostgresUrl(where);
  if (!location.ok()) return location.status();
  return Place{std::make_unique<PostgresBackend>(*location), std::make_unique<PostgresLocker>(*location)};
}

/// The lineage and serial that `bytes` (sealed or not) hold.
Result<StateVersion> VersionOf(const std::string& bytes, const std::string& where, const StateStoreOptions& options) {
  StateCipher cipher(options);
  auto plaintext = cipher.Open(bytes, where);
  if (!plaintext.ok()) return plaintext.status();
  auto state = DecodeState(*plaintext, where);
  if (!state.ok()) return state.status();
  return StateVersion{state->lineage, state->serial};
}

Status CopyJournal(StateBackend& from, StateBackend& to) {
  auto journal = from.journal().Read();
  if (!journal.ok()) return journal.status();
  if (!journal->has_value()) return to.journal().Remove();
  if (Status opened = to.journal().Open(0); !opened.ok()) return opened;
  return (*journal)->empty() ? Status::Ok() : to.journal().Append(**journal);
}

Result<MigrateResult> Copy(Place& source, Place& target, const std::string& from, const std::string& to,
                           const StateStoreOptions& options, bool force) {
  const std::string from_shown = DescribeLocation(from), to_shown = DescribeLocation(to);
  auto bytes = source.backend->Read();
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::Error(StatusCode::kNotFound, "no state at " + from_shown + " to migrate");
  auto version = VersionOf(**bytes, from_shown, options);
  if (!version.ok()) return version.status();
  auto existing = target.backend->Read();
  if (!existing.ok()) return existing.status();
  std::optional<StateVersion> expected;
  if (existing->has_value()) {
    auto found = VersionOf(**existing, to_shown, options);
    if (!force)
      return Status::Error(StatusCode::kAlreadyExists,
                           to_shown + " already holds a state" +
                               (found.ok() ? " (lineage " + found->lineage + ", serial " + std::to_string(found->serial) + ")"
                                           : "") +
                               "; nothing was changed. Pass -force to replace it (its last version is kept as the backup)");
    if (!found.ok()) return found.status();
    expected = *found;
  }
  if (Status written = target.backend->Write(**bytes, *version, expected); !written.ok()) return written;
  if (Status journal = CopyJournal(*source.backend, *target.backend); !journal.ok()) return journal;
  // Read back: what arrived must be exactly what left.
  auto arrived = target.backend->Read();
  if (!arrived.ok()) return arrived.status();
  if (*arrived != *bytes) return Status::Error("the state read back from " + to_shown + " differs from what was sent");
  auto journal = target.backend->journal().Read();
  return MigrateResult{version->lineage, version->serial, (*bytes)->size(),
                       journal.ok() && journal->has_value() ? (*journal)->size() : 0};
}

}  // namespace

Result<MigrateResult> MigrateState(const std::string& from, const std::string& to, const StateStoreOptions& options,
                                   bool force, const LockInfo& lock, std::chrono::milliseconds timeout) {
  auto source = OpenPlace(from);
  if (!source.ok()) return source.status();
  auto target = OpenPlace(to);
  if (!target.ok()) return target.status();
  if (DescribeLocation(from) == DescribeLocation(to))
    return Status::Error(StatusCode::kInvalidArgument, "the state is already at " + DescribeLocation(to));
  // Both ends are locked for the whole copy: no run changes either meanwhile.
  if (Status locked = source->locker->Acquire(lock, timeout); !locked.ok()) return locked;
  LockInfo target_lock = lock;
  target_lock.id.clear();
  target_lock.what.clear();
  if (Status locked = target->locker->Acquire(target_lock, timeout); !locked.ok()) return locked;
  auto copied = Copy(*source, *target, from, to, options, force);
  target->locker->Release();
  source->locker->Release();
  return copied;
}

}  // namespace stashform::state
