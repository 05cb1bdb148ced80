// Resilience against the real binaries: an apply killed with SIGKILL at many points, 429 storms,
// 5xx bursts and lost answers. Each story ends with the emulator's dump holding exactly the
// declared webhooks (no duplicates) and a plan with nothing to do.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/storm.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;
using Key = std::pair<std::string, std::string>;  // repository slug, webhook name

std::vector<std::string> Slugs(int count) {
  std::vector<std::string> slugs;
  for (int i = 0; i < count; ++i) slugs.push_back("repo-" + std::to_string(i));
  return slugs;
}

/// A config declaring `per_repo` webhooks on each repository.
std::string Config(const std::vector<std::string>& slugs, int per_repo) {
  std::ostringstream lua;
  lua << "local bb = bitbucket.server \"corp\" {\n"
         "  url      = env \"BITBUCKET_URL\",\n"
         "  username = env \"BITBUCKET_USER\",\n"
         "  password = env \"BITBUCKET_PASSWORD\",\n"
         "}\n\nfor _, slug in ipairs({";
  for (size_t i = 0; i < slugs.size(); ++i) lua << (i ? ", " : " ") << '"' << slugs[i] << '"';
  lua << " }) do\n  for i = 1, " << per_repo
      << " do\n"
         "    bitbucket.webhook (\"INFRA/\" .. slug .. \"-hook\" .. i) {\n"
         "      server = bb, project = \"INFRA\", repository = slug,\n"
         "      name = \"hook-\" .. i, url = \"https://ci.example.com/hook/\" .. i,\n"
         "      events = { \"repo:refs_changed\", \"pr:opened\" },\n"
         "    }\n"
         "  end\n"
         "end\n";
  return lua.str();
}

class ResilienceE2E : public ::testing::Test {
 protected:
  void Start(int repositories, int per_repo, const std::vector<std::string>& emulator_args = {}) {
    slugs = Slugs(repositories);
    hooks_per_repo = per_repo;
    bitbucket = std::make_unique<Emulator>(SeedWithRepositories(slugs), emulator_args);
    work.Write("main.lua", Config(slugs, per_repo));
    env = {{"BITBUCKET_URL", bitbucket->url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "admin"}};
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    return RunStashform(args, env, work.path());
  }

  /// How many webhooks the emulator holds per (repository, name).
  std::map<Key, int> Census() const {
    std::map<Key, int> count;
    for (const auto& hook : bitbucket->Webhooks()) {
      const auto& scope = hook.at("scope").as_object();
      const auto* slug = scope.if_contains("repositorySlug");
      std::string repo = slug && slug->is_string() ? std::string(slug->as_string()) : "<project>";
      ++count[{repo, std::string(hook.at("name").as_string())}];
    }
    return count;
  }

  /// Fails the test for every duplicate, and for every unknown webhook.
  void ExpectNoDuplicates(const std::string& when) const {
    for (const auto& [key, n] : Census()) {
      EXPECT_EQ(n, 1) << when << ": " << n << " webhooks named " << key.second << " on " << key.first;
      EXPECT_TRUE(Declared(key)) << when << ": undeclared webhook " << key.second << " on " << key.first;
    }
  }

  /// Exactly the declared webhooks, each once.
  void ExpectExactlyDeclared(const std::string& when) const {
    auto census = Census();
    size_t total = 0;
    for (const auto& [key, n] : census) total += n;
    EXPECT_EQ(total, slugs.size() * hooks_per_repo) << when;
    for (const auto& slug : slugs)
      for (int i = 1; i <= hooks_per_repo; ++i) {
        Key key{slug, "hook-" + std::to_string(i)};
        auto it = census.find(key);
        EXPECT_EQ(it == census.end() ? 0 : it->second, 1) << when << ": " << key.second << " on " << slug;
      }
    ExpectNoDuplicates(when);
  }

  bool Declared(const Key& key) const {
    for (const auto& slug : slugs)
      for (int i = 1; i <= hooks_per_repo; ++i)
        if (key == Key{slug, "hook-" + std::to_string(i)}) return true;
    return false;
  }

  /// The request log's entries (REST API calls only).
  std::vector<json::object> Requests() const {
    std::vector<json::object> out;
    auto log = bitbucket->Admin("GET", "/_emulator/requests");
    for (const auto& entry : log.body.at("requests").as_array()) out.push_back(entry.as_object());
    return out;
  }

  void ExpectNoChanges(const std::string& when) {
    CliRun plan = Stashform({"plan", "-detailed-exitcode"});
    EXPECT_EQ(plan.exit_code, 0) << when << "\n" << plan.all();
    EXPECT_NE(plan.out.find("No changes."), std::string::npos) << when << "\n" << plan.out;
  }

  void SetFaults(const std::string& faults) {
    auto answer = bitbucket->Admin("PUT", "/_emulator/faults", faults);
    ASSERT_EQ(answer.status, 200) << json::serialize(answer.body);
  }

  std::vector<std::string> slugs;
  int hooks_per_repo = 0;
  std::unique_ptr<Emulator> bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
};

// issue 5: SIGKILL at many points of an apply; after each kill the state parses and the lock is
// free, nothing is duplicated, and the partial progress of every round adds up to convergence.
TEST_F(ResilienceE2E, AnApplyKilledAtManyPointsConvergesWithoutDuplicates) {
  Start(10, 3, {"--latency-ms", "40", "--fault-seed", "5"});
  const auto started = std::chrono::steady_clock::now();
  const std::vector<int> kill_after_ms = {60, 110, 160, 210, 260, 320, 380, 450};
  int killed = 0;
  std::vector<size_t> progress;
  for (size_t round = 0; round < kill_after_ms.size(); ++round) {
    std::string when = "after kill round " + std::to_string(round + 1) + " (" +
                       std::to_string(kill_after_ms[round]) + " ms)";
    int pid = StartStashform({"apply", "-auto-approve", "-parallelism", "4", work.path()}, env, work.path(),
                             work.path() + "/apply.out", work.path() + "/apply.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms[round]));
    kill(pid, SIGKILL);
    int code = WaitStashform(pid, std::chrono::milliseconds(10000));
    if (code == 128 + SIGKILL) {
      ++killed;
    } else {
      EXPECT_EQ(code, 0) << when << ": the apply ended on its own but failed\n"
                         << work.Read("apply.out") << work.Read("apply.err");
    }

    // The state parses and the lock was released with the process: a locking plan succeeds.
    CliRun plan = Stashform({"plan", "-detailed-exitcode", "-lock-timeout=2s"});
    EXPECT_TRUE(plan.exit_code == 0 || plan.exit_code == 2) << when << ": exit " << plan.exit_code << "\n"
                                                            << plan.all();
    ExpectNoDuplicates(when);
    size_t total = 0;
    for (const auto& [key, n] : Census()) total += n;
    progress.push_back(total);
  }
  // The kill points must land inside the apply for this test to mean anything.
  EXPECT_GE(killed, 4) << "most rounds should be killed mid-apply; raise the latency";
  std::ostringstream trail;
  for (size_t p : progress) trail << p << ' ';
  RecordProperty("webhooks_after_each_round", trail.str());

  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectExactlyDeclared("after the final apply (webhooks after each round: " + trail.str() + ")");
  ExpectNoChanges("after the final apply");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

// issue 6: Ctrl-C during an apply starts nothing new, waits for what is in flight, saves what was
// done, and exits 1; the next apply does the rest and nothing twice.
TEST_F(ResilienceE2E, SigintStopsNewWorkKeepsWhatWasDoneAndExits1) {
  Start(10, 3, {"--latency-ms", "150"});
  int pid = StartStashform({"apply", "-auto-approve", "-parallelism", "2", work.path()}, env, work.path(),
                           work.path() + "/apply.out", work.path() + "/apply.err");
  // Interrupt once the first create is reported (bounded: 20 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (work.Read("apply.out").find("Creation complete") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  int code = WaitStashform(pid, std::chrono::milliseconds(20000));
  const std::string out = work.Read("apply.out"), err = work.Read("apply.err");
  EXPECT_EQ(code, 1) << out << err;
  EXPECT_NE(out.find("Apply interrupted. Resources: "), std::string::npos) << out;
  EXPECT_NE(err.find("not started: apply was interrupted"), std::string::npos) << err;
  // Whatever was created is in the state file, and nothing else: no intent is left either.
  size_t created = 0;
  for (const auto& [key, n] : Census()) created += n;
  EXPECT_GT(created, 0u);
  EXPECT_LT(created, slugs.size() * hooks_per_repo) << "the interrupt came too late to stop anything";
  auto state = json::parse(work.Read("stashform.state.json"));
  EXPECT_EQ(state.at("resources").as_array().size(), created);
  EXPECT_TRUE(state.at("intents").as_array().empty());
  ExpectNoDuplicates("after the interrupt");
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectExactlyDeclared("after the apply that followed the interrupt");
  ExpectNoChanges("after the apply that followed the interrupt");
}

// issue 7: a 429 storm: every call beyond a small bucket is refused with Retry-After.
TEST_F(ResilienceE2E, A429StormConvergesWithExactlyTheDeclaredWebhooks) {
  Start(10, 2);
  SetFaults(R"({"rateLimit":{"enabled":true,"capacity":5,"fillRate":20},"seed":7})");
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("Resources: 20 added, 0 changed, 0 destroyed."), std::string::npos) << apply.out;
  ExpectExactlyDeclared("after an apply under a 429 storm");
  int throttled = 0;
  for (const auto& request : Requests())
    if (request.at("status").to_number<int64_t>() == 429) ++throttled;
  EXPECT_GT(throttled, 0) << "the storm did not happen: no request was answered 429";
  ExpectNoChanges("after an apply under a 429 storm");
}

// issue 7: a 5xx burst: 30 % of calls answer 503, before the server acts on them. A 503 proves the
// request was not acted on, so even creates are retried and one apply converges.
TEST_F(ResilienceE2E, A503BurstConvergesInOneApplyWithoutDuplicates) {
  Start(10, 2);
  SetFaults(R"({"errorRates":{"503":0.3},"seed":11})");
  CliRun apply = Stashform({"apply", "-auto-approve"});
  EXPECT_EQ(apply.exit_code, 0) << apply.all();
  int failed = 0;
  for (const auto& request : Requests())
    if (request.at("status").to_number<int64_t>() == 503) ++failed;
  EXPECT_GT(failed, 0) << "the burst did not happen";
  ExpectExactlyDeclared("after an apply under a 503 burst");
  ExpectNoChanges("under a 503 burst");
  ASSERT_EQ(bitbucket->Admin("DELETE", "/_emulator/faults").status, 204);
  ExpectNoChanges("after the burst");
}

// issue 7: a 502 may come from a proxy after the server acted, so a create answered 502 is not
// resent blindly: the apply may report it. Once the burst is over, the next apply converges
// without a duplicate.
TEST_F(ResilienceE2E, CreatesAnswered502AreNotDuplicatedByTheNextApply) {
  Start(10, 2);
  SetFaults(R"({"errorRates":{"502":0.2},"seed":13})");
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ExpectNoDuplicates("after an apply under a 502 burst");
  ASSERT_EQ(bitbucket->Admin("DELETE", "/_emulator/faults").status, 204);
  CliRun again = Stashform({"apply", "-auto-approve"});
  EXPECT_EQ(again.exit_code, 0) << apply.all() << "\n---\n" << again.all();
  ExpectExactlyDeclared("after the burst and one more apply");
  ExpectNoChanges("after the burst");
}

// DISABLED: exposes a product bug (see the commit message): libcurl silently resends a POST
// whose answer was lost on a reused keep-alive connection, so the create is made twice.
TEST_F(ResilienceE2E, CreatesWhoseAnswersWereLostAreNotDuplicated) {
  Start(8, 2);
  // The first webhook POST of three repositories runs and its answer is dropped.
  json::array rules;
  for (const char* slug : {"repo-0", "repo-3", "repo-6"})
    rules.push_back(json::object{{"method", "POST"},
                                 {"path", std::string("/rest/api/1.0/projects/INFRA/repos/") + slug + "/webhooks"},
                                 {"n", 1},
                                 {"status", -1}});
  SetFaults(json::serialize(json::object{{"failNth", rules}, {"seed", 3}}));

  CliRun first = Stashform({"apply", "-auto-approve"});
  ExpectNoDuplicates("after the first apply with lost answers");
  int lost_posts = 0;
  for (const auto& request : Requests())
    if (request.at("method").as_string() == "POST" && request.at("dropped").as_bool()) ++lost_posts;
  EXPECT_EQ(lost_posts, 3) << "the failNth rules did not fire as configured";
  if (first.exit_code != 0) {
    // A create with an unknown outcome may be reported as an error; the next run must resolve it.
    CliRun second = Stashform({"apply", "-auto-approve"});
    EXPECT_EQ(second.exit_code, 0) << first.all() << "\n---\n" << second.all();
  }
  ExpectExactlyDeclared("after applies with lost create answers");
  ExpectNoChanges("after applies with lost create answers");
}

// issue 7: a random share of every call (creates included) runs and loses its answer.
// DISABLED: the same product bug as above.
TEST_F(ResilienceE2E, RandomLostAnswersConvergeWithoutDuplicates) {
  Start(8, 2);
  SetFaults(R"({"lostAnswerRate":0.2,"seed":21})");
  int exit_code = 1;
  std::string transcript;
  for (int attempt = 0; attempt < 3 && exit_code != 0; ++attempt) {
    CliRun apply = Stashform({"apply", "-auto-approve"});
    exit_code = apply.exit_code;
    transcript += apply.all() + "\n---\n";
    ExpectNoDuplicates("after apply " + std::to_string(attempt + 1) + " with lost answers");
  }
  EXPECT_EQ(exit_code, 0) << transcript;
  int lost_posts = 0;
  for (const auto& request : Requests())
    if (request.at("method").as_string() == "POST" && request.at("dropped").as_bool()) ++lost_posts;
  EXPECT_GT(lost_posts, 0) << "no create lost its answer; pick another fault seed";
  ASSERT_EQ(bitbucket->Admin("DELETE", "/_emulator/faults").status, 204);
  ExpectExactlyDeclared("after applies with random lost answers");
  ExpectNoChanges("after applies with random lost answers");
}

/// A project token, and a server signed in with it that owns one webhook.
const char kTokenConfig[] = R"(
local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = env "BITBUCKET_USER", password = env "BITBUCKET_PASSWORD",
}
local ci = bitbucket.access_token "ci" {
  server = bb, project = "INFRA", name = "ci-bot", permissions = { "PROJECT_ADMIN" },
}
local bot = bitbucket.server "bot" { url = env "BITBUCKET_URL", token = ci.token }
bitbucket.webhook "INFRA/repo-0" {
  server = bot, project = "INFRA", repository = "repo-0",
  name = "ci", url = "https://ci.example.com/hook", events = { "repo:refs_changed" },
}
)";

// issue 14 §2: an apply killed after the token's create ran and before its answer was saved. The
// next apply adopts the token by name, finds its value lost, makes a new one and revokes the
// adopted one: one live token, its value in state, and a server signed in with it works.
TEST_F(ResilienceE2E, TokenWhoseCreateAnswerWasLostIsReplacedAndTheOrphanRevoked) {
  Start(1, 0, {"--latency-ms", "300"});
  work.Write("main.lua", kTokenConfig);
  const std::vector<std::string> target = {"-target", "bitbucket.access_token[\"ci\"]"};
  auto tokens = [&] { return bitbucket->Admin("GET", "/_emulator/dump").body.at("accessTokens").as_array(); };

  // Kill inside the window: the server made the token and holds its answer back for 300 ms.
  std::vector<std::string> args = {"apply", "-auto-approve"};
  args.insert(args.end(), target.begin(), target.end());
  args.push_back(work.path());
  int pid = StartStashform(args, env, work.path(), work.path() + "/apply.out", work.path() + "/apply.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (tokens().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ASSERT_EQ(WaitStashform(pid, std::chrono::milliseconds(10000)), 128 + SIGKILL)
      << work.Read("apply.out") << work.Read("apply.err");
  ASSERT_EQ(tokens().size(), 1u);
  const std::string orphan = json::value_to<std::string>(tokens()[0].at("id"));
  ASSERT_EQ(work.Read("apply.out").find("Creation complete"), std::string::npos) << "killed too late";

  // The plan says why the adopted token goes; the server signed in with it waits instead of failing.
  CliRun plan = Stashform({"plan", "-target", "bitbucket.access_token[\"ci\"]"});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("value lost: the create's answer was never saved"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.all().find("set token, or username and password"), std::string::npos) << plan.all();

  // One apply: a new token, the adopted one revoked, the new value in state.
  CliRun apply = Stashform({"apply", "-auto-approve", "-target", "bitbucket.access_token[\"ci\"]"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  const json::array after = tokens();
  ASSERT_EQ(after.size(), 1u) << json::serialize(after);
  const json::object& live = after[0].as_object();
  EXPECT_NE(json::value_to<std::string>(live.at("id")), orphan) << "the adopted token must be revoked";
  auto state = json::parse(work.Read("stashform.state.json"));
  std::string recorded_id, recorded_value;
  for (const auto& resource : state.at("resources").as_array())
    if (resource.at("type") == "bitbucket.access_token") {
      recorded_id = resource.at("id").as_string();
      recorded_value = resource.at("private").at("token").as_string();
    }
  EXPECT_EQ(recorded_id, json::value_to<std::string>(live.at("id")));
  EXPECT_EQ(recorded_value, live.at("token").as_string()) << "the value in state is the live token's";

  // The value works: a server signed in with it creates the webhook.
  CliRun rest = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(rest.exit_code, 0) << rest.all();
  EXPECT_EQ(bitbucket->Webhooks().size(), 1u);
  ExpectNoChanges("after the token was replaced and used");
  for (const CliRun* run : {&plan, &apply, &rest})
    EXPECT_EQ(run->all().find(recorded_value), std::string::npos) << "the token value was printed";
}

// issue 14 §3: the issue's fault mix (500, 502, 503, 429, drops, lost answers) for three seeds, at
// 80 webhooks over 20 repositories: each seed converges in at most two applies, with no duplicate.
TEST(FaultStormE2E, EachSeedConvergesInAtMostTwoAppliesWithoutDuplicates) {
  for (int seed : {1, 2, 3}) {
    const auto started = std::chrono::steady_clock::now();
    StormResult storm = RunStorm({/*repositories=*/20, /*webhooks_per_repository=*/4, seed, /*max_applies=*/3});
    EXPECT_GT(storm.faults, 0) << "seed " << seed << ": the storm did not happen";
    EXPECT_LE(storm.applies, 2) << "seed " << seed << "\n" << storm.transcript;
    EXPECT_TRUE(storm.converged) << "seed " << seed << "\n" << storm.transcript;
    EXPECT_EQ(storm.duplicates, 0) << "seed " << seed;
    EXPECT_EQ(storm.missing, 0) << "seed " << seed;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60)) << "seed " << seed;
    RecordProperty("seed_" + std::to_string(seed), std::to_string(storm.applies) + " applies, " +
                   std::to_string(storm.requests) + " requests, " + std::to_string(storm.faults) + " faults");
  }
}

}  // namespace
}  // namespace stashform::testing
