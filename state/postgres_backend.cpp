#include "state/postgres_backend.h"

#include <thread>

#include "state/lock_info.h"

namespace stashform::state {

namespace {

/// A connection whose tables are there and current; reused while it lives.
Result<PgConnection*> Reconnect(std::unique_ptr<PgConnection>& db, const PostgresLocation& where) {
  if (db && db->alive()) return db.get();
  auto opened = PgConnection::Open(where);
  if (!opened.ok()) return opened.status();
  if (Status tables = EnsureTables(**opened); !tables.ok()) return tables;
  db = std::move(*opened);
  return db.get();
}

}  // namespace

// Journal rows -------------------------------------------------------------------------------

Result<std::optional<std::string>> PostgresJournal::Read() {
  auto db = connect_();
  if (!db.ok()) return db.status();
  auto rows = (*db)->ExecBinary("SELECT bytes FROM " + (*db)->Schema() + ".journal WHERE workspace = $1 ORDER BY seq",
                                {(*db)->where().workspace});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  std::string all;
  for (const auto& row : *rows) all += row[0].value_or("");
  return std::optional<std::string>(std::move(all));
}

Status PostgresJournal::Open(size_t keep_bytes) {
  auto stored = Read();
  if (!stored.ok()) return stored.status();
  std::string kept = stored->value_or("").substr(0, keep_bytes);
  auto db = connect_();
  if (!db.ok()) return db.status();
  PgConnection& c = **db;
  // The rows are replaced by one holding what is kept, in one transaction: a crash leaves either.
  Status replaced = c.InTransaction([&]() -> Status {
    auto gone = c.Exec("DELETE FROM " + c.Schema() + ".journal WHERE workspace = $1", {c.where().workspace});
    if (!gone.ok()) return gone.status();
    auto first = c.Exec("INSERT INTO " + c.Schema() + ".journal VALUES ($1, 0, $2)", {c.where().workspace, kept},
                        {false, true});
    return first.ok() ? Status::Ok() : first.status();
  });
  if (!replaced.ok()) return replaced;
  next_seq_ = 1;
  bytes_ = kept.size();
  return Status::Ok();
}

Status PostgresJournal::Append(std::string_view bytes) {
  auto db = connect_();
  if (!db.ok()) return db.status();
  PgConnection& c = **db;
  auto added = c.Exec("INSERT INTO " + c.Schema() + ".journal VALUES ($1, $2, $3)",
                      {c.where().workspace, std::to_string(next_seq_), std::string(bytes)}, {false, false, true});
  if (!added.ok()) return added.status();
  ++next_seq_;
  bytes_ += bytes.size();
  return Status::Ok();
}

Status PostgresJournal::Remove() {
  auto db = connect_();
  if (!db.ok()) return db.status();
  auto gone = (*db)->Exec("DELETE FROM " + (*db)->Schema() + ".journal WHERE workspace = $1", {(*db)->where().workspace});
  if (!gone.ok()) return gone.status();
  next_seq_ = 0;
  bytes_ = 0;
  return Status::Ok();
}

// State row ----------------------------------------------------------------------------------

PostgresBackend::PostgresBackend(PostgresLocation where)
    : where_(std::move(where)), journal_([this] { return Connect(); }) {
  journal_.set_description(where_.Describe() + " journal");
}

Result<PgConnection*> PostgresBackend::Connect() { return Reconnect(db_, where_); }

std::string PostgresBackend::DescribeBackup() const {
  return where_.Describe() + " backup (the last " + std::to_string(kPostgresBackupsKept) + " versions, table " +
         where_.schema + ".backups)";
}

Result<std::optional<std::string>> PostgresBackend::Read() {
  auto db = Connect();
  if (!db.ok()) return db.status();
  auto rows = (*db)->ExecBinary("SELECT data FROM " + (*db)->Schema() + ".states WHERE workspace = $1", {where_.workspace});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front()[0].value_or(""));
}

Result<std::optional<std::string>> PostgresBackend::ReadBackup() {
  auto db = Connect();
  if (!db.ok()) return db.status();
  auto rows = (*db)->ExecBinary(
      "SELECT data FROM " + (*db)->Schema() + ".backups WHERE workspace = $1 ORDER BY id DESC LIMIT 1", {where_.workspace});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front()[0].value_or(""));
}

Status PostgresBackend::Write(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected) {
  auto db = Connect();
  if (!db.ok()) return db.status();
  Status written = (*db)->InTransaction([&] { return Replace(bytes, next, expected); });
  if (written.ok()) backup_taken_ = true;
  return written;
}

// Inside the write's transaction: the backup, then the compare-and-swap, then the pruning. A
// refused swap rolls the backup back with it.
Status PostgresBackend::Replace(std::string_view bytes, const StateVersion& next,
                                const std::optional<StateVersion>& expected) {
  PgConnection& c = *db_;
  const std::string s = c.Schema(), serial = std::to_string(next.serial);
  if (expected && !backup_taken_) {
    auto kept = c.Exec("INSERT INTO " + s + ".backups (workspace, lineage, serial, data) SELECT workspace, lineage, "
                       "serial, data FROM " + s + ".states WHERE workspace = $1", {where_.workspace});
    if (!kept.ok()) return kept.status();
  }
  Result<PgRows> swapped =
      expected ? c.Exec("UPDATE " + s + ".states SET data = $2, lineage = $3, serial = $4, updated_at = now() "
                        "WHERE workspace = $1 AND lineage = $5 AND serial = $6 RETURNING workspace",
                        {where_.workspace, std::string(bytes), next.lineage, serial, expected->lineage,
                         std::to_string(expected->serial)},
                        {false, true})
               : c.Exec("INSERT INTO " + s + ".states (workspace, data, lineage, serial) VALUES ($1, $2, $3, $4) "
                        "ON CONFLICT (workspace) DO NOTHING RETURNING workspace",
                        {where_.workspace, std::string(bytes), next.lineage, serial}, {false, true});
  if (!swapped.ok()) return swapped.status();
  if (swapped->empty()) return StaleWriteError(Describe(), StoredVersionText());
  for (const std::string& sql :
       {"DELETE FROM " + s + ".backups WHERE workspace = $1 AND id NOT IN (SELECT id FROM " + s +
            ".backups WHERE workspace = $1 ORDER BY id DESC LIMIT " + std::to_string(kPostgresBackupsKept) + ")",
        "INSERT INTO " + s + ".workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING"})
    if (auto done = c.Exec(sql, {where_.workspace}); !done.ok()) return done.status();
  return Status::Ok();
}

std::string PostgresBackend::StoredVersionText() {
  auto rows = db_->Exec("SELECT lineage, serial FROM " + db_->Schema() + ".states WHERE workspace = $1", {where_.workspace});
  if (!rows.ok() || rows->empty()) return "it holds no state";
  return "it holds lineage " + rows->front()[0].value_or("") + " serial " + rows->front()[1].value_or("");
}

// Locker -------------------------------------------------------------------------------------

PostgresLocker::~PostgresLocker() {
  if (held_) Release();
}

Result<PgConnection*> PostgresLocker::Connect() { return Reconnect(db_, where_); }

Status PostgresLocker::Acquire(const LockInfo& requested, std::chrono::milliseconds timeout) {
  if (held_) return Status::Error(Describe() + " is already locked by this run");
  LockInfo info = CompleteLockInfo(requested);
  if (info.what.empty()) info.what = Describe();
  return AcquireWithBackoff([&] { return TryOnce(info); }, [this] { return Holder(); }, Describe(), timeout);
}

Result<LockAttempt> PostgresLocker::TryOnce(const LockInfo& info) {
  auto db = Connect();
  if (!db.ok()) return db.status();
  PgConnection& c = **db;
  auto taken = c.Exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", {Key()});
  if (!taken.ok()) return taken.status();
  if (taken->front()[0] != "t") return LockAttempt::kBusy;
  // The row only describes the holder; the advisory lock is what excludes.
  auto recorded = c.Exec("INSERT INTO " + c.Schema() + ".locks VALUES ($1, $2, $3, $4, $5, $6, pg_backend_pid()) "
                         "ON CONFLICT (workspace) DO UPDATE SET id = $2, operation = $3, who = $4, created = $5, "
                         "what = $6, backend_pid = pg_backend_pid()",
                         {where_.workspace, info.id, info.operation, info.who, info.created, info.what});
  if (!recorded.ok()) {
    c.Exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", {Key()});
    return recorded.status();
  }
  held_ = info;
  return LockAttempt::kAcquired;
}

Status PostgresLocker::Release() {
  if (!held_) return Status::Error(Describe() + " is not locked by this run");
  // After a force-unlock our connection is gone and the row may be the next run's: it stays.
  if (db_ && db_->alive()) {
    db_->Exec("DELETE FROM " + db_->Schema() + ".locks WHERE workspace = $1 AND id = $2", {where_.workspace, held_->id});
    // Unlocked before the connection closes: the server ends a closed session only a moment
    // later, and a run that asks right after must find the lock free.
    db_->Exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", {Key()});
  }
  db_.reset();
  held_.reset();
  return Status::Ok();
}

std::optional<LockInfo> PostgresLocker::Holder() {
  auto db = Connect();
  if (!db.ok()) return std::nullopt;
  PgConnection& c = **db;
  // A row counts only while its connection still holds the advisory lock: a dead runner's row
  // stays behind until the next holder replaces it.
  auto rows = c.Exec(
      "SELECT l.id, l.operation, l.who, l.created, l.what FROM " + c.Schema() + ".locks l WHERE l.workspace = $1 "
      "AND EXISTS (SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.granted AND p.objsubid = 1 "
      "AND p.pid = l.backend_pid AND ((p.classid::bigint << 32) | p.objid::bigint) = hashtextextended($2, 0))",
      {where_.workspace, Key()});
  if (!rows.ok() || rows->empty()) return std::nullopt;
  const PgRow& row = rows->front();
  return LockInfo{row[0].value_or(""), row[1].value_or(""), row[2].value_or(""), row[3].value_or(""),
                  row[4].value_or("")};
}

Status PostgresLocker::ForceUnlock(const std::string& lock_id) {
  std::optional<LockInfo> holder = Holder();
  if (!holder) return NotLockedError(Describe());
  if (holder->id != lock_id) return WrongLockIdError(lock_id, Describe(), *holder);
  PgConnection& c = **Connect();
  auto ended = c.Exec("SELECT pg_terminate_backend(backend_pid, 5000) FROM " + c.Schema() +
                          ".locks WHERE workspace = $1 AND id = $2",
                      {where_.workspace, lock_id});
  if (!ended.ok()) return ended.status();
  if (ended->empty() || ended->front()[0] != "t")
    return Status::Error("cannot end the connection that holds the lock on " + Describe() +
                         "; ask the database administrator (it needs pg_signal_backend)");
  auto gone = c.Exec("DELETE FROM " + c.Schema() + ".locks WHERE workspace = $1 AND id = $2", {where_.workspace, lock_id});
  return gone.ok() ? Status::Ok() : gone.status();
}

}  // namespace stashform::state
