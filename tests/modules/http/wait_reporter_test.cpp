#include "modules/http/wait_reporter.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace stashform::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

const steady_clock::time_point kStart{std::chrono::hours(1)};

Request Get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

class WaitReporterTest : public ::testing::Test {
 protected:
  WaitReporter reporter{[this](const std::string& line) { lines.push_back(line); },
                        {milliseconds(2000), milliseconds(10000)}};
  std::vector<std::string> lines;

  WaitReporter::Call Begin(const std::string& url, steady_clock::time_point started = kStart) {
    return reporter.Begin(Get(url), 6, started, milliseconds(2000));
  }
  /// The lines a tick at `after` past kStart writes.
  std::vector<std::string> TickAt(milliseconds after) {
    lines.clear();
    reporter.Tick(kStart + after);
    return lines;
  }
};

TEST_F(WaitReporterTest, SaysNothingBeforeACallHasWaitedTwoSeconds) {
  auto call = Begin("https://bitbucket.example.com/rest/api/1.0/projects");
  EXPECT_TRUE(TickAt(milliseconds(1900)).empty());
  EXPECT_EQ(TickAt(milliseconds(2000)),
            std::vector<std::string>{"still waiting for bitbucket.example.com: GET "
                                     "/rest/api/1.0/projects (2 s, try 1 of 6)"});
}

TEST_F(WaitReporterTest, RepeatsEveryTenSecondsWithTheTryNumber) {
  auto call = Begin("http://127.0.0.1:7990/rest/api/1.0/projects");
  EXPECT_EQ(TickAt(milliseconds(2000)).size(), 1u);
  EXPECT_TRUE(TickAt(milliseconds(2100)).empty());
  EXPECT_TRUE(TickAt(milliseconds(11900)).empty());
  call.SetTry(3);
  EXPECT_EQ(TickAt(milliseconds(12000)),
            std::vector<std::string>{"still waiting for 127.0.0.1:7990: GET "
                                     "/rest/api/1.0/projects (12 s, try 3 of 6)"});
}

TEST_F(WaitReporterTest, WritesOneLinePerHostNamingTheLongestWait) {
  auto first = Begin("http://127.0.0.1:7990/rest/api/1.0/projects", kStart);
  auto second = Begin("http://127.0.0.1:7990/rest/api/1.0/users", kStart + milliseconds(500));
  auto third = Begin("http://127.0.0.1:7990/rest/api/1.0/groups", kStart + milliseconds(900));
  auto other_host = Begin("http://127.0.0.1:8080/graphql", kStart + milliseconds(1000));

  EXPECT_EQ(TickAt(milliseconds(3000)),
            (std::vector<std::string>{
                "still waiting for 127.0.0.1:7990: GET /rest/api/1.0/projects (3 s, try 1 of 6; "
                "2 more calls to this host waiting)",
                "still waiting for 127.0.0.1:8080: GET /graphql (2 s, try 1 of 6)"}));
}

TEST_F(WaitReporterTest, SaysNothingOfACallThatEnded) {
  {
    auto call = Begin("http://127.0.0.1:7990/rest/api/1.0/projects");
  }
  EXPECT_TRUE(TickAt(milliseconds(5000)).empty());
}

TEST_F(WaitReporterTest, ShowsNoCredentialsOrSecretQueryValues) {
  auto call = Begin("https://bob:hunter2@bitbucket.example.com/rest?access_token=abc&limit=5");
  EXPECT_EQ(TickAt(milliseconds(2000)),
            std::vector<std::string>{"still waiting for bitbucket.example.com: GET "
                                     "/rest?access_token=***&limit=5 (2 s, try 1 of 6)"});
}

TEST(WaitReporter, WithoutASinkWritesNothingAndStartsNoThread) {
  WaitReporter reporter(nullptr, {});
  EXPECT_FALSE(reporter.enabled());
  auto call = reporter.Begin(Get("http://127.0.0.1:1/x"), 6, kStart, milliseconds(0));
  reporter.Tick(kStart + seconds(60));  // must not call an empty sink
}

}  // namespace
}  // namespace stashform::http
