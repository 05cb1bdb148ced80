// The flags and commands stashform shares with terraform, from the user's side: the real binary,
// the Bitbucket emulator on loopback, a real state file. Each test is a pipeline's habit.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kSecret = "parity-webhook-secret-7d1f";

const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

bitbucket.webhook "INFRA/api" {
  server = bb, project = "INFRA", repository = "api",
  name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed" },
  secret = env "WEBHOOK_SECRET",
}
)";

class CliParityE2E : public ::testing::Test {
 protected:
  CliParityE2E() : bitbucket(SeedWithRepositories({"api"})) {
    work.Write("main.lua", kConfig);
    env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "admin"},
           {"WEBHOOK_SECRET", kSecret}};
  }

  CliRun Stashform(const std::vector<std::string>& args) {
    CliRun run = RunStashform(args, env, work.path());
    EXPECT_EQ(run.all().find(kSecret), std::string::npos) << "a secret in the output of " << args.front();
    return run;
  }

  Emulator bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
};

TEST_F(CliParityE2E, AtlantisSequencePlanWithInputFalseParallelismAndLockTimeoutRuns) {
  CliRun plan = Stashform({"plan", "-input=false", "-parallelism=4", "-lock-timeout=30s", "-no-color",
                           "-detailed-exitcode", "-out=plan.bin"});
  EXPECT_EQ(plan.exit_code, 2) << plan.all();
  EXPECT_NE(plan.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos);
  CliRun apply = Stashform({"apply", "-input=false", "-parallelism=2", "plan.bin"});
  EXPECT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(bitbucket.Webhooks().size(), 1u);
}

TEST_F(CliParityE2E, BadFlagValuesAreRefusedBeforeAnyRequestWithTheFlagAndTheForms) {
  CliRun abc = Stashform({"plan", "-lock-timeout=abc"});
  EXPECT_EQ(abc.exit_code, 1);
  EXPECT_EQ(abc.err, "Error: -lock-timeout \"abc\" is not a duration; use a number and a unit (ms, s, m, h): 500ms, "
                     "30s, 5m, 1h, 1h30m, or 0s\n");
  EXPECT_EQ(Stashform({"drift", "-lock-timeout=1d"}).exit_code, 1);
  CliRun zero = Stashform({"apply", "-auto-approve", "-parallelism=0"});
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_EQ(zero.err, "Error: -parallelism \"0\" is not a count; use a whole number from 1 to 256 (default 16)\n");
  CliRun typo = Stashform({"apply", "-auto-aprove"});
  EXPECT_EQ(typo.err, "Error: flag -auto-aprove is not one of stashform apply's (did you mean -auto-approve?); "
                      "\"stashform apply -help\" lists them\n");
  EXPECT_TRUE(bitbucket.Webhooks().empty()) << "nothing was sent";
}

TEST_F(CliParityE2E, ApplyWithInputFalseAndNoAutoApproveFailsWithTheWayOut) {
  CliRun apply = Stashform({"apply", "-input=false"});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("Error: apply needs confirmation, but -input=false (or TF_INPUT=0) forbids asking; pass "
                           "-auto-approve, or apply a reviewed plan with stashform apply PLANFILE\n"),
            std::string::npos)
      << apply.err;
  EXPECT_TRUE(bitbucket.Webhooks().empty());
}

TEST_F(CliParityE2E, CliArgsFromTheEnvironmentApplyAndTheCommandLineWins) {
  env["STASHFORM_CLI_ARGS"] = "-no-color";
  env["STASHFORM_CLI_ARGS_plan"] = "-detailed-exitcode -lock-timeout=5s";
  EXPECT_EQ(Stashform({"plan"}).exit_code, 2) << "-detailed-exitcode came from STASHFORM_CLI_ARGS_plan";
  env["STASHFORM_CLI_ARGS_apply"] = "-auto-approve -parallelism=1";
  CliRun apply = Stashform({"apply", "-parallelism=3"});
  EXPECT_EQ(apply.exit_code, 0) << apply.all();
  env["STASHFORM_CLI_ARGS_plan"] = "-lock-timeout=1d";
  CliRun bad = Stashform({"plan"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("-lock-timeout \"1d\" is not a duration"), std::string::npos) << bad.err;
}

TEST_F(CliParityE2E, VersionProvidersConsoleAndValidateJsonAnswerAsTerraformsDo) {
  CliRun version = Stashform({"version", "-json"});
  ASSERT_EQ(version.exit_code, 0) << version.all();
  json::object shown = json::parse(version.out).as_object();
  EXPECT_EQ(shown.at("terraform_version"), shown.at("stashform_version"));
  EXPECT_TRUE(shown.at("provider_selections").as_object().empty());
  EXPECT_FALSE(shown.at("terraform_outdated").as_bool());
  EXPECT_EQ(shown.at("platform").as_string().subview().substr(0, 6), "linux_");

  json::value providers = json::parse(Stashform({"providers", "-json"}).out);
  const auto& bitbucket_types = providers.at("providers").at("bitbucket");
  EXPECT_EQ(bitbucket_types.at("server_type").as_string(), "bitbucket.server");
  EXPECT_NE(json::serialize(bitbucket_types.at("resource_types")).find("\"bitbucket.webhook\""), std::string::npos);

  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  CliRun console = Stashform({"console", "-e", "bitbucket.webhook[\"INFRA/api\"].events", "-e",
                              "bitbucket.webhook[\"INFRA/api\"].secret"});
  EXPECT_EQ(console.exit_code, 0) << console.all();
  EXPECT_EQ(console.out, "[ \"repo:refs_changed\" ]\n(sensitive)\n");

  work.Write("main.lua", std::string(kConfig) + "bitbucket.webhook \"INFRA/x\" { server = bb, nme = 1 }\n");
  CliRun validate = Stashform({"validate", "-json"});
  json::value report = json::parse(validate.out);
  const auto& range = report.at("diagnostics").at(0).at("range");
  EXPECT_EQ(range.at("start").at("line").to_number<int>(), 13);
  EXPECT_EQ(range.at("end").at("line").to_number<int>(), 13);
  EXPECT_EQ(range.at("start").at("column").to_number<int>(), 1);
}

}  // namespace
}  // namespace stashform::testing
