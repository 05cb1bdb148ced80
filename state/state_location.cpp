#include "state/state_location.h"

#include <filesystem>

#include "state/layered_store.h"
#include "state/local_store.h"
#include "state/postgres_backend.h"

namespace stashform::state {

namespace {

/// A URL that could not be parsed: every use answers why.
class UnusableBackend : public StateBackend {
 public:
  UnusableBackend(std::string shown, Status why) : shown_(std::move(shown)), why_(std::move(why)) {}
  Result<std::optional<std::string>> Read() override { return why_; }
  Status Write(std::string_view, const StateVersion&, const std::optional<StateVersion>&) override { return why_; }
  Result<std::optional<std::string>> ReadBackup() override { return why_; }
  JournalStream& journal() override { return journal_; }
  std::string Describe() const override { return shown_; }
  std::string DescribeBackup() const override { return shown_; }

 private:
  class NoJournal : public JournalStream {
   public:
    Result<std::optional<std::string>> Read() override { return std::optional<std::string>(); }
    Status Open(size_t) override { return Status::Error("no journal"); }
    Status Append(std::string_view) override { return Status::Error("no journal"); }
    Status Remove() override { return Status::Ok(); }
    size_t bytes() const override { return 0; }
    std::string Describe() const override { return "no journal"; }
  };
  std::string shown_;
  Status why_;
  NoJournal journal_;
};

/// UnusableLocker answers a bad URL's error to every lock attempt.
class UnusableLocker : public Locker {
 public:
  UnusableLocker(std::string shown, Status why) : shown_(std::move(shown)), why_(std::move(why)) {}
  Status Acquire(const LockInfo&, std::chrono::milliseconds) override { return why_; }
  Status Release() override { return why_; }
  std::optional<LockInfo> Holder() override { return std::nullopt; }
  Status ForceUnlock(const std::string&) override { return why_; }
  const std::optional<LockInfo>& held() const override { return held_; }
  std::string Describe() const override { return shown_; }

 private:
  std::string shown_;
  Status why_;
  std::optional<LockInfo> held_;
};

/// PostgresWorkspaces: a row per workspace in `<schema>.workspaces`, beside its state row.
class PostgresWorkspaces : public WorkspaceCatalog {
 public:
  explicit PostgresWorkspaces(PostgresLocation where) : where_(std::move(where)) {}

  Result<std::vector<std::string>> List() override {
    auto db = Connect();
    if (!db.ok()) return db.status();
    const std::string s = (*db)->Schema();
    auto rows = (*db)->Exec("SELECT name FROM " + s + ".workspaces UNION SELECT workspace FROM " + s +
                            ".states ORDER BY 1");
    if (!rows.ok()) return rows.status();
    std::vector<std::string> names = {kDefaultWorkspace};
    for (const auto& row : *rows)
      if (row[0] != kDefaultWorkspace) names.push_back(row[0].value_or(""));
    return names;
  }

  Status Create(const std::string& name) override {
    auto db = Connect();
    if (!db.ok()) return db.status();
    auto added = (*db)->Exec("INSERT INTO " + (*db)->Schema() + ".workspaces (name) SELECT $1 WHERE $1 <> 'default' "
                             "AND NOT EXISTS (SELECT 1 FROM " + (*db)->Schema() + ".states WHERE workspace = $1) "
                             "ON CONFLICT DO NOTHING RETURNING name", {name});
    if (!added.ok()) return added.status();
    if (added->empty()) return Status::Error(StatusCode::kAlreadyExists, "workspace \"" + name + "\" already exists");
    return Status::Ok();
  }

  Status Delete(const std::string& name) override {
    auto db = Connect();
    if (!db.ok()) return db.status();
    PgConnection& c = **db;
    return c.InTransaction([&]() -> Status {
      auto gone = c.Exec("DELETE FROM " + c.Schema() + ".workspaces WHERE name = $1 RETURNING name", {name});
      if (!gone.ok()) return gone.status();
      auto state = c.Exec("DELETE FROM " + c.Schema() + ".states WHERE workspace = $1 RETURNING workspace", {name});
      if (!state.ok()) return state.status();
      if (gone->empty() && state->empty())
        return Status::Error(StatusCode::kNotFound, "workspace \"" + name + "\" does not exist");
      for (const char* table : {".journal", ".backups", ".locks"})
        if (auto rows = c.Exec("DELETE FROM " + c.Schema() + table + " WHERE workspace = $1", {name}); !rows.ok())
          return rows.status();
      return Status::Ok();
    });
  }

  std::string LocationOf(const std::string& name) const override { return where_.WithWorkspace(name); }

 private:
  Result<PgConnection*> Connect() {
    if (db_) return db_.get();
    auto opened = PgConnection::Open(where_);
    if (!opened.ok()) return opened.status();
    if (Status tables = EnsureTables(**opened); !tables.ok()) return tables;
    db_ = std::move(*opened);
    return db_.get();
  }

  PostgresLocation where_;
  std::unique_ptr<PgConnection> db_;
};

}  // namespace

std::unique_ptr<StateStore> OpenStateStore(const std::string& where, StateStoreOptions options) {
  if (!IsPostgresUrl(where)) return OpenLocalStore(where, std::move(options));
  auto location = ParsePostgresUrl(where);
  if (!location.ok()) {
    std::string shown = RedactPostgresUrl(where);
    return std::make_unique<LayeredStore>(std::make_unique<UnusableBackend>(shown, location.status()),
                                          std::make_unique<UnusableLocker>(shown, location.status()), std::move(options));
  }
  return std::make_unique<LayeredStore>(std::make_unique<PostgresBackend>(*location),
                                        std::make_unique<PostgresLocker>(*location), std::move(options));
}

Result<std::unique_ptr<WorkspaceCatalog>> OpenWorkspaces(const std::string& where) {
  if (!IsPostgresUrl(where)) return FileWorkspaces(where);
  auto location = ParsePostgresUrl(where);
  if (!location.ok()) return location.status();
  return std::unique_ptr<WorkspaceCatalog>(std::make_unique<PostgresWorkspaces>(*location));
}

Result<bool> StateExistsAt(const std::string& where) {
  if (!IsPostgresUrl(where)) {
    std::error_code ec;
    return std::filesystem::exists(where, ec);
  }
  auto location = ParsePostgresUrl(where);
  if (!location.ok()) return location.status();
  PostgresBackend backend(*location);
  auto stored = backend.Read();
  if (!stored.ok()) return stored.status();
  return stored->has_value();
}

std::string DescribeLocation(const std::string& where) {
  if (!IsPostgresUrl(where)) return where;
  auto location = ParsePostgresUrl(where);
  return location.ok() ? location->Describe() : RedactPostgresUrl(where);
}

}  // namespace stashform::state
