#include "modules/spacelift/api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/base64.h"

#include <cctype>

namespace stashform::spacelift {

namespace json = boost::json;

namespace {

constexpr auto kRefreshMargin = std::chrono::seconds(60);

const char* const kLoginDocument = "mutation($id:ID!$secret:String!){apiKeyUser(id: $id, secret: $secret){jwt}}";

/// The first error's message of a GraphQL answer, or "".
std::string FirstErrorMessage(const json::value& body) {
  const json::object* object = body.if_object();
  const json::value* errors = object ? object->if_contains("errors") : nullptr;
  if (!errors || !errors->is_array() || errors->as_array().empty()) return "";
  const json::value& first = errors->as_array().front();
  const json::value* message = first.is_object() ? first.as_object().if_contains("message") : nullptr;
  return message && message->is_string() ? std::string(message->as_string()) : "";
}

/// Every error's message joined by ", " (what the provider shows for a failed mutation).
std::string AllErrorMessages(const json::value& body) {
  std::string joined;
  for (const auto& error : body.as_object().at("errors").as_array()) {
    const json::value* message = error.is_object() ? error.as_object().if_contains("message") : nullptr;
    if (message && message->is_string()) joined += (joined.empty() ? "" : ", ") + std::string(message->as_string());
  }
  return joined;
}

/// Whether a GraphQL error answer says the object does not exist. Spacelift says so only in the
/// first error's text (lower-case "not found", as its Terraform provider matches it) or, in some
/// answers, with extensions.code "NOT_FOUND". This is the only place that reads that text.
bool SaysNotFound(const json::value& body) {
  if (FirstErrorMessage(body).find("not found") != std::string::npos) return true;
  const json::value& first = body.as_object().at("errors").as_array().front();
  const json::value* extensions = first.is_object() ? first.as_object().if_contains("extensions") : nullptr;
  const json::value* code = extensions && extensions->is_object() ? extensions->as_object().if_contains("code") : nullptr;
  return code && code->is_string() && code->as_string() == "NOT_FOUND";
}

std::string HttpFailureText(const http::Request& request, const http::Response& response) {
  if (!response.transport_error.empty()) return fmt::format("{}: {}", request.Describe(), response.transport_error);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  std::string message = ec ? "" : FirstErrorMessage(body);
  return fmt::format("{}: HTTP {}{}", request.Describe(), response.status, message.empty() ? "" : ": " + message);
}

/// A failed HTTP exchange as a Status: `prefix`, then the call and what went wrong.
Status HttpFailure(const std::string& prefix, const http::Request& request, const http::Response& response) {
  Status status = http::FailedCall(request, response, prefix + HttpFailureText(request, response));
  // Objects are reported inside a 200 answer: a 404 means the GraphQL endpoint itself is missing.
  if (status.IsNotFound())
    status = Status::Error(StatusCode::kInternal, status.message()).WithHttp(status.http_status(), status.call());
  return status;
}

/// A failure inside a 2xx answer (GraphQL errors, a body not understood) as a Status.
Status AnswerFailure(StatusCode code, std::string message, const http::Request& request,
                     const http::Response& response) {
  return Status::Error(code, std::move(message)).WithHttp(response.status, http::CallOf(request));
}

}  // namespace

std::string Slugify(const std::string& name) {
  std::string slug;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (dash && !slug.empty()) slug += '-';
      slug += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
  }
  return slug;
}

Result<JwtClaims> ReadJwtClaims(const std::string& jwt) {
  auto first = jwt.find('.');
  auto second = first == std::string::npos ? std::string::npos : jwt.find('.', first + 1);
  if (second == std::string::npos) return Status::Error("the token is not a JWT (three dot-separated parts)");
  auto text = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  boost::system::error_code ec;
  json::value claims = text ? json::parse(*text, ec) : json::value();
  if (!text || ec || !claims.is_object()) return Status::Error("the token's claims are not base64url JSON");
  JwtClaims out;
  const json::value* aud = claims.as_object().if_contains("aud");
  if (aud && aud->is_string()) out.audience = std::string(aud->as_string());
  if (aud && aud->is_array() && aud->as_array().size() == 1 && aud->as_array()[0].is_string())
    out.audience = std::string(aud->as_array()[0].as_string());
  if (out.audience.empty()) return Status::Error("the token does not name exactly one audience (aud)");
  if (const json::value* exp = claims.as_object().if_contains("exp"); exp && exp->is_number())
    out.expires = exp->to_number<int64_t>();
  return out;
}

SpaceliftApi::SpaceliftApi(AccountSettings settings, http::HttpClient& client, WallClock now)
    : settings_(std::move(settings)), client_(client), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
  if (!settings_.api_url.empty() && settings_.api_url.back() == '/') settings_.api_url.pop_back();
}

http::Request SpaceliftApi::MakeRequest(const std::string& url, const Operation& operation,
                                        const json::object& variables, const std::string& jwt) const {
  http::Request request;
  request.method = "POST";
  request.url = url;
  request.retry_safe = operation.retry_safe;
  request.headers.emplace_back("Content-Type", "application/json");
  if (!jwt.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + jwt);
    request.headers.emplace_back(operation.mutation ? "Spacelift-GraphQL-Mutation" : "Spacelift-GraphQL-Query",
                                 operation.name);
  }
  json::object body{{"query", operation.document}};
  if (!variables.empty()) body["variables"] = variables;
  request.body = json::serialize(body);
  return request;
}

Result<SpaceliftApi::Session> SpaceliftApi::LoginLocked() const {
  Operation login{true, "Login", "apiKeyUser", kLoginDocument, true};
  http::Request request = MakeRequest(settings_.api_url + "/graphql", login,
                                      {{"id", settings_.api_key_id}, {"secret", settings_.api_key_secret}}, "");
  http::Response response = client_.Send(request);
  if (!response.ok()) return HttpFailure("spacelift login: ", request, response);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object())
    return AnswerFailure(StatusCode::kInternal, "spacelift login: " + request.Describe() + ": answer is not JSON",
                         request, response);
  if (std::string message = FirstErrorMessage(body); !message.empty())
    return AnswerFailure(StatusCode::kUnauthenticated, "spacelift login: could not get API user data: " + message,
                         request, response);
  const json::value* data = body.as_object().if_contains("data");
  const json::value* user = data && data->is_object() ? data->as_object().if_contains("apiKeyUser") : nullptr;
  if (!user || !user->is_object())
    return AnswerFailure(StatusCode::kUnauthenticated,
                         fmt::format("spacelift login: no such API user, api_key_id \"{}\" may be incorrect",
                                     settings_.api_key_id),
                         request, response);
  const json::value* jwt = user->as_object().if_contains("jwt");
  if (!jwt || !jwt->is_string()) return Status::Error("spacelift login: the answer carries no jwt");
  auto claims = ReadJwtClaims(std::string(jwt->as_string()));
  if (!claims.ok()) return Status::Error("spacelift login: " + claims.message());
  Session session{std::string(jwt->as_string()), claims->audience,
                  claims->expires ? std::chrono::system_clock::time_point(std::chrono::seconds(claims->expires))
                                  : std::chrono::system_clock::time_point::max()};
  return session;
}

Result<SpaceliftApi::Session> SpaceliftApi::CurrentSession(bool force_login) const {
  std::lock_guard<std::mutex> lock(mutex_);
  bool fresh = !session_.jwt.empty() && (session_.expires == std::chrono::system_clock::time_point::max() ||
                                         now_() + kRefreshMargin < session_.expires);
  if (fresh && !force_login) return session_;
  auto session = LoginLocked();
  if (!session.ok()) return session.status();
  session_ = *session;
  return session_;
}

Status SpaceliftApi::Login() const {
  auto session = CurrentSession(/*force_login=*/true);
  return session.ok() ? Status::Ok() : session.status();
}

Result<json::value> SpaceliftApi::Call(const Operation& operation, const json::object& variables) const {
  const std::string subject = "spacelift " + operation.name;
  http::Response response;
  http::Request request;
  for (int attempt = 0; attempt < 2; ++attempt) {
    // A 401 means the token was revoked or expired early: log in once more, then give up.
    auto session = CurrentSession(/*force_login=*/attempt > 0);
    if (!session.ok()) return session.status().Prefixed(subject + ": ");
    request = MakeRequest(session->base_url + "/graphql", operation, variables, session->jwt);
    response = client_.Send(request);
    if (response.status != 401) break;
  }
  if (!response.ok()) return HttpFailure(subject + ": ", request, response);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object())
    return AnswerFailure(StatusCode::kInternal, subject + ": " + request.Describe() + ": answer is not JSON", request,
                         response);
  if (!FirstErrorMessage(body).empty()) {
    const bool not_found = SaysNotFound(body);
    if (!operation.mutation && not_found) return json::value(nullptr);
    return AnswerFailure(not_found ? StatusCode::kNotFound : StatusCode::kInternal,
                         subject + ": " + AllErrorMessages(body), request, response);
  }
  const json::value* data = body.as_object().if_contains("data");
  const json::value* field = data && data->is_object() ? data->as_object().if_contains(operation.root_field) : nullptr;
  if (!field)
    return AnswerFailure(StatusCode::kInternal, subject + ": the answer has no data." + operation.root_field, request,
                         response);
  return *field;
}

}  // namespace stashform::spacelift
