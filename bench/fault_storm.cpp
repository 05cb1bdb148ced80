// fault_storm: the stashform binary applies 200 webhooks over 50 repositories while the emulator
// answers about 4 % of calls 500, 3 % 502, 3 % 503 and 5 % 429, drops 2 % of connections and loses
// 2 % of answers (issue 14 §3), once per fault seed. Applies are repeated until one succeeds (at
// most --max-applies). Prints one row per seed; asserts nothing.
//
//   fault_storm_bench [--seeds 5] [--repositories 50] [--webhooks-per-repository 4] [--max-applies 10]

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "tests/integration/storm.h"

namespace {

struct Settings {
  int seeds = 5;
  int max_applies = 10;
  stashform::testing::StormSettings storm;
};

Settings Parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    int value = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seeds")) s.seeds = value;
    else if (!std::strcmp(argv[i], "--repositories")) s.storm.repositories = value;
    else if (!std::strcmp(argv[i], "--webhooks-per-repository")) s.storm.webhooks_per_repository = value;
    else if (!std::strcmp(argv[i], "--max-applies")) s.max_applies = value;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s = Parse(argc, argv);
  fmt::print("fault_storm: {} webhooks over {} repositories; faults {}\n",
             s.storm.repositories * s.storm.webhooks_per_repository, s.storm.repositories,
             stashform::testing::StormFaults(0));
  fmt::print("{:>4} {:>7} {:>8} {:>6} {:>10} {:>7} {:>6}\n", "seed", "applies", "requests", "faults", "duplicates",
             "missing", "wall");
  for (int seed = 1; seed <= s.seeds; ++seed) {
    stashform::testing::StormSettings storm = s.storm;
    storm.seed = seed;
    storm.max_applies = s.max_applies;
    auto start = std::chrono::steady_clock::now();
    auto result = stashform::testing::RunStorm(storm);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string applies = result.applies > s.max_applies ? fmt::format(">{}", s.max_applies)
                                                         : std::to_string(result.applies);
    fmt::print("{:>4} {:>7} {:>8} {:>6} {:>10} {:>7} {:>5.1f}s\n", seed, applies, result.requests, result.faults,
               result.duplicates, result.missing, wall);
    // Why an apply failed, one line per error, so a row above 1 can be read.
    std::istringstream transcript(result.transcript);
    for (std::string line; std::getline(transcript, line);)
      if (line.find("Error") != std::string::npos) fmt::print("       {}\n", line);
  }
  return 0;
}
