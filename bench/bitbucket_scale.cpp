// bitbucket_scale: the stashform binary against the emulator seeded with many repositories, each
// given one managed webhook. Prints, for the initial apply and for the no-op plan after it, and
// then for an apply creating a smaller number of webhooks on a fresh emulator, the HTTP requests
// the emulator logged, wall time, the CLI's peak memory, and the ratio of wall time to the bound
// webhooks × latency / parallelism. Prints figures; asserts nothing.
//
//   bitbucket_scale_bench [--repositories 10000] [--apply-webhooks 1000] [--latency-ms 20] [--parallelism 32]
//                         [--hooks-per-repository 1]

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"

extern char** environ;

namespace {

namespace json = boost::json;
using stashform::testing::Emulator;
using stashform::testing::TempDir;

struct Settings {
  int repositories = 10000;
  int apply_webhooks = 1000;
  int hooks_per_repository = 1;  // webhooks each repository of the apply scenario gets
  int latency_ms = 20;
  int parallelism = 32;
};

struct Run {
  int exit_code = -1;
  double seconds = 0;
  long peak_kib = 0;
};

std::string Seed(int repositories) {
  json::array repos;
  for (int i = 1; i <= repositories; ++i) repos.push_back(json::object{{"slug", fmt::format("repo-{}", i)}});
  return json::serialize(json::object{
      {"users", json::array{json::object{{"name", "admin"}, {"password", "admin"}, {"admin", true}}}},
      {"projects", json::array{json::object{{"key", "INFRA"}, {"repositories", repos}}}}});
}

std::string Config(const std::string& url, int repositories, int per_repository = 1) {
  return fmt::format(R"(local bb = bitbucket.server "corp" {{ url = "{}", username = "admin", password = "admin" }}
for i = 1, {} do
  local slug = "repo-" .. i
  for h = 1, {} do
    bitbucket.webhook ("INFRA/" .. slug .. (h == 1 and "" or "/" .. h)) {{
      server = bb, project = "INFRA", repository = slug, name = h == 1 and "ci" or "ci-" .. h,
      url = "https://ci.example.com/hook", events = {{ "repo:refs_changed", "pr:merged" }},
    }}
  end
end
)", url, repositories, per_repository);
}

/// Runs the CLI with its output to files in `dir`, and measures wall time and peak memory (wait4).
Run RunCli(std::vector<std::string> args, const std::string& dir) {
  args.insert(args.begin(), STASHFORM_BIN);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, (dir + "/cli.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, (dir + "/cli.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  Run run;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) != 0) return run;
  posix_spawn_file_actions_destroy(&files);
  // Bounded: a run past ten minutes is killed and reported as such.
  auto deadline = start + std::chrono::minutes(10);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() > deadline) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.peak_kib = usage.ru_maxrss;
  return run;
}

/// Requests logged after `since`, counted by method; returns the new last sequence.
int64_t CountRequests(const Emulator& emulator, int64_t since, std::map<std::string, int>& by_method) {
  auto answer = emulator.Admin("GET", fmt::format("/_emulator/requests?since={}", since));
  int64_t last = since;
  for (const auto& entry : answer.body.at("requests").as_array()) {
    last = std::max(last, entry.at("sequence").to_number<int64_t>());
    ++by_method[std::string(entry.at("method").as_string())];
  }
  return last;
}

int64_t Report(const char* phase, const Run& run, const Emulator& emulator, int64_t since, const Settings& s,
               int webhooks) {
  std::map<std::string, int> by_method;
  int64_t last = CountRequests(emulator, since, by_method);
  int total = 0;
  std::string methods;
  for (const auto& [method, count] : by_method) {
    total += count;
    methods += fmt::format(" {}={}", method, count);
  }
  const double bound = webhooks * (s.latency_ms / 1000.0) / s.parallelism;
  fmt::print("{:<7} webhooks={} exit={} requests={} ({} ) wall={:.2f}s peak_rss={:.1f}MiB bound={:.2f}s ratio={:.2f}\n", phase,
             webhooks, run.exit_code, total, methods, run.seconds, run.peak_kib / 1024.0, bound, run.seconds / bound);
  return last;
}

Settings Parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    int value = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repositories")) s.repositories = value;
    else if (!std::strcmp(argv[i], "--apply-webhooks")) s.apply_webhooks = value;
    else if (!std::strcmp(argv[i], "--latency-ms")) s.latency_ms = value;
    else if (!std::strcmp(argv[i], "--parallelism")) s.parallelism = value;
    else if (!std::strcmp(argv[i], "--hooks-per-repository")) s.hooks_per_repository = std::max(1, value);
  }
  return s;
}

/// A fresh emulator with `repositories`, an apply giving each one webhook, and (with `plan_after`)
/// the no-op plan after it.
void Scenario(const Settings& s, int repositories, bool plan_after, int per_repository = 1) {
  Emulator emulator(Seed(repositories), {"--latency-ms", std::to_string(s.latency_ms), "--threads", "4",
                                         "--request-log-capacity", std::to_string(repositories * 4 + 1000)});
  TempDir work;
  work.Write("main.lua", Config(emulator.url(), repositories, per_repository));
  std::map<std::string, int> ignored;
  int64_t since = CountRequests(emulator, 0, ignored);
  const std::string parallelism = std::to_string(s.parallelism);
  // Apply: create per_repository webhooks on each repository.
  Run apply = RunCli({"apply", "-auto-approve", "-parallelism", parallelism, work.path()}, work.path());
  since = Report("apply", apply, emulator, since, s, repositories * per_repository);
  Run plan;
  if (plan_after) {
    // Plan: nothing to do; refresh lists each repository's webhooks once.
    plan = RunCli({"plan", "-detailed-exitcode", work.path()}, work.path());
    Report("plan", plan, emulator, since, s, repositories);
  }
  if (apply.exit_code != 0 || (plan_after && plan.exit_code != 0))
    fmt::print("note: a non-zero exit; see {}/cli.err (kept only while this runs)\n", work.path());
}

}  // namespace

int main(int argc, char** argv) {
  Settings s = Parse(argc, argv);
  fmt::print("bitbucket_scale: {} repositories, then {} webhooks created; {} ms latency, parallelism {}\n",
             s.repositories, s.apply_webhooks, s.latency_ms, s.parallelism);
  Scenario(s, s.repositories, true);
  // The apply scenario: apply_webhooks webhooks, hooks_per_repository on each repository.
  if (s.apply_webhooks > 0)
    Scenario(s, std::max(1, s.apply_webhooks / s.hooks_per_repository), false, s.hooks_per_repository);
  return 0;
}
