#pragma once
// Clock is how the project reads time and waits; FakeClock (tests/support) makes retries instant
// in tests.

#include <chrono>

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

}  // namespace stashform
