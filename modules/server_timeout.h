#pragma once
// The `timeout` attribute that every platform's server or account block has (bitbucket.server,
// spacelift.account; Gitpod and Packagist blocks take the same), and how it sets up the HTTP
// client of that server. One definition so that every platform reads and documents it alike.

#include <chrono>
#include <cstdint>
#include <string>

#include "modules/http/http_client.h"
#include "base/schema.h"
#include "base/value.h"

namespace stashform::modules {

/// Enough for a slow page of a large listing plus the backoff of a few retries (docs/http.md).
inline constexpr int64_t kDefaultTimeoutSeconds = 30;
inline constexpr int64_t kMaxTimeoutSeconds = 3600;

/// `timeout = 30`: whole seconds one call to the server may take, retries and their waits included.
inline AttributeSchema TimeoutAttribute() {
  AttributeSchema attr = MakeAttribute(
      "timeout", AttrType::kInt, AttrMode::kOptional,
      "Seconds one call to this server may take, retries included (default 30).");
  attr.check = [](const Value& value) -> std::string {
    if (!value.is_int()) return "";
    const int64_t seconds = value.as_int();
    if (seconds >= 1 && seconds <= kMaxTimeoutSeconds) return "";
    return "expected whole seconds from 1 to 3600, got " + std::to_string(seconds);
  };
  return attr;
}

/// Sets the call timeout of a server's client, and what derives from it, from the block's
/// `timeout` (kDefaultTimeoutSeconds when unset).
inline void ApplyTimeout(const Value::Map& config, http::ClientOptions& options) {
  int64_t seconds = kDefaultTimeoutSeconds;
  if (auto it = config.find("timeout"); it != config.end() && it->second.is_int() &&
                                        it->second.as_int() > 0)
    seconds = it->second.as_int();
  http::SetCallTimeout(options, std::chrono::seconds(seconds));
}

}  // namespace stashform::modules
