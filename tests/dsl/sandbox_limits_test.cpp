// The sandbox against configs that would hang the run: finalizers, which Lua runs where no hook
// reaches, and the wall-clock limit behind every other limit. Each case runs in a bounded child
// process, so that the test fails instead of hanging when a protection is gone.

#include <gtest/gtest.h>

#include <chrono>

#include "dsl/sandbox.h"
#include "tests/dsl/bounded_child.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using std::chrono::milliseconds;
using testing::ChildOutcome;
using testing::RunInBoundedChild;

constexpr milliseconds kChildBound{10'000};

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

}  // namespace
}  // namespace stashform::dsl
