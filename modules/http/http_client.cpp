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

}  // namespace stashform::http
