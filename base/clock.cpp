#include "base/clock.h"

#include <thread>

namespace stashform {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

std::chrono::steady_clock::time_point SystemClock::Now() {
  return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point SystemClock::WallNow() {
  return std::chrono::system_clock::now();
}

void SystemClock::Sleep(std::chrono::milliseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

}  // namespace stashform
