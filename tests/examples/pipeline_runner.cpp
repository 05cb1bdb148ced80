#include "tests/examples/pipeline_runner.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stashform::testing {

namespace fs = std::filesystem;

namespace {

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// 'text' for bash, whatever it holds.
std::string Quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// Lines of a YAML scalar or sequence (upload-artifact's multi-line `path`, GitLab's `paths`).
std::vector<std::string> ListOf(const YAML::Node& node) {
  std::vector<std::string> items;
  auto add_lines = [&](const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      if (line.find_first_not_of(" \t") != std::string::npos) items.push_back(line.substr(line.find_first_not_of(" \t")));
  };
  if (node.IsSequence())
    for (const auto& item : node) add_lines(item.as<std::string>());
  else if (node.IsScalar())
    add_lines(node.as<std::string>());
  return items;
}

/// GitLab's script entries (strings, or lists of them) as one bash script.
std::string ScriptOf(const YAML::Node& node) {
  std::string script;
  if (!node) return script;
  if (node.IsScalar()) return node.as<std::string>() + "\n";
  for (const auto& line : node) script += ScriptOf(line);
  return script;
}

void CopyInto(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::map<std::string, std::string> ParseGithubOutput(const fs::path& file) {
  std::map<std::string, std::string> outputs;
  std::istringstream lines(ReadAll(file));
  for (std::string line; std::getline(lines, line);)
    if (auto eq = line.find('='); eq != std::string::npos) outputs[line.substr(0, eq)] = line.substr(eq + 1);
  return outputs;
}

}  // namespace

PipelineRunner::PipelineRunner(fs::path scratch, std::map<std::string, fs::path> checkout,
                               std::map<std::string, std::string> env, std::string path_prefix)
    : scratch_(std::move(scratch)), checkout_(std::move(checkout)), env_(std::move(env)), path_prefix_(std::move(path_prefix)) {
  fs::create_directories(artifacts());
}

fs::path PipelineRunner::NewWorkspace(const std::string& name, bool with_checkout) {
  fs::path workspace = scratch_ / ("job-" + std::to_string(++serial_) + "-" + name);
  fs::create_directories(workspace);
  if (with_checkout)
    for (const auto& [folder, source] : checkout_) CopyInto(source, workspace / folder);
  return workspace;
}

int PipelineRunner::RunBash(const std::string& script, const fs::path& cwd, const std::map<std::string, std::string>& env,
                            std::string& log) {
  const fs::path base = scratch_ / ("step-" + std::to_string(++serial_));
  std::ofstream(base.string() + ".sh") << script;
  std::string wrapper = "cd " + Quoted(cwd.string()) + " || exit 99\n";
  wrapper += "export PATH=" + Quoted(path_prefix_) + ":\"$PATH\"\n";
  for (const auto& [name, value] : env) wrapper += "export " + name + "=" + Quoted(value) + "\n";
  // As GitHub's `shell: bash` and GitLab's runner: stop at the first failing command.
  wrapper += "exec bash --noprofile --norc -eo pipefail " + Quoted(base.string() + ".sh") + " </dev/null\n";
  std::ofstream(base.string() + ".run") << wrapper;
  const std::string command = "bash " + Quoted(base.string() + ".run") + " >" + Quoted(base.string() + ".log") + " 2>&1";
  const int status = std::system(command.c_str());
  log += ReadAll(base.string() + ".log");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::map<std::string, std::string> PipelineRunner::EnvOf(const YAML::Node& env_block) const {
  std::map<std::string, std::string> env;
  if (!env_block) return env;
  for (const auto& entry : env_block) {
    const std::string name = entry.first.as<std::string>();
    const std::string value = entry.second.as<std::string>();
    if (value.find("${{") == std::string::npos) {
      env[name] = value;
      continue;
    }
    // A value CI fills from its secrets or variables: the test supplies it.
    auto supplied = env_.find(name);
    if (supplied == env_.end()) throw std::runtime_error("the test supplies no value for " + name + ": " + value);
    env[name] = supplied->second;
  }
  return env;
}

bool PipelineRunner::RunAction(const YAML::Node& step, const fs::path& workspace, JobRun& run) {
  auto fail = [&run](const std::string& why) {
    run.log += why + "\n";
    return false;
  };
  const std::string uses = step["uses"].as<std::string>();
  const std::string action = uses.substr(0, uses.find('@'));
  const YAML::Node with = step["with"];
  if (action == "actions/checkout") {
    for (const auto& [folder, source] : checkout_) CopyInto(source, workspace / folder);
  } else if (action == "marocchino/sticky-pull-request-comment") {
    const fs::path file = workspace / with["path"].as<std::string>();
    if (!fs::exists(file)) return fail("the comment action has no " + file.string());
    run.commented_files.push_back(ReadAll(file));
  } else if (action == "actions/upload-artifact") {
    const fs::path into = artifacts() / with["name"].as<std::string>();
    for (const auto& path : ListOf(with["path"])) {
      if (!fs::exists(workspace / path)) return fail("upload-artifact: no " + path);
      CopyInto(workspace / path, into / path);
    }
  } else if (action == "dawidd6/action-download-artifact" || action == "actions/download-artifact") {
    const fs::path from = artifacts() / with["name"].as<std::string>();
    if (!fs::exists(from)) return fail("download-artifact: no artifact " + from.filename().string());
    CopyInto(from, workspace / (with["path"] ? with["path"].as<std::string>() : "."));
  } else {
    throw std::runtime_error("the test does not stand in for the action " + uses + "; teach it (pipeline_runner.cpp)");
  }
  return true;
}

JobRun PipelineRunner::RunGithubJob(const YAML::Node& workflow, const std::string& job_name) {
  const YAML::Node job = workflow["jobs"][job_name];
  if (!job) throw std::runtime_error("the workflow has no job " + job_name);
  JobRun run;
  run.workspace = NewWorkspace(job_name, false);
  const fs::path runner_files = scratch_ / ("runner-" + std::to_string(++serial_));
  fs::create_directories(runner_files / "temp");
  std::map<std::string, std::string> job_env = EnvOf(workflow["env"]);
  for (const auto& [name, value] : EnvOf(job["env"])) job_env[name] = value;
  job_env["GITHUB_OUTPUT"] = (runner_files / "output").string();
  job_env["GITHUB_STEP_SUMMARY"] = (runner_files / "summary.md").string();
  job_env["RUNNER_TEMP"] = (runner_files / "temp").string();
  job_env["GITHUB_WORKSPACE"] = run.workspace.string();
  for (const auto& step : job["steps"]) {
    if (step["uses"]) {
      if (RunAction(step, run.workspace, run)) continue;
      run.exit_code = 1;
      break;
    }
    std::map<std::string, std::string> env = job_env;
    for (const auto& [name, value] : EnvOf(step["env"])) env[name] = value;
    run.log += "## step: " + (step["name"] ? step["name"].as<std::string>() : "run") + "\n";
    run.exit_code = RunBash(step["run"].as<std::string>(), run.workspace, env, run.log);
    if (run.exit_code != 0) break;
  }
  run.outputs = ParseGithubOutput(runner_files / "output");
  run.log += ReadAll(runner_files / "summary.md");
  return run;
}

JobRun PipelineRunner::RunGitlabJob(const YAML::Node& pipeline, const std::string& job_name) {
  const YAML::Node job = pipeline[job_name];
  if (!job || !job["script"]) throw std::runtime_error("the pipeline has no job " + job_name);
  JobRun run;
  run.workspace = NewWorkspace(job_name, true);  // every GitLab job starts from a checkout
  if (job["needs"])
    for (const auto& need : job["needs"])
      if (fs::exists(artifacts() / need.as<std::string>()))
        for (const auto& entry : fs::directory_iterator(artifacts() / need.as<std::string>()))
          CopyInto(entry.path(), run.workspace / entry.path().filename());
  std::map<std::string, std::string> env = EnvOf(pipeline["variables"]);
  for (const auto& [name, value] : EnvOf(job["variables"])) env[name] = value;
  for (const auto& [name, value] : env_) env.emplace(name, value);  // CI/CD variables
  const YAML::Node before = job["before_script"] ? job["before_script"] : pipeline["default"]["before_script"];
  run.exit_code = RunBash(ScriptOf(before) + ScriptOf(job["script"]), run.workspace, env, run.log);
  if (run.exit_code != 0 || !job["artifacts"]) return run;
  // Keep what `artifacts:` names, as the runner uploads it; a missing file fails the test's job.
  std::vector<std::string> kept = ListOf(job["artifacts"]["paths"]);
  if (const YAML::Node reports = job["artifacts"]["reports"])
    for (const auto& report : reports) kept.push_back(report.second.as<std::string>());
  for (const auto& path : kept) {
    if (!fs::exists(run.workspace / path)) {
      run.log += "artifacts: no " + path + "\n";
      run.exit_code = 1;
      continue;
    }
    CopyInto(run.workspace / path, artifacts() / job_name / path);
  }
  return run;
}

JobRun PipelineRunner::RunScript(const std::string& script, const std::string& folder,
                                 const std::map<std::string, std::string>& env) {
  JobRun run;
  run.workspace = NewWorkspace("script", true);
  std::map<std::string, std::string> all = env_;
  for (const auto& [name, value] : env) all[name] = value;
  run.exit_code = RunBash(script, run.workspace / folder, all, run.log);
  return run;
}

}  // namespace stashform::testing
