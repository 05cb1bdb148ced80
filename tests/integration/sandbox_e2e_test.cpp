// User story: a pull request's config cannot hang the CI runner that validates or plans it. The
// real binary runs with a time bound; a hang shows as a failure, never as a stuck suite.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

using std::chrono::milliseconds;

struct BoundedRun {
  int exit_code = -1;  // -1: still running at the bound, then killed
  std::string err;
  milliseconds elapsed{0};
};

class SandboxE2E : public ::testing::Test {
 protected:
  /// Runs stashform in the config folder; it is killed if it runs past `bound`.
  BoundedRun Stashform(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                       milliseconds bound = milliseconds(20'000)) {
    const auto start = std::chrono::steady_clock::now();
    int pid = StartStashform(args, env, work.path(), io.path() + "/out", io.path() + "/err");
    BoundedRun run;
    run.exit_code = WaitStashform(pid, bound);
    run.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    run.err = io.Read("err");
    return run;
  }

  TempDir work;
  TempDir io;
};

TEST_F(SandboxE2E, ValidateRefusesAFinalizerThatWouldSpinForeverAndExits) {
  work.Write("main.lua", "local x = 1\n\nsetmetatable({}, { __gc = function() while true do end end })\n");
  BoundedRun run = Stashform({"validate"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("main.lua:3: setmetatable: __gc (finalizers) is not allowed in a config"),
            std::string::npos)
      << run.err;
}

TEST_F(SandboxE2E, ValidateStopsAnEndlessLoopAtTheTimeLimitGivenOnTheCommandLine) {
  work.Write("main.lua", "local n = 0\nwhile true do\n  n = n + 1\nend\n");
  BoundedRun run = Stashform({"validate", "-lua-time-limit", "500ms"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("main.lua:3: wall-clock limit of 500 ms exceeded; if the config needs longer, raise the "
                         "limit with -lua-time-limit or STASHFORM_LUA_TIME_LIMIT"),
            std::string::npos)
      << run.err;
  EXPECT_LT(run.elapsed, milliseconds(8'000));
}

TEST_F(SandboxE2E, PlanTakesTheTimeLimitFromTheEnvironment) {
  work.Write("main.lua", "while true do end\n");
  BoundedRun run = Stashform({"plan"}, {{"STASHFORM_LUA_TIME_LIMIT", "1s"}});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("main.lua:1: wall-clock limit of 1 s exceeded"), std::string::npos) << run.err;
  EXPECT_LT(run.elapsed, milliseconds(8'000));
}

TEST_F(SandboxE2E, AMalformedTimeLimitSaysWhatItExpects) {
  work.Write("main.lua", "local x = 1\n");
  BoundedRun run = Stashform({"plan", "-lua-time-limit", "soon"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("Error: -lua-time-limit \"soon\": expected a positive duration such as 10s, 500ms or 2m"),
            std::string::npos)
      << run.err;
}

TEST_F(SandboxE2E, ValidateRefusesAWriteIntoTheSharedStringLibrary) {
  work.Write("main.lua", "local x = 1\nstring.rep = function() return '' end\n");
  BoundedRun run = Stashform({"validate"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("main.lua:2: string is read-only in the sandbox (string.rep)"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace stashform::testing
