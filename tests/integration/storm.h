#pragma once
// The fault storm of issue 14 §3: an apply of many webhooks against an emulator that answers a
// share of calls 500, 502, 503 or 429, drops connections and loses answers, repeated until one
// apply succeeds. Shared by the bounded test (resilience_e2e_test.cpp) and the benchmark
// (bench/fault_storm.cpp), so both measure the same thing.

#include <string>

namespace stashform::testing {

struct StormSettings {
  int repositories = 50;
  int webhooks_per_repository = 4;
  int seed = 1;
  int max_applies = 5;  // bound: a storm that needs more is reported as not converged
  int parallelism = 16;
};

struct StormResult {
  int applies = 0;          // applies run until one exited 0 (max_applies + 1 when none did)
  bool converged = false;   // an apply exited 0, and the plan after the storm had nothing to do
  int requests = 0;         // REST calls the emulator logged during the applies
  int faults = 0;           // of them, answered 500/502/503/429 by injection, dropped, or answer lost
  int duplicates = 0;       // webhooks beyond the first of each (repository, name)
  int missing = 0;          // declared webhooks the emulator does not hold after the storm
  std::string transcript;   // the failed applies' output, for a test's failure message
};

/// The fault mix of the issue: 4 % 500, 3 % 502, 3 % 503, 5 % 429, 2 % drops, 2 % lost answers.
std::string StormFaults(int seed);

/// Runs the storm on a fresh emulator; loopback only, bounded by max_applies.
StormResult RunStorm(const StormSettings& settings);

}  // namespace stashform::testing
