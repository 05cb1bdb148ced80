#include "modules/packagist/api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "modules/packagist/signature.h"

namespace stashform::packagist {

namespace json = boost::json;

namespace {

/// The server's own words from an error body: {"message": …} (or "error"), else the raw text cut short.
std::string ServerMessage(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    for (const char* key : {"message", "error"})
      if (const json::value* text = parsed.as_object().if_contains(key); text && text->is_string())
        return std::string(text->as_string());
  }
  std::string text = body.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string FailureText(const http::Request& request, const http::Response& response) {
  if (!response.transport_error.empty()) return fmt::format("{}: {}", request.Describe(), response.transport_error);
  std::string message = ServerMessage(response.body);
  std::string text = fmt::format("{}: HTTP {}{}", request.Describe(), response.status, message.empty() ? "" : ": " + message);
  if (response.status == 401)
    text += " (check api_key and api_secret, and that this machine's clock is right: a signature is valid for seconds)";
  return text;
}

std::string JobText(const json::value& job, const char* key) {
  const json::value* value = job.is_object() ? job.as_object().if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

}  // namespace

UrlParts SplitUrl(const std::string& url) {
  UrlParts parts;
  size_t scheme = url.find("://");
  size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t path_start = url.find_first_of("/?#", host_start);
  std::string authority = url.substr(host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  // The host without its port, as PHP's UriInterface::getHost() answers it.
  if (!authority.empty() && authority.front() == '[') {
    parts.host = authority.substr(0, authority.find(']') + 1);
  } else {
    parts.host = authority.substr(0, authority.find(':'));
  }
  std::transform(parts.host.begin(), parts.host.end(), parts.host.begin(), [](unsigned char c) { return std::tolower(c); });
  if (path_start == std::string::npos) return parts;
  std::string rest = url.substr(path_start);
  rest = rest.substr(0, rest.find('#'));
  size_t question = rest.find('?');
  parts.path = rest.substr(0, question);
  if (question != std::string::npos) parts.query = rest.substr(question + 1);
  return parts;
}

std::string NextLink(const std::string& link_header) {
  // Link: <https://…?page=2>; rel="next", <https://…?page=9>; rel="last"
  size_t pos = 0;
  while ((pos = link_header.find('<', pos)) != std::string::npos) {
    size_t close = link_header.find('>', pos);
    if (close == std::string::npos) return "";
    size_t next_entry = link_header.find('<', close);
    std::string params = link_header.substr(close + 1, next_entry == std::string::npos ? std::string::npos : next_entry - close - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return link_header.substr(pos + 1, close - pos - 1);
    pos = close;
  }
  return "";
}

PackagistApi::PackagistApi(AccountSettings settings, http::HttpClient& client, Clock& clock, Progress progress,
                           JobPolling polling)
    : settings_(std::move(settings)), client_(client), clock_(clock), progress_(std::move(progress)), polling_(polling) {
  while (!settings_.url.empty() && settings_.url.back() == '/') settings_.url.pop_back();
}

http::Request PackagistApi::MakeRequest(const std::string& method, const std::string& url, const json::value* body,
                                        bool retry_safe) const {
  http::Request request;
  request.method = method;
  request.url = url;
  request.retry_safe = retry_safe;
  request.headers.emplace_back("Accept", "application/json");
  if (body) {
    request.body = json::serialize(*body);
    request.headers.emplace_back("Content-Type", "application/json");
  }
  const UrlParts parts = SplitUrl(url);
  SignedRequest signed_part{method, parts.host, parts.path, parts.query, request.body};
  // Signed again before every try: the server refuses an old timestamp and a cnonce it has seen.
  request.sign_each_try = [signed_part, key = settings_.api_key, secret = settings_.api_secret,
                           &clock = clock_](http::Request& attempt) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(clock.WallNow().time_since_epoch()).count();
    SignatureParams params{key, std::to_string(seconds), NewCnonce()};
    std::erase_if(attempt.headers, [](const auto& header) { return header.first == "Authorization"; });
    attempt.headers.emplace_back("Authorization", AuthorizationHeader(signed_part, params, secret));
  };
  return request;
}

Result<ApiAnswer> PackagistApi::Send(const http::Request& request) const {
  http::Response response = client_.Send(request);
  if (!response.ok()) return http::FailedCall(request, response, "packagist: " + FailureText(request, response));
  ApiAnswer answer{response.status, response.headers, nullptr};
  if (!response.body.empty()) {
    boost::system::error_code ec;
    answer.body = json::parse(response.body, ec);
    if (ec)
      return Status::Error(StatusCode::kInternal, fmt::format("packagist: {}: answer is not JSON: {}", request.Describe(), ec.message()))
          .WithHttp(response.status, http::CallOf(request));
  }
  return answer;
}

Result<ApiAnswer> PackagistApi::Call(const std::string& method, const std::string& path, const json::value* body,
                                     bool retry_safe) const {
  return Send(MakeRequest(method, settings_.url + "/api" + path, body, retry_safe));
}

Result<std::vector<json::value>> PackagistApi::ListAll(const std::string& path) const {
  std::vector<json::value> items;
  std::string url = settings_.url + "/api" + path;
  for (int page = 0; !url.empty(); ++page) {
    if (page >= 10000) return Status::Error(fmt::format("packagist: GET {}: more than 10000 pages; the Link headers loop", path));
    auto answer = Send(MakeRequest("GET", url, nullptr, true));
    if (!answer.ok()) return answer.status();
    if (!answer->body.is_array())
      return Status::Error(StatusCode::kInternal, fmt::format("packagist: GET {}: answer is not a list", url));
    for (auto& item : answer->body.as_array()) items.push_back(std::move(item));
    http::Response as_response;
    as_response.headers = answer->headers;
    url = NextLink(as_response.Header("Link").value_or(""));
  }
  return items;
}

Result<json::value> PackagistApi::WaitForJob(const std::string& job_id, const std::string& what) const {
  const auto started = clock_.Now();
  auto delay = polling_.first_delay;
  for (int poll = 1;; ++poll) {
    auto answer = Call("GET", "/jobs/" + job_id);
    if (!answer.ok()) return answer.status().Prefixed(fmt::format("{}: job {}: ", what, job_id));
    const std::string status = JobText(answer->body, "status");
    if (status == "success") return answer->body;
    if (status == "error") {
      std::string message = JobText(answer->body, "message");
      return Status::Error(StatusCode::kFailedPrecondition,
                           fmt::format("packagist: {}: job {} failed: {}", what, job_id,
                                       message.empty() ? "(the job gave no message)" : message));
    }
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - started);
    if (waited + delay > polling_.limit)
      return Status::Error(StatusCode::kDeadlineExceeded,
                           fmt::format("packagist: {}: job {} is still {} after {} s; it may finish later: run "
                                       "`stashform plan` to see what it made",
                                       what, job_id, status.empty() ? "pending" : status, waited.count() / 1000));
    if (progress_)
      progress_(fmt::format("packagist: {}: job {} {} (poll {}, {:.1f} s)", what, job_id,
                            status.empty() ? "pending" : status, poll, waited.count() / 1000.0));
    clock_.Sleep(delay);
    delay = std::min(delay * 2, polling_.max_delay);
  }
}

}  // namespace stashform::packagist
