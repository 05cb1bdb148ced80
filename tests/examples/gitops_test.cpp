// The GitOps kit (examples/gitops) as a team would run it: every YAML file parses, and the shell
// steps of the GitHub and GitLab pipelines, the Atlantis workflow and the drift script — read from
// the files themselves, not copied here — run with the built stashform against the bundled
// Bitbucket emulator, the quick start standing in as the repository's infra/ folder.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "tests/examples/pipeline_runner.h"
#include "tests/integration/emulator_process.h"

namespace stashform::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kExamples = EXAMPLES_DIR;
const fs::path kGitops = kExamples / "gitops";
const std::string kWebhookSecret = "gitops-webhook-secret-7f3e91";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A document, or a stream of one document a line (tolerates either shape of `drift -json`).
bool IsJson(const std::string& text) {
  boost::system::error_code ec;
  json::parse(text, ec);
  if (!ec) return true;
  std::istringstream lines(text);
  int documents = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    json::parse(line, ec);
    if (ec) return false;
    ++documents;
  }
  return documents > 0;
}

/// Given the quick start as infra/, a Bitbucket emulator seeded like the demo, the state in a file
/// of the scratch folder (STASHFORM_STATE_URL, as pipelines keep it on PostgreSQL) and the
/// credentials as CI would hand them over.
class GitopsKit : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "stashform-gitops-XXXXXX").string();
    scratch = mkdtemp(pattern.data());
    fs::create_directories(scratch / "bin");
    fs::create_symlink(STASHFORM_BIN, scratch / "bin" / "stashform");
    bitbucket = std::make_unique<EmulatorProcess>(EMULATOR_BIN, "bitbucket", ReadAll(kExamples / "quickstart/seed.json"),
                                                  std::vector<std::string>{});
    runner = std::make_unique<PipelineRunner>(
        scratch / "ci", std::map<std::string, fs::path>{{"infra", kExamples / "quickstart"}},
        std::map<std::string, std::string>{{"STASHFORM_STATE_URL", (scratch / "state.json").string()},
                                           {"BITBUCKET_URL", bitbucket->url()},
                                           {"BITBUCKET_USER", "admin"},
                                           {"BITBUCKET_PASSWORD", "admin"},
                                           {"WEBHOOK_SECRET", kWebhookSecret}},
        (scratch / "bin").string());
  }
  void TearDown() override {
    runner.reset();
    bitbucket.reset();
    std::error_code ec;
    fs::remove_all(scratch, ec);
  }

  /// The ids of the webhooks Bitbucket has, from the emulator's dump.
  std::vector<int64_t> WebhookIds() const {
    std::vector<int64_t> ids;
    auto dump = bitbucket->Admin("GET", "/_emulator/dump");
    for (const auto& hook : dump.body.at("webhooks").as_array()) ids.push_back(hook.at("id").to_number<int64_t>());
    return ids;
  }
  size_t WebhookCount() const { return WebhookIds().size(); }

  /// No byte any job printed or kept holds the webhook secret.
  void ExpectNoSecretIn(const JobRun& run) const {
    EXPECT_FALSE(Contains(run.log, kWebhookSecret)) << "the job's log holds the webhook secret";
    for (const auto& entry : fs::recursive_directory_iterator(run.workspace)) {
      if (!entry.is_regular_file()) continue;
      EXPECT_FALSE(Contains(ReadAll(entry.path()), kWebhookSecret)) << entry.path() << " holds the webhook secret";
    }
  }

  fs::path scratch;
  std::unique_ptr<EmulatorProcess> bitbucket;
  std::unique_ptr<PipelineRunner> runner;
};

TEST(GitopsExamples, EveryYamlFileParsesAndEachPipelineKindIsThere) {
  std::set<std::string> parsed;
  for (const auto& entry : fs::recursive_directory_iterator(kGitops)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !(name.ends_with(".yml") || name.ends_with(".yaml"))) continue;
    YAML::Node document;
    EXPECT_NO_THROW(document = YAML::LoadFile(entry.path().string())) << entry.path();
    EXPECT_TRUE(document.IsMap()) << entry.path() << " is not a mapping";
    parsed.insert(fs::relative(entry.path(), kGitops).string());
  }
  for (const char* file : {"github/stashform.yml", "gitlab/.gitlab-ci.yml", "atlantis/atlantis.yaml", "atlantis/repos.yaml",
                           "drift/cronjob.yaml", "drift/kustomization.yaml"})
    EXPECT_TRUE(parsed.count(file)) << file << " is missing or not parsed";
  for (const char* file : {"jenkins/Jenkinsfile", "drift/stashform-drift.sh", "drift/stashform-drift.service",
                           "drift/stashform-drift.timer", "README.md"})
    EXPECT_TRUE(fs::exists(kGitops / file)) << file;
  // What kubectl apply -k needs beside the kustomization (the config's files are the user's).
  const YAML::Node kustomization = YAML::LoadFile((kGitops / "drift/kustomization.yaml").string());
  for (const auto& resource : kustomization["resources"]) EXPECT_TRUE(fs::exists(kGitops / "drift" / resource.as<std::string>()));
  const YAML::Node cronjob = YAML::LoadFile((kGitops / "drift/cronjob.yaml").string());
  EXPECT_EQ(cronjob["kind"].as<std::string>(), "CronJob");
  EXPECT_EQ(cronjob["spec"]["jobTemplate"]["spec"]["backoffLimit"].as<int>(), 0);
}

TEST_F(GitopsKit, GithubPullRequestPlansCommentsAndKeepsThePlanThenTheMergeAppliesExactlyThatPlan) {
  const YAML::Node workflow = YAML::LoadFile((kGitops / "github/stashform.yml").string());

  JobRun plan = runner->RunGithubJob(workflow, "plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.log;
  EXPECT_EQ(plan.outputs["changes"], "true") << plan.log;
  ASSERT_EQ(plan.commented_files.size(), 1u);
  EXPECT_TRUE(Contains(plan.commented_files[0], "3 to add")) << plan.commented_files[0];
  EXPECT_TRUE(Contains(plan.log, "Plan: 3 to add, 0 to change, 0 to destroy.")) << plan.log;  // stashform show
  EXPECT_TRUE(fs::exists(runner->artifacts() / "stashform-plan/plan.bin"));
  EXPECT_TRUE(fs::exists(runner->artifacts() / "stashform-plan/plan.json"));
  EXPECT_EQ(WebhookCount(), 0u) << "a pull request's plan changed Bitbucket";
  ExpectNoSecretIn(plan);

  // The apply job has no checkout: the saved plan alone is applied.
  JobRun apply = runner->RunGithubJob(workflow, "apply");
  ASSERT_EQ(apply.exit_code, 0) << apply.log;
  EXPECT_TRUE(Contains(apply.log, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.")) << apply.log;
  EXPECT_EQ(WebhookCount(), 3u);
  ExpectNoSecretIn(apply);

  // The next pull request's plan finds nothing to do: exit 0 of -detailed-exitcode, not a failure.
  JobRun replan = runner->RunGithubJob(workflow, "plan");
  ASSERT_EQ(replan.exit_code, 0) << replan.log;
  EXPECT_EQ(replan.outputs["changes"], "false") << replan.log;
}

TEST_F(GitopsKit, GithubMergeOfAStalePlanFailsTheApplyJobAndChangesNothing) {
  const YAML::Node workflow = YAML::LoadFile((kGitops / "github/stashform.yml").string());
  JobRun plan = runner->RunGithubJob(workflow, "plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.log;
  // Another pull request applied first: the state moved on since this plan was made.
  JobRun other = runner->RunScript("stashform apply -auto-approve infra", ".", {});
  ASSERT_EQ(other.exit_code, 0) << other.log;
  ASSERT_EQ(WebhookCount(), 3u);

  JobRun apply = runner->RunGithubJob(workflow, "apply");
  EXPECT_EQ(apply.exit_code, 1) << apply.log;
  EXPECT_TRUE(Contains(apply.log, "stale")) << apply.log;
  EXPECT_EQ(WebhookCount(), 3u) << "a stale plan made webhooks";
}

TEST_F(GitopsKit, GitlabMergeRequestReportsTheCountsForTheWidgetAndTheDefaultBranchAppliesItsPlan) {
  const YAML::Node pipeline = YAML::LoadFile((kGitops / "gitlab/.gitlab-ci.yml").string());

  JobRun plan = runner->RunGitlabJob(pipeline, "plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.log;
  const fs::path report = runner->artifacts() / "plan" / pipeline["plan"]["artifacts"]["reports"]["terraform"].as<std::string>();
  json::value counts = json::parse(ReadAll(report));
  EXPECT_EQ(counts, json::parse(R"({"create": 3, "update": 0, "delete": 0})")) << ReadAll(report);
  EXPECT_TRUE(fs::exists(runner->artifacts() / "plan/plan.bin"));
  EXPECT_TRUE(Contains(ReadAll(plan.workspace / "plan.md"), "3 to add"));
  EXPECT_EQ(WebhookCount(), 0u);
  ExpectNoSecretIn(plan);

  JobRun apply = runner->RunGitlabJob(pipeline, "apply");
  ASSERT_EQ(apply.exit_code, 0) << apply.log;
  EXPECT_TRUE(Contains(apply.log, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.")) << apply.log;
  EXPECT_EQ(WebhookCount(), 3u);

  // A webhook edited by hand: the next plan updates it, and the widget says so.
  auto edited = bitbucket->Admin("PATCH", "/_emulator/webhooks/" + std::to_string(WebhookIds().front()),
                                 R"({"url": "https://elsewhere.example.com/hook"})");
  ASSERT_EQ(edited.status, 200);
  JobRun replan = runner->RunGitlabJob(pipeline, "plan");
  ASSERT_EQ(replan.exit_code, 0) << replan.log;
  EXPECT_EQ(json::parse(ReadAll(report)), json::parse(R"({"create": 0, "update": 1, "delete": 0})")) << ReadAll(report);
}

TEST_F(GitopsKit, AtlantisWorkflowStepsPlanIntoPlanfileAndApplyIt) {
  const YAML::Node atlantis = YAML::LoadFile((kGitops / "atlantis/atlantis.yaml").string());
  const std::string dir = atlantis["projects"][0]["dir"].as<std::string>();
  const YAML::Node workflow = atlantis["workflows"][atlantis["projects"][0]["workflow"].as<std::string>()];
  const std::map<std::string, std::string> env = {{"PLANFILE", (scratch / "default.tfplan").string()},
                                                  {"SHOWFILE", (scratch / "default.json").string()},
                                                  {"WORKSPACE", "default"}};
  auto steps = [](const YAML::Node& phase) {
    std::string script;
    for (const auto& step : phase["steps"]) script += step["run"].as<std::string>() + "\n";
    return script;
  };
  JobRun plan = runner->RunScript(steps(workflow["plan"]), dir, env);
  ASSERT_EQ(plan.exit_code, 0) << plan.log;
  EXPECT_TRUE(Contains(plan.log, "Plan: 3 to add, 0 to change, 0 to destroy.")) << plan.log;  // Atlantis reads it
  EXPECT_TRUE(IsJson(ReadAll(scratch / "default.json")));
  JobRun apply = runner->RunScript(steps(workflow["apply"]), dir, env);
  ASSERT_EQ(apply.exit_code, 0) << apply.log;
  EXPECT_EQ(WebhookCount(), 3u);
}

TEST_F(GitopsKit, DriftScriptExitsZeroWhenInSyncAndTwoWithAReportWhenAHookIsMadeByHand) {
  JobRun apply = runner->RunScript("stashform apply -auto-approve infra", ".", {});
  ASSERT_EQ(apply.exit_code, 0) << apply.log;
  const std::string script = ReadAll(kGitops / "drift/stashform-drift.sh");
  const std::map<std::string, std::string> env = {{"STASHFORM_DIR", "infra"},
                                                  {"DRIFT_REPORT_DIR", (scratch / "reports").string()}};
  JobRun quiet = runner->RunScript(script, ".", env);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.log;
  EXPECT_TRUE(IsJson(ReadAll(scratch / "reports/latest.json")));

  auto made = bitbucket->Admin("POST", "/_emulator/webhooks",
                               R"({"projectKey": "INFRA", "repositorySlug": "tf-dns", "name": "jenkins",
                                   "url": "https://jenkins.example.com/hook", "events": ["repo:refs_changed"]})");
  ASSERT_EQ(made.status, 201);
  JobRun drift = runner->RunScript(script, ".", env);
  EXPECT_EQ(drift.exit_code, 2) << drift.log;
  EXPECT_TRUE(Contains(drift.log, "DRIFT found")) << drift.log;
  const std::string report = ReadAll(scratch / "reports/latest.json");
  EXPECT_TRUE(IsJson(report)) << report;
  EXPECT_TRUE(Contains(report, "jenkins")) << report;

  // An unreachable server is an error (1), not drift, and the last report stays.
  JobRun broken = runner->RunScript(script, ".", {{"STASHFORM_DIR", "infra"}, {"DRIFT_REPORT_DIR", (scratch / "reports").string()},
                                                  {"BITBUCKET_URL", "http://127.0.0.1:1"}});
  EXPECT_EQ(broken.exit_code, 1) << broken.log;
  EXPECT_EQ(ReadAll(scratch / "reports/latest.json"), report);
}

}  // namespace
}  // namespace stashform::testing
