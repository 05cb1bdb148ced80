#pragma once
// PipelineRunner runs the shell steps of the GitOps kit's pipelines (examples/gitops) as their CI
// would, read from the YAML itself: GitHub Actions jobs (`run:` steps, the few actions the workflow
// uses stood in by a local artifacts folder) and GitLab CI jobs (`before_script` + `script`,
// `artifacts:`, `needs:`). It runs nothing but bash; the stashform it calls is the built one.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace stashform::testing {

/// What one job left: its exit code, everything its steps printed, and its workspace.
struct JobRun {
  int exit_code = 0;
  std::string log;
  std::filesystem::path workspace;
  std::map<std::string, std::string> outputs;   // GitHub: what the steps wrote to $GITHUB_OUTPUT
  std::vector<std::string> commented_files;      // GitHub: the files the comment action posts
};

/// Runs jobs of one pipeline file in throwaway workspaces under `scratch`; `checkout` is copied in
/// as the repository, `env` supplies the values the YAML takes from CI secrets (`${{ ... }}`)
/// and extra variables, and `path_prefix` goes first on PATH.
class PipelineRunner {
 public:
  PipelineRunner(std::filesystem::path scratch, std::map<std::string, std::filesystem::path> checkout,
                 std::map<std::string, std::string> env, std::string path_prefix);

  /// A GitHub Actions job of `workflow` (a parsed workflow file), steps in order; the job stops
  /// at the first failing step, as on GitHub.
  JobRun RunGithubJob(const YAML::Node& workflow, const std::string& job);
  /// A GitLab CI job of `pipeline`: `default.before_script` then `script` in one bash, the
  /// artifacts of the jobs it `needs` copied in first, its own `artifacts:` kept after.
  JobRun RunGitlabJob(const YAML::Node& pipeline, const std::string& job);
  /// `script` in `folder` of a fresh checkout with extra environment variables (Atlantis steps,
  /// the drift script); stops at the first failing command.
  JobRun RunScript(const std::string& script, const std::string& folder, const std::map<std::string, std::string>& env);

  /// The artifacts folder: <artifacts>/<name>/... as upload-artifact or GitLab kept them.
  std::filesystem::path artifacts() const { return scratch_ / "artifacts"; }

 private:
  std::filesystem::path NewWorkspace(const std::string& name, bool with_checkout);
  int RunBash(const std::string& script, const std::filesystem::path& cwd, const std::map<std::string, std::string>& env,
              std::string& log);
  std::map<std::string, std::string> EnvOf(const YAML::Node& env_block) const;
  bool RunAction(const YAML::Node& step, const std::filesystem::path& workspace, JobRun& run);

  std::filesystem::path scratch_;
  std::map<std::string, std::filesystem::path> checkout_;  // folder in the repository -> source
  std::map<std::string, std::string> env_;
  std::string path_prefix_;
  int serial_ = 0;
};

}  // namespace stashform::testing
