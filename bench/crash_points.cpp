// Crash points (issue 22 §3): SIGKILL at 50 points of one apply of webhooks, an HTTP access
// token, an application link and a Spacelift integration, on fresh emulators each time. Prints
// one row per point; it asserts nothing (the bounded test does, on a subset).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "tests/integration/crash_points.h"

int main(int argc, char** argv) {
  using namespace stashform::testing;
  const int count = argc > 1 ? std::atoi(argv[1]) : 50;
  const auto started = std::chrono::steady_clock::now();
  const int requests = RequestsOfACleanApply();
  if (requests <= 0) {
    fmt::print("the clean apply failed; nothing measured\n");
    return 1;
  }
  fmt::print("a clean apply sends {} requests (both servers); {} points\n\n", requests, count);
  fmt::print("{:>5}  {:<78} {:>6} {:>10} {:>10}\n", "point", "in flight when killed", "dupes", "converged", "token kept");
  int duplicates = 0, converged = 0, kept = 0, killed = 0;
  const auto points = SpreadCrashPoints(requests, count);
  for (size_t i = 0; i < points.size(); ++i) {
    const CrashPointResult r = RunCrashPoint(points[i]);
    duplicates += r.duplicates;
    converged += r.converged ? 1 : 0;
    kept += r.token_kept ? 1 : 0;
    killed += r.killed ? 1 : 0;
    std::string flight = fmt::format("#{} {}", points[i].request, r.in_flight);
    if (flight.size() > 78) flight = flight.substr(0, 75) + "...";
    fmt::print("{:>5}  {:<78} {:>6} {:>10} {:>10}\n", i + 1, flight, r.duplicates,
               r.converged ? fmt::format("yes ({})", r.applies_to_converge) : "NO", r.token_kept ? "yes" : "NO");
    if (r.duplicates) fmt::print("       duplicates: {}\n", r.duplicate_list);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("\n{} points, {} killed mid-apply: {} duplicates, {} converged, {} kept the token; {:.1f} s\n",
             points.size(), killed, duplicates, converged, kept, seconds);
  return 0;
}
