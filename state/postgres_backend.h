#pragma once
// The PostgreSQL state store's pieces: a byte backend (a row per workspace, the journal as rows,
// earlier versions kept as backups) and a locker (an advisory lock held by its own connection).
// Both connect on first use, so opening a store touches nothing.

#include <memory>
#include <optional>
#include <string>

#include "state/backend.h"
#include "state/locker.h"
#include "state/postgres_connection.h"

namespace stashform::state {

/// How many earlier versions of a workspace's state the backups table keeps.
constexpr int kPostgresBackupsKept = 10;

/// PostgresJournal keeps the journal's frames as rows (workspace, seq, bytes); each append is one
/// committed INSERT, so it is durable when it returns.
class PostgresJournal : public JournalStream {
 public:
  explicit PostgresJournal(std::function<Result<PgConnection*>()> connect) : connect_(std::move(connect)) {}
  Result<std::optional<std::string>> Read() override;
  Status Open(size_t keep_bytes) override;
  Status Append(std::string_view bytes) override;
  Status Remove() override;
  size_t bytes() const override { return bytes_; }
  std::string Describe() const override { return description_; }
  void set_description(std::string text) { description_ = std::move(text); }

 private:
  std::function<Result<PgConnection*>()> connect_;
  std::string description_;
  int next_seq_ = 0;
  size_t bytes_ = 0;
};

/// PostgresBackend stores one workspace's state in a row of `<schema>.states`, written by
/// compare-and-swap on lineage + serial in one transaction; a run's first write keeps the row it
/// replaces in `<schema>.backups` (the last kPostgresBackupsKept).
class PostgresBackend : public StateBackend {
 public:
  explicit PostgresBackend(PostgresLocation where);

  Result<std::optional<std::string>> Read() override;
  Status Write(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected) override;
  Result<std::optional<std::string>> ReadBackup() override;
  JournalStream& journal() override { return journal_; }
  std::string Describe() const override { return where_.Describe(); }
  std::string DescribeBackup() const override;

 private:
  Result<PgConnection*> Connect();
  Status Replace(std::string_view bytes, const StateVersion& next, const std::optional<StateVersion>& expected);
  std::string StoredVersionText();

  PostgresLocation where_;
  std::unique_ptr<PgConnection> db_;
  PostgresJournal journal_;
  bool backup_taken_ = false;
};

/// PostgresLocker holds `pg_try_advisory_lock` on a key derived from schema + workspace on a
/// connection of its own, and records the holder in `<schema>.locks`. The server releases the
/// lock when that connection ends, so a runner that dies frees it; a force-unlock ends the
/// holder's connection (pg_terminate_backend), from any host.
class PostgresLocker : public Locker {
 public:
  explicit PostgresLocker(PostgresLocation where) : where_(std::move(where)) {}
  ~PostgresLocker() override;  // releases a lock still held
  PostgresLocker(const PostgresLocker&) = delete;
  PostgresLocker& operator=(const PostgresLocker&) = delete;

  Status Acquire(const LockInfo& info, std::chrono::milliseconds timeout) override;
  Status Release() override;
  std::optional<LockInfo> Holder() override;
  Status ForceUnlock(const std::string& lock_id) override;
  const std::optional<LockInfo>& held() const override { return held_; }
  std::string Describe() const override { return where_.Describe(); }

 private:
  Result<PgConnection*> Connect();
  Result<LockAttempt> TryOnce(const LockInfo& info);
  std::string Key() const { return "stashform-state/" + where_.schema + "/" + where_.workspace; }

  PostgresLocation where_;
  std::unique_ptr<PgConnection> db_;
  std::optional<LockInfo> held_;
};

}  // namespace stashform::state
