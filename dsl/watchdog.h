#pragma once
// The sandbox's last line against hangs: a thread that ends the process when Lua keeps control
// past its time budget where the count hook cannot stop it (a finalizer, a long library call in
// C, lua_close).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace stashform::dsl {

/// `10 s`, `1.5 s`, `250 ms`.
std::string FormatDuration(std::chrono::milliseconds duration);

/// Watchdog measures the time its owner runs Lua (the clock runs between Start and Pause) against
/// a budget; kGrace after it finds that time past the budget, it calls its expiry action from
/// another thread, which by default prints why and exits the process. It never touches the Lua
/// state. The grace counts from when the watchdog finds the budget spent, not from when the budget
/// ran out: a process suspended past its deadline (SIGSTOP, a paused container) resumes with the
/// whole grace, in which the count hook stops the script cleanly.
/// One thread per process watches every live Watchdog: a thread of its own per evaluation cost a
/// clone and a join each, a fifth of what evaluating an empty config costs.
class Watchdog {
 public:
  using Expiry = std::function<void(const std::string& message)>;
  static constexpr std::chrono::milliseconds kGrace{1000};

  explicit Watchdog(std::chrono::milliseconds budget, Expiry expire = &ExitProcess);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// The clock runs; `place` (the file being evaluated) is what the expiry message names.
  void Start(std::string place);
  /// The clock stops: time spent outside Lua (a data source read over the network) is not Lua's.
  void Pause();
  /// Whether the clock has reached the budget: the count hook stops the script cleanly then.
  bool OverBudget() const;

  /// Prints `message` to stderr and exits with status 1, without unwinding: the thread that runs
  /// Lua cannot be stopped any other way.
  [[noreturn]] static void ExitProcess(const std::string& message);

 private:
  struct Watcher;  // the process's watching thread and what it watches (watchdog.cpp)
  using Clock = std::chrono::steady_clock;
  Clock::duration SpentLocked(Clock::time_point now) const;
  /// When the watching thread must look again: the end of the budget, then, once it has found the
  /// budget spent, the end of the grace; nothing while the clock is stopped or once it has expired.
  std::optional<Clock::time_point> DeadlineLocked() const;

  const std::chrono::milliseconds budget_;
  const Expiry expire_;
  Watcher& watcher_;  // its mutex guards the fields below
  Clock::duration spent_{};                  // before the current Start
  std::optional<Clock::time_point> started_;  // while the clock runs
  std::optional<Clock::time_point> overdue_since_;  // the watcher found the budget spent (the clock ran)
  std::string place_;
  bool expired_ = false;  // the expiry action has been called: it is never called twice
};

}  // namespace stashform::dsl
