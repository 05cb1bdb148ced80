#pragma once
// RunTasks runs tasks that wait for one another on a fixed number of threads. It knows nothing of
// resources: the applier and refresh give it closures.

#include <atomic>
#include <functional>
#include <vector>

namespace stashform::engine {

struct Task {
  std::vector<size_t> after;   // indexes of tasks that must succeed first
  std::function<bool()> run;   // true on success
};

enum class TaskOutcome {
  kNotStarted,  // stopped (interrupted) before it could start
  kDone,
  kFailed,
  kSkipped,     // a task it waits for failed or was skipped
};

struct RunStats {
  int max_in_flight = 0;  // the most tasks that ran at once
};

/// Runs every task once its `after` tasks are done, at most `parallelism` at a time. A failure
/// skips the tasks that wait for it and lets independent ones finish. When `stop` turns true no new
/// task starts; running ones finish. Tasks caught in a cycle are skipped.
std::vector<TaskOutcome> RunTasks(const std::vector<Task>& tasks, int parallelism,
                                  const std::atomic<bool>* stop = nullptr, RunStats* stats = nullptr);

}  // namespace stashform::engine
