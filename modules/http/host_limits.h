#pragma once
// HostLimits paces requests per server: a token bucket (requests per second), a cap on requests
// in flight, and a hold-off the server asked for (429 or 503 with Retry-After), all keyed by
// scheme://host:port and shared by every thread using one client.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"

namespace stashform::http {

/// "https://user@Example.com:8443/x?y" → "https://example.com:8443". Userinfo never appears.
std::string HostKey(const std::string& url);

struct HostState;

/// HostLimits decides when a request may start; it never sends anything. Thread-safe.
class HostLimits {
 public:
  /// rate_per_second <= 0: no rate limit; max_concurrency <= 0: no concurrency cap.
  HostLimits(double rate_per_second, int max_concurrency, Clock& clock);
  ~HostLimits();

  /// A request in flight; destroying it lets the next one for that host start.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();

   private:
    friend class HostLimits;
    Slot(HostLimits* owner, HostState* host) : owner_(owner), host_(host) {}
    HostLimits* owner_;
    HostState* host_;
  };

  /// Waits (on the clock) for the host's hold-off to end and for a token, then (on other requests)
  /// for a free slot.
  Slot Acquire(const std::string& url);

  /// The server asked for no request before `wait` from now (Retry-After): every thread's next
  /// request to that host waits too, instead of each finding out by a 429 of its own.
  void HoldOff(const std::string& url, std::chrono::milliseconds wait);

  /// Requests in flight for a host right now; for tests.
  int InFlight(const std::string& url);

 private:
  HostState& StateFor(const std::string& key);
  std::chrono::milliseconds ReserveToken(HostState& host);
  void WaitForHoldOff(HostState& host, std::unique_lock<std::mutex>& lock);
  void Release(HostState& host);

  const double rate_per_second_;
  const int max_concurrency_;
  Clock& clock_;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::map<std::string, std::unique_ptr<HostState>> hosts_;
};

}  // namespace stashform::http
