#include "tests/support/fake_clock.h"

namespace stashform {

std::chrono::steady_clock::time_point FakeClock::Now() {
  std::lock_guard lock(mutex_);
  return now_;
}

std::chrono::system_clock::time_point FakeClock::WallNow() {
  std::lock_guard lock(mutex_);
  return wall_now_;
}

void FakeClock::Sleep(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  sleeps_.push_back(duration);
  now_ += duration;
  wall_now_ += duration;
}

void FakeClock::Advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  now_ += duration;
  wall_now_ += duration;
}

void FakeClock::SetWallNow(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  wall_now_ = now;
}

std::vector<std::chrono::milliseconds> FakeClock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

}  // namespace stashform
