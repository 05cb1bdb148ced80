#pragma once
// Clock is how the project reads time and waits; FakeClock makes retries instant in tests.

#include <chrono>
#include <mutex>
#include <vector>

namespace stashform {

/// Clock reads monotonic and calendar time and sleeps; it keeps no other state.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic time, for backoff and rate limits.
  virtual std::chrono::steady_clock::time_point Now() = 0;
  /// Calendar time, for `Retry-After: <HTTP-date>`.
  virtual std::chrono::system_clock::time_point WallNow() = 0;
  virtual void Sleep(std::chrono::milliseconds duration) = 0;
};

/// SystemClock is the real clock. Shared by every client; stateless.
class SystemClock : public Clock {
 public:
  static SystemClock& Instance();
  std::chrono::steady_clock::time_point Now() override;
  std::chrono::system_clock::time_point WallNow() override;
  void Sleep(std::chrono::milliseconds duration) override;
};

/// FakeClock never blocks: Sleep advances both times at once and is recorded. Thread-safe.
class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override;
  std::chrono::system_clock::time_point WallNow() override;
  void Sleep(std::chrono::milliseconds duration) override;

  void Advance(std::chrono::milliseconds duration);
  void SetWallNow(std::chrono::system_clock::time_point now);
  /// Every Sleep call, in order.
  std::vector<std::chrono::milliseconds> sleeps() const;

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
  std::chrono::system_clock::time_point wall_now_{std::chrono::seconds(1'700'000'000)};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace stashform
