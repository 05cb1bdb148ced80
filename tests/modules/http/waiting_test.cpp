// Hosts that keep a pipeline waiting (issue 14 §4): a refused connection is reported at once, a
// host that never answers is given up at the call's timeout, and a wait says what it waits on.
// These run on the real clock against loopback ports; each is bounded to a few seconds.

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"
#include "modules/http/curl_http_client.h"
#include "tests/modules/http/loopback_server.h"
#include "tests/modules/http/quiet_ports.h"

namespace stashform::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::LoopbackServer;
using testing::RefusingPort;
using testing::SilentListener;

milliseconds Since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

/// Progress lines as a test sees them.
class Lines {
 public:
  std::function<void(const std::string&)> Sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> Get() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST(HostsThatKeepAPipelineWaiting, ARefusedConnectionIsReportedWithinASecondNamingTheHost) {
  RefusingPort port;
  CurlHttpClient client(ClientOptions{});  // the defaults a server block gets
  Request request;
  request.url = port.Url("/rest/api/1.0/projects");

  const auto start = steady_clock::now();
  const Response response = client.Send(request);

  EXPECT_LT(Since(start), milliseconds(1000));
  EXPECT_EQ(response.attempts, 2);  // one quick retry, for a server that is just restarting
  EXPECT_EQ(response.transport_error, "connection refused by 127.0.0.1:" +
                                          std::to_string(port.port()) +
                                          " — is the server running and is its URL right?");
}

TEST(HostsThatKeepAPipelineWaiting, AHostThatNeverAnswersIsGivenUpAtTheCallTimeout) {
  SilentListener listener;
  ClientOptions options;
  SetCallTimeout(options, milliseconds(1500));
  CurlHttpClient client(options);
  Request request;
  request.url = listener.Url("/rest/api/1.0/projects");

  const auto start = steady_clock::now();
  const Response response = client.Send(request);

  EXPECT_GE(Since(start), milliseconds(1400));
  EXPECT_LT(Since(start), milliseconds(3000));
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.transport_error,
            "no answer from 127.0.0.1:" + std::to_string(listener.port()) +
                " within 1.5 s (the call's timeout, 1 try) — is the server overloaded? If it is "
                "only slow, raise timeout on its server block");
}

TEST(HostsThatKeepAPipelineWaiting, RetriesOnlyWithinTheCallTimeout) {
  LoopbackServer server;
  server.server().Get("/busy", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = 503;
  });
  server.Start();
  FakeClock clock;  // Sleep advances it: only backoff counts against the deadline here
  ClientOptions options;
  options.call_timeout = milliseconds(1000);
  options.initial_backoff = milliseconds(400);
  CurlHttpClient client(options, clock);
  Request request;
  request.url = server.Url("/busy");

  const Response response = client.Send(request);

  const auto sleeps = clock.sleeps();
  EXPECT_EQ(response.status, 503);
  EXPECT_LT(std::accumulate(sleeps.begin(), sleeps.end(), milliseconds(0)), milliseconds(1000));
  EXPECT_EQ(response.attempts, static_cast<int>(sleeps.size()) + 1);
  EXPECT_LT(response.attempts, 6);
  EXPECT_EQ(server.requests(), response.attempts);
}

TEST(HostsThatKeepAPipelineWaiting, AWaitSaysWhichHostAndCallItWaitsOnAndNoSecret) {
  SilentListener listener;
  Lines lines;
  ClientOptions options;
  SetCallTimeout(options, milliseconds(2500));
  options.progress = lines.Sink();
  options.progress_after = milliseconds(1000);
  CurlHttpClient client(options);
  Request request;
  request.url = "http://admin:pw-in-url@127.0.0.1:" + std::to_string(listener.port()) +
                "/rest/api/1.0/projects?limit=25&access_token=query-secret";
  request.headers = {{"Authorization", "Bearer header-secret"}};

  const auto start = steady_clock::now();
  client.Send(request);

  EXPECT_LT(Since(start), milliseconds(4000));
  // One line: the next would be due progress_every (10 s) later.
  EXPECT_EQ(lines.Get(), std::vector<std::string>{
                             "still waiting for 127.0.0.1:" + std::to_string(listener.port()) +
                             ": GET /rest/api/1.0/projects?limit=25&access_token=*** (1 s, try 1 "
                             "of 6)"});
}

TEST(HostsThatKeepAPipelineWaiting, AShortCallTimeoutBringsTheFirstLineForward) {
  SilentListener listener;
  Lines lines;
  ClientOptions options;
  SetCallTimeout(options, milliseconds(1200));  // progress_after stays 2 s
  options.progress = lines.Sink();
  CurlHttpClient client(options);
  Request request;
  request.url = listener.Url("/rest/api/1.0/projects");

  client.Send(request);

  ASSERT_EQ(lines.Get().size(), 1u);
  EXPECT_EQ(lines.Get()[0].rfind("still waiting for 127.0.0.1:", 0), 0u) << lines.Get()[0];
}

TEST(HostsThatKeepAPipelineWaiting, NoLineForACallAnsweredInTime) {
  LoopbackServer server;
  server.server().Get("/ping", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.set_content("pong", "text/plain");
  });
  server.Start();
  Lines lines;
  ClientOptions options;
  options.progress = lines.Sink();
  options.progress_after = milliseconds(300);
  CurlHttpClient client(options);
  Request request;
  request.url = server.Url("/ping");

  EXPECT_EQ(client.Send(request).body, "pong");
  std::this_thread::sleep_for(milliseconds(500));  // past progress_after, with the call over

  EXPECT_TRUE(lines.Get().empty());
}

TEST(SetCallTimeout, DerivesTheConnectTimeoutFromTheCallTimeout) {
  ClientOptions options;
  SetCallTimeout(options, milliseconds(30000));
  EXPECT_EQ(options.call_timeout, milliseconds(30000));
  EXPECT_EQ(options.connect_timeout, milliseconds(10000));
  SetCallTimeout(options, milliseconds(6000));
  EXPECT_EQ(options.connect_timeout, milliseconds(2000));
  SetCallTimeout(options, milliseconds(2000));
  EXPECT_EQ(options.connect_timeout, milliseconds(1000));
  SetCallTimeout(options, milliseconds(500));
  EXPECT_EQ(options.connect_timeout, milliseconds(500));
  SetCallTimeout(options, milliseconds(300000));
  EXPECT_EQ(options.connect_timeout, milliseconds(10000));
}

// A caller that waits between calls (Packagist polling a job) says so where the client's own
// waiting lines go, so that the command prints both the same way; with nowhere to go, nothing.
TEST(HostsThatKeepAPipelineWaiting, AWaitTheCallerMakesGoesWhereTheClientsOwnLinesGo) {
  Lines lines;
  ClientOptions options;
  options.progress = lines.Sink();
  CurlHttpClient client(options);
  client.ReportWaiting("packagist: adding package https://bb/scm/infra/api.git: job j1 queued (poll 1, 0.0 s)");
  EXPECT_EQ(lines.Get(), (std::vector<std::string>{
                             "packagist: adding package https://bb/scm/infra/api.git: job j1 queued (poll 1, 0.0 s)"}));

  CurlHttpClient quiet{ClientOptions{}};
  quiet.ReportWaiting("dropped");
}

}  // namespace
}  // namespace stashform::http
