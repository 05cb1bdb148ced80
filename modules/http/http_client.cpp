#include "modules/http/http_client.h"

#include <algorithm>
#include <cctype>

namespace stashform::http {

std::string Request::Describe() const { return method + " " + url; }

std::optional<std::string> Response::Header(const std::string& name) const {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  const std::string wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (lower(key) == wanted) return value;
  return std::nullopt;
}

void SetCallTimeout(ClientOptions& options, std::chrono::milliseconds call_timeout) {
  using std::chrono::milliseconds;
  options.call_timeout = call_timeout;
  milliseconds connect = std::clamp(call_timeout / 3, milliseconds(1000), milliseconds(10000));
  if (call_timeout.count() > 0) connect = std::min(connect, call_timeout);
  options.connect_timeout = connect;
}

}  // namespace stashform::http
