// import "name": modules from the config folder and the module paths, with address prefixes.

#include <gtest/gtest.h>

#include <map>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using testing::DiagnosticLines;

/// Evaluates cfg/main.lua from an in-memory file system.
EvalResult EvalFiles(std::map<std::string, std::string> files) {
  EvalOptions options = testing::TestOptions();
  options.module_paths = {"/opt/stashform/modules"};
  options.read_file = [files](const std::string& path) -> std::optional<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  return EvaluateFolder("cfg", testing::TestSchemas(), options);
}

const char* kRecipes = R"(local M = {}
function M.hook(name, url)
  return bitbucket.webhook (name) { project = "P", repository = "r", name = name, url = url, events = {} }
end
helper_global = 1
return M
)";

TEST(Modules, AFileCannotChangeWhatARecipeComputesThroughTheGlobals) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(string = { rep = function() return "changed" end }
tostring = function() return "changed" end
local recipes = import "dashes"
assert(recipes.dashes(3) == "---", recipes.dashes(3))
assert(string.rep() == "changed", "the config's own globals are its own")
)"},
      {"/opt/stashform/modules/dashes.lua", R"(return { dashes = function(n) return tostring(string.rep("-", n)) end })"},
  });
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "");
}

TEST(Modules, NoFileCanRedefineADeclarableType) {
  EvalResult result = EvalFiles({{"cfg/main.lua", "bitbucket.webhook = function() end\n"}});
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:1: bitbucket is read-only in the sandbox (bitbucket.webhook), so that one file cannot change "
            "what another computes; keep your own functions in a local table\n");
}

TEST(Modules, RecipesDeclareResourcesUnderTheModulesPrefix) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(bitbucket.server "s" { url = "https://b", token = "t" }
local recipes = import "recipes"
local again = import "recipes"
assert(recipes == again, "a module is loaded once")
assert(helper_global == nil, "a module's globals stay in the module")
local h = recipes.hook("ci", "https://ci")
bitbucket.webhook "root" { project = "P", repository = "r", name = "n", url = "https://x/" .. h.url, events = {} }
)"},
      {"cfg/recipes.lua", kRecipes},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  ASSERT_EQ(result.config.resources.size(), 2u);
  EXPECT_EQ(result.config.resources[0].address.ToString(), "module.recipes.bitbucket.webhook[\"ci\"]");
  EXPECT_EQ(result.config.resources[0].pos.ToString(), "recipes.lua:3");
  EXPECT_EQ(result.config.resources[0].server, "s");
  EXPECT_EQ(result.config.resources[1].address.ToString(), "bitbucket.webhook[\"root\"]");
  EXPECT_EQ(result.config.resources[1].references,
            std::vector<std::string>{"module.recipes.bitbucket.webhook[\"ci\"]"});
}

TEST(Modules, AnAddressARecipeMovesIsTheModulesOwn) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", "bitbucket.server 's' { url = 'https://b', token = 't' }\nimport('recipes').renamed('new')\n"
                       "moved { from = 'bitbucket.webhook[\"root-old\"]', to = 'module.recipes.bitbucket.webhook[\"new\"]' }\n"},
      {"cfg/recipes.lua", R"(local M = {}
function M.renamed(name)
  local h = bitbucket.webhook (name) { project = "P", repository = "r", name = name, url = "https://x", events = {} }
  moved { from = 'bitbucket.webhook["old"]', to = h }
end
return M
)"},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  ASSERT_EQ(result.config.moved.size(), 2u);
  EXPECT_EQ(result.config.moved[0].from.ToString(), "module.recipes.bitbucket.webhook[\"old\"]");
  EXPECT_EQ(result.config.moved[0].to.ToString(), "module.recipes.bitbucket.webhook[\"new\"]");
  // The root's addresses stay the root's.
  EXPECT_EQ(result.config.moved[1].from.ToString(), "bitbucket.webhook[\"root-old\"]");
}

TEST(Modules, ShippedModulesAreFoundOnTheModulePaths) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", "bitbucket.server 's' { url = 'https://b', token = 't' }\nimport('spacelift/stack').hook('x', 'https://s')"},
      {"/opt/stashform/modules/spacelift/stack.lua", kRecipes},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_EQ(result.config.resources[0].address.ToString(), "module.spacelift.stack.bitbucket.webhook[\"x\"]");
  EXPECT_EQ(result.config.resources[0].pos.ToString(), "/opt/stashform/modules/spacelift/stack.lua:3");
}

// A module with a list, nested maps and state that only its own functions change.
const char* kSharedTables = R"(local M = { count = 0 }
M.EVENTS = { "repo:refs_changed", "pr:opened" }
M.deep = { inner = { events = M.EVENTS }, name = "deep" }
M.LABELS = { team = "infra" }
M.LIFECYCLE = { create_before_destroy = true, ignore_changes = { "labels" } }
M.BODY = { project = "P", repository = "r", name = "body", url = "https://ci", events = M.EVENTS }
M.OUTPUT = { value = M.LABELS, description = "the labels" }
local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end
function M.bump()
  M.count = M.count + 1
  return M.count
end
function M.hook(name)
  M.last = bitbucket.webhook (name) { project = "P", repository = "r", name = name, url = "https://ci", events = copy(M.EVENTS) }
  M.DEPENDENCIES = { M.last }
  return M.last
end
return M
)";

TEST(Modules, AConfigCannotChangeWhatARecipeComputes) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(bitbucket.server "s" { url = "https://b", token = "t" }
local shared = import "shared"
assert(not pcall(function() shared.EVENTS[1] = "pr:merged" end))
assert(not pcall(function() shared.EVENTS = { "pr:merged" } end))
assert(not pcall(function() table.insert(shared.EVENTS, "pr:merged") end))
assert(not pcall(function() table.sort(shared.EVENTS) end))  -- "pr:opened" sorts first: a write
assert(not pcall(function() shared.deep.inner.events[2] = "pr:merged" end))
assert(not pcall(function() rawset(shared.EVENTS, 1, "pr:merged") end))
assert(not pcall(function() local _, t = pairs(shared.EVENTS); t[1] = "pr:merged" end))
assert(not pcall(function() shared.hook = function() end end))
shared.hook("ci")
)"},
      {"cfg/other.lua", "local shared = import 'shared'\nassert(shared.EVENTS[1] == 'repo:refs_changed')\n"},
      {"cfg/shared.lua", kSharedTables},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  ASSERT_EQ(result.config.resources.size(), 1u);
  EXPECT_EQ(result.config.resources[0].attributes.at("events"), Value::StringList({"repo:refs_changed", "pr:opened"}));
}

TEST(Modules, AModulesOwnFunctionsStillChangeItsState) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(local shared = import "shared"
assert(shared.bump() == 1 and shared.bump() == 2)
assert(shared.count == 2, "the view shows the module's own writes")
)"},
      {"cfg/shared.lua", kSharedTables},
  });
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "");
}

TEST(Modules, AModulesTablesReadAsTablesThroughTheView) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(local shared = import "shared"
assert(#shared.EVENTS == 2 and #shared.deep.inner.events == 2)
local seen = {}
for i, event in ipairs(shared.EVENTS) do seen[#seen + 1] = i .. "=" .. event end
assert(table.concat(seen, ",") == "1=repo:refs_changed,2=pr:opened", table.concat(seen, ","))
local keys = {}
for key, value in pairs(shared.deep) do
  keys[#keys + 1] = key
  if type(value) == "table" then assert(value == shared.deep.inner and not pcall(function() value.x = 1 end)) end
end
table.sort(keys)
assert(table.concat(keys, ",") == "inner,name")
assert(next(shared.EVENTS) == 1 and next(shared.EVENTS, 2) == nil and next({}) == nil)
assert(table.concat(shared.EVENTS, " ") == "repo:refs_changed pr:opened")
local mine = { table.unpack(shared.EVENTS) }
mine[1] = "pr:merged"
assert(mine[1] == "pr:merged" and shared.EVENTS[1] == "repo:refs_changed")
assert(shared.deep == shared.deep and shared.deep.inner == shared.deep.inner, "the same view each time")
assert(shared.deep.inner.events == shared.EVENTS and import "shared" == shared)
assert(getmetatable(shared.EVENTS) == false and rawget(shared.EVENTS, 1) == nil)
)"},
      {"cfg/shared.lua", kSharedTables},
  });
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "");
}

TEST(Modules, AModulesTablesAreValuesForAttributes) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", R"(bitbucket.server "s" { url = "https://b", token = "t" }
local shared = import "shared"
shared.hook("ci")
bitbucket.webhook "mine" { project = "P", repository = "r", name = "n", url = "https://x", events = shared.deep.inner.events,
                           labels = shared.LABELS, lifecycle = shared.LIFECYCLE, depends_on = shared.DEPENDENCIES }
bitbucket.webhook "whole" (shared.BODY)
output "labels" (shared.OUTPUT)
)"},
      {"cfg/shared.lua", kSharedTables},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  ASSERT_EQ(result.config.resources.size(), 3u);
  const ResourceBlock& mine = result.config.resources[1];
  EXPECT_EQ(mine.attributes.at("events"), Value::StringList({"repo:refs_changed", "pr:opened"}));
  EXPECT_EQ(mine.attributes.at("labels"), Value(Value::Map{{"team", Value("infra")}}));
  EXPECT_TRUE(mine.lifecycle.create_before_destroy);
  EXPECT_EQ(mine.lifecycle.ignore_changes, std::vector<std::string>{"labels"});
  EXPECT_EQ(mine.depends_on, std::vector<std::string>{"module.shared.bitbucket.webhook[\"ci\"]"});
  EXPECT_EQ(result.config.resources[2].attributes.at("events"), Value::StringList({"repo:refs_changed", "pr:opened"}));
  EXPECT_EQ(result.config.resources[2].attributes.at("name"), Value("body"));
  ASSERT_EQ(result.config.outputs.size(), 1u);
  EXPECT_EQ(result.config.outputs[0].value, Value(Value::Map{{"team", Value("infra")}}));
  EXPECT_EQ(result.config.outputs[0].description, "the labels");
}

struct ModuleCase {
  const char* name;
  std::map<std::string, std::string> files;
  const char* expected;
};

void PrintTo(const ModuleCase& c, std::ostream* os) { *os << c.name; }

class ModuleDiagnostics : public ::testing::TestWithParam<ModuleCase> {};

TEST_P(ModuleDiagnostics, PinsTheText) {
  EXPECT_EQ(DiagnosticLines(EvalFiles(GetParam().files).diagnostics), GetParam().expected);
}

const ModuleCase kModuleCases[] = {
    {"NotFound", {{"cfg/main.lua", "import 'nope'"}},
     "main.lua:1: import \"nope\": module not found (searched cfg/nope.lua, /opt/stashform/modules/nope.lua)\n"},
    {"BadName", {{"cfg/main.lua", "import '../etc/passwd'"}},
     "main.lua:1: import \"../etc/passwd\": a module name is made of letters, digits, _ and -, with / between folders\n"},
    {"Cycle", {{"cfg/main.lua", "import 'a'"}, {"cfg/a.lua", "import 'b'"}, {"cfg/b.lua", "\nimport 'a'"}},
     "b.lua:2: import \"a\": import cycle (the module imports itself, directly or not)\n"},
    {"SyntaxErrorInAModule", {{"cfg/main.lua", "import 'a'"}, {"cfg/a.lua", "local x = = 1"}},
     "a.lua:1: unexpected symbol near '='\n"},
    {"ModulesAreSandboxedToo", {{"cfg/main.lua", "import 'a'"}, {"cfg/a.lua", "\n\nio.open('/etc/passwd')"}},
     "a.lua:3: io is not available in the sandbox\n"},
    {"DeclarationErrorsNameTheModuleFile",
     {{"cfg/main.lua", "bitbucket.server 's' { url = 'https://b', token = 't' }\nimport('a').hook('x', 7)"},
      {"cfg/a.lua", kRecipes}},
     // The recipe's line, and the user's line that called it.
     "a.lua:3: bitbucket.webhook \"x\": url: expected string, got number (called from main.lua:2)\n"},
    {"WriteIntoAModule", {{"cfg/main.lua", "local shared = import 'shared'\nshared.EVENTS = {}"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: module \"shared\" is read-only in the sandbox (shared.EVENTS), so that one file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy\n"},
    {"WriteIntoAModulesList", {{"cfg/main.lua", "local shared = import 'shared'\nshared.EVENTS[1] = 'pr:merged'"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: module \"shared\" is read-only in the sandbox (shared.EVENTS[1]), so that one file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy\n"},
    {"WriteDeepIntoAModule", {{"cfg/main.lua", "local shared = import 'shared'\nshared.deep.inner['a key'] = 1"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: module \"shared\" is read-only in the sandbox (shared.deep.inner[\"a key\"]), so that one file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy\n"},
    {"InsertIntoAModulesList", {{"cfg/main.lua", "local shared = import 'shared'\ntable.insert(shared.EVENTS, 'pr:merged')"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: module \"shared\" is read-only in the sandbox (shared.EVENTS[3]), so that one file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy\n"},
    {"RawsetIntoAModule", {{"cfg/main.lua", "local shared = import 'shared'\nrawset(shared.deep, 'name', 'x')"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: rawset: module \"shared\" is read-only in the sandbox; keep your own functions in a local table\n"},
    {"UnprotectAModule", {{"cfg/main.lua", "local shared = import 'shared'\nsetmetatable(shared, nil)"}, {"cfg/shared.lua", kSharedTables}},
     "main.lua:2: cannot change a protected metatable\n"},
    {"AModuleCannotChangeAnother", {{"cfg/main.lua", "import 'a'"}, {"cfg/a.lua", "local shared = import 'shared'\nshared.EVENTS[1] = 'x'"}, {"cfg/shared.lua", kSharedTables}},
     "a.lua:2: module \"shared\" is read-only in the sandbox (shared.EVENTS[1]), so that one file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy\n"},
};

INSTANTIATE_TEST_SUITE_P(All, ModuleDiagnostics, ::testing::ValuesIn(kModuleCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace stashform::dsl
