#pragma once
// The retry rules of HttpClient, as pure functions: which answers and failures are retried, and
// how long to wait. No I/O here; CurlHttpClient applies them and FakeClock tests them.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "modules/http/http_client.h"

namespace stashform::http {

/// What a failed transfer tells us about whether the server may have seen the request.
enum class TransportFailure {
  kNone,       // an answer arrived
  kRefused,    // the host refused the connection: nothing listens there, or not yet
  kNotSent,    // failed before the request left (DNS, TLS handshake, connect timeout)
  kMaybeSent,  // failed after the request may have reached the server (timeout, reset, no reply)
  kPermanent,  // retrying cannot help (bad URL, certificate rejected, unsupported protocol)
};

/// How a row of the retry table treats a request: return what came back, or wait and send again.
enum class Retry {
  kNo,       // return the answer or the transport error to the caller
  kBackoff,  // wait (`Retry-After` when the answer has one, else backoff), then send again
  kOnceSoon,  // wait ClientOptions::refused_retry_delay and send once more, after the first try only
};

/// One row of the retry table: what a try ended with, and what follows for a request that is
/// retry_safe (GET, PUT, DELETE) and for one that is not (a create). docs/http.md shows the table.
struct RetryRule {
  const char* what;          // "500", "connection refused", ...
  TransportFailure failure;  // kNone for rows that match an answer
  long status;               // the answer's status; 0 for transport rows and for "any other status"
  Retry retry_safe;
  Retry create;
};

/// The retry table, in the order docs/http.md lists it.
const std::vector<RetryRule>& RetryTable();
/// The row that a try's status (for kNone) or transport failure falls in.
const RetryRule& RuleFor(TransportFailure failure, long status);

/// Seconds ("120") or an HTTP-date; the wait from `now`, never negative. nullopt if unparseable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value,
                                                         std::chrono::system_clock::time_point now);

/// Exponential backoff for the wait after try number `attempt` (1-based), capped at max_backoff.
/// `jitter` in [0, 1) picks the wait within [half, full] of the exponential step.
std::chrono::milliseconds Backoff(int attempt, const ClientOptions& options, double jitter);

/// The outcome of one try, as seen by the retry rules.
struct TryOutcome {
  const Response* response = nullptr;
  TransportFailure failure = TransportFailure::kNone;
  int attempt = 1;  // tries made so far, this one included
  /// What is left of the call's deadline (ClientOptions::call_timeout); nullopt when it has none.
  /// No retry is made whose wait would not end before the deadline.
  std::optional<std::chrono::milliseconds> remaining;
};

/// How long to wait before the next try, or nullopt to return `outcome.response` as it is.
std::optional<std::chrono::milliseconds> NextRetryDelay(const Request& request,
                                                        const TryOutcome& outcome,
                                                        const ClientOptions& options,
                                                        std::chrono::system_clock::time_point now,
                                                        double jitter);

}  // namespace stashform::http
