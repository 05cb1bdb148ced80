#include "tests/support/fake_http_client.h"

#include <algorithm>

namespace stashform::http {

void FakeHttpClient::On(const std::string& method, const std::string& url, Response response) {
  std::lock_guard lock(mutex_);
  standing_[{method, url}] = std::move(response);
}

void FakeHttpClient::Enqueue(const std::string& method, const std::string& url, Response response) {
  std::lock_guard lock(mutex_);
  queued_[{method, url}].push_back(std::move(response));
}

void FakeHttpClient::SetHandler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

Response FakeHttpClient::Send(const Request& unsigned_request) {
  // As CurlHttpClient does before every try: the request the server sees carries the signature.
  Request request = unsigned_request;
  if (request.sign_each_try) request.sign_each_try(request);
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    const Key key{request.method, request.url};
    if (auto queued = queued_.find(key); queued != queued_.end() && !queued->second.empty()) {
      Response response = std::move(queued->second.front());
      queued->second.pop_front();
      return response;
    }
    if (auto standing = standing_.find(key); standing != standing_.end()) return standing->second;
    handler = handler_;
  }
  // The handler runs unlocked so that it may block or call back into this fake.
  if (handler) return handler(request);
  Response response;
  response.transport_error = "FakeHttpClient: no answer scripted for " + request.Describe();
  return response;
}

std::vector<Request> FakeHttpClient::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeHttpClient::ReportWaiting(const std::string& line) {
  std::lock_guard lock(mutex_);
  waiting_lines_.push_back(line);
}

std::vector<std::string> FakeHttpClient::waiting_lines() const {
  std::lock_guard lock(mutex_);
  return waiting_lines_;
}

int FakeHttpClient::CountOf(const std::string& method, const std::string& url) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(requests_.begin(), requests_.end(), [&](const Request& r) {
    return r.method == method && r.url == url;
  }));
}

Response FakeHttpClient::Reply(long status, std::string body, Headers headers) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

}  // namespace stashform::http
