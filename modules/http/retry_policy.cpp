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

}  // namespace

const std::vector<RetryRule>& RetryTable() {
  using enum TransportFailure;
  // 429 and 503 say the request was not processed, so even a create is sent again. 500, 502 and
  // 504 leave open whether it was: a create is returned and the caller looks the object up.
  static const std::vector<RetryRule> kTable = {
      {"429", kNone, 429, Retry::kBackoff, Retry::kBackoff},
      {"500", kNone, 500, Retry::kBackoff, Retry::kNo},
      {"502", kNone, 502, Retry::kBackoff, Retry::kNo},
      {"503", kNone, 503, Retry::kBackoff, Retry::kBackoff},
      {"504", kNone, 504, Retry::kBackoff, Retry::kNo},
      {"any other status", kNone, 0, Retry::kNo, Retry::kNo},
      // Nothing listening is seldom transient: one quick retry covers a server that is restarting,
      // and the refusal is reported within a second.
      {"connection refused", kRefused, 0, Retry::kOnceSoon, Retry::kOnceSoon},
      {"not sent (DNS, TLS handshake, connect timeout)", kNotSent, 0, Retry::kBackoff,
       Retry::kBackoff},
      {"maybe sent (timeout, reset, empty reply)", kMaybeSent, 0, Retry::kBackoff, Retry::kNo},
      {"cannot pass (certificate, bad URL)", kPermanent, 0, Retry::kNo, Retry::kNo},
  };
  return kTable;
}

const RetryRule& RuleFor(TransportFailure failure, long status) {
  const auto& table = RetryTable();
  const RetryRule* fallback = nullptr;
  for (const RetryRule& rule : table) {
    if (rule.failure != failure) continue;
    if (failure != TransportFailure::kNone || rule.status == status) return rule;
    if (rule.status == 0) fallback = &rule;
  }
  return *fallback;
}

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

namespace {

// The wait a rule asks for, before the deadline is considered.
std::optional<std::chrono::milliseconds> WaitFor(Retry retry, const TryOutcome& outcome,
                                                 const ClientOptions& options,
                                                 std::chrono::system_clock::time_point now,
                                                 double jitter) {
  if (retry == Retry::kNo) return std::nullopt;
  if (retry == Retry::kOnceSoon) {
    if (outcome.attempt > 1) return std::nullopt;
    return options.refused_retry_delay;
  }
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

}  // namespace

std::optional<std::chrono::milliseconds> NextRetryDelay(const Request& request,
                                                        const TryOutcome& outcome,
                                                        const ClientOptions& options,
                                                        std::chrono::system_clock::time_point now,
                                                        double jitter) {
  if (outcome.attempt > options.max_retries) return std::nullopt;
  const long status = outcome.failure == TransportFailure::kNone ? outcome.response->status : 0;
  const RetryRule& rule = RuleFor(outcome.failure, status);
  const auto wait = WaitFor(request.retry_safe ? rule.retry_safe : rule.create, outcome, options,
                            now, jitter);
  if (wait && outcome.remaining && *wait >= *outcome.remaining) return std::nullopt;
  return wait;
}

}  // namespace stashform::http
