// User stories of issue 20, points 4 and 5: whatever the state says (lost, a second file, two
// runners at once without the lock), each declaration ends as exactly one object on the servers;
// and `drift` reports under the same rules (the lock, one JSON document, ignore rules). The real
// binaries, over HTTP on loopback; objects are counted through the emulators' admin dumps.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/spacelift_harness.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kToken = "nodup-bitbucket-token-8c2a";
const char* const kApiKeySecret = "stashform-secret";

/// Every kind of object that can be adopted, the webhooks keyed by the integration's URL (known
/// only once the integration is known, so adoption goes in rounds).
const char* const kEverything = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = env "BITBUCKET_USER", password = env "BITBUCKET_PASSWORD",
}
local acct = spacelift.account "spl" {
  api_url = env "SPACELIFT_API_URL", api_key_id = env "SPACELIFT_API_KEY_ID",
  api_key_secret = env "SPACELIFT_API_KEY_SECRET",
}
local integration = spacelift.bitbucket_datacenter_integration "corp" {
  server = acct, name = "corp-bitbucket", api_host = env "BITBUCKET_URL", user_facing_host = env "BITBUCKET_URL",
  username = "admin", access_token = env "BITBUCKET_TOKEN",
}
spacelift.stack "tf-app" {
  server = acct, name = "tf-app", namespace = "INFRA", repository = "tf-network", branch = "main",
  integration = integration.id,
}
for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug, name = "spacelift",
    url = integration.webhook_url, secret = integration.webhook_secret,
    events = { "repo:refs_changed", "pr:opened" },
  }
end
bitbucket.project_webhook "INFRA" {
  server = bb, project = "INFRA", name = "audit", url = "https://audit.example.com/hook", events = { "pr:merged" },
}
bitbucket.oauth2_client "ci" {
  server = bb, name = "ci", redirect_urls = { "https://ci.example.com/callback" }, scope = { "REPO_READ" },
}
bitbucket.application_link "jira" {
  server = bb, name = "jira", rpc_url = "https://jira.example.com", consumer_key = "stashform-jira",
  generate_key_pair = true,
}
)";

const char* const kServer = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = env "BITBUCKET_USER", password = env "BITBUCKET_PASSWORD",
}
)";

std::string TokenConfig(const std::string& extra) {
  return std::string(kServer) + R"(bitbucket.access_token "bot" {
  server = bb, user = "admin", name = "ci-bot", permissions = { "REPO_READ" },)" + extra + "\n}\n";
}

class NoDuplicate : public ::testing::Test {
 protected:
  NoDuplicate()
      : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"})), spacelift(SpaceliftSeed({})) {
    work.Write("main.lua", kEverything);
    env = {{"BITBUCKET_URL", bitbucket.url()},        {"BITBUCKET_USER", "admin"},
           {"BITBUCKET_PASSWORD", "admin"},           {"SPACELIFT_API_URL", spacelift.url()},
           {"SPACELIFT_API_KEY_ID", "stashform-key"}, {"SPACELIFT_API_KEY_SECRET", kApiKeySecret},
           {"BITBUCKET_TOKEN", kToken}};
  }
  ~NoDuplicate() override {
    EXPECT_EQ(transcript.find(kToken), std::string::npos) << "the Bitbucket token was printed";
    EXPECT_EQ(transcript.find(kApiKeySecret), std::string::npos) << "the API key secret was printed";
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    CliRun run = RunStashform(args, env, work.path());
    transcript += run.all();
    return run;
  }

  /// How many objects of each kind the emulators hold.
  std::map<std::string, size_t> Counts() const {
    json::value bb = bitbucket.Admin("GET", "/_emulator/dump").body;
    json::value spl = spacelift.Dump();
    std::map<std::string, size_t> counts;
    for (const char* kind : {"webhooks", "accessTokens", "applicationLinks", "oauth2Clients"})
      counts[kind] = bb.at(kind).as_array().size();
    size_t project_hooks = 0;
    for (const auto& hook : bb.at("webhooks").as_array())
      project_hooks += hook.at("scopeType").as_string() == "project";
    counts["projectWebhooks"] = project_hooks;
    counts["integrations"] = 0;
    for (const auto& integration : spl.at("integrations").as_array())
      counts["integrations"] += integration.at("name").as_string() == "corp-bitbucket";
    counts["stacks"] = 0;
    for (const auto& stack : spl.at("stacks").as_array()) counts["stacks"] += stack.at("name").as_string() == "tf-app";
    return counts;
  }

  /// One object per declaration: three webhooks (one of them on the project), a client, a link,
  /// an integration and a stack.
  void ExpectOneOfEach() const {
    auto counts = Counts();
    EXPECT_EQ(counts["webhooks"], 3u);
    EXPECT_EQ(counts["projectWebhooks"], 1u);
    EXPECT_EQ(counts["oauth2Clients"], 1u);
    EXPECT_EQ(counts["applicationLinks"], 1u);
    EXPECT_EQ(counts["integrations"], 1u);
    EXPECT_EQ(counts["stacks"], 1u);
  }

  Emulator bitbucket;
  SpaceliftEmulator spacelift;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;
};

TEST_F(NoDuplicate, ALostStateAdoptsEveryObjectAndSaysSoInsteadOfMakingSecondCopies) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  ExpectOneOfEach();
  std::filesystem::remove(work.path() + "/stashform.state.json");

  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("# adopted: an object with the same name exists (id "), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 7 to adopt, 0 to add,"), std::string::npos) << plan.out;
  // The link's key pair was generated by the lost state: the plan keeps the link and says why.
  EXPECT_NE(plan.err.find("private_key_pem is unknown: this state never held it"), std::string::npos) << plan.err;
  EXPECT_NE(plan.err.find("breaks the link"), std::string::npos) << plan.err;
  EXPECT_EQ(plan.out.find("will be replaced"), std::string::npos) << plan.out;

  // A saved plan carries the adoptions: apply records them without the config.
  ASSERT_EQ(Stashform({"plan", "-out", work.path() + "/plan.bin"}).exit_code, 0) << transcript;
  CliRun apply = RunStashform({"apply", work.path() + "/plan.bin"}, env, work.path());
  transcript += apply.all();
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectOneOfEach();
  CliRun settled = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.all();
}

TEST_F(NoDuplicate, ASecondStateFileEndsWithTheSameObjects) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  CliRun second = Stashform({"apply", "-auto-approve", "-state", work.path() + "/other.json"});
  ASSERT_EQ(second.exit_code, 0) << second.all();
  EXPECT_NE(second.out.find("will be adopted"), std::string::npos) << second.out;
  ExpectOneOfEach();
  // Both states record the same objects.
  json::value first = json::parse(work.Read("stashform.state.json"));
  json::value other = json::parse(work.Read("other.json"));
  ASSERT_EQ(first.at("resources").as_array().size(), other.at("resources").as_array().size());
  for (size_t i = 0; i < first.at("resources").as_array().size(); ++i)
    EXPECT_EQ(first.at("resources").at(i).at("id"), other.at("resources").at(i).at("id"));
}

TEST_F(NoDuplicate, ASavedPlanAppliedAfterAnotherStateMadeItsObjectsAdoptsThemInsteadOfMakingSeconds) {
  // The pull request's plan: nothing exists yet, so it creates everything.
  CliRun plan = Stashform({"plan", "-out", work.path() + "/plan.bin"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("Plan: 7 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;
  // Before the merge, a run with another state makes the same objects.
  ASSERT_EQ(Stashform({"apply", "-auto-approve", "-state", work.path() + "/other.json"}).exit_code, 0) << transcript;
  ExpectOneOfEach();

  // The merge applies the reviewed plan: each create looks again first and takes what it finds.
  CliRun apply = RunStashform({"apply", work.path() + "/plan.bin"}, env, work.path());
  transcript += apply.all();
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectOneOfEach();
  json::value mine = json::parse(work.Read("stashform.state.json"));
  json::value other = json::parse(work.Read("other.json"));
  ASSERT_EQ(mine.at("resources").as_array().size(), other.at("resources").as_array().size());
  for (size_t i = 0; i < mine.at("resources").as_array().size(); ++i)
    EXPECT_EQ(mine.at("resources").at(i).at("id"), other.at("resources").at(i).at("id")) << i;
}

TEST_F(NoDuplicate, TwoRunnersWithTwoStatesAndNoLockAtOnceEndWithOneObjectEach) {
  // Each create is slowed so that the two runs overlap.
  bitbucket.Admin("PUT", "/_emulator/faults", R"({"latencyMs": 30})");
  std::vector<int> pids;
  for (const char* state : {"a.json", "b.json"})
    pids.push_back(StartStashform({"apply", "-auto-approve", "-lock=false", "-state", work.path() + "/" + state,
                                   work.path()},
                                  env, work.path(), work.path() + "/" + state + ".out", work.path() + "/" + state + ".err"));
  for (int pid : pids) EXPECT_EQ(WaitStashform(pid, std::chrono::seconds(110)), 0);
  for (const char* state : {"a.json", "b.json"}) {
    std::string err = work.Read(std::string(state) + ".err");
    transcript += work.Read(std::string(state) + ".out") + err;
    EXPECT_NE(err.find("Warning: -lock=false"), std::string::npos) << err;
  }
  ExpectOneOfEach();
  // The second run took the first one's objects: both states name the same ones.
  json::value a = json::parse(work.Read("a.json")), b = json::parse(work.Read("b.json"));
  for (size_t i = 0; i < a.at("resources").as_array().size(); ++i)
    EXPECT_EQ(a.at("resources").at(i).at("id"), b.at("resources").at(i).at("id")) << i;
}

TEST_F(NoDuplicate, AnExistingTokenIsRefusedWithBothWaysOutAndOnConflictReplaceRotatesIt) {
  work.Write("main.lua", TokenConfig(""));
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  std::filesystem::remove(work.path() + "/stashform.state.json");
  std::string first_id(bitbucket.Admin("GET", "/_emulator/dump").body.at("accessTokens").at(0).at("id").as_string());

  CliRun refused = Stashform({"apply", "-auto-approve"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("main.lua:4: bitbucket.access_token[\"bot\"]: a token with the same name already exists (id " +
                             first_id + ") and no state records it; its value cannot be read back"),
            std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("stashform import 'bitbucket.access_token[\"bot\"]' users/admin/" + first_id),
            std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("on_conflict = \"replace\""), std::string::npos) << refused.err;
  EXPECT_EQ(Counts()["accessTokens"], 1u);

  work.Write("main.lua", TokenConfig(" on_conflict = \"replace\","));
  CliRun replaced = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.all();
  auto tokens = bitbucket.Admin("GET", "/_emulator/dump").body.at("accessTokens").as_array();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_NE(tokens.at(0).at("id").as_string(), first_id);
}

TEST_F(NoDuplicate, TwoRunnersAtOnceMakeOneTokenAndTheOtherIsRefused) {
  work.Write("main.lua", TokenConfig(""));
  bitbucket.Admin("PUT", "/_emulator/faults", R"({"latencyMs": 30})");
  std::vector<int> pids;
  for (const char* state : {"a.json", "b.json"})
    pids.push_back(StartStashform({"apply", "-auto-approve", "-lock=false", "-state", work.path() + "/" + state,
                                   work.path()},
                                  env, work.path(), work.path() + "/" + state + ".out", work.path() + "/" + state + ".err"));
  int succeeded = 0;
  for (size_t i = 0; i < pids.size(); ++i) {
    int code = WaitStashform(pids[i], std::chrono::seconds(110));
    std::string err = work.Read(std::string(i == 0 ? "a.json" : "b.json") + ".err");
    transcript += err;
    if (code == 0) ++succeeded;
    else EXPECT_NE(err.find("its value cannot be read back"), std::string::npos) << err;
  }
  EXPECT_GE(succeeded, 1);
  EXPECT_EQ(Counts()["accessTokens"], 1u);
}

/// The messages of a -json run, one a line.
std::vector<json::value> UiMessages(const std::string& out) {
  std::vector<json::value> messages;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) messages.push_back(json::parse(line));
  return messages;
}

TEST_F(NoDuplicate, DriftJsonStreamEndsWithTheReportAndListsOrphanedTokensAndClients) {
  // Orphans: a token and a client of the same owner that another state made.
  work.Write("main.lua", std::string(kServer) + R"(bitbucket.access_token "old" {
  server = bb, user = "admin", name = "old-bot", permissions = { "REPO_READ" },
}
bitbucket.oauth2_client "old" {
  server = bb, name = "old-ci", redirect_urls = { "https://ci.example.com/old" }, scope = { "REPO_READ" },
}
)");
  ASSERT_EQ(Stashform({"apply", "-auto-approve", "-state", work.path() + "/old.json"}).exit_code, 0) << transcript;
  work.Write("main.lua", TokenConfig("") + R"(bitbucket.oauth2_client "ci" {
  server = bb, name = "ci", redirect_urls = { "https://ci.example.com/callback" }, scope = { "REPO_READ" },
}
)");
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;

  CliRun drift = Stashform({"drift", "-json"});
  EXPECT_EQ(drift.exit_code, 2) << drift.all();
  // Terraform's UI stream; each orphan is a message of its own, and the last carries the report.
  std::vector<json::value> messages = UiMessages(drift.out);
  ASSERT_GE(messages.size(), 4u) << drift.out;
  EXPECT_EQ(messages.front().at("type"), "version");
  int unmanaged_messages = 0;
  for (const auto& message : messages) unmanaged_messages += message.at("type") == "stashform_unmanaged";
  EXPECT_EQ(unmanaged_messages, 2) << drift.out;
  ASSERT_EQ(messages.back().at("type"), "stashform_drift_report");
  json::value report = messages.back().at("report");
  EXPECT_EQ(report, json::parse(Stashform({"drift", "-format=json"}).out)) << "the same report as -format=json";
  EXPECT_EQ(report.at("drifted"), true);
  for (const char* key : {"resource_drift", "unmanaged", "detached_stacks", "pending_verifications"})
    EXPECT_TRUE(report.at(key).is_array()) << key;
  std::map<std::string, std::string> unmanaged;
  for (const auto& object : report.at("unmanaged").as_array())
    unmanaged[std::string(object.at("type").as_string())] = std::string(object.at("description").as_string());
  EXPECT_EQ(unmanaged["bitbucket.access_token"], "users/admin access token \"old-bot\"") << drift.out;
  EXPECT_EQ(unmanaged["bitbucket.oauth2_client"], "OAuth 2.0 client \"old-ci\"") << drift.out;
  EXPECT_TRUE(report.at("resource_drift").as_array().empty());
  EXPECT_TRUE(report.at("pending_verifications").as_array().empty());
}

TEST_F(NoDuplicate, AnIgnoreRuleStopsPreExistingHooksFromMakingDriftExit2) {
  work.Write("main.lua", std::string(kServer) + R"(bitbucket.webhook "INFRA/tf-network" {
  server = bb, project = "INFRA", repository = "tf-network", name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed" },
}
)");
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  // A hook made by hand long before stashform, on the same repository.
  auto made = bitbucket.Admin("POST", "/_emulator/webhooks",
                              R"({"projectKey": "INFRA", "repositorySlug": "tf-network", "name": "jenkins",
                                  "url": "https://jenkins.example.com/hook", "events": ["repo:refs_changed"]})");
  ASSERT_EQ(made.status, 201);
  CliRun noisy = Stashform({"drift"});
  EXPECT_EQ(noisy.exit_code, 2) << noisy.all();
  EXPECT_NE(noisy.out.find("INFRA/tf-network webhook \"jenkins\""), std::string::npos) << noisy.out;

  work.Write("main.lua", work.Read("main.lua") + R"(unmanaged {
  ignore = { { repository = "INFRA/*", name = "jenk*" } },
}
)");
  CliRun quiet = Stashform({"drift"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.all();
  EXPECT_NE(quiet.out.find("1 unmanaged object left out by unmanaged { ignore = ... }"), std::string::npos) << quiet.out;
  CliRun report = Stashform({"drift", "-format=json"});
  EXPECT_EQ(report.exit_code, 0) << report.all();
  EXPECT_EQ(json::parse(report.out).at("ignored_unmanaged"), 1);

  // A rule whose every pattern must match: the URL does not, so the hook is reported again.
  work.Write("main.lua", std::string(kServer) + R"(bitbucket.webhook "INFRA/tf-network" {
  server = bb, project = "INFRA", repository = "tf-network", name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed" },
}
unmanaged { ignore = { { name = "jenkins", url = "https://other.example.com/*" } } }
)");
  EXPECT_EQ(Stashform({"drift"}).exit_code, 2);
}

TEST_F(NoDuplicate, DriftWaitsForTheLockOfAnApplyInFlight) {
  work.Write("main.lua", std::string(kServer) + R"(for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug, name = "ci", url = "https://ci.example.com/hook",
    events = { "repo:refs_changed" },
  }
end
)");
  // The apply is slowed so that drift starts while it holds the lock.
  bitbucket.Admin("PUT", "/_emulator/faults", R"({"latencyMs": 400})");
  int apply = StartStashform({"apply", "-auto-approve", "-parallelism=1", work.path()}, env, work.path(),
                             work.path() + "/apply.out", work.path() + "/apply.err");
  const std::string lock = work.path() + "/stashform.state.json.lock";
  for (int i = 0; i < 200 && !std::filesystem::exists(lock); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(std::filesystem::exists(lock));

  CliRun refused = Stashform({"drift"});
  EXPECT_EQ(refused.exit_code, 1) << refused.all();
  CliRun waited = Stashform({"drift", "-format=json", "-lock-timeout=60s"});
  // The apply ended before drift read anything: its webhooks are managed, not "unmanaged".
  EXPECT_EQ(WaitStashform(apply, std::chrono::seconds(5)), 0);
  transcript += work.Read("apply.out") + work.Read("apply.err");
  EXPECT_EQ(waited.exit_code, 0) << waited.all();
  EXPECT_TRUE(json::parse(waited.out).at("unmanaged").as_array().empty()) << waited.out;
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u);
}

/// Requests the Bitbucket emulator logged, by "METHOD path" with the query cut off.
std::map<std::string, int> RequestsByCall(const Emulator& bitbucket) {
  std::map<std::string, int> calls;
  const json::value log = bitbucket.Admin("GET", "/_emulator/requests").body;
  for (const auto& entry : log.at("requests").as_array()) {
    std::string path(entry.at("path").as_string());
    calls[std::string(entry.at("method").as_string()) + " " + path.substr(0, path.find('?'))]++;
  }
  return calls;
}

TEST_F(NoDuplicate, CreatesLookUpOneListingPerRepositoryAndANoOpPlanLooksUpNothing) {
  // Ten webhooks on each of two repositories.
  work.Write("main.lua", std::string(kServer) + R"(for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  for i = 1, 10 do
    bitbucket.webhook ("INFRA/" .. slug .. "/" .. i) {
      server = bb, project = "INFRA", repository = slug, name = "ci-" .. i, url = "https://ci.example.com/hook",
      events = { "repo:refs_changed" },
    }
  end
end
)");
  bitbucket.Admin("DELETE", "/_emulator/requests");
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  auto calls = RequestsByCall(bitbucket);
  EXPECT_EQ(calls["GET /rest/api/1.0/projects/INFRA/repos/tf-network/webhooks"], 1);
  EXPECT_EQ(calls["GET /rest/api/1.0/projects/INFRA/repos/tf-dns/webhooks"], 1);
  EXPECT_EQ(calls["POST /rest/api/1.0/projects/INFRA/repos/tf-network/webhooks"], 10);

  // The no-op plan: refresh lists each repository once, and nothing is looked up besides.
  bitbucket.Admin("DELETE", "/_emulator/requests");
  ASSERT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0) << transcript;
  calls = RequestsByCall(bitbucket);
  EXPECT_EQ(calls["GET /rest/api/1.0/projects/INFRA/repos/tf-network/webhooks"], 1);
  EXPECT_EQ(calls["GET /rest/api/1.0/projects/INFRA/repos/tf-dns/webhooks"], 1);
}

}  // namespace
}  // namespace stashform::testing
