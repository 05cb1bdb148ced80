// The sandbox against configs that would hang the run: finalizers, which Lua runs where no hook
// reaches, and the wall-clock limit behind every other limit. Each case runs in a bounded child
// process, so that the test fails instead of hanging when a protection is gone.

#include <gtest/gtest.h>
#include <lua.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "dsl/sandbox.h"
#include "tests/dsl/bounded_child.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using std::chrono::milliseconds;
using testing::ChildOutcome;
using testing::RunInBoundedChild;

constexpr milliseconds kChildBound{10'000};
// Limits under which only the wall clock can stop a script.
const Sandbox::Limits kWallClockOnly{16u << 20, UINT64_MAX, milliseconds(300)};

/// Runs `text` as main.lua in a fresh sandbox inside a bounded child; the result is its
/// diagnostics, one per line, once the sandbox is gone.
ChildOutcome RunInChild(const std::string& text, Sandbox::Limits limits = {16u << 20, 10'000'000}) {
  return RunInBoundedChild(
      [&] {
        Diagnostics diagnostics;
        {
          Sandbox sandbox(limits);
          sandbox.Run("main.lua", text, diagnostics);
        }
        return testing::DiagnosticLines(diagnostics);
      },
      kChildBound);
}

struct FinalizerCase {
  const char* name;
  const char* script;
};

void PrintTo(const FinalizerCase& c, std::ostream* os) { *os << c.name; }

class SandboxFinalizers : public ::testing::TestWithParam<FinalizerCase> {};

TEST_P(SandboxFinalizers, AreRefusedAtTheLineThatSetsThem) {
  ChildOutcome outcome = RunInChild(std::string("local spin = function() while true do end end\n") +
                                    GetParam().script);
  ASSERT_TRUE(outcome.ended && outcome.exit_code == 0) << Describe(outcome);
  EXPECT_EQ(outcome.result,
            "main.lua:2: setmetatable: __gc (finalizers) is not allowed in a config: Lua runs them outside the "
            "sandbox's limits, where one could hang the run; remove the __gc field\n");
}

const FinalizerCase kFinalizers[] = {
    {"AFunction", "setmetatable({}, { __gc = spin })"},
    // Any value marks the table for finalization; a function put in its place later would run.
    {"APlaceholderReplacedLater", "local mt = { __gc = true }; setmetatable({}, mt); mt.__gc = spin"},
    {"PutThereWithRawset", "local mt = {}; rawset(mt, '__gc', spin); setmetatable({}, mt)"},
    {"InsidePcall", "assert(pcall(setmetatable, {}, { __gc = spin })) error('unreachable')"},
};

INSTANTIATE_TEST_SUITE_P(All, SandboxFinalizers, ::testing::ValuesIn(kFinalizers),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SandboxWallClock, StopsAnEndlessLoopAtTheLineItReached) {
  ChildOutcome outcome = RunInChild("local n = 0\nwhile true do\n  n = n + 1\nend", kWallClockOnly);
  ASSERT_TRUE(outcome.ended && outcome.exit_code == 0) << Describe(outcome);
  EXPECT_EQ(outcome.result,
            "main.lua:3: wall-clock limit of 300 ms exceeded; if the config needs longer, raise the limit with "
            "-lua-time-limit or STASHFORM_LUA_TIME_LIMIT\n");
  EXPECT_LT(outcome.elapsed, milliseconds(5000));
}

TEST(SandboxWallClock, PcallCannotSwallowIt) {
  ChildOutcome outcome =
      RunInChild("for i = 1, 1e9 do\n  pcall(function() while true do end end)\nend", kWallClockOnly);
  ASSERT_TRUE(outcome.ended && outcome.exit_code == 0) << Describe(outcome);
  EXPECT_NE(outcome.result.find("main.lua:2: wall-clock limit of 300 ms exceeded"), std::string::npos)
      << outcome.result;
}

TEST(SandboxWallClock, AToBeClosedVariableCannotOutrunIt) {
  // __close runs as ordinary Lua code, under the hook: no need to refuse it as __gc is refused.
  ChildOutcome outcome = RunInChild(
      "do\n  local x <close> = setmetatable({}, { __close = function()\n    while true do end\n  end })\nend",
      kWallClockOnly);
  ASSERT_TRUE(outcome.ended && outcome.exit_code == 0) << Describe(outcome);
  EXPECT_NE(outcome.result.find("main.lua:3: wall-clock limit of 300 ms exceeded"), std::string::npos)
      << outcome.result;
}

// A finalizer set from C stands for any way around the __gc refusal: Lua runs it with hooks off.
void PlantEndlessFinalizer(Sandbox& sandbox, bool keep_reachable) {
  Diagnostics diagnostics;
  sandbox.Run("plant.lua", "spin = function() while true do end end", diagnostics);
  lua_State* L = sandbox.state();
  lua_newtable(L);
  lua_newtable(L);
  lua_getglobal(L, "spin");
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  if (keep_reachable) lua_setglobal(L, "kept");
  else lua_pop(L, 1);
}

TEST(SandboxWallClock, EndsTheProcessWhenAFinalizerNeverReturnsDuringEvaluation) {
  ChildOutcome outcome = RunInBoundedChild(
      [] {
        Sandbox sandbox(kWallClockOnly);
        PlantEndlessFinalizer(sandbox, /*keep_reachable=*/false);
        Diagnostics diagnostics;
        sandbox.Run("main.lua", "while true do local garbage = { 1, 2, 3 } end", diagnostics);
        return testing::DiagnosticLines(diagnostics);
      },
      kChildBound);
  ASSERT_TRUE(outcome.ended) << Describe(outcome);
  EXPECT_EQ(outcome.exit_code, 1) << Describe(outcome);
  EXPECT_EQ(outcome.err.rfind("Error: main.lua: wall-clock limit of 300 ms exceeded, and Lua did not give control "
                              "back (a finalizer or a long library call cannot be interrupted), so stashform "
                              "stopped; if the config needs longer, raise the limit with -lua-time-limit or "
                              "STASHFORM_LUA_TIME_LIMIT\n", 0), 0u)
      << outcome.err;
  EXPECT_LT(outcome.elapsed, milliseconds(300) + Watchdog::kGrace + milliseconds(2000));
}

TEST(SandboxWallClock, EndsTheProcessWhenAFinalizerNeverReturnsInTeardown) {
  ChildOutcome outcome = RunInBoundedChild(
      [] {
        {
          Sandbox sandbox(kWallClockOnly);
          PlantEndlessFinalizer(sandbox, /*keep_reachable=*/true);
          Diagnostics diagnostics;
          sandbox.Run("main.lua", "local x = 1", diagnostics);
        }  // lua_close runs the finalizer
        return std::string("closed");
      },
      kChildBound);
  ASSERT_TRUE(outcome.ended) << Describe(outcome);
  EXPECT_EQ(outcome.exit_code, 1) << Describe(outcome);
  EXPECT_EQ(outcome.result, "");
  EXPECT_EQ(outcome.err.rfind("Error: main.lua: wall-clock limit of 300 ms exceeded, and Lua did not give", 0), 0u)
      << outcome.err;
}

TEST(Watchdog, CountsOnlyTheTimeBetweenStartAndPause) {
  Watchdog watchdog(milliseconds(200), [](const std::string&) {});
  watchdog.Start("main.lua");
  watchdog.Pause();
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_FALSE(watchdog.OverBudget());
  watchdog.Start("main.lua");
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_TRUE(watchdog.OverBudget());
}

TEST(Watchdog, ExpiresPastTheBudgetAndGraceNamingThePlace) {
  std::string expired;
  {
    Watchdog watchdog(milliseconds(50), [&](const std::string& message) { expired = message; });
    watchdog.Start("modules/x.lua");
    std::this_thread::sleep_for(milliseconds(50) + Watchdog::kGrace + milliseconds(1500));
  }
  EXPECT_EQ(expired.rfind("Error: modules/x.lua: wall-clock limit of 50 ms exceeded", 0), 0u) << expired;
}

TEST(Watchdog, NeverExpiresWhilePaused) {
  bool expired = false;
  {
    Watchdog watchdog(milliseconds(50), [&](const std::string&) { expired = true; });
    watchdog.Start("main.lua");
    watchdog.Pause();
    std::this_thread::sleep_for(milliseconds(50) + Watchdog::kGrace + milliseconds(300));
  }
  EXPECT_FALSE(expired);
}

// One thread watches every Watchdog of the process: each still expires on its own clock, once.
TEST(Watchdog, SeveralAtOnceEachExpireOnTheirOwnClockAndOnlyOnce) {
  std::atomic<int> paused_expiries{0}, running_expiries{0};
  std::string message;
  {
    Watchdog paused(milliseconds(50), [&](const std::string&) { ++paused_expiries; });
    Watchdog running(milliseconds(50), [&](const std::string& text) {
      message = text;
      ++running_expiries;
    });
    Watchdog later(milliseconds(60'000), [&](const std::string&) { ++paused_expiries; });
    paused.Start("paused.lua");
    paused.Pause();
    later.Start("later.lua");
    running.Start("running.lua");
    std::this_thread::sleep_for(milliseconds(50) + Watchdog::kGrace + milliseconds(1500));
  }
  EXPECT_EQ(paused_expiries, 0);
  EXPECT_EQ(running_expiries, 1);
  EXPECT_EQ(message.rfind("Error: running.lua: wall-clock limit of 50 ms exceeded", 0), 0u) << message;
}

/// Runs on the CPU for `duration` of this thread's CPU time, a clock that stands still while the
/// process is stopped: like Lua between two count hooks.
void SpinFor(milliseconds duration) {
  timespec start{}, now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
  do clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1'000'000 < duration.count());
}

// A runner paused past the budget (SIGSTOP, `docker pause`) used to be ended by the watchdog the
// moment it resumed, before its hook could run: the grace had been counted from the evaluation's
// start. It now counts from when the watchdog finds the budget spent.
TEST(Watchdog, AProcessSuspendedPastItsDeadlineResumesWithItsGraceAndItsHookStopsTheScript) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Watchdog watchdog(milliseconds(300), [](const std::string&) { _exit(3); });
    watchdog.Start("main.lua");
    if (write(ready[1], "r", 1) != 1) _exit(4);
    for (;;) {  // the count hook's check, every 20 ms of CPU
      SpinFor(milliseconds(20));
      if (watchdog.OverBudget()) _exit(0);
    }
  }
  char started = 0;
  ASSERT_EQ(read(ready[0], &started, 1), 1);
  kill(child, SIGSTOP);
  std::this_thread::sleep_for(milliseconds(300) + Watchdog::kGrace + milliseconds(700));
  kill(child, SIGCONT);
  int status = 0;
  for (int waited_ms = 0; waitpid(child, &status, WNOHANG) == 0; waited_ms += 10) {
    if (waited_ms >= 10'000) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      FAIL() << "the child neither stopped its script nor was ended by the watchdog";
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  close(ready[0]);
  close(ready[1]);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3: the watchdog ended the process on resumption";
}

}  // namespace
}  // namespace stashform::dsl
