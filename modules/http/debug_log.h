#pragma once
// DebugLog writes one line per HTTP try when STASHFORM_LOG=debug; it never writes header values,
// bodies, URL credentials or secret-looking query parameters.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "modules/http/http_client.h"

namespace stashform::http {

/// "https://bob:pw@host/x?token=abc&limit=5" → "https://***@host/x?token=***&limit=5".
std::string RedactUrl(const std::string& url);

/// DebugLog formats and emits request lines; it decides nothing about requests. Thread-safe.
class DebugLog {
 public:
  using Sink = std::function<void(const std::string&)>;
  /// An empty sink means stderr when STASHFORM_LOG is "debug", else no logging.
  explicit DebugLog(Sink sink);

  bool enabled() const { return static_cast<bool>(sink_); }
  /// "http: GET https://host/rest/api/1.0/projects -> 503 (attempt 1, 12 ms, retry in 500 ms)"
  void Record(const Request& request, const Response& response,
              std::chrono::steady_clock::duration elapsed,
              std::optional<std::chrono::milliseconds> retry_in = std::nullopt) const;

 private:
  Sink sink_;
};

}  // namespace stashform::http
