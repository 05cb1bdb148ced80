#include "modules/http/wait_reporter.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "modules/http/debug_log.h"
#include "modules/http/host_limits.h"

namespace stashform::http {
namespace {

using std::chrono::steady_clock;

constexpr std::chrono::milliseconds kTickEvery{100};

// "GET /rest/api/1.0/projects?token=***": the method and the URL after its authority, redacted.
std::string RedactedCall(const Request& request) {
  const std::string url = RedactUrl(request.url);
  const auto scheme_end = url.find("://");
  const size_t authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t path = url.find_first_of("/?#", authority);
  return request.method + " " + (path == std::string::npos ? "/" : url.substr(path));
}

}  // namespace

std::string HostPort(const std::string& url) {
  std::string key = HostKey(url);
  const auto scheme_end = key.find("://");
  return scheme_end == std::string::npos ? key : key.substr(scheme_end + 3);
}

WaitReporter::WaitReporter(Sink sink, Timing timing) : sink_(std::move(sink)), timing_(timing) {}

WaitReporter::~WaitReporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

WaitReporter::Call::Call(Call&& other) noexcept : owner_(other.owner_), state_(other.state_) {
  other.owner_ = nullptr;
}

WaitReporter::Call::~Call() {
  if (owner_) owner_->End(state_);
}

void WaitReporter::Call::SetTry(int attempt) {
  if (!owner_) return;
  std::lock_guard lock(owner_->mutex_);
  state_->attempt = attempt;
}

WaitReporter::Call WaitReporter::Begin(const Request& request, int max_tries,
                                       steady_clock::time_point started,
                                       std::chrono::milliseconds first_after) {
  std::lock_guard lock(mutex_);
  calls_.push_back({HostPort(request.url), RedactedCall(request), started, first_after, 1, max_tries});
  return Call(this, std::prev(calls_.end()));
}

void WaitReporter::End(std::list<CallState>::iterator state) {
  std::lock_guard lock(mutex_);
  calls_.erase(state);
}

void WaitReporter::Tick(steady_clock::time_point now) {
  if (!sink_) return;
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    // Per host: the call waited on longest among those past their first line, and how many more.
    std::map<std::string, std::pair<const CallState*, int>> due;
    for (const CallState& call : calls_) {
      if (now - call.started < call.first_after) continue;
      auto& [longest, others] = due[call.host];
      if (longest == nullptr) {
        longest = &call;
        continue;
      }
      ++others;
      if (call.started < longest->started) longest = &call;
    }
    for (const auto& [host, call] : due) {
      auto last = last_line_.find(host);
      if (last != last_line_.end() && now - last->second < timing_.every) continue;
      last_line_[host] = now;
      lines.push_back(LineFor(*call.first, call.second, now));
    }
  }
  for (const std::string& line : lines) sink_(line);
}

std::string WaitReporter::LineFor(const CallState& longest, int others,
                                  steady_clock::time_point now) const {
  const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - longest.started);
  std::string line = fmt::format("still waiting for {}: {} ({} s, try {} of {}", longest.host,
                                 longest.what, waited.count(), longest.attempt, longest.max_tries);
  if (others > 0)
    line += fmt::format("; {} more call{} to this host waiting", others, others == 1 ? "" : "s");
  return line + ")";
}

void WaitReporter::StartTicking(Clock& clock) {
  if (!sink_ || ticker_.joinable()) return;
  ticker_ = std::thread([this, &clock] {
    std::unique_lock lock(mutex_);
    while (!stop_cv_.wait_for(lock, kTickEvery, [this] { return stopping_; })) {
      lock.unlock();
      Tick(clock.Now());
      lock.lock();
    }
  });
}

}  // namespace stashform::http
