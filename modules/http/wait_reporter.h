#pragma once
// WaitReporter tells the user which host and call a client has been waiting on for a while:
// "still waiting for 127.0.0.1:7990: GET /rest/api/1.0/projects (2 s, try 1 of 6)".

#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "modules/http/http_client.h"

namespace stashform::http {

/// "https://bob:pw@Host:8443/x?token=abc" → "host:8443"; the host and port a message names.
std::string HostPort(const std::string& url);

/// WaitReporter writes progress lines about calls in flight; it never waits on, sends or cancels
/// a call. One line per host at most every `every`, naming the call waited on longest, and only
/// host, method and redacted URL path (never header values or bodies). Thread-safe.
class WaitReporter {
 public:
  using Sink = std::function<void(const std::string&)>;
  struct Timing {
    std::chrono::milliseconds first_after{2000};  // first line once a call has waited this long
    std::chrono::milliseconds every{10000};       // then at most one line per host this often
  };
  /// An empty sink reports nothing and starts no thread.
  WaitReporter(Sink sink, Timing timing);
  ~WaitReporter();
  WaitReporter(const WaitReporter&) = delete;
  WaitReporter& operator=(const WaitReporter&) = delete;

  /// What is known of one call in flight.
  struct CallState {
    std::string host;  // "127.0.0.1:7990"
    std::string what;  // "GET /rest/api/1.0/projects?limit=25", redacted
    std::chrono::steady_clock::time_point started;
    std::chrono::milliseconds first_after;
    int attempt = 1;
    int max_tries = 1;
  };
  /// A call being waited on; destroying it ends the call's reports.
  class Call {
   public:
    Call(Call&& other) noexcept;
    Call& operator=(Call&&) = delete;
    ~Call();
    void SetTry(int attempt);

   private:
    friend class WaitReporter;
    Call(WaitReporter* owner, std::list<CallState>::iterator state) : owner_(owner), state_(state) {}
    WaitReporter* owner_;
    std::list<CallState>::iterator state_;
  };

  /// Starts reporting on `request`, begun at `started`. `first_after` overrides the timing's for a
  /// call whose whole budget is shorter, so that its line comes before it fails.
  Call Begin(const Request& request, int max_tries, std::chrono::steady_clock::time_point started,
             std::chrono::milliseconds first_after);
  /// Writes the lines due at `now`. A background thread calls it every 100 ms once StartTicking
  /// ran; tests call it directly with a FakeClock's time.
  void Tick(std::chrono::steady_clock::time_point now);
  /// Runs Tick on `clock`'s time until destruction (only when there is a sink).
  void StartTicking(Clock& clock);
  Timing timing() const { return timing_; }
  bool enabled() const { return static_cast<bool>(sink_); }

 private:
  void End(std::list<CallState>::iterator state);
  std::string LineFor(const CallState& longest, int others,
                      std::chrono::steady_clock::time_point now) const;

  Sink sink_;
  Timing timing_;
  std::mutex mutex_;
  std::list<CallState> calls_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_line_;  // by host
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace stashform::http
