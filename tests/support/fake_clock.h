#pragma once
// FakeClock: the Clock of unit tests. Waiting is recorded, never done.

#include <chrono>
#include <mutex>
#include <vector>

#include "base/clock.h"

namespace stashform {

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
