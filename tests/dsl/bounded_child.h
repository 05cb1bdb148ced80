#pragma once
// Runs a piece of a test in a forked child with a time bound, so that a test of a protection
// against hangs fails, instead of hanging the suite, when the protection is gone.

#include <chrono>
#include <functional>
#include <string>

namespace stashform::dsl::testing {

struct ChildOutcome {
  bool ended = false;   // false: still running at the bound, then killed
  int exit_code = -1;   // when it ended by exiting; 128 + signal when a signal ended it
  std::string result;   // what `body` returned, when it returned
  std::string err;      // what the child wrote to stderr
  std::chrono::milliseconds elapsed{0};
};

/// Forks; the child runs `body` and exits 0 with its result, unless something in it ends the
/// process first. The parent waits at most `bound`, then kills the child with SIGKILL.
ChildOutcome RunInBoundedChild(const std::function<std::string()>& body, std::chrono::milliseconds bound);

/// For assertion messages: how the child ended and what it printed.
std::string Describe(const ChildOutcome& outcome);

}  // namespace stashform::dsl::testing
