#include "tests/support/fake_http_client.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace stashform::http {
namespace {

Request Make(const std::string& method, const std::string& url, std::string body = "") {
  Request request;
  request.method = method;
  request.url = url;
  request.body = std::move(body);
  return request;
}

TEST(FakeHttpClient, AnswersQueuedRepliesInOrderThenTheStandingOne) {
  FakeHttpClient http;
  http.On("GET", "http://bb/x", FakeHttpClient::Reply(200, "standing"));
  http.Enqueue("GET", "http://bb/x", FakeHttpClient::Reply(429));
  http.Enqueue("GET", "http://bb/x", FakeHttpClient::Reply(503));

  EXPECT_EQ(http.Send(Make("GET", "http://bb/x")).status, 429);
  EXPECT_EQ(http.Send(Make("GET", "http://bb/x")).status, 503);
  EXPECT_EQ(http.Send(Make("GET", "http://bb/x")).body, "standing");
  EXPECT_EQ(http.Send(Make("GET", "http://bb/x")).body, "standing");
}

TEST(FakeHttpClient, MatchesMethodAndUrlThenFallsBackToTheHandler) {
  FakeHttpClient http;
  http.On("GET", "http://bb/x", FakeHttpClient::Reply(200, "get"));
  http.SetHandler([](const Request& request) {
    return FakeHttpClient::Reply(201, "handled " + request.Describe() + " " + request.body);
  });

  EXPECT_EQ(http.Send(Make("GET", "http://bb/x")).body, "get");
  EXPECT_EQ(http.Send(Make("POST", "http://bb/x", "{}")).body, "handled POST http://bb/x {}");
}

TEST(FakeHttpClient, NamesTheRequestItHasNoAnswerFor) {
  FakeHttpClient http;
  const Response response = http.Send(Make("DELETE", "http://bb/hooks/1"));
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.transport_error,
            "FakeHttpClient: no answer scripted for DELETE http://bb/hooks/1");
}

TEST(FakeHttpClient, RecordsEveryRequestFromEveryThread) {
  FakeHttpClient http;
  http.On("GET", "http://bb/x", FakeHttpClient::Reply(200));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) http.Send(Make("GET", "http://bb/x"));
    });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(http.CountOf("GET", "http://bb/x"), 100);
  EXPECT_EQ(http.requests().size(), 100u);
  EXPECT_EQ(http.CountOf("POST", "http://bb/x"), 0);
}

}  // namespace
}  // namespace stashform::http
