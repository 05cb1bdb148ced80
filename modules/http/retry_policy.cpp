#include "modules/http/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace stashform::http {
namespace {

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Whether this try may be followed by another at all, before looking at the wait.
bool MayRetry(const Request& request, const TryOutcome& outcome) {
  switch (outcome.failure) {
    case TransportFailure::kNotSent:
      return true;
    case TransportFailure::kMaybeSent:
      return request.retry_safe;
    case TransportFailure::kPermanent:
      return false;
    case TransportFailure::kNone:
      break;
  }
  const long status = outcome.response->status;
  if (!IsRetryableStatus(status)) return false;
  return request.retry_safe || StatusProvesNotActed(status);
}

}  // namespace

bool IsRetryableStatus(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

bool StatusProvesNotActed(long status) { return status == 429 || status == 503; }

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    const std::string& value, std::chrono::system_clock::time_point now) {
  const std::string text = Trim(value);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    long long seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    seconds = std::min<long long>(seconds, 365LL * 24 * 3600);
    return std::chrono::milliseconds(seconds * 1000);
  }
  // curl_getdate reads the three date forms RFC 9110 allows (IMF-fixdate, RFC 850, asctime).
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(wait));
}

std::chrono::milliseconds Backoff(int attempt, const ClientOptions& options, double jitter) {
  const long long cap = std::max<long long>(0, options.max_backoff.count());
  long long step = std::max<long long>(1, options.initial_backoff.count());
  for (int i = 1; i < attempt && step < cap; ++i) step *= 2;
  step = std::min(step, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(step / 2 + static_cast<long long>((step - step / 2) * jitter));
}

std::optional<std::chrono::milliseconds> NextRetryDelay(const Request& request,
                                                        const TryOutcome& outcome,
                                                        const ClientOptions& options,
                                                        std::chrono::system_clock::time_point now,
                                                        double jitter) {
  if (outcome.attempt > options.max_retries) return std::nullopt;
  if (!MayRetry(request, outcome)) return std::nullopt;
  const auto backoff = Backoff(outcome.attempt, options, jitter);
  if (outcome.failure != TransportFailure::kNone) return backoff;
  const auto retry_after_header = outcome.response->Header("Retry-After");
  if (!retry_after_header) return backoff;
  const auto retry_after = ParseRetryAfter(*retry_after_header, now);
  if (!retry_after) return backoff;
  // A server asking for a longer wait than we accept gets its answer passed up, not a retry.
  if (*retry_after > options.max_retry_after) return std::nullopt;
  return *retry_after;
}

}  // namespace stashform::http
