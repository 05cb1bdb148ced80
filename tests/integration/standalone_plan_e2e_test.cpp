// A saved plan stands alone: `apply PLANFILE` reads neither the config nor its variables, only the
// plan, the state and the secrets the plan names (from the environment), over real HTTP.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/webhook_config_fixture.h"

namespace stashform::testing {
namespace {

const char* const kSecret = "standalone-plan-secret-3e8f";
const char* const kRotated = "standalone-plan-rotated-61ac";

const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = "admin", password = env "BITBUCKET_PASSWORD",
}
local hooks = {}
for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  hooks[slug] = bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug,
    name = "ci", url = "https://ci.example.com/hook",
    events = { "repo:refs_changed", "pr:merged" },
    secret = env "WEBHOOK_SECRET",
    lifecycle = { prevent_destroy = true },
  }
end
output "first_hook" { value = hooks["tf-network"].id }
)";

class StandalonePlanE2E : public WebhookConfigTest {
 protected:
  StandalonePlanE2E() : WebhookConfigTest(kConfig, kSecret) {
    plan_file = work.path() + "/plan.bin";
  }

  std::string plan_file;
};

TEST_F(StandalonePlanE2E, APlanFileAppliesWithTheConfigDeletedAndTheResultConverges) {
  CliRun plan = Stashform({"plan", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  std::filesystem::remove(work.path() + "/main.lua");
  CliRun apply = Stashform({"apply", plan_file}, false);
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."), std::string::npos);
  EXPECT_NE(apply.out.find("first_hook = "), std::string::npos) << "outputs come from the plan too";
  ASSERT_EQ(bitbucket.Webhooks().size(), 2u);
  // With the config back, there is nothing left to do, and the lifecycle flags were recorded.
  work.Write("main.lua", kConfig);
  CliRun again = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.all();
  CliRun show = Stashform({"state", "show", "bitbucket.webhook[\"INFRA/tf-dns\"]"}, false);
  EXPECT_NE(show.out.find("prevent_destroy"), std::string::npos) << show.all();
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(StandalonePlanE2E, APlanFileAppliesWhatWasReviewedEvenWhenTheConfigChangedOrBroke) {
  CliRun plan = Stashform({"plan", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  work.Write("main.lua", "this is not Lua (");
  work.Write("extra.lua", "error('evaluating the config would fail')");
  CliRun apply = Stashform({"apply", plan_file}, false);
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 2u);
  for (const auto& hook : hooks) EXPECT_EQ(hook.at("url").as_string(), "https://ci.example.com/hook");
}

TEST_F(StandalonePlanE2E, AChangedSecretRefusesTheSavedPlanWithoutPrintingEitherValue) {
  CliRun plan = Stashform({"plan", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  env["WEBHOOK_SECRET"] = kRotated;
  CliRun apply = Stashform({"apply", plan_file}, false);
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("saved plan is stale: the secret bitbucket.webhook[\"INFRA/"), std::string::npos)
      << apply.err;
  EXPECT_NE(apply.err.find("(environment variable WEBHOOK_SECRET) changed since the plan was made"),
            std::string::npos) << apply.err;
  EXPECT_TRUE(bitbucket.Webhooks().empty());
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
  EXPECT_EQ(transcript.find(kRotated), std::string::npos);
}

TEST_F(StandalonePlanE2E, AMissingSecretRefusesTheSavedPlanAndNamesTheVariable) {
  CliRun plan = Stashform({"plan", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  env.erase("BITBUCKET_PASSWORD");
  CliRun apply = Stashform({"apply", plan_file}, false);
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("from the environment variable BITBUCKET_PASSWORD, which is not set"), std::string::npos)
      << apply.err;
  EXPECT_TRUE(bitbucket.Webhooks().empty());
}

TEST_F(StandalonePlanE2E, APlanFileOfTheFormerFormatIsRefusedWithAClearMessage) {
  work.Write("old.bin", R"({"format": "stashform-plan", "version": 1, "lineage": "", "serial": 0, "plan": "{}"})");
  CliRun apply = Stashform({"apply", work.path() + "/old.bin"}, false);
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("old.bin: plan file format 1 is not supported; run plan again"), std::string::npos)
      << apply.err;
}

}  // namespace
}  // namespace stashform::testing
