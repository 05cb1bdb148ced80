// User stories of the Spacelift guide (issue 8), run with the real binaries over HTTP on loopback:
// the stashform CLI against the Bitbucket and Spacelift emulators.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>

#include "tests/integration/harness.h"
#include "tests/integration/spacelift_harness.h"
#include "tests/integration/spacelift_stories.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kApiKeySecret = "stashform-secret";
const char* const kBitbucketToken = "e2e-bitbucket-token-7c2a";


class SpaceliftE2E : public ::testing::Test {
 protected:
  SpaceliftE2E()
      : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"})),
        spacelift(SpaceliftSeed({"tf-network", "tf-dns"})) {
    work.Write("main.lua", StoryGuide());
    env = {{"BITBUCKET_URL", bitbucket.url()},      {"BITBUCKET_USER", "admin"},
           {"BITBUCKET_PASSWORD", "admin"},         {"SPACELIFT_API_URL", spacelift.url()},
           {"SPACELIFT_API_KEY_ID", "stashform-key"}, {"SPACELIFT_API_KEY_SECRET", kApiKeySecret},
           {"BITBUCKET_TOKEN", kBitbucketToken}};
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    CliRun run = RunStashform(args, env, work.path());
    transcript += run.all();
    return run;
  }

  /// True when this CLI registers the Spacelift provider; the stories skip until it does.
  bool CliKnowsSpacelift() {
    // Without the provider, the `spacelift` namespace is an undefined Lua global.
    CliRun validate = Stashform({"validate"});
    return validate.all().find("global 'spacelift'") == std::string::npos;
  }

  /// Every webhook signs with `secret`, and every stack is bound to `integration`.
  void ExpectWired(const std::string& integration) {
    json::value stored = spacelift.Integration(integration);
    ASSERT_TRUE(stored.is_object()) << "no integration " << integration;
    std::string secret(stored.at("webhookSecret").as_string());
    auto hooks = bitbucket.Webhooks();
    EXPECT_EQ(hooks.size(), 2u);
    for (const auto& hook : hooks) {
      EXPECT_EQ(hook.at("url"), stored.at("webhookURL"));
      EXPECT_EQ(hook.at("configuration").at("secret").as_string(), secret);
      EXPECT_EQ(hook.at("events").as_array().size(), 8u);
    }
    for (const char* stack : {"tf-network", "tf-dns"}) {
      json::value bound = spacelift.Stack(stack).at("vcsIntegration");
      ASSERT_TRUE(bound.is_object()) << stack << " is detached";
      EXPECT_EQ(bound.at("id").as_string(), integration) << stack;
    }
  }

  Emulator bitbucket;
  SpaceliftEmulator spacelift;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;  // every byte the CLI printed, searched for secrets at the end
};

TEST_F(SpaceliftE2E, TheFullGuideFromNothingThenNoChanges) {
  if (!CliKnowsSpacelift()) GTEST_SKIP() << "the CLI does not register the Spacelift provider yet";
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("Plan: 5 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectWired("corp-bitbucket");
  CliRun settled = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.all();
  EXPECT_NE(settled.out.find("No changes."), std::string::npos) << settled.out;
  EXPECT_EQ(transcript.find(kBitbucketToken), std::string::npos);
  EXPECT_EQ(transcript.find(kApiKeySecret), std::string::npos);
  std::string secret(spacelift.Integration("corp-bitbucket").at("webhookSecret").as_string());
  EXPECT_EQ(transcript.find(secret), std::string::npos);
}

TEST_F(SpaceliftE2E, AnIntegrationDeletedOutOfBandIsRepairedWithItsWebhooksAndStacksInOneApply) {
  if (!CliKnowsSpacelift()) GTEST_SKIP() << "the CLI does not register the Spacelift provider yet";
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  std::string old_secret(spacelift.Integration("corp-bitbucket").at("webhookSecret").as_string());
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/integrations/corp-bitbucket").status, 200);

  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("Plan: 1 to add, 4 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("stack detached: integration deleted"), std::string::npos) << plan.out;

  CliRun repair = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(repair.exit_code, 0) << repair.all();
  ExpectWired("corp-bitbucket");
  EXPECT_NE(spacelift.Integration("corp-bitbucket").at("webhookSecret").as_string(), old_secret);
  EXPECT_NE(Stashform({"plan"}).out.find("No changes."), std::string::npos);
}

TEST_F(SpaceliftE2E, ARenameWithCreateBeforeDestroyNeverLeavesAStackDetached) {
  if (!CliKnowsSpacelift()) GTEST_SKIP() << "the CLI does not register the Spacelift provider yet";
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  spacelift.Admin("DELETE", "/_emulator/requests");
  env["STASHFORM_VAR_integration_name"] = "corp-bitbucket-2";
  CliRun rename = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(rename.exit_code, 0) << rename.all();
  ExpectWired("corp-bitbucket-2");
  EXPECT_TRUE(spacelift.Integration("corp-bitbucket").is_null());
  // Order on the Spacelift side: create new, re-bind both stacks, and only then delete the old.
  std::vector<std::string> order;
  for (const auto& entry : spacelift.Requests()) {
    std::string fields(entry.at("fields").as_string());
    if (fields == "bitbucketDatacenterIntegrationCreate" || fields == "bitbucketDatacenterIntegrationDelete" ||
        fields == "stackUpdate")
      order.push_back(fields + ":" + std::string(entry.at("id").as_string()) +
                      std::string(entry.at("vcsIntegrationId").as_string()));
  }
  ASSERT_EQ(order.size(), 4u) << json::serialize(json::value_from(order));
  EXPECT_EQ(order.front().rfind("bitbucketDatacenterIntegrationCreate", 0), 0u);
  EXPECT_EQ(order.back(), "bitbucketDatacenterIntegrationDelete:corp-bitbucket");
  EXPECT_EQ(std::count(order.begin(), order.end(), "stackUpdate:tf-networkcorp-bitbucket-2"), 1);
  EXPECT_EQ(std::count(order.begin(), order.end(), "stackUpdate:tf-dnscorp-bitbucket-2"), 1);
}

TEST_F(SpaceliftE2E, DriftReportsAStackLeftDetachedThatNoConfigBinds) {
  if (!CliKnowsSpacelift()) GTEST_SKIP() << "the CLI does not register the Spacelift provider yet";
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  // The team stops managing tf-dns's binding; removing a binding leaves the stack bound.
  std::string guide = StoryGuide();
  guide.erase(guide.find("  { project = \"INFRA\", slug = \"tf-dns\""), std::string("  { project = \"INFRA\", slug = \"tf-dns\",     stack = \"tf-dns\" },\n").size());
  work.Write("main.lua", guide);
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  EXPECT_TRUE(spacelift.Stack("tf-dns").at("vcsIntegration").is_object());
  // Someone deletes the integration: both stacks are detached.
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/integrations/corp-bitbucket").status, 200);
  CliRun drift = Stashform({"drift", "-format=json"});
  ASSERT_EQ(drift.exit_code, 2) << drift.all();
  json::value report = json::parse(drift.out);
  // A detached stack is reported apart from objects nobody declared.
  EXPECT_TRUE(report.at("unmanaged").as_array().empty()) << drift.out;
  const auto& unmanaged = report.at("detached_stacks").as_array();
  ASSERT_EQ(unmanaged.size(), 1u) << drift.out;
  EXPECT_EQ(unmanaged[0].at("id"), "tf-dns");
  EXPECT_NE(std::string(unmanaged[0].at("description").as_string()).find("detached"), std::string::npos);
  // Apply repairs what the config manages; the unmanaged stack stays reported until someone binds it.
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  EXPECT_TRUE(spacelift.Stack("tf-network").at("vcsIntegration").is_object());
  CliRun still = Stashform({"drift"});
  EXPECT_EQ(still.exit_code, 2);
  EXPECT_NE(still.out.find("stack \"tf-dns\""), std::string::npos) << still.out;
  EXPECT_EQ(transcript.find(kApiKeySecret), std::string::npos);
}

TEST_F(SpaceliftE2E, ARotatedAccessTokenUpdatesTheIntegrationInPlace) {
  if (!CliKnowsSpacelift()) GTEST_SKIP() << "the CLI does not register the Spacelift provider yet";
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  std::string before(spacelift.Integration("corp-bitbucket").at("accessTokenSha256").as_string());
  env["BITBUCKET_TOKEN"] = "e2e-bitbucket-token-rotated";
  CliRun plan = Stashform({"plan"});
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  EXPECT_NE(spacelift.Integration("corp-bitbucket").at("accessTokenSha256").as_string(), before);
  ExpectWired("corp-bitbucket");
  EXPECT_EQ(transcript.find("e2e-bitbucket-token-rotated"), std::string::npos);
}

}  // namespace
}  // namespace stashform::testing
