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

TEST(Modules, ShippedModulesAreFoundOnTheModulePaths) {
  EvalResult result = EvalFiles({
      {"cfg/main.lua", "bitbucket.server 's' { url = 'https://b', token = 't' }\nimport('spacelift/stack').hook('x', 'https://s')"},
      {"/opt/stashform/modules/spacelift/stack.lua", kRecipes},
  });
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_EQ(result.config.resources[0].address.ToString(), "module.spacelift.stack.bitbucket.webhook[\"x\"]");
  EXPECT_EQ(result.config.resources[0].pos.ToString(), "/opt/stashform/modules/spacelift/stack.lua:3");
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
     "a.lua:3: bitbucket.webhook \"x\": url: expected string, got number\n"},
};

INSTANTIATE_TEST_SUITE_P(All, ModuleDiagnostics, ::testing::ValuesIn(kModuleCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace stashform::dsl
