#pragma once
// FakeHttpClient answers from a script instead of the network, and records what it was sent.

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "modules/http/http_client.h"

namespace stashform::http {

/// FakeHttpClient stands in for CurlHttpClient in unit tests. It never retries or sleeps: each
/// Send is one scripted answer. Lookup order: a queued answer for method+URL (used once), then a
/// standing answer for method+URL, then the handler; otherwise a transport error naming the
/// request. URLs match exactly, query string included. Thread-safe.
/// A client of its own for each server a test configures (a server owns its client), all answered
/// by one shared client: every call and every waiting line goes to `target`.
class ForwardingHttpClient : public HttpClient {
 public:
  explicit ForwardingHttpClient(HttpClient& target) : target_(target) {}
  Response Send(const Request& request) override { return target_.Send(request); }
  void ReportWaiting(const std::string& line) override { target_.ReportWaiting(line); }

 private:
  HttpClient& target_;
};

class FakeHttpClient : public HttpClient {
 public:
  using Handler = std::function<Response(const Request&)>;

  /// Answers every `method url` request with `response`.
  void On(const std::string& method, const std::string& url, Response response);
  /// Answers the next `method url` request with `response`; queued answers go out in order.
  void Enqueue(const std::string& method, const std::string& url, Response response);
  /// Answers whatever no scripted answer matches.
  void SetHandler(Handler handler);

  Response Send(const Request& request) override;
  void ReportWaiting(const std::string& line) override;

  /// Every line ReportWaiting was given, in order.
  std::vector<std::string> waiting_lines() const;

  /// Every request sent, in order.
  std::vector<Request> requests() const;
  /// How many requests were `method url`.
  int CountOf(const std::string& method, const std::string& url) const;

  /// A response with a status and a body, for scripts: FakeHttpClient::Reply(200, "{}").
  static Response Reply(long status, std::string body = "", Headers headers = {});

 private:
  using Key = std::pair<std::string, std::string>;
  mutable std::mutex mutex_;
  std::map<Key, std::deque<Response>> queued_;
  std::map<Key, Response> standing_;
  Handler handler_;
  std::vector<Request> requests_;
  std::vector<std::string> waiting_lines_;
};

}  // namespace stashform::http
