#include "modules/bitbucket/api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/base64.h"

namespace stashform::bitbucket {

namespace json = boost::json;

namespace {

std::string StatusText(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace

std::string PathSegment(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string ErrorEnvelopeMessage(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return "";
  const auto* errors = parsed.as_object().if_contains("errors");
  if (!errors || !errors->is_array() || errors->as_array().empty()) return "";
  const auto& first = errors->as_array().front();
  if (!first.is_object()) return "";
  const auto* message = first.as_object().if_contains("message");
  return message && message->is_string() ? std::string(message->as_string()) : "";
}

BitbucketApi::BitbucketApi(ServerSettings settings, http::HttpClient& client)
    : settings_(std::move(settings)), client_(client) {
  while (!settings_.url.empty() && settings_.url.back() == '/') settings_.url.pop_back();
  if (!settings_.token.empty()) authorization_ = "Bearer " + settings_.token;
  else if (!settings_.username.empty())
    authorization_ = "Basic " + Base64Encode(settings_.username + ":" + settings_.password);
}

std::string BitbucketApi::ErrorText(const http::Request& request, const http::Response& response) const {
  if (!response.transport_error.empty())
    return fmt::format("{}: {}", request.Describe(), response.transport_error);
  std::string text = fmt::format("{}: {}", request.Describe(), response.status);
  std::string reason = StatusText(response.status);
  if (!reason.empty()) text += " " + reason;
  std::string message = ErrorEnvelopeMessage(response.body);
  if (!message.empty()) text += ": " + message;
  return text;
}

Result<ApiAnswer> BitbucketApi::Call(const std::string& method, const std::string& path,
                                     const json::value* body, bool retry_safe) const {
  http::Request request;
  request.method = method;
  request.url = settings_.url + path;
  request.retry_safe = retry_safe;
  request.headers.reserve(4);
  request.headers.emplace_back("Accept", "application/json");
  // Bitbucket's XSRF guard wants this on writes; it is harmless on reads.
  request.headers.emplace_back("X-Atlassian-Token", "no-check");
  if (!authorization_.empty()) request.headers.emplace_back("Authorization", authorization_);
  if (body) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json::serialize(*body);
  }
  http::Response response = client_.Send(request);
  if (!response.ok()) return http::FailedCall(request, response, ErrorText(request, response));
  ApiAnswer answer;
  answer.status = response.status;
  answer.headers = std::move(response.headers);
  if (!response.body.empty()) {
    boost::system::error_code ec;
    answer.body = json::parse(response.body, ec);
    if (ec)
      return http::FailedCall(request, response,
                              fmt::format("{}: answer is not JSON: {}", request.Describe(), ec.message()));
  }
  return answer;
}

Result<std::string> BitbucketApi::VerifyIdentity() const {
  const std::string path = "/rest/api/1.0/application-properties";
  auto answer = Call("GET", path);
  if (!answer.ok()) return answer.status();
  const json::object* object = answer->body.if_object();
  if (!object || !object->if_contains("version"))
    return Status::Error(fmt::format("GET {}{}: the answer is not Bitbucket's application properties; "
                                     "check that url points at the Bitbucket base URL (with its context path)",
                                     settings_.url, path));
  http::Response as_response;
  as_response.headers = answer->headers;
  auto user = as_response.Header("X-AUSERNAME");
  if (!user || user->empty() || *user == "anonymous")
    return Status::Error(StatusCode::kUnauthenticated,
                         fmt::format("GET {}{}: the server did not accept the credentials (it answered as "
                                     "anonymous); check the token or username and password",
                                     settings_.url, path));
  return *user;
}

Result<std::vector<json::value>> BitbucketApi::ListAll(const std::string& path) const {
  std::vector<json::value> values;
  const char separator = path.find('?') == std::string::npos ? '?' : '&';
  int64_t start = 0;
  // The server may cap `limit` below what we ask; nextPageStart is the only safe cursor.
  for (int page = 0; page < 100000; ++page) {
    auto answer = Call("GET", fmt::format("{}{}start={}&limit=1000", path, separator, start));
    if (!answer.ok()) return answer.status();
    const json::object* object = answer->body.if_object();
    const json::array* page_values = object ? object->if_contains("values") ? object->at("values").if_array() : nullptr : nullptr;
    if (!page_values)
      return Status::Error(fmt::format("GET {}{}: answer is not a page (no \"values\")", settings_.url, path));
    for (const auto& v : *page_values) values.push_back(v);
    const json::value* last = object->if_contains("isLastPage");
    const json::value* next = object->if_contains("nextPageStart");
    if ((last && last->is_bool() && last->as_bool()) || !next || !next->is_number()) break;
    // A cursor that is no whole number (1.5, 1e300) cannot be sent back; to_number would throw.
    if (!next->is_int64())
      return Status::Error(fmt::format("GET {}{}: answer's nextPageStart {} is not a whole number", settings_.url, path,
                                       json::serialize(*next)));
    int64_t next_start = next->as_int64();
    if (next_start <= start) break;  // a cursor that does not move would loop for ever
    start = next_start;
  }
  return values;
}

}  // namespace stashform::bitbucket
