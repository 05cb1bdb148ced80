#pragma once
// What the benchmarks that run the stashform binary against the Bitbucket emulator share: the
// seed and config of N repositories, a timed CLI run (wall, CPU, peak memory), the emulator's
// request log read back, and the breakdown of a run (requests in flight over time, state writes,
// journal fsyncs, lock waits). Prints nothing by itself; asserts nothing.

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace stashform::bench {

/// A timed run of the stashform binary.
struct Run {
  int exit_code = -1;
  double seconds = 0;      // wall
  double cpu_seconds = 0;  // user + system of the child: what the machine's load cannot inflate
  long peak_kib = 0;
};

/// One request the emulator logged.
struct Logged {
  std::string method;
  int status = 0;
  int64_t time_ms = 0;  // when it arrived (epoch ms)
};

/// Users admin/admin, project INFRA with repo-1 … repo-N, no webhooks.
std::string Seed(int repositories);
/// `per_repository` webhooks on each repository (addresses INFRA/repo-i, INFRA/repo-i/2, …).
std::string Config(const std::string& url, int repositories, int per_repository = 1,
                   const std::string& server_extra = "");

/// Runs the CLI (STASHFORM_BENCH_BIN when set, else this build's) with its output to files in `dir`;
/// `wrapper` (e.g. strace) goes before it.
Run RunCli(std::vector<std::string> args, const std::string& dir, const std::vector<std::string>& wrapper = {});

/// Requests logged after `since`; `since` moves to the newest one.
std::vector<Logged> RequestsSince(const testing::Emulator& emulator, int64_t& since);

/// " GET=1000 POST=3000" and the total.
std::string ByMethod(const std::vector<Logged>& requests);
/// Requests the emulator answered with `status`.
int CountStatus(const std::vector<Logged>& requests, int status);

/// Requests in flight, on average, in each tenth of the span the requests cover (Little's law:
/// arrivals in the slice × latency ÷ the slice's length).
std::string InFlightOverTime(const std::vector<Logged>& requests, int latency_ms);

/// What strace counted for a run: state writes (renames), fsyncs and fdatasyncs (journal frames),
/// futex waits (lock and condition waits of every thread), with the seconds spent in each.
struct SyscallBreakdown {
  long renames = 0, fsyncs = 0, fdatasyncs = 0, futexes = 0;
  double fsync_s = 0, fdatasync_s = 0, futex_s = 0;
  bool available = false;
};
/// The wrapper that makes RunCli count those calls into `dir`/strace.txt.
std::vector<std::string> StraceWrapper(const std::string& dir);
SyscallBreakdown ReadStrace(const std::string& dir);
std::string Describe(const SyscallBreakdown& breakdown);

}  // namespace stashform::bench
