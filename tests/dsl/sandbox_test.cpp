// Sandbox escape attempts: each fails with a clear error, and the limits stop bombs and loops.

#include "dsl/sandbox.h"

#include "dsl/pattern_guard.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

std::string RunAlone(const std::string& text, Sandbox::Limits limits = {16u << 20, 10'000'000}) {
  Sandbox sandbox(limits);
  Diagnostics diagnostics;
  const bool ran = sandbox.Run("main.lua", text, diagnostics);
  EXPECT_EQ(ran, diagnostics.empty());
  return testing::DiagnosticLines(diagnostics);
}

struct EscapeCase {
  const char* name;
  const char* script;
  const char* expected;
};

void PrintTo(const EscapeCase& c, std::ostream* os) { *os << c.name; }

class SandboxEscapes : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(SandboxEscapes, FailWithAClearError) {
  EXPECT_EQ(RunAlone(GetParam().script), GetParam().expected);
}

const EscapeCase kEscapes[] = {
    {"ReadAFile", "local f = io.open('/etc/passwd')", "main.lua:1: io is not available in the sandbox\n"},
    {"RunAProgram", "os.execute('id')", "main.lua:1: os.execute is not available in the sandbox\n"},
    {"PopenThroughOs", "local p = os.getenv('HOME')", "main.lua:1: os.getenv is not available in the sandbox\n"},
    {"RemoveAFile", "os.remove('/tmp/x')", "main.lua:1: os.remove is not available in the sandbox\n"},
    {"Debug", "debug.getregistry()", "main.lua:1: debug is not available in the sandbox\n"},
    {"Package", "local p = package.loaded", "main.lua:1: package is not available in the sandbox\n"},
    {"Require", "require('io')", "main.lua:1: require is not available in the sandbox\n"},
    {"Dofile", "dofile('/etc/passwd')", "main.lua:1: dofile is not available in the sandbox\n"},
    {"Loadfile", "loadfile('/etc/passwd')", "main.lua:1: loadfile is not available in the sandbox\n"},
    {"StringDump", "local b = string.dump(function() end)",
     "main.lua:1: string.dump is not available in the sandbox\n"},
    {"StringDumpThroughAStringsMetatable", "local b = ('').dump(function() end)",
     "main.lua:1: string.dump is not available in the sandbox\n"},
    {"LoadBytecode", "assert(load('\\27LuaT\\0\\25\\147\\13\\10\\26\\10'))",
     "main.lua:1: attempt to load a binary chunk (mode is 't')\n"},
    {"LoadAskingForBinaryMode", "load('return 1', 'x', 'b')",
     "main.lua:1: load: only text chunks are allowed in the sandbox (mode \"t\")\n"},
    {"CollectGarbageStop", "collectgarbage('stop')",
     "main.lua:1: collectgarbage: only \"count\" is available in the sandbox\n"},
    {"DebugThroughEnv", "local d = _ENV.debug", "main.lua:1: debug is not available in the sandbox\n"},
    {"DebugThroughG", "local d = _G['debug']", "main.lua:1: debug is not available in the sandbox\n"},
    {"UnprotectTheGlobalsMetatable", "setmetatable(_G, nil)",
     "main.lua:1: cannot change a protected metatable\n"},
    {"StringMetatableIsTheSandboxedTable", "local d = getmetatable('').__index.dump('x')",
     "main.lua:1: string.dump is not available in the sandbox\n"},
    {"Print", "print('hello')", "main.lua:1: print is not available in the sandbox\n"},
    {"ReplaceAStringFunction", "local x = 1\nstring.rep = function() return '' end",
     "main.lua:2: string is read-only in the sandbox (string.rep), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"RedirectTheMethodsOfEveryString", "getmetatable('').__index = { rep = function() end }",
     "main.lua:1: the string metatable is read-only in the sandbox (getmetatable(\"\").__index), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReplaceAStringFunctionThroughTheStringMetatable", "getmetatable('').__index.format = tostring",
     "main.lua:1: string is read-only in the sandbox (string.format), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReplaceATableFunction", "table.concat = nil", "main.lua:1: table is read-only in the sandbox (table.concat), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReplaceAMathFunction", "math.floor = math.ceil", "main.lua:1: math is read-only in the sandbox (math.floor), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReplaceAUtf8Function", "utf8.char = nil", "main.lua:1: utf8 is read-only in the sandbox (utf8.char), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReplaceAnOsFunction", "os.time = nil", "main.lua:1: os is read-only in the sandbox (os.time), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"ReachTheTableBehindALibraryThroughPairs", "local _, behind = pairs(string)\nbehind.rep = nil",
     "main.lua:2: string is read-only in the sandbox (string.rep), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"InsertIntoALibrary", "local x = 1\ntable.insert(math, math.floor)",
     "main.lua:2: math is read-only in the sandbox (math[1]), so that one file cannot change what another computes; keep your own functions in a local table\n"},
    {"RawsetIntoALibrary", "rawset(math, 'floor', nil)",
     "main.lua:1: rawset: math is read-only in the sandbox; keep your own functions in a local table\n"},
};

INSTANTIATE_TEST_SUITE_P(All, SandboxEscapes, ::testing::ValuesIn(kEscapes),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Sandbox, SafeLibrariesWork) {
  EXPECT_EQ(RunAlone(R"(
    assert(string.format("%d-%s", 3, "x") == "3-x")
    assert(table.concat({ "a", "b" }, ",") == "a,b")
    assert(math.max(1, 2) == 2 and utf8.char(72) == "H")
    assert(type(os.time()) == "number" and type(os.clock()) == "number" and os.date("!%Y", 0) == "1970")
    assert(load("return 1 + 1")() == 2)
    assert(load("return x", "chunk", "t", { x = 5 })() == 5)
    assert(collectgarbage("count") > 0)
    local undefined = not_defined_anywhere or 7
    assert(undefined == 7)
    assert(("x"):rep(3) == "xxx" and #("abc"):upper() == 3)
    local names = 0
    for _ in pairs(string) do names = names + 1 end
    assert(names > 10)
    assert(next(math) ~= nil, "next sees what pairs sees")
    local mine = setmetatable({ shout = function(s) return s:upper() .. "!" end }, { __index = string })
    assert(mine.shout("a") == "A!" and mine.rep("a", 2) == "aa")
    string_like = { rep = string.rep }
    string_like.rep = nil
  )"), "");
}

TEST(Sandbox, AMemoryBombStopsAtTheLimit) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RunAlone("local t = {}\nfor i = 1, 1e12 do t[i] = ('x'):rep(100) .. i end", {8u << 20, 1'000'000'000}),
            "main.lua:2: memory limit of 8 MiB exceeded\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Sandbox, OneHugeAllocationIsRefusedAtItsLine) {
  EXPECT_EQ(RunAlone("local x = 1\nlocal s = ('x'):rep(1 << 30)", {8u << 20, 1'000'000}),
            "main.lua:2: memory limit of 8 MiB exceeded\n");
}

TEST(Sandbox, AConcatenationBombIsRefusedAtItsLine) {
  // Too few instructions for the count hook to have run: the line comes from the allocator.
  EXPECT_EQ(RunAlone("local s = 'x'\nfor i = 1, 40 do\n  local t = {}\n  s = s .. s\nend", {8u << 20, 1'000'000}),
            "main.lua:4: memory limit of 8 MiB exceeded\n");
}

TEST(Sandbox, AnEndlessLoopStopsAtTheInstructionLimit) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RunAlone("local n = 0\nwhile true do\n  n = n + 1\nend", {8u << 20, 1'000'000}),
            "main.lua:3: instruction limit of 1000000 exceeded\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Sandbox, PcallCannotSwallowTheInstructionLimit) {
  EXPECT_EQ(RunAlone("for i = 1, 1e9 do\n  pcall(function() while true do end end)\nend", {8u << 20, 1'000'000}),
            "main.lua:2: instruction limit of 1000000 exceeded\n");
}

TEST(Sandbox, LimitsReachTheDslToo) {
  EvalOptions options;
  options.memory_limit_bytes = 4u << 20;
  options.instruction_limit = 100'000'000;
  EvalResult result = EvaluateChunk("main.lua", R"(
bitbucket.server "s" { url = "https://b", token = "t" }
for i = 1, 1e9 do
  bitbucket.webhook ("w" .. i) { project = "P", repository = "r", name = "n" .. i, url = "https://h", events = { "pr:opened" } }
end)", testing::TestSchemas(), options);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics.items()[0].message.find("memory limit of 4 MiB exceeded"), std::string::npos)
      << result.diagnostics.ToString();
}

TEST(Sandbox, TinyLimitsFailCleanlyAtEveryStageOfStartingUp) {
  // From too small for the state itself, through opening the libraries, to installing the DSL.
  for (size_t limit = 1024; limit <= 64 * 1024; limit += 1024) {
    EvalOptions options;
    options.memory_limit_bytes = limit;
    EvalResult result = EvaluateChunk("main.lua", "local x = 1", testing::TestSchemas(), options);
    if (!result.diagnostics.HasErrors()) continue;  // big enough
    EXPECT_NE(result.diagnostics.ToString().find("memory limit of " + std::to_string(limit / 1024) + " KiB exceeded"),
              std::string::npos)
        << result.diagnostics.ToString();
  }
}

TEST(Sandbox, CostlyPatternsAreRefusedBeforeTheyRun) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RunAlone("local s = ('a'):rep(100000)\nlocal i = string.find(s, '.-.-.-b')"),
            "main.lua:2: string.find: a pattern with 3 repetitions could take too long on 100000 bytes in the "
            "sandbox; match a shorter string or use fewer *, + and -\n");
  EXPECT_EQ(RunAlone("local s = ('a'):rep(100000)\nfor w in s:gmatch('a*a*a*b') do end"),
            "main.lua:2: string.gmatch: a pattern with 3 repetitions could take too long on 100000 bytes in the "
            "sandbox; match a shorter string or use fewer *, + and -\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Sandbox, OrdinaryPatternsStillWork) {
  EXPECT_EQ(RunAlone(R"(
    assert(("tf-network"):match("^tf%-(.+)$") == "network")
    assert(select(2, string.gsub(("x"):rep(100000), "x", "y")) == 100000)
    assert(string.find("a+b", "+", 1, true) == 2)
    assert(("[a-z]*"):find("[a-z]*", 1, true) == 1)
  )"), "");
}

TEST(Sandbox, RepetitionsAreCountedOutsideSetsAndEscapes) {
  EXPECT_EQ(CountRepetitions("^tf%-", 5), 0);
  EXPECT_EQ(CountRepetitions("[a-z]+%d*", 9), 2);
  EXPECT_EQ(CountRepetitions("[]-]x-", 6), 1);
  EXPECT_EQ(CountRepetitions("-", 1), 0);
}

}  // namespace
}  // namespace stashform::dsl
