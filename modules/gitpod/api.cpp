#include "modules/gitpod/api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

namespace stashform::gitpod {

namespace json = boost::json;

namespace {

/// Connect's error envelope, when the answer carries one: its code and message.
struct ConnectError {
  std::string code;
  std::string message;
};

ConnectError ReadConnectError(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  if (!object) return {};
  ConnectError error;
  if (const auto* code = object->if_contains("code"); code && code->is_string()) error.code = code->as_string();
  if (const auto* message = object->if_contains("message"); message && message->is_string())
    error.message = message->as_string();
  return error;
}

Status Failure(const std::string& method, const http::Request& request, const http::Response& response) {
  const std::string subject = "gitpod " + method + ": " + request.Describe();
  if (!response.transport_error.empty())
    return http::FailedCall(request, response, fmt::format("{}: {}", subject, response.transport_error));
  ConnectError error = ReadConnectError(response.body);
  std::string text = fmt::format("{}: HTTP {}{}{}", subject, response.status, error.code.empty() ? "" : " " + error.code,
                                 error.message.empty() ? "" : ": " + error.message);
  Status status = http::FailedCall(request, response, text);
  // The envelope's code is the server's own word; the HTTP status only stands in without one.
  if (!error.code.empty()) status = Status::Error(StatusCodeOfConnect(error.code), text).WithHttp(response.status, status.call());
  return status;
}

}  // namespace

StatusCode StatusCodeOfConnect(const std::string& connect_code) {
  static const std::map<std::string, StatusCode> kCodes = {
      {"canceled", StatusCode::kUnavailable},          {"unknown", StatusCode::kInternal},
      {"invalid_argument", StatusCode::kInvalidArgument}, {"deadline_exceeded", StatusCode::kDeadlineExceeded},
      {"not_found", StatusCode::kNotFound},            {"already_exists", StatusCode::kAlreadyExists},
      {"permission_denied", StatusCode::kPermissionDenied}, {"resource_exhausted", StatusCode::kRateLimited},
      {"failed_precondition", StatusCode::kFailedPrecondition}, {"aborted", StatusCode::kUnavailable},
      {"out_of_range", StatusCode::kInvalidArgument},  {"unimplemented", StatusCode::kInternal},
      {"internal", StatusCode::kInternal},             {"unavailable", StatusCode::kUnavailable},
      {"data_loss", StatusCode::kInternal},            {"unauthenticated", StatusCode::kUnauthenticated},
  };
  auto it = kCodes.find(connect_code);
  return it == kCodes.end() ? StatusCode::kInternal : it->second;
}

GitpodApi::GitpodApi(AccountSettings settings, http::HttpClient& client)
    : settings_(std::move(settings)), client_(client) {
  while (!settings_.url.empty() && settings_.url.back() == '/') settings_.url.pop_back();
  if (settings_.api_url.empty()) settings_.api_url = settings_.url + "/public-api";
  while (!settings_.api_url.empty() && settings_.api_url.back() == '/') settings_.api_url.pop_back();
}

Result<json::object> GitpodApi::Call(const std::string& method, const json::object& message, bool retry_safe) const {
  http::Request request;
  request.method = "POST";
  request.url = fmt::format("{}/{}/{}", settings_.api_url, kAuthProviderService, method);
  request.retry_safe = retry_safe;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Connect-Protocol-Version", "1");
  request.headers.emplace_back("Authorization", "Bearer " + settings_.token);
  request.body = json::serialize(message);
  http::Response response = client_.Send(request);
  if (!response.ok()) return Failure(method, request, response);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object())
    return Status::Error(StatusCode::kInternal, fmt::format("gitpod {}: {}: the answer is not a JSON object", method,
                                                            request.Describe()))
        .WithHttp(response.status, http::CallOf(request));
  return body.as_object();
}

}  // namespace stashform::gitpod
