// bitbucket_scale: the stashform binary against the emulator seeded with many repositories, each
// given one managed webhook. Prints, for the initial apply and for the no-op plan after it, and
// then for an apply creating a smaller number of webhooks on a fresh emulator, the HTTP requests
// the emulator logged, wall and CPU time, the CLI's peak memory, and the ratio of wall time to the
// bound requests × latency / parallelism; then the breakdown of each run: requests in flight over
// each tenth of it, and (a second, untimed run under strace) state writes, fsyncs, journal
// fdatasyncs and futex waits. Prints figures; asserts nothing.
//
//   bitbucket_scale_bench [--repositories 10000] [--apply-webhooks 1000] [--latency-ms 20] [--parallelism 32]
//                         [--hooks-per-repository 1] [--breakdown 1]

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/cli_bench.h"

namespace {

using namespace stashform::bench;
using stashform::testing::Emulator;
using stashform::testing::TempDir;

struct Settings {
  int repositories = 10000;
  int apply_webhooks = 1000;
  int hooks_per_repository = 1;  // webhooks each repository of the apply scenario gets
  int latency_ms = 20;
  int parallelism = 32;
  bool breakdown = true;  // run each phase again under strace
};

void Report(const char* phase, const Run& run, const std::vector<Logged>& requests, const Settings& s, int webhooks) {
  // The bound: the writes (or listings) alone, each one latency long, parallelism at a time.
  const double bound = webhooks * (s.latency_ms / 1000.0) / s.parallelism;
  fmt::print("{:<7} webhooks={} exit={} requests={} ({} ) wall={:.2f}s cpu={:.2f}s peak_rss={:.1f}MiB bound={:.2f}s ratio={:.2f}\n",
             phase, webhooks, run.exit_code, requests.size(), ByMethod(requests), run.seconds, run.cpu_seconds,
             run.peak_kib / 1024.0, bound, run.seconds / bound);
  fmt::print("        in flight by tenth of the run:{}\n", InFlightOverTime(requests, s.latency_ms));
}

/// The no-op plan's fixed cost, phase by phase, each phase a run of its own on the same folder:
/// process start and exit (version); start and evaluating the config (validate); start and loading
/// the state (state list); everything but the refresh (plan -refresh=false, which also checks the
/// server, plans and renders). The plan's wall time less the last is what the refresh took.
void ReportFixedCost(const std::string& dir) {
  struct Phase {
    const char* name;
    std::vector<std::string> args;
  };
  const std::vector<Phase> phases = {{"start", {"version"}},
                                     {"start+config", {"validate", dir}},
                                     {"start+state", {"-chdir=" + dir, "state", "list"}},
                                     {"plan -refresh=false", {"plan", "-refresh=false", "-detailed-exitcode", dir}}};
  fmt::print("        fixed cost, wall/cpu (separate runs):");
  for (const auto& phase : phases) {
    Run run = RunCli(phase.args, dir);
    fmt::print(" {} {:.2f}s/{:.2f}s{}", phase.name, run.seconds, run.cpu_seconds,
               run.exit_code == 0 ? "" : fmt::format(" (exit {})", run.exit_code));
  }
  fmt::print("\n");
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
    else if (!std::strcmp(argv[i], "--breakdown")) s.breakdown = value != 0;
  }
  return s;
}

/// A fresh emulator with `repositories`, an apply giving each `per_repository` webhooks, and (with
/// `plan_after`) the no-op plan after it. `traced` runs the CLI under strace for the breakdown.
void Scenario(const Settings& s, int repositories, bool plan_after, int per_repository, bool traced = false) {
  Emulator emulator(Seed(repositories), {"--latency-ms", std::to_string(s.latency_ms), "--threads", "4",
                                         "--request-log-capacity", std::to_string(repositories * (per_repository + 3) + 1000)});
  TempDir work;
  work.Write("main.lua", Config(emulator.url(), repositories, per_repository));
  int64_t since = 0;
  RequestsSince(emulator, since);
  const std::string parallelism = std::to_string(s.parallelism);
  const std::vector<std::string> strace = traced ? StraceWrapper(work.path()) : std::vector<std::string>{};
  // Apply: create per_repository webhooks on each repository.
  Run apply = RunCli({"apply", "-auto-approve", "-parallelism", parallelism, work.path()}, work.path(), strace);
  if (traced) fmt::print("apply   {}\n", Describe(ReadStrace(work.path())));
  else Report("apply", apply, RequestsSince(emulator, since), s, repositories * per_repository);
  Run plan;
  if (plan_after) {
    // Plan: nothing to do; refresh lists each repository's webhooks once, as many at once as the
    // bound counts (plan's own default is 16).
    plan = RunCli({"plan", "-detailed-exitcode", "-parallelism", parallelism, work.path()}, work.path(), strace);
    if (traced) fmt::print("plan    {}\n", Describe(ReadStrace(work.path())));
    else Report("plan", plan, RequestsSince(emulator, since), s, repositories);
    if (!traced) ReportFixedCost(work.path());
  }
  if (apply.exit_code != 0 || (plan_after && plan.exit_code != 0))
    fmt::print("note: a non-zero exit; see {}/cli.err (kept only while this runs)\n", work.path());
}

}  // namespace

int main(int argc, char** argv) {
  Settings s = Parse(argc, argv);
  fmt::print("bitbucket_scale: {} repositories, then {} webhooks created; {} ms latency, parallelism {}\n",
             s.repositories, s.apply_webhooks, s.latency_ms, s.parallelism);
  Scenario(s, s.repositories, true, 1);
  // The apply scenario: apply_webhooks webhooks, hooks_per_repository on each repository.
  const int apply_repositories = std::max(1, s.apply_webhooks / s.hooks_per_repository);
  if (s.apply_webhooks > 0) Scenario(s, apply_repositories, false, s.hooks_per_repository);
  if (s.breakdown) {
    fmt::print("breakdown (the same runs again under strace -c; not timed):\n");
    Scenario(s, s.repositories, true, 1, true);
    if (s.apply_webhooks > 0) Scenario(s, apply_repositories, false, s.hooks_per_repository, true);
  }
  return 0;
}
