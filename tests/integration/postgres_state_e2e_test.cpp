// Teams sharing state on PostgreSQL, against the real binaries: the server the suite starts
// (tests/support/pg_server.sh), the Bitbucket emulator and `stashform` as separate processes.
// Several runners on one workspace take turns, a killed runner's lock goes with its connection,
// workspaces keep separate states, and `state migrate` moves a state both ways unchanged.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/support/postgres_url.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

// The server trusts loopback, so any password is accepted; it is here to prove it is never shown.
constexpr const char* kPgPassword = "pg-pass-7f3a9c21";

std::vector<std::string> Slugs(int count) {
  std::vector<std::string> slugs;
  for (int i = 0; i < count; ++i) slugs.push_back("repo-" + std::to_string(i));
  return slugs;
}

/// `per_repo` webhooks on each repository.
std::string Config(const std::vector<std::string>& slugs, int per_repo) {
  std::ostringstream lua;
  lua << "local bb = bitbucket.server \"corp\" {\n"
         "  url = env \"BITBUCKET_URL\", username = env \"BITBUCKET_USER\", password = env \"BITBUCKET_PASSWORD\",\n"
         "}\n\nfor _, slug in ipairs({";
  for (size_t i = 0; i < slugs.size(); ++i) lua << (i ? ", " : " ") << '"' << slugs[i] << '"';
  lua << " }) do\n  for i = 1, " << per_repo
      << " do\n"
         "    bitbucket.webhook (\"INFRA/\" .. slug .. \"-hook\" .. i) {\n"
         "      server = bb, project = \"INFRA\", repository = slug,\n"
         "      name = \"hook-\" .. i, url = \"https://ci.example.com/hook/\" .. i,\n"
         "      events = { \"repo:refs_changed\", \"pr:opened\" },\n"
         "    }\n"
         "  end\nend\n";
  return lua.str();
}

/// The server's URL with a schema of this test's own, without a password: fit for argv, which
/// every user of the host can read. libpq takes the password from PGPASSWORD then.
std::string PlainUrl(const std::string& schema) { return PostgresServerUrl(STASHFORM_PG_URL_FILE) + "?schema=" + schema; }

/// The same with the password in it, as STASHFORM_STATE_URL may hold it.
std::string StateUrl(const std::string& plain) {
  std::string url = plain;
  url.replace(url.find("stashform@"), 10, std::string("stashform:") + kPgPassword + "@");
  return url;
}

class PostgresStateE2E : public ::testing::Test {
 protected:
  void Start(int repositories, int per_repo, const std::vector<std::string>& emulator_args = {}) {
    slugs = Slugs(repositories);
    hooks_per_repo = per_repo;
    bitbucket = std::make_unique<Emulator>(SeedWithRepositories(slugs), emulator_args);
    work.Write("main.lua", Config(slugs, per_repo));
    env = {{"BITBUCKET_URL", bitbucket->url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "admin"},
           {"STASHFORM_STATE_URL", url}, {"PGPASSWORD", kPgPassword}};
  }

  CliRun Stashform(std::vector<std::string> args, const std::map<std::string, std::string>& extra = {}) {
    auto run_env = env;
    for (const auto& [k, v] : extra) run_env[k] = v;
    CliRun run = RunStashform(args, run_env, work.path());
    EXPECT_EQ(run.all().find(kPgPassword), std::string::npos) << "the password was printed:\n" << run.all();
    return run;
  }

  /// How many webhooks the emulator holds per (repository, name).
  std::map<std::pair<std::string, std::string>, int> Census(const Emulator& emulator) const {
    std::map<std::pair<std::string, std::string>, int> count;
    for (const auto& hook : emulator.Webhooks()) {
      const auto& scope = hook.at("scope").as_object();
      ++count[{std::string(scope.at("repositorySlug").as_string()), std::string(hook.at("name").as_string())}];
    }
    return count;
  }

  void ExpectExactlyDeclared(const Emulator& emulator, const std::string& when) const {
    auto census = Census(emulator);
    EXPECT_EQ(census.size(), slugs.size() * static_cast<size_t>(hooks_per_repo)) << when;
    for (const auto& [key, n] : census) EXPECT_EQ(n, 1) << when << ": " << n << " webhooks " << key.second << " on " << key.first;
  }

  /// The state as `state pull -show-sensitive` prints it.
  json::object Pulled(const std::map<std::string, std::string>& extra = {}) {
    CliRun pull = Stashform({"state", "pull", "-show-sensitive"}, extra);
    EXPECT_EQ(pull.exit_code, 0) << pull.all();
    auto parsed = json::parse(pull.out);
    return parsed.is_object() ? parsed.as_object() : json::object{};
  }

  std::vector<std::string> slugs;
  int hooks_per_repo = 0;
  std::string plain_url = PlainUrl(FreshSchema());
  std::string url = StateUrl(plain_url);
  std::unique_ptr<Emulator> bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
};

// issue 20: four runners apply the same config at once against one workspace: they take turns on
// the advisory lock, every object exists once, and the serial is what the same four applies reach
// one after the other (one create at a time, so that both write the same records): no write was
// lost or made twice.
TEST_F(PostgresStateE2E, FourRunnersApplyingAtOnceTakeTurnsAndCreateEachObjectOnce) {
  Start(6, 2, {"--latency-ms", "20"});
  std::vector<int> pids;
  for (int runner = 0; runner < 4; ++runner)
    pids.push_back(StartStashform({"apply", "-auto-approve", "-parallelism=1", "-lock-timeout=120s", work.path()}, env,
                                  work.path(),
                                  work.path() + "/runner" + std::to_string(runner) + ".out",
                                  work.path() + "/runner" + std::to_string(runner) + ".err"));
  int created_by = 0;
  for (int runner = 0; runner < 4; ++runner) {
    const std::string name = "runner" + std::to_string(runner);
    EXPECT_EQ(WaitStashform(pids[static_cast<size_t>(runner)], std::chrono::seconds(150)), 0)
        << work.Read(name + ".out") << work.Read(name + ".err");
    const std::string out = work.Read(name + ".out");
    EXPECT_EQ((out + work.Read(name + ".err")).find(kPgPassword), std::string::npos);
    if (out.find("Plan: 12 to add") != std::string::npos) ++created_by;
    else EXPECT_NE(out.find("No changes."), std::string::npos) << name << " ran beside the first:\n" << out;
  }
  EXPECT_EQ(created_by, 1) << "exactly one runner found work to do; the others waited and found none";
  ExpectExactlyDeclared(*bitbucket, "after four runners");
  json::object state = Pulled();
  EXPECT_EQ(state.at("resources").as_array().size(), 12u);

  // The same four applies one after the other, on a fresh emulator and workspace, write as often.
  Emulator alone(SeedWithRepositories(slugs));
  for (int run = 0; run < 4; ++run) {
    CliRun solo = Stashform({"apply", "-auto-approve", "-parallelism=1", work.path()},
                            {{"BITBUCKET_URL", alone.url()}, {"STASHFORM_WORKSPACE", "sequential"}});
    ASSERT_EQ(solo.exit_code, 0) << solo.all();
  }
  json::object sequential = Pulled({{"STASHFORM_WORKSPACE", "sequential"}});
  EXPECT_EQ(state.at("serial"), sequential.at("serial")) << "no write was lost or made twice";
  EXPECT_EQ(state.at("lineage").as_string().size(), 36u);
  CliRun plan = Stashform({"plan", "-detailed-exitcode", work.path()});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
}

// issue 20: a runner SIGKILLed while it holds the lock: its connection ends, the server frees the
// advisory lock, and the next runner gets in and converges without duplicates.
TEST_F(PostgresStateE2E, ARunnerKilledHoldingTheLockLetsTheNextOneIn) {
  Start(6, 2, {"--latency-ms", "150"});
  int pid = StartStashform({"apply", "-auto-approve", "-parallelism", "1", work.path()}, env, work.path(),
                           work.path() + "/apply.out", work.path() + "/apply.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (work.Read("apply.out").find("Creation complete") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CliRun blocked = Stashform({"plan", "-lock-timeout=0s", work.path()});
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_NE(blocked.err.find("state is locked by"), std::string::npos) << blocked.all();
  EXPECT_NE(blocked.err.find("apply, since"), std::string::npos) << blocked.all();
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(WaitStashform(pid, std::chrono::seconds(10)), 128 + SIGKILL);

  CliRun next = Stashform({"apply", "-auto-approve", "-lock-timeout=30s", work.path()});
  ASSERT_EQ(next.exit_code, 0) << next.all();
  ExpectExactlyDeclared(*bitbucket, "after the runner that followed the killed one");
  CliRun plan = Stashform({"plan", "-detailed-exitcode", work.path()});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
}

// issue 20: `force-unlock ID` from another process (another host, as far as the server can tell)
// ends the stuck holder's connection, and the next run takes the lock at once.
TEST_F(PostgresStateE2E, ForceUnlockFromAnotherProcessFreesALiveHoldersLock) {
  Start(6, 2, {"--latency-ms", "150"});
  int pid = StartStashform({"apply", "-auto-approve", "-parallelism", "1", work.path()}, env, work.path(),
                           work.path() + "/apply.out", work.path() + "/apply.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (work.Read("apply.out").find("Creation complete") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CliRun blocked = Stashform({"plan", "-lock-timeout=0s", work.path()});
  const std::string marker = "lock ID ";
  size_t at = blocked.err.find(marker);
  ASSERT_NE(at, std::string::npos) << blocked.all();
  const std::string id = blocked.err.substr(at + marker.size(), 36);
  CliRun wrong = Stashform({"force-unlock", "-force", "00000000-0000-4000-8000-000000000000", work.path()});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("does not match the lock on postgres://stashform@"), std::string::npos) << wrong.err;
  CliRun unlocked = Stashform({"force-unlock", "-force", id, work.path()});
  ASSERT_EQ(unlocked.exit_code, 0) << unlocked.all();
  CliRun next = Stashform({"plan", "-lock-timeout=0s", work.path()});
  EXPECT_EQ(next.err.find("state is locked"), std::string::npos) << next.all();
  kill(pid, SIGKILL);
  WaitStashform(pid, std::chrono::seconds(10));
  ASSERT_EQ(Stashform({"apply", "-auto-approve", work.path()}).exit_code, 0);
  ExpectExactlyDeclared(*bitbucket, "after the apply that followed the force-unlock");
}

// issue 20: a second workspace is a second state of the same config: its own objects, its own
// lock and serial; the plan names it.
TEST_F(PostgresStateE2E, ASecondWorkspaceKeepsItsOwnState) {
  Start(2, 1);
  ASSERT_EQ(Stashform({"apply", "-auto-approve", work.path()}).exit_code, 0);
  CliRun made = Stashform({"workspace", "new", "staging"});
  ASSERT_EQ(made.exit_code, 0) << made.all();
  EXPECT_NE(made.out.find("Created and switched to workspace \"staging\""), std::string::npos) << made.out;
  CliRun listed = Stashform({"workspace", "list"});
  EXPECT_EQ(listed.out, "  default\n* staging\n") << listed.all();

  Emulator staging_server(SeedWithRepositories(slugs));
  std::map<std::string, std::string> staging_env = {{"BITBUCKET_URL", staging_server.url()}};
  CliRun plan = Stashform({"plan", "-out=" + work.path() + "/staging.plan", work.path()}, staging_env);
  EXPECT_NE(plan.out.find("Workspace: staging (state: postgres://stashform@"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 2 to add"), std::string::npos) << plan.out;
  // The saved plan names the workspace's row without the password; apply finds it again.
  EXPECT_EQ(work.Read("staging.plan").find(kPgPassword), std::string::npos);
  EXPECT_NE(work.Read("staging.plan").find("workspace=staging"), std::string::npos);
  CliRun applied = Stashform({"apply", work.path() + "/staging.plan"}, staging_env);
  ASSERT_EQ(applied.exit_code, 0) << applied.all();
  ExpectExactlyDeclared(staging_server, "staging");
  ExpectExactlyDeclared(*bitbucket, "default, untouched by staging");

  ASSERT_EQ(Stashform({"workspace", "select", "default"}).exit_code, 0);
  CliRun show = Stashform({"workspace", "show"});
  EXPECT_EQ(show.out, "default\n");
  CliRun default_plan = Stashform({"plan", "-detailed-exitcode", work.path()});
  EXPECT_EQ(default_plan.exit_code, 0) << default_plan.all();
  CliRun refused = Stashform({"workspace", "delete", "staging"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("workspace \"staging\" still records 2 resource(s)"), std::string::npos) << refused.err;
  ASSERT_EQ(Stashform({"workspace", "delete", "-force", "staging"}).exit_code, 0);
  EXPECT_EQ(Stashform({"workspace", "list"}).out, "* default\n");
}

// issue 20: `state migrate` moves a state from a file to PostgreSQL and back, with its journal,
// byte for byte (encrypted: the database never sees plaintext); a target that holds a state is replaced only with -force.
TEST_F(PostgresStateE2E, MigrationBothWaysKeepsTheStateAndJournalByteForByte) {
  Start(6, 2, {"--latency-ms", "100"});
  env["STASHFORM_STATE_PASSPHRASE"] = "migrate-passphrase-0451";  // the sealed bytes travel as they are
  std::map<std::string, std::string> on_file = {{"STASHFORM_STATE_URL", ""}};
  // An apply killed mid-way leaves a journal beside the file.
  auto file_env = env;
  file_env.erase("STASHFORM_STATE_URL");
  int pid = StartStashform({"apply", "-auto-approve", "-parallelism", "1", work.path()}, file_env, work.path(),
                           work.path() + "/apply.out", work.path() + "/apply.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (work.Read("apply.out").find("Creation complete") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  WaitStashform(pid, std::chrono::seconds(10));
  const std::string state_file = work.Read("stashform.state.json");
  const std::string journal_file = work.Read("stashform.state.json.journal");
  ASSERT_FALSE(state_file.empty());
  ASSERT_FALSE(journal_file.empty()) << "the kill should land after the first create";
  EXPECT_EQ(state_file.find("INFRA"), std::string::npos) << "the state is encrypted";

  CliRun to_pg = Stashform({"state", "migrate", "-to=" + plain_url}, on_file);
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.all();
  EXPECT_NE(to_pg.out.find("Migrated the state from "), std::string::npos) << to_pg.out;
  CliRun again = Stashform({"state", "migrate", "-to=" + plain_url}, on_file);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds a state (lineage "), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("Pass -force to replace it"), std::string::npos) << again.err;
  EXPECT_EQ(Pulled(), Pulled(on_file)) << "PostgreSQL serves what the file held, journal replayed";

  CliRun back = Stashform({"state", "migrate", "-to=" + work.path() + "/back.json"});
  ASSERT_EQ(back.exit_code, 0) << back.all();
  EXPECT_EQ(work.Read("back.json"), state_file);
  EXPECT_EQ(work.Read("back.json.journal"), journal_file);
  CliRun forced = Stashform({"state", "migrate", "-force", "-to=" + plain_url}, on_file);
  EXPECT_EQ(forced.exit_code, 0) << forced.all();

  // The migrated state carries on: the next apply on PostgreSQL finishes without duplicates.
  ASSERT_EQ(Stashform({"apply", "-auto-approve", work.path()}).exit_code, 0);
  ExpectExactlyDeclared(*bitbucket, "after the apply on the migrated state");
}

}  // namespace
}  // namespace stashform::testing
