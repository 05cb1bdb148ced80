#include "modules/http/debug_log.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "modules/http/curl_http_client.h"
#include "tests/modules/http/loopback_server.h"
#include "tests/support/fake_clock.h"

namespace stashform::http {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackServer;

TEST(RedactUrl, HidesUserinfoAndSecretLookingQueryValues) {
  EXPECT_EQ(RedactUrl("https://bob:hunter2@bb.example.com/rest?access_token=abc&limit=5"),
            "https://***@bb.example.com/rest?access_token=***&limit=5");
  EXPECT_EQ(RedactUrl("http://host/x?apiKey=k1&start=25&client_secret=s"),
            "http://host/x?apiKey=***&start=25&client_secret=***");
  EXPECT_EQ(RedactUrl("http://host/a@b/c"), "http://host/a@b/c");
  EXPECT_EQ(RedactUrl("http://host/x#frag"), "http://host/x");
}

TEST(DebugLog, WritesOneLinePerTryWithMethodUrlStatusAttemptAndTime) {
  std::vector<std::string> lines;
  DebugLog log([&](const std::string& line) { lines.push_back(line); });
  Request request;
  request.method = "POST";
  request.url = "http://bb/rest/api/1.0/projects/INFRA/repos/api/webhooks";
  Response response;
  response.status = 201;
  response.attempts = 2;

  log.Record(request, response, milliseconds(12));

  EXPECT_EQ(lines, std::vector<std::string>{
                       "http: POST http://bb/rest/api/1.0/projects/INFRA/repos/api/webhooks -> 201 "
                       "(attempt 2, 12 ms)"});
}

TEST(DebugLog, IsSilentUnlessStashformLogIsDebug) {
  unsetenv("STASHFORM_LOG");
  EXPECT_FALSE(DebugLog(nullptr).enabled());
  setenv("STASHFORM_LOG", "info", 1);
  EXPECT_FALSE(DebugLog(nullptr).enabled());
  setenv("STASHFORM_LOG", "debug", 1);
  EXPECT_TRUE(DebugLog(nullptr).enabled());
  unsetenv("STASHFORM_LOG");
}

// The user story: STASHFORM_LOG=debug in CI must not leak a token, password or secret into the log.
TEST(DebugLog, NeverPrintsCredentialsOrSecretsOfRealRequests) {
  LoopbackServer server;
  server.server().Post("/hooks", [&](const httplib::Request& req, httplib::Response& res) {
    server.Saw(req);
    res.status = server.requests() == 1 ? 503 : 201;
    res.set_header("Set-Cookie", "BITBUCKETSESSIONID=cookie-secret-3");
    res.set_content(R"({"secret":"reply-secret-4"})", "application/json");
  });
  server.Start();
  setenv("STASHFORM_LOG", "debug", 1);
  ::testing::internal::CaptureStderr();
  {
    FakeClock clock;
    CurlHttpClient client(ClientOptions{}, clock);
    Request request;
    request.method = "POST";
    request.url = "http://admin:password-secret-1@127.0.0.1:" +
                  server.Url("/hooks?token=query-secret-5").substr(17);
    request.headers = {{"Authorization", "Bearer token-secret-2"}, {"Cookie", "s=cookie-secret-6"}};
    request.body = R"({"name":"ci","secret":"body-secret-7"})";
    EXPECT_EQ(client.Send(request).status, 201);
  }
  const std::string log = ::testing::internal::GetCapturedStderr();
  unsetenv("STASHFORM_LOG");

  EXPECT_NE(log.find("http: POST http://***@127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find("/hooks?token=*** -> 503 (attempt 1, 0 ms, retry in "), std::string::npos)
      << log;
  EXPECT_NE(log.find("/hooks?token=*** -> 201 (attempt 2, "), std::string::npos) << log;
  EXPECT_EQ(log.find("secret-"), std::string::npos) << log;
  EXPECT_EQ(log.find("Bearer"), std::string::npos) << log;
}

}  // namespace
}  // namespace stashform::http
