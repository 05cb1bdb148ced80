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
#include <thread>

namespace stashform::dsl {

/// `10 s`, `1.5 s`, `250 ms`.
std::string FormatDuration(std::chrono::milliseconds duration);

/// Watchdog measures the time its owner runs Lua (the clock runs between Start and Pause) against
/// a budget; once that time passes the budget plus kGrace, it calls its expiry action from its own
/// thread, which by default prints why and exits the process. It never touches the Lua state.
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
  using Clock = std::chrono::steady_clock;
  Clock::duration SpentLocked(Clock::time_point now) const;
  void Watch();

  const std::chrono::milliseconds budget_;
  const Expiry expire_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Clock::duration spent_{};                  // before the current Start
  std::optional<Clock::time_point> started_;  // while the clock runs
  std::string place_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stashform::dsl
