// Hosts that keep a pipeline waiting (issue 14 §4), with the real binary: a plan against a server
// that is not running, or one that accepts and never answers, ends within seconds with exit code
// 1, says which host and call failed, and leaves no state lock behind.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "tests/integration/harness.h"
#include "tests/modules/http/quiet_ports.h"

namespace stashform::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// A server block with `timeout_line` ("" for the default) and one webhook to plan.
std::string Config(const std::string& timeout_line) {
  return R"(local bb = bitbucket.server "corp" {
  url   = env "BITBUCKET_URL",
  token = env "BITBUCKET_TOKEN",
)" + timeout_line + R"(}

bitbucket.webhook "INFRA/api" {
  server = bb, project = "INFRA", repository = "api",
  name = "ci", url = "https://ci.example.com/hook", events = { "repo:refs_changed" },
}
)";
}

class UnreachableServerE2E : public ::testing::Test {
 protected:
  /// Runs `stashform plan` against `url`; `took` is how long it ran.
  CliRun Plan(const std::string& url, milliseconds& took) {
    const auto start = steady_clock::now();
    CliRun run = RunStashform({"plan", work.path()},
                              {{"BITBUCKET_URL", url}, {"BITBUCKET_TOKEN", "unreachable-token-3f9a"}},
                              work.path());
    took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
    return run;
  }
  bool Locked() const { return std::filesystem::exists(work.path() + "/stashform.state.json.lock"); }

  TempDir work;
};

TEST_F(UnreachableServerE2E, AServerThatIsNotRunningIsReportedWithinASecondNamingHostAndCall) {
  http::testing::RefusingPort port;
  work.Write("main.lua", Config(""));
  const std::string host = "127.0.0.1:" + std::to_string(port.port());

  milliseconds took{};
  const CliRun run = Plan("http://" + host, took);

  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_NE(run.err.find("Error: bitbucket.server \"corp\": GET http://" + host +
                         "/rest/api/1.0/application-properties: connection refused by " + host +
                         " — is the server running and is its URL right?\n"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.all().find("unreachable-token-3f9a"), std::string::npos);
  EXPECT_FALSE(Locked());
}

TEST_F(UnreachableServerE2E, AServerThatNeverAnswersIsGivenUpAtItsTimeoutAndLeavesNoLock) {
  http::testing::SilentListener listener;
  work.Write("main.lua", Config("  timeout = 2,\n"));
  const std::string host = "127.0.0.1:" + std::to_string(listener.port());

  milliseconds took{};
  const CliRun run = Plan("http://" + host, took);

  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_GE(took, milliseconds(2000));
  EXPECT_LT(took, milliseconds(5000));
  EXPECT_NE(run.err.find("still waiting for " + host +
                         ": GET /rest/api/1.0/application-properties (1 s, try 1 of 6)\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("Error: bitbucket.server \"corp\": GET http://" + host +
                         "/rest/api/1.0/application-properties: no answer from " + host +
                         " within 2 s (the call's timeout, 1 try) — is the server overloaded? If "
                         "it is only slow, raise timeout on its server block\n"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(Locked());

  // The next plan is not turned away by a lock: it fails on the server again, the same way.
  const CliRun next = Plan("http://" + host, took);
  EXPECT_EQ(next.exit_code, 1) << next.all();
  EXPECT_EQ(next.err.find("is locked"), std::string::npos) << next.err;
  EXPECT_NE(next.err.find(": no answer from " + host), std::string::npos) << next.err;
}

}  // namespace
}  // namespace stashform::testing
