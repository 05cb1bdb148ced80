// User stories for repository webhooks, run with the real binaries over HTTP on loopback.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kSecret = "e2e-webhook-secret-4f1d";

const char* const kTwoWebhooks = R"(local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug,
    name = "ci", url = "https://ci.example.com/hook",
    events = { "repo:refs_changed", "pr:opened", "pr:merged" },
    secret = env "WEBHOOK_SECRET",
  }
end
)";

class WebhookE2E : public ::testing::Test {
 protected:
  WebhookE2E() : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"})) {
    work.Write("main.lua", kTwoWebhooks);
    env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"},
           {"BITBUCKET_PASSWORD", "admin"}, {"WEBHOOK_SECRET", kSecret}};
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    CliRun run = RunStashform(args, env, work.path());
    transcript += run.all();
    return run;
  }

  Emulator bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;  // every byte the CLI printed, searched for secrets at the end
};

std::string SecretOf(const json::value& hook) {
  const auto* config = hook.as_object().if_contains("configuration");
  if (!config || !config->is_object()) return "";
  const auto* secret = config->as_object().if_contains("secret");
  return secret && secret->is_string() ? std::string(secret->as_string()) : "";
}

TEST_F(WebhookE2E, PlanApplyNoChangesThenAnOutOfBandEditIsRepairedByOneUpdate) {
  // Plan: both webhooks are new.
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("Plan: 2 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 2);

  // Apply creates them with the secret and the event set.
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."), std::string::npos);
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 2u);
  for (const auto& hook : hooks) {
    EXPECT_EQ(SecretOf(hook), kSecret);
    EXPECT_EQ(hook.at("events").as_array().size(), 3u);
  }

  // Plan again: nothing to do, whatever order the server keeps events in.
  CliRun settled = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.all();
  EXPECT_NE(settled.out.find("No changes."), std::string::npos);

  // Someone narrows one webhook's events in the Bitbucket UI.
  std::string id = std::to_string(hooks[0].at("id").to_number<int64_t>());
  auto edit = bitbucket.Admin("PATCH", "/_emulator/webhooks/" + id, R"({"events":["repo:refs_changed"]})");
  ASSERT_EQ(edit.status, 200);

  CliRun drift = Stashform({"plan", "-explain"});
  ASSERT_EQ(drift.exit_code, 0) << drift.err;
  EXPECT_NE(drift.out.find("Objects have changed outside of stashform"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("events: changed outside stashform"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << drift.out;

  CliRun repair = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(repair.exit_code, 0) << repair.all();
  EXPECT_NE(repair.out.find("Resources: 0 added, 1 changed, 0 destroyed."), std::string::npos);
  for (const auto& hook : bitbucket.Webhooks()) {
    EXPECT_EQ(hook.at("events").as_array().size(), 3u);
    EXPECT_EQ(SecretOf(hook), kSecret) << "the PUT must send the secret back, or Bitbucket clears it";
  }
  EXPECT_NE(Stashform({"plan"}).out.find("No changes."), std::string::npos);

  // The secret was never printed and never written to state.
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
  std::string state = work.Read("stashform.state.json");
  ASSERT_FALSE(state.empty());
  EXPECT_EQ(state.find(kSecret), std::string::npos);
  struct stat info {};
  ASSERT_EQ(stat((work.path() + "/stashform.state.json").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST_F(WebhookE2E, AWebhookDeletedByHandIsCreatedAgain) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  std::string id = std::to_string(bitbucket.Webhooks()[0].at("id").to_number<int64_t>());
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/webhooks/" + id).status, 204);
  CliRun plan = Stashform({"plan"});
  EXPECT_NE(plan.out.find("(remote object deleted outside stashform)"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos);
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u);
}

TEST_F(WebhookE2E, ABlockRemovedFromConfigDeletesItsWebhook) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  std::string one = kTwoWebhooks;
  one.replace(one.find("\"tf-network\", "), 14, "");
  work.Write("main.lua", one);
  CliRun plan = Stashform({"plan"});
  EXPECT_NE(plan.out.find("Plan: 0 to add, 0 to change, 1 to destroy."), std::string::npos) << plan.out;
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].at("scope").at("repositorySlug").as_string(), "tf-dns");
}

// Errors: one clear line, exit 1.

int ErrorLines(const std::string& err) {
  int lines = 0;
  for (size_t at = 0; (at = err.find("Error: ", at)) != std::string::npos; ++at) ++lines;
  return lines;
}

TEST_F(WebhookE2E, AnUnreachableServerIsOneClearLine) {
  env["BITBUCKET_URL"] = "http://127.0.0.1:1";
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_EQ(ErrorLines(plan.err), 1) << plan.err;
  EXPECT_NE(plan.err.find("GET http://127.0.0.1:1/rest/api/1.0/application-properties: "), std::string::npos)
      << plan.err;
}

TEST_F(WebhookE2E, RejectedCredentialsAreOneClearLine) {
  env["BITBUCKET_PASSWORD"] = "wrong-password-123";
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_EQ(ErrorLines(plan.err), 1) << plan.err;
  EXPECT_NE(plan.err.find("401"), std::string::npos) << plan.err;
  EXPECT_EQ(plan.all().find("wrong-password-123"), std::string::npos);
}

TEST_F(WebhookE2E, ALuaSyntaxErrorIsOneLineWithItsPlace) {
  work.Write("main.lua", "local bb = bitbucket.server \"corp\" {\n  url = \"http://x\"\n\nbitbucket.webhook \"a\" {}\n");
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_EQ(ErrorLines(plan.err), 1) << plan.err;
  EXPECT_NE(plan.err.find("main.lua:"), std::string::npos) << plan.err;
  EXPECT_EQ(plan.err.find("stack traceback"), std::string::npos);
}

TEST_F(WebhookE2E, ApplyWithoutATerminalNeedsAutoApprove) {
  CliRun apply = Stashform({"apply"});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("pass -auto-approve"), std::string::npos);
  EXPECT_TRUE(bitbucket.Webhooks().empty());
}

TEST(CliE2E, AMisspeltCommandGetsASuggestion) {
  TempDir dir;
  CliRun run = RunStashform({"pln"}, {}, dir.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("Error: unknown command \"pln\" (did you mean \"plan\"?)"), std::string::npos) << run.err;
}

TEST(CliE2E, VersionAndHelp) {
  TempDir dir;
  CliRun version = RunStashform({"version"}, {}, dir.path());
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("stashform v", 0), 0u);
  CliRun help = RunStashform({"-help"}, {}, dir.path());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("plan"), std::string::npos);
}

}  // namespace
}  // namespace stashform::testing
