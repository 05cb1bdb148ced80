#include "modules/http/host_limits.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace stashform::http {

struct HostState {
  int in_flight = 0;
  double tokens = 0;  // may go negative: each waiter has reserved the token it sleeps for
  std::chrono::steady_clock::time_point refilled;
  bool started = false;
  std::chrono::steady_clock::time_point hold_off_until{};  // no request before this
};

std::string HostKey(const std::string& url) {
  const auto scheme_end = url.find("://");
  const size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", authority_start);
  std::string authority = url.substr(authority_start, authority_end == std::string::npos
                                                          ? std::string::npos
                                                          : authority_end - authority_start);
  const auto at = authority.rfind('@');
  if (at != std::string::npos) authority.erase(0, at + 1);
  std::string key =
      (scheme_end == std::string::npos ? "" : url.substr(0, scheme_end + 3)) + authority;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

HostLimits::HostLimits(double rate_per_second, int max_concurrency, Clock& clock)
    : rate_per_second_(rate_per_second), max_concurrency_(max_concurrency), clock_(clock) {}

HostLimits::~HostLimits() = default;

HostLimits::Slot::Slot(Slot&& other) noexcept : owner_(other.owner_), host_(other.host_) {
  other.owner_ = nullptr;
  other.host_ = nullptr;
}

HostLimits::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release(*host_);
}

HostState& HostLimits::StateFor(const std::string& key) {
  auto& state = hosts_[key];
  if (!state) state = std::make_unique<HostState>();
  return *state;
}

// Takes one token, refilling at rate_per_second_ up to one second's worth, and returns how long
// the caller must wait before its token is really there. Called with mutex_ held.
std::chrono::milliseconds HostLimits::ReserveToken(HostState& host) {
  const double capacity = std::max(1.0, rate_per_second_);
  const auto now = clock_.Now();
  if (!host.started) {
    host.started = true;
    host.tokens = capacity;
  } else {
    const double elapsed = std::chrono::duration<double>(now - host.refilled).count();
    host.tokens = std::min(capacity, host.tokens + elapsed * rate_per_second_);
  }
  host.refilled = now;
  host.tokens -= 1;
  if (host.tokens >= 0) return std::chrono::milliseconds(0);
  const double wait_seconds = -host.tokens / rate_per_second_;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(wait_seconds * 1000)));
}

void HostLimits::HoldOff(const std::string& url, std::chrono::milliseconds wait) {
  std::lock_guard lock(mutex_);
  HostState& host = StateFor(HostKey(url));
  host.hold_off_until = std::max(host.hold_off_until, clock_.Now() + wait);
}

// Sleeps until the host's hold-off is over; another 429 meanwhile may move it on. Called with
// `lock` held; returns with it held.
void HostLimits::WaitForHoldOff(HostState& host, std::unique_lock<std::mutex>& lock) {
  for (auto now = clock_.Now(); now < host.hold_off_until; now = clock_.Now()) {
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(host.hold_off_until - now);
    lock.unlock();
    clock_.Sleep(wait);
    lock.lock();
  }
}

HostLimits::Slot HostLimits::Acquire(const std::string& url) {
  const std::string key = HostKey(url);
  std::unique_lock lock(mutex_);
  HostState& host = StateFor(key);
  WaitForHoldOff(host, lock);
  if (rate_per_second_ > 0) {
    const auto wait = ReserveToken(host);
    if (wait.count() > 0) {
      lock.unlock();
      clock_.Sleep(wait);
      lock.lock();
    }
  }
  if (max_concurrency_ > 0)
    slot_freed_.wait(lock, [&] { return host.in_flight < max_concurrency_; });
  ++host.in_flight;
  return Slot(this, &host);
}

void HostLimits::Release(HostState& host) {
  {
    std::lock_guard lock(mutex_);
    --host.in_flight;
  }
  slot_freed_.notify_all();
}

int HostLimits::InFlight(const std::string& url) {
  std::lock_guard lock(mutex_);
  return StateFor(HostKey(url)).in_flight;
}

}  // namespace stashform::http
