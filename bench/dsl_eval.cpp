// Evaluates a config declaring N webhooks (default 100,000) and prints the wall time, the Lua
// sandbox's peak memory and the process's peak RSS. Figures only; nothing is asserted.
//   dsl_eval_bench [N]

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace {

std::string ConfigText(long count) {
  return R"(local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "TOKEN" }
local events = { "repo:refs_changed", "pr:opened", "pr:merged", "pr:declined" }
for i = 1, )" + std::to_string(count) + R"( do
  local repo = "repo-" .. i
  bitbucket.webhook ("INFRA/" .. repo .. "/ci") {
    server = bb, project = "INFRA", repository = repo, name = "ci",
    url = "https://ci.example.com/hook/" .. repo, events = events, secret = env "SECRET",
    lifecycle = { ignore_changes = { "active" } },
  }
end
)";
}

// CPU time of this process; on a shared machine it says more than the wall clock.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long PeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::atol(argv[1]) : 100000;
  stashform::dsl::EvalOptions options;
  options.getenv = [](const std::string& name) -> std::optional<std::string> { return "value-of-" + name; };
  const std::string text = ConfigText(count);
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  auto result = stashform::dsl::EvaluateChunk("main.lua", text, stashform::dsl::testing::TestSchemas(), options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  if (result.diagnostics.HasErrors()) {
    std::fprintf(stderr, "%s", result.diagnostics.ToString().c_str());
    return 1;
  }
  std::printf("declarations: %zu webhooks\n", result.config.resources.size());
  std::printf("evaluation:   %.3f s wall, %.3f s CPU\n", seconds, cpu_seconds);
  std::printf("peak RSS:     %.1f MiB\n", static_cast<double>(PeakRssKiB()) / 1024.0);
  return 0;
}
