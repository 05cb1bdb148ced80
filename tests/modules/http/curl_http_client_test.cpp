#include "modules/http/curl_http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/fake_clock.h"
#include "tests/modules/http/loopback_server.h"
#include "tests/modules/http/quiet_ports.h"

namespace stashform::http {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackServer;
using testing::RefusingPort;

// Retries wait on a FakeClock, so these tests never sleep for backoff.
ClientOptions FastOptions() {
  ClientOptions options;
  options.max_retries = 3;
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(1000);
  return options;
}

Request Get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

// Sets an environment variable for one test and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(CurlHttpClient, SendsHeadersAndBodyAndReadsThemBack) {
  LoopbackServer server;
  server.server().Post("/echo", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = 201;
    res.set_header("X-Reply", "pong");
    res.set_content(req.method + " " + req.get_header_value("X-Probe") + " " +
                        req.get_header_value("Content-Type") + " " + req.body,
                    "text/plain");
  });
  server.Start();
  CurlHttpClient client(FastOptions());

  Request request = Get(server.Url("/echo"));
  request.method = "POST";
  request.headers = {{"X-Probe", "yes"}, {"Content-Type", "application/json"}};
  request.body = R"({"name":"spacelift"})";
  const Response response = client.Send(request);

  EXPECT_EQ(response.status, 201);
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(response.Header("x-reply"), "pong");
  EXPECT_EQ(response.body, R"(POST yes application/json {"name":"spacelift"})");
}

TEST(CurlHttpClient, SendsPutAndDeleteWithTheirMethods) {
  LoopbackServer server;
  auto echo = [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.set_content(req.method + ":" + req.body, "text/plain");
  };
  server.server().Put("/thing", echo);
  server.server().Delete("/thing", echo);
  server.Start();
  CurlHttpClient client(FastOptions());

  Request put = Get(server.Url("/thing"));
  put.method = "PUT";
  put.body = "whole object";
  Request remove = Get(server.Url("/thing"));
  remove.method = "DELETE";

  EXPECT_EQ(client.Send(put).body, "PUT:whole object");
  EXPECT_EQ(client.Send(remove).body, "DELETE:");
}

TEST(CurlHttpClient, ReusesOneConnectionForSequentialRequests) {
  LoopbackServer server;
  server.server().Get("/ping", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.set_content("pong", "text/plain");
  });
  server.Start();
  CurlHttpClient client(FastOptions());

  for (int i = 0; i < 10; ++i) ASSERT_EQ(client.Send(Get(server.Url("/ping"))).status, 200);

  EXPECT_EQ(server.requests(), 10);
  EXPECT_EQ(server.connections(), 1);
}

TEST(CurlHttpClient, ThreadsShareThePoolAndOpenNoMoreConnectionsThanThreads) {
  LoopbackServer server;
  server.server().Get("/ping", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.set_content("pong", "text/plain");
  });
  server.Start();
  CurlHttpClient client(FastOptions());
  std::atomic<int> ok{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (client.Send(Get(server.Url("/ping"))).body == "pong") ++ok;
    });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(server.requests(), 40);
  EXPECT_LE(server.connections(), 4);
}

TEST(CurlHttpClient, WaitsRetryAfterSecondsOn429ThenSucceeds) {
  LoopbackServer server;
  server.server().Get("/limited", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    if (server.requests() <= 2) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      return;
    }
    res.set_content("finally", "text/plain");
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);

  const Response response = client.Send(Get(server.Url("/limited")));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "finally");
  EXPECT_EQ(response.attempts, 3);
  EXPECT_EQ(clock.sleeps(), (std::vector<milliseconds>{milliseconds(7000), milliseconds(7000)}));
}

// A FakeClock that runs `during_first_sleep` inside the first wait, as another thread would.
class ClockWithAnInterlude : public FakeClock {
 public:
  std::function<void()> during_first_sleep;
  void Sleep(milliseconds duration) override {
    if (auto interlude = std::exchange(during_first_sleep, nullptr)) interlude();
    FakeClock::Sleep(duration);
  }
};

TEST(CurlHttpClient, ARetryAfterHoldsOffTheOtherCallersToThatHostToo) {
  LoopbackServer server;
  server.server().Get("/limited", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    if (server.requests() == 1) {
      res.status = 429;
      res.set_header("Retry-After", "7");
    }
  });
  server.server().Get("/other", [&](const httplib::Request& req, httplib::Response&) { server.Saw(req); });
  server.Start();
  ClockWithAnInterlude clock;
  CurlHttpClient client(FastOptions(), clock);
  // While the first call waits out its 429, another caller sends to the same host.
  Response other;
  clock.during_first_sleep = [&] { other = client.Send(Get(server.Url("/other"))); };

  const Response limited = client.Send(Get(server.Url("/limited")));

  EXPECT_EQ(limited.status, 200);
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.attempts, 1);  // it waited instead of earning a 429 of its own
  EXPECT_EQ(clock.sleeps(), (std::vector<milliseconds>{milliseconds(7000), milliseconds(7000)}));
}

TEST(CurlHttpClient, WaitsUntilARetryAfterDate) {
  LoopbackServer server;
  server.server().Get("/limited", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    if (server.requests() == 1) {
      res.status = 503;
      // FakeClock's calendar starts at 1700000000 s = Tue, 14 Nov 2023 22:13:20 GMT.
      res.set_header("Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT");
    }
  });
  server.Start();
  FakeClock clock;
  ClientOptions options = FastOptions();
  options.call_timeout = std::chrono::seconds(60);  // the 30 s wait fits in the call's budget
  CurlHttpClient client(options, clock);

  const Response response = client.Send(Get(server.Url("/limited")));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds(30000)});
}

TEST(CurlHttpClient, PacesRequestsToTheHostsRateLimit) {
  LoopbackServer server;
  server.server().Get("/ping",
                      [&](const httplib::Request& req, httplib::Response&) { server.Saw(req); });
  server.Start();
  FakeClock clock;
  ClientOptions options = FastOptions();
  options.rate_limit_per_second = 2;
  CurlHttpClient client(options, clock);

  for (int i = 0; i < 4; ++i) ASSERT_EQ(client.Send(Get(server.Url("/ping"))).status, 200);

  // A burst of two, then one request every 500 ms.
  EXPECT_EQ(clock.sleeps(), (std::vector<milliseconds>{milliseconds(500), milliseconds(500)}));
  EXPECT_EQ(server.requests(), 4);
}

TEST(CurlHttpClient, BacksOffExponentiallyThroughA503Burst) {
  LoopbackServer server;
  server.server().Get("/busy", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = server.requests() <= 3 ? 503 : 200;
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);

  const Response response = client.Send(Get(server.Url("/busy")));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 4);
  const auto sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  // Each wait lies within [half, full] of 100, 200, 400 ms.
  for (size_t i = 0; i < sleeps.size(); ++i) {
    const auto step = milliseconds(100 << i);
    EXPECT_GE(sleeps[i], step / 2) << i;
    EXPECT_LE(sleeps[i], step) << i;
  }
}

TEST(CurlHttpClient, SignsEveryTryAgainWhenTheRequestAsksForIt) {
  LoopbackServer server;
  std::vector<std::string> signatures;
  std::mutex seen;
  server.server().Get("/signed", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    {
      std::lock_guard lock(seen);
      signatures.push_back(req.get_header_value("Authorization"));
    }
    res.status = server.requests() <= 2 ? 503 : 200;
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);
  Request request = Get(server.Url("/signed"));
  int tries = 0;
  request.sign_each_try = [&tries](Request& attempt) { attempt.headers.emplace_back("Authorization", "try-" + std::to_string(++tries)); };

  EXPECT_EQ(client.Send(request).status, 200);
  EXPECT_EQ(signatures, (std::vector<std::string>{"try-1", "try-2", "try-3"}));
  EXPECT_TRUE(request.headers.empty()) << "the caller's request is left as it was";
}

TEST(CurlHttpClient, ReturnsTheLastAnswerWhenRetriesRunOut) {
  LoopbackServer server;
  server.server().Get("/down", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = 502;
    res.set_content("bad gateway " + std::to_string(server.requests()), "text/plain");
  });
  server.Start();
  FakeClock clock;
  ClientOptions options = FastOptions();
  options.max_retries = 2;
  CurlHttpClient client(options, clock);

  const Response response = client.Send(Get(server.Url("/down")));

  EXPECT_EQ(response.status, 502);
  EXPECT_EQ(response.body, "bad gateway 3");
  EXPECT_EQ(response.attempts, 3);
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(clock.sleeps().size(), 2u);
}

TEST(CurlHttpClient, ReportsConnectionRefusedAsATransportErrorAndRetriesEvenACreate) {
  RefusingPort port;
  FakeClock clock;
  ClientOptions options = FastOptions();
  options.max_retries = 1;
  CurlHttpClient client(options, clock);
  Request create = Get("http://127.0.0.1:" + std::to_string(port.port()) + "/webhooks");
  create.method = "POST";
  create.retry_safe = false;  // refused before sending: the server cannot have acted

  const Response response = client.Send(create);

  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.transport_error, "connection refused by 127.0.0.1:" +
                                          std::to_string(port.port()) +
                                          " — is the server running and is its URL right?");
  EXPECT_FALSE(response.timed_out);
  EXPECT_EQ(CodeOf(response), StatusCode::kUnavailable);
  EXPECT_EQ(response.attempts, 2);
}

TEST(CurlHttpClient, RetriesATimedOutGet) {
  LoopbackServer server;
  server.server().Get("/slow", [&](const httplib::Request& req, httplib::Response&) {
    server.Saw(req);
    server.Hang();
  });
  server.Start();
  FakeClock clock;
  ClientOptions options = FastOptions();
  options.max_retries = 1;
  CurlHttpClient client(options, clock);
  Request request = Get(server.Url("/slow"));
  request.timeout = milliseconds(300);

  const Response response = client.Send(request);

  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.transport_error, "Operation timed out with 0 bytes received");
  EXPECT_TRUE(response.timed_out);
  EXPECT_EQ(CodeOf(response), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(server.WaitForRequests(2), 2);
}

TEST(CurlHttpClient, NeverResendsACreateThatTimedOut) {
  LoopbackServer server;
  server.server().Post("/slow", [&](const httplib::Request& req, httplib::Response&) {
    server.Saw(req);
    server.Hang();
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);
  Request create = Get(server.Url("/slow"));
  create.method = "POST";
  create.body = "{}";
  create.timeout = milliseconds(300);
  create.retry_safe = false;

  const Response response = client.Send(create);

  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.transport_error.empty());
  EXPECT_EQ(response.attempts, 1);
  EXPECT_TRUE(clock.sleeps().empty());
  // Send has returned, so no later retry can arrive: the server saw exactly one create.
  EXPECT_EQ(server.WaitForRequests(1), 1);
}

TEST(CurlHttpClient, ResendsACreateRefusedWith429ButNotOneAnsweredWith502) {
  LoopbackServer server;
  server.server().Post("/limited", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = server.requests() == 1 ? 429 : 201;
  });
  server.server().Post("/gateway", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = 502;
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);
  Request create = Get(server.Url("/limited"));
  create.method = "POST";
  create.retry_safe = false;

  const Response limited = client.Send(create);
  create.url = server.Url("/gateway");
  const Response gateway = client.Send(create);

  EXPECT_EQ(limited.status, 201);
  EXPECT_EQ(limited.attempts, 2);
  EXPECT_EQ(gateway.status, 502);
  EXPECT_EQ(gateway.attempts, 1);
}

TEST(CurlHttpClient, RetriesAGetAnswered500ButNeverResendsACreate) {
  LoopbackServer server;
  auto flaky = [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = server.requests() == 1 ? 500 : 200;
  };
  server.server().Get("/projects", flaky);
  server.server().Post("/webhooks", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = 500;
  });
  server.Start();
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);
  Request create = Get(server.Url("/webhooks"));
  create.method = "POST";
  create.retry_safe = false;

  const Response listing = client.Send(Get(server.Url("/projects")));
  const Response created = client.Send(create);

  EXPECT_EQ(listing.status, 200);
  EXPECT_EQ(listing.attempts, 2);
  EXPECT_EQ(created.status, 500);
  EXPECT_EQ(created.attempts, 1);
  EXPECT_EQ(server.requests(), 3);
}

TEST(CurlHttpClient, DoesNotRetryWhatCannotSucceed) {
  FakeClock clock;
  CurlHttpClient client(FastOptions(), clock);

  const Response response = client.Send(Get("ftp://127.0.0.1/file"));

  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.transport_error.empty());
  EXPECT_EQ(response.attempts, 1);
}

TEST(CurlHttpClient, KeepsRequestsInFlightPerHostUnderTheLimit) {
  LoopbackServer server;
  server.server().Get("/work", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    server.Enter();
    std::this_thread::sleep_for(milliseconds(20));  // lets overlapping requests pile up
    server.Leave();
    res.set_content("done", "text/plain");
  });
  server.Start();
  ClientOptions options = FastOptions();
  options.max_concurrency_per_host = 2;
  CurlHttpClient client(options);

  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) client.Send(Get(server.Url("/work")));
    });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(server.requests(), 18);
  EXPECT_LE(server.max_in_flight(), 2);
}

TEST(CurlHttpClient, GoesThroughTheProxyNamedInTheEnvironment) {
  LoopbackServer proxy;
  std::string target;
  proxy.server().Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    proxy.Saw(req);
    target = req.path;  // a proxy is sent the absolute URL
    res.set_content("via proxy", "text/plain");
  });
  proxy.Start();
  ScopedEnv http_proxy("http_proxy", proxy.Url(""));
  CurlHttpClient client(FastOptions());

  // stash.invalid is never resolved: the request goes to the loopback proxy.
  const Response response = client.Send(Get("http://stash.invalid/rest/api/1.0/projects"));

  EXPECT_EQ(response.body, "via proxy");
  EXPECT_EQ(target, "http://stash.invalid/rest/api/1.0/projects");
}

}  // namespace
}  // namespace stashform::http
