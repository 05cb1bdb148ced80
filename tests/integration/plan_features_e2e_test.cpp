// Saved plans, machine-readable plans, narrowing, refresh-only and drift, over real HTTP.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/webhook_config_fixture.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kSecret = "plan-features-secret-91c2";

const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = "admin", password = env "BITBUCKET_PASSWORD",
}
for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug,
    name = "ci", url = "https://ci.example.com/hook",
    events = { "repo:refs_changed", "pr:merged" },
    secret = env "WEBHOOK_SECRET",
  }
end
)";

class PlanFeaturesE2E : public WebhookConfigTest {
 protected:
  PlanFeaturesE2E() : WebhookConfigTest(kConfig, kSecret) {}
  std::string HookId(size_t i) { return std::to_string(bitbucket.Webhooks().at(i).at("id").to_number<int64_t>()); }

};

TEST_F(PlanFeaturesE2E, ASavedPlanAppliesExactlyWhatWasReviewedAndHoldsNoSecret) {
  std::string plan_file = work.path() + "/plan.bin";
  CliRun plan = Stashform({"plan", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_EQ(work.Read(plan_file).find(kSecret), std::string::npos) << "a saved plan is a CI artifact";
  CliRun show = Stashform({"show", "-json", plan_file}, false);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out).at("resource_changes").as_array().size(), 2u);
  CliRun apply = Stashform({"apply", plan_file}, false);
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("Apply complete! Resources: 2 added"), std::string::npos);
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u);
  CliRun again = Stashform({"apply", plan_file}, false);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("saved plan is stale"), std::string::npos) << again.err;
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(PlanFeaturesE2E, ASavedPlanIsRefusedWhenTheSecretChangedSince) {
  std::string plan_file = work.path() + "/plan.bin";
  ASSERT_EQ(Stashform({"plan", "-out=" + plan_file}).exit_code, 0);
  env["WEBHOOK_SECRET"] = "rotated-after-review";
  CliRun apply = Stashform({"apply", plan_file}, false);
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_TRUE(bitbucket.Webhooks().empty());
}

TEST_F(PlanFeaturesE2E, ASavedPlanIsRefusedWhenTheServerChangedSince) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  work.Write("main.lua", std::string(kConfig).replace(std::string(kConfig).find("\"pr:merged\""), 11, "\"pr:opened\""));
  std::string plan_file = work.path() + "/plan.bin";
  ASSERT_EQ(Stashform({"plan", "-out=" + plan_file}).exit_code, 0);
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/webhooks/" + HookId(0)).status, 204);
  CliRun apply = Stashform({"apply", plan_file}, false);
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("the servers changed since it was made"), std::string::npos) << apply.err;
}

TEST_F(PlanFeaturesE2E, JsonAndMarkdownPlans) {
  CliRun json_plan = Stashform({"plan", "-format=json"});
  ASSERT_EQ(json_plan.exit_code, 0) << json_plan.err;
  auto parsed = json::parse(json_plan.out);
  EXPECT_EQ(parsed.at("resource_changes").at(0).at("change").at("actions"), (json::array{"create"}));
  CliRun md = Stashform({"plan", "-format=markdown"});
  EXPECT_EQ(md.out.rfind("### stashform plan: 2 to add, 0 to change, 0 to destroy", 0), 0u) << md.out;
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

/// The lines of `text` that contain `part`.
std::vector<std::string> LinesWith(const std::string& text, const std::string& part) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);)
    if (line.find(part) != std::string::npos) lines.push_back(line);
  return lines;
}

TEST_F(PlanFeaturesE2E, OffATerminalEachRefreshedWebhookIsOneLineOnStderrAndStdoutStaysThePlan) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  const std::set<std::string> ids{HookId(0), HookId(1)};
  for (const auto& args : {std::vector<std::string>{"plan"}, std::vector<std::string>{"plan", "-format=json"}}) {
    CliRun plan = Stashform(args);
    ASSERT_EQ(plan.exit_code, 0) << plan.all();
    const std::regex line(R"re(bitbucket\.webhook\["INFRA/(tf-network|tf-dns)"\]: Refreshing state\.\.\. \[id=(\d+)\])re");
    std::set<std::string> addresses, refreshed_ids;
    for (const auto& text : LinesWith(plan.err, "Refreshing")) {
      std::smatch match;
      ASSERT_TRUE(std::regex_match(text, match, line)) << text;
      EXPECT_TRUE(addresses.insert(match[1]).second) << "twice: " << text;
      refreshed_ids.insert(match[2]);
    }
    EXPECT_EQ(addresses, (std::set<std::string>{"tf-network", "tf-dns"})) << plan.err;
    EXPECT_EQ(refreshed_ids, ids);
    EXPECT_EQ(plan.out.find("Refreshing"), std::string::npos) << plan.out;
    if (args.size() == 2) EXPECT_EQ(json::parse(plan.out).at("resource_changes").as_array().size(), 2u);
    else EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
  }
  CliRun unrefreshed = Stashform({"plan", "-refresh=false"});
  ASSERT_EQ(unrefreshed.exit_code, 0) << unrefreshed.all();
  EXPECT_EQ(unrefreshed.all().find("Refreshing"), std::string::npos) << unrefreshed.all();
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(PlanFeaturesE2E, TargetExcludeAndReplace) {
  CliRun target = Stashform({"plan", "-target=bitbucket.webhook[\"INFRA/tf-dns\"]"});
  EXPECT_NE(target.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << target.all();
  CliRun exclude = Stashform({"plan", "-exclude=bitbucket.webhook[\"INFRA/tf-dns\"]"});
  EXPECT_NE(exclude.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << exclude.all();
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  CliRun replace = Stashform({"plan", "-explain", "-replace=bitbucket.webhook[\"INFRA/tf-dns\"]"});
  EXPECT_NE(replace.out.find("replacement requested with -replace"), std::string::npos) << replace.out;
  EXPECT_NE(replace.out.find("Plan: 1 to add, 0 to change, 1 to destroy."), std::string::npos);
  CliRun bad = Stashform({"plan", "-target=webhook"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("\"webhook\" is not a resource address"), std::string::npos);
}

TEST_F(PlanFeaturesE2E, DriftReportsChangesAndUnmanagedWebhooksAndRefreshOnlyRecordsThem) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  EXPECT_EQ(Stashform({"drift"}).exit_code, 0);
  ASSERT_EQ(bitbucket.Admin("PATCH", "/_emulator/webhooks/" + HookId(0), R"({"active":false})").status, 200);
  ASSERT_EQ(bitbucket.Admin("POST", "/_emulator/webhooks",
                            R"({"projectKey":"INFRA","repositorySlug":"tf-dns","name":"jenkins","url":"https://jenkins/hook","events":["repo:refs_changed"]})")
                .status,
            201);
  CliRun drift = Stashform({"drift", "-format=json"});
  EXPECT_EQ(drift.exit_code, 2) << drift.all();
  auto report = json::parse(drift.out);
  EXPECT_EQ(report.at("resource_drift").as_array().size(), 1u);
  ASSERT_EQ(report.at("unmanaged").as_array().size(), 1u);
  EXPECT_NE(std::string(report.at("unmanaged").at(0).at("description").as_string()).find("jenkins"), std::string::npos);
  // A refresh-only plan shows the drift and changes nothing remote; applying it records it.
  CliRun refresh_only = Stashform({"plan", "-refresh-only", "-detailed-exitcode"});
  EXPECT_EQ(refresh_only.exit_code, 2) << refresh_only.all();
  EXPECT_NE(refresh_only.out.find("refresh-only plan"), std::string::npos);
  ASSERT_EQ(Stashform({"apply", "-refresh-only", "-auto-approve"}).exit_code, 0);
  CliRun after = Stashform({"plan", "-explain"});
  EXPECT_NE(after.out.find("active: changed in config"), std::string::npos) << after.out;
}

TEST_F(PlanFeaturesE2E, ApplyRecordsOutputsResolvedFromWhatNowExists) {
  work.Write("main.lua", std::string(kConfig) + R"(
local probe = bitbucket.webhook "INFRA/tf-dns/probe" {
  project = "INFRA", repository = "tf-dns", name = "probe", url = "https://probe.example.com/",
  events = { "repo:refs_changed" },
}
output "probe_id" { value = probe.id }
output "probe_url" { value = "see " .. probe.url }
output "secret" { value = env "WEBHOOK_SECRET", sensitive = true }
)");
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("Outputs:\n\n"), std::string::npos) << apply.out;
  EXPECT_NE(apply.out.find("secret = (sensitive)"), std::string::npos);
  std::string id;
  for (const auto& hook : bitbucket.Webhooks())
    if (hook.at("name") == "probe") id = std::to_string(hook.at("id").to_number<int64_t>());
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(RunStashform({"output", "probe_id"}, env, work.path()).out, "\"" + id + "\"\n");
  EXPECT_EQ(RunStashform({"output", "probe_url"}, env, work.path()).out, "\"see https://probe.example.com/\"\n");
  CliRun secret = RunStashform({"output", "secret"}, env, work.path());
  transcript += secret.all();
  EXPECT_EQ(secret.out, "(sensitive)\n");
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(PlanFeaturesE2E, ValidateNeedsNoCredentialsNorNetwork) {
  // A pull request from a fork has no secrets: validate still checks the config.
  CliRun valid = RunStashform({"validate", work.path()}, {}, work.path());
  EXPECT_EQ(valid.exit_code, 0) << valid.all();
  EXPECT_EQ(valid.out, "Success! The configuration is valid.\n");
  work.Write("main.lua", std::string(kConfig).replace(std::string(kConfig).find("\"pr:merged\""), 11, "\"pr:mergd\""));
  CliRun invalid = RunStashform({"validate", work.path()}, {}, work.path());
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_NE(invalid.err.find("did you mean \"pr:merged\""), std::string::npos) << invalid.err;
}

}  // namespace
}  // namespace stashform::testing

namespace stashform::testing {
namespace {

// A second server block that signs in with a project token another block creates.
const char* const kTokenServerConfig = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = "admin", password = env "BITBUCKET_PASSWORD",
}
local ci = bitbucket.access_token "ci" {
  server = bb, project = "INFRA", name = "ci-bot", permissions = { "PROJECT_ADMIN" },
}
local bot = bitbucket.server "bot" { url = env "BITBUCKET_URL", token = ci.token }
bitbucket.webhook "INFRA/tf-dns" {
  server = bot, project = "INFRA", repository = "tf-dns",
  name = "ci", url = "https://ci.example.com/hook", events = { "repo:refs_changed" },
}
)";

TEST(ServerConfiguredFromAResourceE2E, WaitsForATargetedApplyThenSignsInWithTheNewToken) {
  Emulator bitbucket(SeedWithRepositories({"tf-dns"}));
  TempDir work;
  work.Write("main.lua", kTokenServerConfig);
  std::map<std::string, std::string> env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_PASSWORD", "admin"}};
  auto stashform = [&](std::vector<std::string> args) {
    args.push_back(work.path());
    return RunStashform(args, env, work.path());
  };
  // The graph orders the webhook after the token its server signs in with.
  CliRun graph = stashform({"graph", "-format", "list"});
  ASSERT_EQ(graph.exit_code, 0) << graph.all();
  EXPECT_NE(graph.out.find("bitbucket.webhook[\"INFRA/tf-dns\"]\n  -> bitbucket.access_token[\"ci\"]"), std::string::npos)
      << graph.out;
  // Nothing can be planned on "bot" before the token exists; the error says what to do.
  CliRun plan = stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1) << plan.all();
  EXPECT_NE(plan.err.find("bitbucket.server \"bot\" is configured from bitbucket.access_token[\"ci\"], which is known "
                          "only after apply; apply with -target bitbucket.access_token[\"ci\"] first"),
            std::string::npos)
      << plan.err;
  CliRun token = stashform({"apply", "-auto-approve", "-target", "bitbucket.access_token[\"ci\"]"});
  ASSERT_EQ(token.exit_code, 0) << token.all();
  EXPECT_TRUE(bitbucket.Webhooks().empty());
  // Now "bot" is configured from state, and the webhook is created with the token.
  CliRun apply = stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ASSERT_EQ(bitbucket.Webhooks().size(), 1u);
  std::string creator;
  auto log = bitbucket.Admin("GET", "/_emulator/requests");
  for (const auto& entry : log.body.at("requests").as_array())
    if (entry.at("method") == "POST" && entry.at("path").as_string().find("/webhooks") != boost::json::string::npos)
      creator = entry.at("user").is_string() ? std::string(entry.at("user").as_string()) : "";
  EXPECT_EQ(creator.rfind("token-", 0), 0u) << "the webhook was created by " << creator << ", not the project token";
  CliRun again = stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.all();
  // The token now signs in a server; it is still printed nowhere.
  auto state = boost::json::parse(work.Read(work.path() + "/stashform.state.json"));
  std::string secret;
  for (const auto& resource : state.at("resources").as_array())
    if (resource.at("type") == "bitbucket.access_token") secret = resource.at("private").at("token").as_string();
  ASSERT_GT(secret.size(), 8u);
  for (const CliRun* run : {&graph, &plan, &token, &apply, &again})
    EXPECT_EQ(run->all().find(secret), std::string::npos) << run->all();
}

TEST(ServerConfiguredFromAResourceE2E, ADataSourceCannotReadThroughSuchAServerAndIsToldWhy) {
  Emulator bitbucket(SeedWithRepositories({"tf-dns"}));
  TempDir work;
  work.Write("main.lua", std::string(kTokenServerConfig) +
                             "for _, repo in ipairs(bitbucket.repositories { server = bot, project = \"INFRA\" }) do end\n");
  CliRun plan = RunStashform({"plan", work.path()},
                             {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_PASSWORD", "admin"}}, work.path());
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_NE(plan.err.find("main.lua:12: bitbucket.repositories: bitbucket.server \"bot\" is configured from "
                          "bitbucket.access_token[\"ci\"], and data sources are read while the config is evaluated"),
            std::string::npos)
      << plan.err;
}

}  // namespace
}  // namespace stashform::testing
