#include "reconciler/engine/scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace stashform::engine {

namespace {

class Run {
 public:
  Run(const std::vector<Task>& tasks, const std::atomic<bool>* stop)
      : tasks_(tasks), stop_(stop), outcomes_(tasks.size(), TaskOutcome::kNotStarted),
        waiting_for_(tasks.size(), 0), dependants_(tasks.size()) {
    for (size_t i = 0; i < tasks.size(); ++i) {
      for (size_t before : tasks[i].after) {
        dependants_[before].push_back(i);
        ++waiting_for_[i];
      }
      if (waiting_for_[i] == 0) ready_.push_back(i);
    }
    unfinished_ = tasks.size();
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return !ready_.empty() || in_flight_ == 0 || Stopped(); });
      if (Stopped() || ready_.empty()) {
        if (in_flight_ == 0 || Stopped()) break;
        continue;
      }
      size_t task = ready_.front();
      ready_.pop_front();
      ++in_flight_;
      max_in_flight_ = std::max(max_in_flight_, in_flight_);
      lock.unlock();
      bool ok = tasks_[task].run();
      lock.lock();
      --in_flight_;
      Finish(task, ok ? TaskOutcome::kDone : TaskOutcome::kFailed);
      wake_.notify_all();
    }
    wake_.notify_all();
  }

  std::vector<TaskOutcome> outcomes() const { return outcomes_; }
  int max_in_flight() const { return max_in_flight_; }

 private:
  bool Stopped() const { return stop_ && stop_->load(); }

  void Finish(size_t task, TaskOutcome outcome) {
    outcomes_[task] = outcome;
    --unfinished_;
    for (size_t dependant : dependants_[task]) {
      if (outcome != TaskOutcome::kDone) {
        if (outcomes_[dependant] == TaskOutcome::kNotStarted && waiting_for_[dependant] > 0) {
          waiting_for_[dependant] = 0;
          Finish(dependant, TaskOutcome::kSkipped);
        }
      } else if (waiting_for_[dependant] > 0 && --waiting_for_[dependant] == 0) {
        ready_.push_back(dependant);
      }
    }
  }

  const std::vector<Task>& tasks_;
  const std::atomic<bool>* stop_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<TaskOutcome> outcomes_;
  std::vector<size_t> waiting_for_;
  std::vector<std::vector<size_t>> dependants_;
  std::deque<size_t> ready_;
  size_t unfinished_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

}  // namespace

std::vector<TaskOutcome> RunTasks(const std::vector<Task>& tasks, int parallelism, const std::atomic<bool>* stop,
                                  RunStats* stats) {
  Run run(tasks, stop);
  const int workers = std::max(1, std::min<int>(parallelism, static_cast<int>(tasks.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i) threads.emplace_back([&] { run.Work(); });
  run.Work();
  for (auto& thread : threads) thread.join();
  auto outcomes = run.outcomes();
  // What never became ready waits on a cycle (or on a stop): mark it as the caller should see it.
  for (auto& outcome : outcomes)
    if (outcome == TaskOutcome::kNotStarted && !(stop && stop->load())) outcome = TaskOutcome::kSkipped;
  if (stats) stats->max_in_flight = run.max_in_flight();
  return outcomes;
}

}  // namespace stashform::engine
