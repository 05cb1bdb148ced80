#include "modules/http/http_client.h"

#include <algorithm>
#include <cctype>
#include <string_view>

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

StatusCode CodeOf(const Response& response) {
  if (!response.transport_error.empty())
    return response.timed_out ? StatusCode::kDeadlineExceeded : StatusCode::kUnavailable;
  const long status = response.status;
  if (status >= 200 && status < 300) return StatusCode::kOk;
  switch (status) {
    case 400:
    case 422: return StatusCode::kInvalidArgument;
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404:
    case 410: return StatusCode::kNotFound;
    case 409: return StatusCode::kAlreadyExists;
    case 412: return StatusCode::kFailedPrecondition;
    case 429: return StatusCode::kRateLimited;
    case 502:
    case 503:
    case 504: return StatusCode::kUnavailable;
    default: return StatusCode::kInternal;
  }
}

std::string CallOf(const Request& request) {
  std::string_view url = request.url;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const auto path = url.find_first_of("/?#");
    url.remove_prefix(path == std::string_view::npos ? url.size() : path);
  }
  url = url.substr(0, url.find_first_of("?#"));
  return request.method + " " + std::string(url.empty() ? "/" : url);
}

Status FailedCall(const Request& request, const Response& response, std::string message) {
  StatusCode code = CodeOf(response);
  // A 2xx the caller could not use (a body it did not understand) is a failure of its own.
  if (code == StatusCode::kOk) code = StatusCode::kInternal;
  return Status::Error(code, std::move(message)).WithHttp(response.status, CallOf(request));
}

void SetCallTimeout(ClientOptions& options, std::chrono::milliseconds call_timeout) {
  using std::chrono::milliseconds;
  options.call_timeout = call_timeout;
  milliseconds connect = std::clamp(call_timeout / 3, milliseconds(1000), milliseconds(10000));
  if (call_timeout.count() > 0) connect = std::min(connect, call_timeout);
  options.connect_timeout = connect;
}

}  // namespace stashform::http
