#include "modules/http/curl_http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <cctype>
#include <mutex>
#include <random>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "modules/http/debug_log.h"
#include "modules/http/host_limits.h"
#include "modules/http/retry_policy.h"
#include "modules/http/wait_reporter.h"

namespace stashform::http {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// A share of the DNS cache and TLS sessions between the pooled handles. Connections themselves
/// are not shared (libcurl does not support that across threads); each pooled handle keeps its own.
class CurlShare {
 public:
  CurlShare() : share_(curl_share_init()) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::Lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::Unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~CurlShare() { curl_share_cleanup(share_); }
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;
  CURLSH* get() { return share_; }

 private:
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<CurlShare*>(self)->MutexFor(data).lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<CurlShare*>(self)->MutexFor(data).unlock();
  }
  std::mutex& MutexFor(curl_lock_data data) {
    return mutexes_[static_cast<size_t>(data) % mutexes_.size()];
  }

  CURLSH* share_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
};

/// Idle easy handles; a handle returned here keeps its open connections for the next request.
class EasyHandlePool {
 public:
  ~EasyHandlePool() {
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
  }
  CURL* Take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* easy = idle_.back();
        idle_.pop_back();
        return easy;
      }
    }
    return curl_easy_init();
  }
  void Give(CURL* easy) {
    std::lock_guard lock(mutex_);
    idle_.push_back(easy);
  }

 private:
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

size_t AppendBody(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// Collects "Name: value" lines; a new status line (after a 1xx answer) starts the set afresh.
size_t AppendHeader(char* data, size_t size, size_t count, void* headers_ptr) {
  auto& headers = *static_cast<Headers*>(headers_ptr);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos || colon == 0) return size * count;
  std::string value = line.substr(colon + 1);
  const auto first = value.find_first_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first);
  headers.emplace_back(line.substr(0, colon), value);
  return size * count;
}

long OsError(CURL* easy) {
  long os_error = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_error);
  return os_error;
}

TransportFailure Classify(CURLcode code, CURL* easy) {
  switch (code) {
    case CURLE_OK:
      return TransportFailure::kNone;
    case CURLE_COULDNT_CONNECT:
      return OsError(easy) == ECONNREFUSED ? TransportFailure::kRefused
                                           : TransportFailure::kNotSent;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
      return TransportFailure::kNotSent;
    case CURLE_OPERATION_TIMEDOUT: {
      long request_bytes = 0;
      curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes);
      return request_bytes == 0 ? TransportFailure::kNotSent : TransportFailure::kMaybeSent;
    }
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::kMaybeSent;
    default:
      return TransportFailure::kPermanent;
  }
}

// Removes " after 12 ms" or " after 300 milliseconds" (std::regex is avoided: GCC 12 warns
// inside it under the sanitizer build).
void RemoveElapsedTime(std::string& message) {
  static constexpr std::string_view kAfter = " after ";
  for (size_t at = message.find(kAfter); at != std::string::npos;
       at = message.find(kAfter, at + 1)) {
    size_t end = at + kAfter.size();
    const size_t digits = end;
    while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end]))) ++end;
    if (end == digits) continue;
    for (std::string_view unit : {" milliseconds", " ms"}) {
      if (message.compare(end, unit.size(), unit) == 0) {
        message.erase(at, end + unit.size() - at);
        return;
      }
    }
  }
}

// curl's message without the elapsed time, so that the same failure reads the same every time,
// and with the system's reason for a failed connect: curl says "Failed to connect to 127.0.0.1
// port 1 after 0 ms: Couldn't connect to server"; we say "... port 1: Connection refused".
std::string StableMessage(CURLcode code, CURL* easy, const char* error_buffer) {
  std::string message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  RemoveElapsedTime(message);
  const long os_error = OsError(easy);
  const std::string generic = std::string(": ") + curl_easy_strerror(code);
  if (code == CURLE_COULDNT_CONNECT && os_error != 0 && message.ends_with(generic)) {
    message.resize(message.size() - generic.size());
    message += ": " + std::system_category().message(static_cast<int>(os_error));
  }
  return message;
}

double Jitter() {
  thread_local std::minstd_rand engine(std::random_device{}() ^
                                       std::hash<std::thread::id>{}(std::this_thread::get_id()));
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Whether the transfer ran for its whole time limit, as opposed to failing its (shorter) connect.
bool RanForAtLeast(CURL* easy, std::chrono::milliseconds limit) {
  curl_off_t total_us = 0;
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
  return std::chrono::microseconds(total_us) + std::chrono::milliseconds(50) >= limit;
}

struct TryResult {
  Response response;
  TransportFailure failure = TransportFailure::kNone;
  bool cut_by_deadline = false;  // the try's time limit was what was left of the call's deadline
};

/// How long one try may take, the connect included; 0 means no limit.
struct TryLimits {
  std::chrono::milliseconds total{0};
  std::chrono::milliseconds connect{0};
  bool deadline_bound = false;  // `total` is what is left of the call's deadline
};

TryLimits LimitsFor(const Request& request, const ClientOptions& options,
                    std::optional<std::chrono::milliseconds> remaining) {
  TryLimits limits{request.timeout, options.connect_timeout, false};
  if (!remaining) return limits;
  // curl reads 0 as "no limit": a try that may start has at least a millisecond.
  const auto left = std::max(*remaining, std::chrono::milliseconds(1));
  if (limits.total.count() == 0 || left <= limits.total) limits = {left, limits.connect, true};
  limits.connect = limits.connect.count() == 0 ? left : std::min(limits.connect, left);
  return limits;
}

std::string Seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000.0);
}

// The transport error a user reads after "GET https://host/path: ". Says who failed and what to
// check; curl's own wording stays for the rarer failures.
void ExplainFailure(const Request& request, const ClientOptions& options, TryResult& result) {
  const std::string host = HostPort(request.url);
  std::string& error = result.response.transport_error;
  if (result.failure == TransportFailure::kRefused) {
    error = fmt::format("connection refused by {} — is the server running and is its URL right?",
                        host);
  } else if (result.cut_by_deadline) {
    const int tries = result.response.attempts;
    error = fmt::format(
        "no answer from {} within {} (the call's timeout, {} {}) — is the server overloaded? If it "
        "is only slow, raise timeout on its server block",
        host, Seconds(options.call_timeout), tries, tries == 1 ? "try" : "tries");
  }
}

}  // namespace

/// One call to Send: its deadline and the progress reports about it.
struct CallTrack {
  std::optional<std::chrono::steady_clock::time_point> deadline;  // set when the first try starts
  std::optional<WaitReporter::Call> waiting;

  std::optional<std::chrono::milliseconds> Remaining(std::chrono::steady_clock::time_point now) {
    if (!deadline) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now);
  }
};

struct CurlHttpClient::Impl {
  ClientOptions options;
  Clock& clock;
  CurlShare share;
  EasyHandlePool pool;
  HostLimits limits;
  DebugLog log;
  WaitReporter reporter;

  Impl(ClientOptions client_options, Clock& client_clock)
      : options(std::move(client_options)),
        clock(client_clock),
        limits(options.rate_limit_per_second, options.max_concurrency_per_host, clock),
        log(options.debug_log),
        reporter(options.progress, {options.progress_after, options.progress_every}) {
    reporter.StartTicking(clock);
  }

  void Configure(CURL* easy, const Request& request, const TryLimits& limits, curl_slist* headers,
                 TryResult& result, char* error_buffer);
  TryResult Try(const Request& request, const TryLimits& limits);
  std::optional<TryResult> TryBeforeDeadline(const Request& request, CallTrack& call, int attempt);
  void StartCall(const Request& request, CallTrack& call);
};

void CurlHttpClient::Impl::Configure(CURL* easy, const Request& request, const TryLimits& limits,
                                     curl_slist* headers, TryResult& result, char* error_buffer) {
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_SHARE, share.get());
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // libcurl silently resends a request whose reused connection died before any answer, POSTs
  // included; for a create that duplicates the object when the server acted. A fresh connection is
  // never resent, so the failure reaches the caller, which looks the object up instead.
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, request.retry_safe ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "stashform");
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect.count()));
  // TLS: verified unless the caller opted out explicitly. Proxies: curl reads http_proxy,
  // HTTPS_PROXY, ALL_PROXY and NO_PROXY from the environment because we never set CURLOPT_PROXY.
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0L : 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());

  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    const bool has_body = !request.body.empty() || request.method == "POST" ||
                          request.method == "PUT" || request.method == "PATCH";
    if (has_body) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &result.response.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &result.response.headers);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
}

TryResult CurlHttpClient::Impl::Try(const Request& request, const TryLimits& limits) {
  TryResult result;
  curl_slist* headers = nullptr;
  // Without this curl waits for "100 Continue" before sending larger bodies.
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* easy = pool.Take();
  curl_easy_reset(easy);  // keeps the handle's open connections
  Configure(easy, request, limits, headers, result, error_buffer);
  const CURLcode code = curl_easy_perform(easy);
  result.failure = Classify(code, easy);
  result.cut_by_deadline = code == CURLE_OPERATION_TIMEDOUT && limits.deadline_bound &&
                           RanForAtLeast(easy, limits.total);
  if (code == CURLE_OK) {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.response.status);
  } else {
    result.response.status = 0;
    result.response.headers.clear();
    result.response.body.clear();
    result.response.transport_error = StableMessage(code, easy, error_buffer);
    result.response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  pool.Give(easy);
  curl_slist_free_all(headers);
  return result;
}

CurlHttpClient::CurlHttpClient(ClientOptions options, Clock& clock) {
  InitCurlOnce();
  impl_ = std::make_unique<Impl>(std::move(options), clock);
}

CurlHttpClient::~CurlHttpClient() = default;

void CurlHttpClient::ReportWaiting(const std::string& line) {
  if (impl_->options.progress) impl_->options.progress(line);
}

void CurlHttpClient::Impl::StartCall(const Request& request, CallTrack& call) {
  const auto now = clock.Now();
  auto first_line = options.progress_after;
  if (options.call_timeout.count() > 0) {
    call.deadline = now + options.call_timeout;
    // A call with a short budget says what it waits on before it fails, not after.
    first_line = std::min(first_line, options.call_timeout / 2);
  }
  call.waiting.emplace(reporter.Begin(request, options.max_retries + 1, now, first_line));
}

// Takes a slot on the host, then sends one try clipped to the call's deadline. nullopt when the
// deadline passed while waiting for the slot: no try starts after it.
std::optional<TryResult> CurlHttpClient::Impl::TryBeforeDeadline(const Request& request,
                                                                 CallTrack& call, int attempt) {
  HostLimits::Slot slot = limits.Acquire(request.url);
  // The deadline starts with the first try: time queued behind this client's own requests (its
  // concurrency cap and rate limit) is pacing, not the server's slowness.
  if (attempt == 1) StartCall(request, call);
  const auto remaining = call.Remaining(clock.Now());
  if (remaining && remaining->count() <= 0) return std::nullopt;
  call.waiting->SetTry(attempt);
  if (request.sign_each_try) {
    Request signed_try = request;
    request.sign_each_try(signed_try);
    return Try(signed_try, LimitsFor(request, options, remaining));
  }
  return Try(request, LimitsFor(request, options, remaining));
}

Response CurlHttpClient::Send(const Request& request) {
  Impl& impl = *impl_;
  CallTrack call;
  std::optional<TryResult> last;
  for (int attempt = 1;; ++attempt) {
    const auto started = impl.clock.Now();
    std::optional<TryResult> result = impl.TryBeforeDeadline(request, call, attempt);
    if (!result) break;  // only after a first try, so `last` holds its answer
    result->response.attempts = attempt;
    last = std::move(result);
    const TryOutcome outcome{&last->response, last->failure, attempt,
                             call.Remaining(impl.clock.Now())};
    const auto delay =
        NextRetryDelay(request, outcome, impl.options, impl.clock.WallNow(), Jitter());
    impl.log.Record(request, last->response, impl.clock.Now() - started, delay);
    if (!delay) break;
    // The server's own wait holds every thread's next request to it, not only this one's retry.
    if (last->failure == TransportFailure::kNone && last->response.Header("Retry-After") &&
        (last->response.status == 429 || last->response.status == 503))
      impl.limits.HoldOff(request.url, *delay);
    impl.clock.Sleep(*delay);
  }
  ExplainFailure(request, impl.options, *last);
  return std::move(last->response);
}

}  // namespace stashform::http
