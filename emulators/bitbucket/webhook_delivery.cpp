#include "emulators/bitbucket/webhook_delivery.h"

#include "emulators/bitbucket/encoding.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/render.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <ctime>

namespace stashform::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct ParsedUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::optional<ParsedUrl> ParseHttpUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  ParsedUrl parsed;
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) parsed.target = rest.substr(slash);
  auto colon = authority.rfind(':');
  parsed.host = authority.substr(0, colon);
  if (colon != std::string::npos) parsed.port = authority.substr(colon + 1);
  if (parsed.host.empty()) return std::nullopt;
  return parsed;
}

std::string IsoDate(std::int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+0000", &utc);
  return buffer;
}

void Send(const ParsedUrl& url, http::request<http::string_body>& request, DeliveryRecord& record, int timeout_ms) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  auto timeout = std::chrono::milliseconds(timeout_ms);
  stream.expires_after(timeout);
  // Loopback receivers are what tests use; async ops let the timeout bound connect and read alike.
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) {
    record.error = "resolve: " + ec.message();
    return;
  }
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  stream.async_connect(endpoints, [&](beast::error_code connect_ec, const auto&) {
    if (connect_ec) {
      record.error = "connect: " + connect_ec.message();
      return;
    }
    http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        record.error = "write: " + write_ec.message();
        return;
      }
      http::async_read(stream, buffer, response, [&](beast::error_code read_ec, std::size_t) {
        if (read_ec) {
          record.error = "read: " + read_ec.message();
          return;
        }
        record.status_code = static_cast<int>(response.result_int());
        record.body = response.body();
      });
    });
  });
  io.run();
  stream.socket().close(ec);
}

}  // namespace

DeliveryTarget TargetOf(const Webhook& webhook) {
  DeliveryTarget target;
  target.webhook_id = webhook.id;
  target.url = webhook.url;
  if (auto* secret = webhook.configuration.if_contains("secret"); secret && secret->is_string())
    target.secret = std::string(secret->as_string());
  target.credentials = webhook.credentials;
  return target;
}

DeliveryRecord Deliver(const DeliveryTarget& target, const std::string& event_key, const std::string& body,
                       int timeout_ms) {
  DeliveryRecord record;
  record.request_id = RandomUuid();
  record.webhook_id = target.webhook_id;
  record.event_key = event_key;
  record.url = target.url;
  record.start = NowMillis();
  auto started = std::chrono::steady_clock::now();
  auto url = ParseHttpUrl(target.url);
  if (!url) {
    record.outcome = "ERROR";
    record.error = "only http:// URLs can be delivered by the emulator";
    return record;
  }
  http::request<http::string_body> request{http::verb::post, url->target, 11};
  request.set(http::field::host, url->host + ":" + url->port);
  request.set(http::field::content_type, "application/json; charset=UTF-8");
  request.set(http::field::user_agent, "Bitbucket version: 9.4.2");
  request.set("X-Request-Id", record.request_id);
  request.set("X-Event-Key", event_key);
  if (!target.secret.empty()) request.set("X-Hub-Signature", "sha256=" + HmacSha256Hex(target.secret, body));
  if (target.credentials)
    request.set(http::field::authorization,
                "Basic " + Base64Encode(target.credentials->username + ":" + target.credentials->password));
  request.body() = body;
  request.prepare_payload();
  for (const auto& field : request) record.request_headers[field.name_string()] = std::string(field.value());
  Send(*url, request, record, timeout_ms);
  record.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (record.status_code == 0) {
    record.outcome = "ERROR";
  } else {
    record.outcome = record.status_code >= 200 && record.status_code < 300 ? "SUCCESS" : "FAILURE";
  }
  return record;
}

boost::json::value DeliveryRecordJson(const DeliveryRecord& record) {
  boost::json::object json{{"requestId", record.request_id},
                           {"webhookId", record.webhook_id},
                           {"event", record.event_key},
                           {"url", record.url},
                           {"statusCode", record.status_code},
                           {"outcome", record.outcome},
                           {"start", record.start},
                           {"durationMs", record.duration_ms},
                           {"requestHeaders", record.request_headers},
                           {"responseBody", record.body}};
  if (!record.error.empty()) json["error"] = record.error;
  return json;
}

boost::json::object StatisticsJson(const State& state, int webhook_id) {
  std::int64_t success = 0, failure = 0, error = 0;
  const DeliveryRecord* last = nullptr;
  for (const auto& record : state.deliveries) {
    if (record.webhook_id != webhook_id) continue;
    if (record.outcome == "SUCCESS") ++success;
    else if (record.outcome == "FAILURE") ++failure;
    else ++error;
    last = &record;
  }
  boost::json::object json{{"counts", {{"success", success}, {"failure", failure}, {"error", error}}}};
  json["lastInvocation"] = last ? DeliveryRecordJson(*last) : boost::json::value(nullptr);
  return json;
}

std::optional<boost::json::object> LatestInvocationJson(const State& state, const Webhook& webhook,
                                                        const std::optional<std::string>& event,
                                                        const std::optional<std::string>& outcome) {
  for (auto it = state.deliveries.rbegin(); it != state.deliveries.rend(); ++it) {
    const DeliveryRecord& record = *it;
    if (record.webhook_id != webhook.id || (event && record.event_key != *event) ||
        (outcome && record.outcome != *outcome))
      continue;
    std::string scope_id = webhook.scope_type == "project" ? webhook.project_key
                                                           : webhook.project_key + "/" + webhook.repository_slug;
    boost::json::object result{{"outcome", record.outcome}, {"statusCode", record.status_code}};
    if (!record.error.empty()) result["error"] = record.error;
    // The spec types start/finish as int32; real epoch millis do not fit, so they are int64 here.
    return boost::json::object{{"id", record.sequence},
                               {"event", record.event_key},
                               {"eventScope", {{"id", scope_id}, {"type", webhook.scope_type}}},
                               {"duration", record.duration_ms},
                               {"start", record.start},
                               {"finish", record.start + record.duration_ms},
                               {"request", {{"url", record.url}, {"method", "POST"}}},
                               {"result", result}};
  }
  return std::nullopt;
}

Response TestWebhook(Call& call) {
  DeliveryTarget target;
  if (auto id = call.request.Query("webhookId")) {
    Webhook* webhook = nullptr;
    try {
      webhook = call.state.model.FindWebhook(std::stoi(*id));
    } catch (const std::exception&) {
    }
    if (!webhook || webhook->project_key != call.Param("projectKey")) return NoSuchWebhook(*id);
    target = TargetOf(*webhook);
  }
  if (auto url = call.request.Query("url")) target.url = *url;
  if (target.url.empty()) return ValidationError("url", "A URL or a webhookId is required.");
  if (!call.request.body.empty()) {
    boost::system::error_code ec;
    auto body = boost::json::parse(call.request.body, ec);
    if (ec || !body.is_object()) return MalformedJson(ec ? ec.message() : "expected an object");
    const auto& object = body.as_object();
    WebhookCredentials credentials;
    if (auto* u = object.if_contains("username"); u && u->is_string()) credentials.username = std::string(u->as_string());
    if (auto* p = object.if_contains("password"); p && p->is_string()) credentials.password = std::string(p->as_string());
    if (!credentials.username.empty()) target.credentials = credentials;
  }
  int timeout = call.state.settings.delivery_timeout_ms;
  const std::string payload = R"({"test":true})";
  call.lock->unlock();
  DeliveryRecord record = Deliver(target, "diagnostics:ping", payload, timeout);
  call.lock->lock();
  call.state.Record(record);
  // RestWebhookRequestResponse is an empty schema in the spec: this shape is our invention.
  boost::json::object answer;
  answer["request"] = {{"url", target.url}, {"method", "POST"}, {"headers", record.request_headers}, {"body", payload}};
  boost::json::object result{{"statusCode", record.status_code}, {"body", record.body}, {"outcome", record.outcome}};
  if (!record.error.empty()) result["error"] = record.error;
  answer["result"] = result;
  return JsonResponse(200, answer);
}

boost::json::object EventPayload(const State& state, const std::string& event_key, const Project& project,
                                 const Repository* repository, const User* actor) {
  boost::json::object payload;
  payload["eventKey"] = event_key;
  payload["date"] = IsoDate(NowMillis());
  if (actor) payload["actor"] = UserJson(*actor, state.base_url);
  if (repository) {
    payload["repository"] = RepositoryJson(project, *repository, state.base_url);
  } else {
    payload["project"] = ProjectJson(project, state.base_url);
  }
  if (event_key == "repo:refs_changed" && repository) {
    const std::string zero(40, '0');
    const std::string branch = repository->default_branch;
    payload["changes"] = boost::json::array{boost::json::object{
        {"ref", {{"id", "refs/heads/" + branch}, {"displayId", branch}, {"type", "BRANCH"}}},
        {"refId", "refs/heads/" + branch},
        {"fromHash", zero},
        {"toHash", RandomHex(20)},
        {"type", "UPDATE"}}};
  }
  return payload;
}

}  // namespace stashform::emulator
