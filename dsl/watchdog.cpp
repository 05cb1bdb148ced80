#include "dsl/watchdog.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include <cstdio>

namespace stashform::dsl {

std::string FormatDuration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  if (ms < 1000) return std::to_string(ms) + " ms";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", static_cast<double>(ms) / 1000.0);
  return text;
}

/// The thread that watches every Watchdog of the process, and what it watches. Made on first use
/// and never destroyed (the thread is detached and may wait on it until the process ends); a
/// forked child, which has no copy of the thread, makes its own.
struct Watchdog::Watcher {
  std::mutex mutex;
  std::condition_variable changed;   // a clock started or stopped, a watchdog came or went
  std::condition_variable returned;  // an expiry action returned
  std::vector<Watchdog*> watched;
  const Watchdog* expiring = nullptr;  // whose expiry action runs now

  static Watcher& OfThisProcess();
  void Watch();

  static std::mutex creation;
  static Watcher* of_process;  // forgotten in a forked child
};

std::mutex Watchdog::Watcher::creation;
Watchdog::Watcher* Watchdog::Watcher::of_process = nullptr;

Watchdog::Watcher& Watchdog::Watcher::OfThisProcess() {
  static const int registered = pthread_atfork([] { creation.lock(); }, [] { creation.unlock(); },
                                               [] {
                                                 // The child has no copy of the thread: its first
                                                 // Watchdog makes a new Watcher. The parent's stays
                                                 // unused (the thread may have held its mutex).
                                                 of_process = nullptr;
                                                 creation.unlock();
                                               });
  (void)registered;
  std::lock_guard<std::mutex> lock(creation);
  if (!of_process) {
    of_process = new Watcher();
    std::thread([watcher = of_process] { watcher->Watch(); }).detach();
  }
  return *of_process;
}

void Watchdog::Watcher::Watch() {
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    const Clock::time_point now = Clock::now();
    Watchdog* due = nullptr;
    std::optional<Clock::time_point> next;
    for (Watchdog* watchdog : watched) {
      auto deadline = watchdog->DeadlineLocked();
      if (!deadline) continue;
      if (*deadline <= now) {
        if (watchdog->overdue_since_) {
          due = watchdog;
          break;
        }
        watchdog->overdue_since_ = now;  // its grace starts now, however long ago the budget ran out
        deadline = watchdog->DeadlineLocked();
      }
      if (!next || *deadline < *next) next = deadline;
    }
    if (!due) {
      if (next)
        changed.wait_until(lock, *next);
      else
        changed.wait(lock);
      continue;
    }
    due->expired_ = true;
    expiring = due;
    const std::string message = "Error: " + due->place_ + ": wall-clock limit of " + FormatDuration(due->budget_) +
                                " exceeded, and Lua did not give control back (a finalizer or a long library "
                                "call cannot be interrupted), so stashform stopped; if the config needs longer, "
                                "raise the limit with -lua-time-limit or STASHFORM_LUA_TIME_LIMIT";
    lock.unlock();
    due->expire_(message);  // its owner's destructor waits until this returns
    lock.lock();
    expiring = nullptr;
    returned.notify_all();
  }
}

Watchdog::Watchdog(std::chrono::milliseconds budget, Expiry expire)
    : budget_(budget), expire_(std::move(expire)), watcher_(Watcher::OfThisProcess()) {
  std::lock_guard<std::mutex> lock(watcher_.mutex);
  watcher_.watched.push_back(this);
}

Watchdog::~Watchdog() {
  std::unique_lock<std::mutex> lock(watcher_.mutex);
  watcher_.watched.erase(std::find(watcher_.watched.begin(), watcher_.watched.end(), this));
  watcher_.returned.wait(lock, [this] { return watcher_.expiring != this; });
}

void Watchdog::Start(std::string place) {
  {
    std::lock_guard<std::mutex> lock(watcher_.mutex);
    place_ = std::move(place);
    if (started_) return;  // running already: the deadline stays
    started_ = Clock::now();
  }
  watcher_.changed.notify_all();
}

void Watchdog::Pause() {
  std::lock_guard<std::mutex> lock(watcher_.mutex);
  spent_ = SpentLocked(Clock::now());
  started_.reset();
  overdue_since_.reset();  // Lua gave control back; its next Start is found over budget afresh
  // The watcher may wake for a deadline that no longer holds; it then finds none due.
}

bool Watchdog::OverBudget() const {
  std::lock_guard<std::mutex> lock(watcher_.mutex);
  return SpentLocked(Clock::now()) >= budget_;
}

std::optional<Watchdog::Clock::time_point> Watchdog::DeadlineLocked() const {
  if (!started_ || expired_) return std::nullopt;
  if (overdue_since_) return *overdue_since_ + kGrace;
  return *started_ + (budget_ - spent_);
}

Watchdog::Clock::duration Watchdog::SpentLocked(Clock::time_point now) const {
  return started_ ? spent_ + (now - *started_) : spent_;
}

void Watchdog::ExitProcess(const std::string& message) {
  // write(2), not iostreams: the thread that runs Lua may hold their locks.
  const std::string line = message + "\n";
  ssize_t written = write(STDERR_FILENO, line.data(), line.size());
  (void)written;
  _exit(1);
}

}  // namespace stashform::dsl
