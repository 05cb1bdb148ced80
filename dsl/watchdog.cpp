#include "dsl/watchdog.h"

#include <unistd.h>

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

Watchdog::Watchdog(std::chrono::milliseconds budget, Expiry expire)
    : budget_(budget), expire_(std::move(expire)), thread_([this] { Watch(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Watchdog::Start(std::string place) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    place_ = std::move(place);
    if (!started_) started_ = Clock::now();
  }
  changed_.notify_all();
}

void Watchdog::Pause() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    spent_ = SpentLocked(Clock::now());
    started_.reset();
  }
  changed_.notify_all();
}

bool Watchdog::OverBudget() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return SpentLocked(Clock::now()) >= budget_;
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

void Watchdog::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (!started_) {
      changed_.wait(lock);
      continue;
    }
    const Clock::time_point deadline = *started_ + (budget_ + kGrace - spent_);
    if (Clock::now() < deadline) {
      changed_.wait_until(lock, deadline);
      continue;
    }
    const std::string message = "Error: " + place_ + ": wall-clock limit of " + FormatDuration(budget_) +
                                " exceeded, and Lua did not give control back (a finalizer or a long library "
                                "call cannot be interrupted), so stashform stopped; if the config needs longer, "
                                "raise the limit with -lua-time-limit or STASHFORM_LUA_TIME_LIMIT";
    lock.unlock();
    expire_(message);
    return;
  }
}

}  // namespace stashform::dsl
