// Workspaces on local files, from the user's side: one config applied to two Bitbucket servers
// with two states, Terraform's stashform.state.d/<workspace>/ layout, and the errors a typo meets.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

const char* kConfig =
    "local bb = bitbucket.server \"corp\" {\n"
    "  url = env \"BITBUCKET_URL\", username = env \"BITBUCKET_USER\", password = env \"BITBUCKET_PASSWORD\",\n"
    "}\n"
    "bitbucket.webhook \"INFRA/api\" {\n"
    "  server = bb, project = \"INFRA\", repository = \"api\", name = \"ci\",\n"
    "  url = \"https://ci.example.com/hook\", events = { \"repo:refs_changed\" },\n"
    "}\n";

// issue 20: `workspace new staging` gives the same config a second state file; each workspace
// manages its own server's webhook, and switching back finds the first state untouched.
TEST(WorkspaceE2E, FileWorkspacesKeepOneStatePerWorkspace) {
  Emulator production(SeedWithRepositories({"api"})), staging(SeedWithRepositories({"api"}));
  TempDir work;
  work.Write("main.lua", kConfig);
  std::map<std::string, std::string> env = {
      {"BITBUCKET_URL", production.url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "admin"}};
  auto run = [&](const std::vector<std::string>& args, const std::map<std::string, std::string>& extra = {}) {
    auto all = env;
    for (const auto& [k, v] : extra) all[k] = v;
    return RunStashform(args, all, work.path());
  };
  ASSERT_EQ(run({"apply", "-auto-approve"}).exit_code, 0);

  CliRun made = run({"workspace", "new", "staging"});
  ASSERT_EQ(made.exit_code, 0) << made.all();
  EXPECT_EQ(work.Read(".stashform/workspace"), "staging\n");
  std::map<std::string, std::string> on_staging = {{"BITBUCKET_URL", staging.url()}};
  CliRun plan = run({"plan"}, on_staging);
  EXPECT_NE(plan.out.find("Workspace: staging (state: stashform.state.d/staging/stashform.state.json)"),
            std::string::npos) << plan.out;
  ASSERT_EQ(run({"apply", "-auto-approve"}, on_staging).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(work.path() + "/stashform.state.d/staging/stashform.state.json"));
  EXPECT_EQ(staging.Webhooks().size(), 1u);
  EXPECT_EQ(production.Webhooks().size(), 1u);
  EXPECT_EQ(run({"workspace", "list"}).out, "  default\n* staging\n");

  CliRun typo = run({"workspace", "select", "stagin"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err, "Error: workspace \"stagin\" does not exist (did you mean \"staging\"?); make it with "
                      "\"stashform workspace new stagin\"\n");
  CliRun bad = run({"workspace", "show"}, {{"STASHFORM_WORKSPACE", "../prod"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("STASHFORM_WORKSPACE: workspace name \"../prod\" is not allowed"), std::string::npos) << bad.err;

  ASSERT_EQ(run({"workspace", "select", "default"}).exit_code, 0);
  CliRun back = run({"plan", "-detailed-exitcode"});
  EXPECT_EQ(back.exit_code, 0) << back.all();
  EXPECT_EQ(back.out.find("Workspace:"), std::string::npos) << "the default workspace reads as before";
  CliRun forced = run({"workspace", "show"}, {{"STASHFORM_WORKSPACE", "staging"}});
  EXPECT_EQ(forced.out, "staging\n");
  CliRun current = run({"workspace", "delete", "default"});
  EXPECT_EQ(current.err, "Error: cannot delete the default workspace \"default\"; select another one first\n");
}

}  // namespace
}  // namespace stashform::testing
