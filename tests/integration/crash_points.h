#pragma once
// Crash points (issue 22 §3): the real `stashform apply` of webhooks, an HTTP access token, an
// application link and a Spacelift integration, killed with SIGKILL at a chosen request. The
// emulators hold every answer back for a fixed latency and log each request before that wait,
// and the apply runs one request at a time, so "the k-th request ran and its answer is held"
// and "the k-th answer arrived" are points the same on every run. Shared by the bounded test
// (crash_points_test.cpp) and the benchmark (bench/crash_points.cpp).

#include <string>
#include <vector>

namespace stashform::testing {

/// Where the apply dies: after the server ran request `request` (1-based, both servers counted
/// in the order they logged them), either while its answer is held back or right after it was
/// sent (while stashform reads it and writes its state).
struct CrashPoint {
  int request = 1;
  bool answered = false;
};

struct CrashPointResult {
  CrashPoint point;
  bool killed = false;        // the apply was still running when the kill came
  std::string in_flight;      // "POST /rest/.../webhooks (answer held)"
  int duplicates = 0;         // objects beyond the first of each natural key, on every server
  std::string duplicate_list; // which ones, for a failure message
  bool converged = false;     // the next apply exited 0 and a plan after it had nothing to do
  bool token_kept = false;    // one live token; state holds its value; the integration uses it;
                              // no run printed it
  int applies_to_converge = 0;
  std::string transcript;     // the runs after the kill, for a failure message
};

/// How many requests a clean apply of the crash-point config sends (both servers).
int RequestsOfACleanApply();

/// `count` points spread over requests 1..total, each request first held then answered.
std::vector<CrashPoint> SpreadCrashPoints(int total_requests, int count);

/// Runs one point on fresh emulators: the apply killed there, then applies (at most 3) until one
/// succeeds, a plan, and the census of every server.
CrashPointResult RunCrashPoint(const CrashPoint& point);

}  // namespace stashform::testing
