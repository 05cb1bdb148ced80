#pragma once
// HttpClient is the one way stashform talks HTTP; only modules/http includes curl
// (CurlHttpClient, curl_http_client.h). FakeHttpClient (tests/support/fake_http_client.h) stands in for it in
// unit tests. Behaviour (retries, proxies, TLS, debug log) is documented in docs/http.md.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace stashform::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  /// A limit of this try's own, connect included; 0 for none. Every try is also clipped to what is
  /// left of the call's deadline (ClientOptions::call_timeout).
  std::chrono::milliseconds timeout{0};
  /// Whether a retry after a transport error or an ambiguous failure is safe. Creates are not:
  /// the caller looks the object up by its natural key instead of sending the create again.
  bool retry_safe = true;
  /// Called on a copy of the request before every try, the first and each retry, to set what
  /// must be new each time (Packagist's HMAC signature carries a fresh timestamp and nonce, and
  /// its server refuses a nonce it has seen). Unset for most APIs.
  std::function<void(Request&)> sign_each_try;

  /// "POST http://host/rest/api/1.0/projects/INFRA/repos/api/webhooks" — for messages and logs.
  std::string Describe() const;
};

struct Response {
  long status = 0;  // 0 when no answer arrived
  Headers headers;  // names as the server sent them
  std::string body;
  std::string transport_error;  // e.g. "Connection refused"; empty when an answer arrived
  bool timed_out = false;       // no answer within a time limit (the try's or the call's)
  int attempts = 1;

  bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
  /// Case-insensitive header lookup.
  std::optional<std::string> Header(const std::string& name) const;
};

/// TLS and transport settings of one server.
struct ClientOptions {
  std::string ca_file;    // extra CA bundle; "" for the system's
  bool insecure = false;  // skip TLS verification (explicit opt-in only)
  /// The whole wait for one call, retries and backoff included: no try starts after it, and each
  /// try is clipped to what is left. 0 for none. SetCallTimeout also derives connect_timeout.
  std::chrono::milliseconds call_timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};  // TCP + TLS handshake of one try
  int max_retries = 5;  // retries after the first try, where RetryTable() allows one
  std::chrono::milliseconds initial_backoff{500};  // first wait; doubles per try, with jitter
  std::chrono::milliseconds max_backoff{30000};
  /// The wait before the one retry after a refused connection.
  std::chrono::milliseconds refused_retry_delay{200};
  /// A `Retry-After` longer than this is not waited for: the 429/503 is returned to the caller.
  std::chrono::milliseconds max_retry_after{300000};
  double rate_limit_per_second = 0;   // token bucket per host; 0 = unlimited
  int max_concurrency_per_host = 16;  // requests in flight per scheme://host:port; 0 = unlimited
  /// Receives one line per try when set; else lines go to stderr if STASHFORM_LOG=debug.
  /// Lines never carry header values or bodies (see docs/http.md).
  std::function<void(const std::string&)> debug_log;
  /// Receives "still waiting for host:port: GET /path (2 s, try 1 of 6)" once a call has waited
  /// progress_after (or half its call_timeout, if shorter), then at most once per host every
  /// progress_every. Unset: no progress lines. Same secrecy as debug_log.
  std::function<void(const std::string&)> progress;
  std::chrono::milliseconds progress_after{2000};
  std::chrono::milliseconds progress_every{10000};
};

/// The one table from an HTTP failure to a StatusCode: 400, 422 invalid argument; 401
/// unauthenticated; 403 permission denied; 404, 410 not found; 409 already exists (Bitbucket
/// answers 409 when a key or name is in use); 412 failed precondition; 429 rate limited; 502, 503,
/// 504 and no answer at all unavailable; no answer in time deadline exceeded; other 5xx and
/// anything else internal. kOk for a 2xx answer.
StatusCode CodeOf(const Response& response);

/// The call as a Status names it: "GET /rest/api/1.0/projects" — method and URL path, without
/// scheme, host, credentials, query or fragment, so that it never carries a secret.
std::string CallOf(const Request& request);

/// A failed call's Status: `message` as the caller words it, with the code CodeOf(response), the
/// HTTP status (0 when no answer arrived) and CallOf(request).
Status FailedCall(const Request& request, const Response& response, std::string message);

/// Sets call_timeout and derives the connect timeout from it: a third of it, between 1 s and
/// 10 s, so that a host that drops connection attempts is tried more than once before the deadline.
void SetCallTimeout(ClientOptions& options, std::chrono::milliseconds call_timeout);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends one request, retrying where ClientOptions and Request::retry_safe allow. Thread-safe.
  virtual Response Send(const Request& request) = 0;
  /// Passes on a line about a wait its caller makes between calls (a Packagist job it polls) to
  /// where this client's own "still waiting" lines go (ClientOptions::progress); dropped when they
  /// go nowhere. Thread-safe.
  virtual void ReportWaiting(const std::string& /*line*/) {}
};

}  // namespace stashform::http
