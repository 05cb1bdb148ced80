// The PostgreSQL store: the conformance suite (plain and encrypted) against the server the test
// suite starts, and what only this backend promises — tables made and upgraded on first use,
// the last versions kept, a dead runner's lock freed with its connection, no password shown.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state/postgres_backend.h"
#include "state/state_location.h"
#include "tests/state/store_conformance.h"
#include "tests/support/postgres_url.h"

namespace stashform::state {
namespace {

std::string ServerUrl() { return stashform::testing::PostgresServerUrl(STASHFORM_PG_URL_FILE); }

/// A URL for a workspace in a schema of its own.
std::string FreshUrl(const std::string& workspace = "default") {
  return ServerUrl() + "?schema=" + stashform::testing::FreshSchema() + "&workspace=" + workspace;
}

PostgresLocation Location(const std::string& url) {
  auto parsed = ParsePostgresUrl(url);
  EXPECT_TRUE(parsed.ok()) << parsed.message();
  return parsed.ok() ? *parsed : PostgresLocation{};
}

struct PostgresPlace {
  PostgresLocation where = Location(FreshUrl());
  StateStoreOptions options;
  std::unique_ptr<StateBackend> NewBackend() { return std::make_unique<PostgresBackend>(where); }
  std::unique_ptr<Locker> NewLocker() { return std::make_unique<PostgresLocker>(where); }
};

template <typename Place>
struct Encrypted : Place {
  Encrypted() {
    this->options.key = EncryptionKey::Passphrase("conformance", "test passphrase");
    this->options.pbkdf2_iterations = 1000;
    this->options.enforce_encryption = true;
  }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StateStoreConformance, PostgresPlace);
INSTANTIATE_TYPED_TEST_SUITE_P(EncryptedPostgres, StateStoreConformance, Encrypted<PostgresPlace>);

namespace {

using namespace std::chrono_literals;

State LoadOrFail(StateStore& store) {
  auto loaded = store.Load();
  EXPECT_TRUE(loaded.ok()) << loaded.message();
  return loaded.ok() && loaded->has_value() ? std::move(**loaded) : State{};
}

TEST(PostgresLocation, TakesSchemaAndWorkspaceOutOfWhatLibpqSees) {
  auto where = ParsePostgresUrl("postgresql://ci:s3cret@db.internal:5433/infra?sslmode=require&schema=teams&workspace=staging");
  ASSERT_TRUE(where.ok()) << where.message();
  EXPECT_EQ(where->conninfo, "postgresql://ci:s3cret@db.internal:5433/infra?sslmode=require");
  EXPECT_EQ(where->schema, "teams");
  EXPECT_EQ(where->workspace, "staging");
  EXPECT_EQ(where->Describe(), "postgresql://ci@db.internal:5433/infra?schema=teams&workspace=staging");
  EXPECT_EQ(where->WithWorkspace("prod"),
            "postgresql://ci:s3cret@db.internal:5433/infra?sslmode=require&schema=teams&workspace=prod");
}

TEST(PostgresLocation, NeverShowsThePasswordInMessages) {
  EXPECT_EQ(RedactPostgresUrl("postgres://ci:s3cret@db/x?password=other&schema=a"),
            "postgres://ci:(sensitive)@db/x?password=(sensitive)&schema=a");
  auto bad = ParsePostgresUrl("postgres://ci:s3cret@db/x?schema=Robert'); DROP TABLE x;--");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.message().find("s3cret"), std::string::npos) << bad.message();
  EXPECT_NE(bad.message().find("is not a plain lower-case SQL name"), std::string::npos) << bad.message();
  auto bad_workspace = ParsePostgresUrl("postgres://ci:s3cret@db/x?workspace=../etc");
  ASSERT_FALSE(bad_workspace.ok());
  EXPECT_NE(bad_workspace.message().find("workspace name \"../etc\" is not allowed"), std::string::npos);
}

TEST(PostgresStore, AnUnreachableServerIsAnErrorThatNamesItWithoutThePassword) {
  auto store = OpenStateStore("postgres://ci:pg-pass-0xdeadbeef@127.0.0.1:1/x?connect_timeout=2");
  auto loaded = store->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.message().find("cannot connect to postgres://ci@127.0.0.1:1/x"), std::string::npos)
      << loaded.message();
  EXPECT_EQ(loaded.message().find("pg-pass-0xdeadbeef"), std::string::npos) << loaded.message();
  EXPECT_EQ(store->Describe().find("pg-pass-0xdeadbeef"), std::string::npos);
}

TEST(PostgresStore, CreatesItsTablesOnFirstUseAndUpgradesOldOnes) {
  PostgresLocation where = Location(FreshUrl());
  {
    // A schema as the first release made it: version 1, one state in it.
    auto db = PgConnection::Open(where);
    ASSERT_TRUE(db.ok()) << db.message();
    ASSERT_TRUE(EnsureTables(**db, 1).ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO " + (*db)->Schema() + ".states VALUES ('old', 'L', 3, 'x')").ok());
  }
  State state = stashform::state::testing::SampleState();
  ASSERT_TRUE(OpenStateStore(where.WithWorkspace("default"))->Save(state).ok());
  auto db = PgConnection::Open(where);
  ASSERT_TRUE(db.ok());
  auto version = (*db)->Exec("SELECT value FROM " + (*db)->Schema() + ".meta WHERE key = 'schema_version'");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->front()[0], std::to_string(kPostgresSchemaVersion));
  auto workspaces = OpenWorkspaces(where.WithWorkspace("default"));
  ASSERT_TRUE(workspaces.ok());
  auto names = (*workspaces)->List();
  ASSERT_TRUE(names.ok()) << names.message();
  EXPECT_EQ(*names, (std::vector<std::string>{"default", "old"})) << "the upgrade lists the workspaces already there";
}

TEST(PostgresStore, RefusesTablesNewerThanItKnows) {
  PostgresLocation where = Location(FreshUrl());
  auto db = PgConnection::Open(where);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(EnsureTables(**db).ok());
  ASSERT_TRUE((*db)->Exec("UPDATE " + (*db)->Schema() + ".meta SET value = '99'").ok());
  auto loaded = OpenStateStore(where.WithWorkspace("default"))->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.message().find("are version 99, newer than this stashform knows"), std::string::npos)
      << loaded.message();
}

TEST(PostgresStore, KeepsTheLastVersionsAsBackups) {
  PostgresLocation where = Location(FreshUrl());
  State state = stashform::state::testing::SampleState();
  ASSERT_TRUE(OpenStateStore(where.WithWorkspace("default"))->Save(state).ok());
  for (int run = 0; run < kPostgresBackupsKept + 3; ++run) {
    auto store = OpenStateStore(where.WithWorkspace("default"));
    State loaded = LoadOrFail(*store);
    loaded.Upsert(stashform::state::testing::SampleWebhook("INFRA/run-" + std::to_string(run)));
    ASSERT_TRUE(store->Save(loaded).ok());
  }
  auto db = PgConnection::Open(where);
  ASSERT_TRUE(db.ok());
  auto kept = (*db)->Exec("SELECT min(serial), max(serial), count(*) FROM " + (*db)->Schema() + ".backups");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->front()[2], std::to_string(kPostgresBackupsKept));
  EXPECT_EQ(kept->front()[1], std::to_string(kPostgresBackupsKept + 3)) << "the newest is the version the last run found";
}

TEST(PostgresStore, WorkspacesAreSeparateRows) {
  const std::string url = FreshUrl();
  PostgresLocation where = Location(url);
  State staging = stashform::state::testing::SampleState();
  ASSERT_TRUE(OpenStateStore(where.WithWorkspace("staging"))->Save(staging).ok());
  EXPECT_FALSE(OpenStateStore(where.WithWorkspace("default"))->Load()->has_value());
  auto staging_lock = OpenStateStore(where.WithWorkspace("staging"));
  ASSERT_TRUE(staging_lock->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok());
  EXPECT_TRUE(OpenStateStore(where.WithWorkspace("prod"))->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok())
      << "a lock on one workspace leaves the others free";
  auto catalog = OpenWorkspaces(url);
  ASSERT_TRUE(catalog.ok());
  ASSERT_TRUE((*catalog)->Create("prod").ok());
  EXPECT_EQ((*catalog)->Create("prod").message(), "workspace \"prod\" already exists");
  EXPECT_EQ(*(*catalog)->List(), (std::vector<std::string>{"default", "prod", "staging"}));
  ASSERT_TRUE((*catalog)->Delete("staging").ok());
  EXPECT_EQ(*(*catalog)->List(), (std::vector<std::string>{"default", "prod"}));
  EXPECT_FALSE(OpenStateStore(where.WithWorkspace("staging"))->Load()->has_value());
}

TEST(PostgresLocker, ARunnerThatDiesReleasesItsLockWithItsConnection) {
  PostgresLocation where = Location(FreshUrl());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    PostgresLocker holder(where);
    char ok = holder.Acquire(NewLockInfo("apply", ""), 0ms).ok() ? 'y' : 'n';
    (void)!::write(ready[1], &ok, 1);
    ::pause();  // holds the lock until killed
    ::_exit(0);
  }
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  PostgresLocker next(where);
  EXPECT_FALSE(next.Acquire(NewLockInfo("apply", ""), 0ms).ok());
  ASSERT_TRUE(next.Holder().has_value());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  Status acquired = next.Acquire(NewLockInfo("apply", ""), 10s);
  EXPECT_TRUE(acquired.ok()) << acquired.message();
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace stashform::state
