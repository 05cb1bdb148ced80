// variable/var, output, moved, removed and import blocks.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using testing::DiagnosticLines;
using testing::TestOptions;

EvalResult EvalWith(const std::string& text, const EvalOptions& options) {
  return EvaluateChunk("main.lua", text, testing::TestSchemas(), options);
}

const char* kVariables = R"(variable "region" { type = "string", default = "eu" }
variable "replicas" { type = "number" }
variable "tags" { type = "list", default = {} }
variable "token" { type = "string", sensitive = true, description = "API token" }
local copy = var.region
)";

TEST(Variables, TakeDefaultsThenEnvironmentThenFilesThenCommandLine) {
  const auto folder = std::filesystem::temp_directory_path() / ("stashform-vars-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "a.json") << R"({ "replicas": 2, "tags": ["x", "y"] })";
  std::ofstream(folder / "b.lua") << "replicas = 3\n";
  EvalOptions options = TestOptions({{"STASHFORM_VAR_replicas", "1"}, {"STASHFORM_VAR_token", "env-token"}});
  options.var_files = {(folder / "a.json").string(), (folder / "b.lua").string()};
  options.vars = {{"region", "us"}};
  EvalResult result = EvalWith(kVariables, options);
  std::filesystem::remove_all(folder);
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const auto& variables = result.config.variables;
  ASSERT_EQ(variables.size(), 4u);
  EXPECT_EQ(variables[0].value, Value("us"));
  EXPECT_EQ(variables[0].source, "-var");
  EXPECT_EQ(variables[1].value, Value(3));
  EXPECT_EQ(variables[1].source, "-var-file b.lua");
  EXPECT_EQ(variables[2].value, Value::StringList({"x", "y"}));
  EXPECT_EQ(variables[3].value, Value("env-token"));
  EXPECT_TRUE(variables[3].value.sensitive());
  EXPECT_EQ(variables[3].description, "API token");
  EXPECT_EQ(variables[3].source, "STASHFORM_VAR_token");
}

TEST(Variables, SensitiveVariablesStaySensitiveInResources) {
  EvalOptions options = TestOptions();
  options.vars = {{"token", "t0k"}};
  EvalResult result = EvalWith(R"(
variable "token" { type = "string", sensitive = true }
bitbucket.server "s" { url = "https://b", token = "x" }
bitbucket.webhook "w" { project = "P", repository = "r", name = "n", url = "https://h/" .. var.token, events = {} }
)", options);
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_TRUE(result.config.resources[0].attributes.at("url").sensitive());
  EXPECT_EQ(result.config.resources[0].attributes.at("url"), Value("https://h/t0k"));
}

struct BlockCase {
  const char* name;
  const char* text;
  std::vector<std::pair<std::string, std::string>> vars;
  const char* expected;
};

void PrintTo(const BlockCase& c, std::ostream* os) { *os << c.name; }

class BlockDiagnostics : public ::testing::TestWithParam<BlockCase> {};

TEST_P(BlockDiagnostics, PinsTheText) {
  EvalOptions options = TestOptions();
  options.vars = GetParam().vars;
  EvalResult result = EvalWith(GetParam().text, options);
  EXPECT_EQ(DiagnosticLines(result.diagnostics), GetParam().expected);
}

#define SERVER "bitbucket.server \"s\" { url = \"https://b\", token = \"t\" }\n"
#define HOOK(name) "bitbucket.webhook \"" name "\" { project = \"P\", repository = \"r\", name = \"n\", url = \"https://h\", events = {} }\n"

const BlockCase kBlockCases[] = {
    {"VariableWithoutValue", "variable \"region\" { type = \"string\" }", {},
     "main.lua:1: variable \"region\": has no value (set it with -var region=..., a -var-file or STASHFORM_VAR_region)\n"},
    {"UnknownVariable", "variable \"region\" { default = \"eu\" }\nlocal r = var.regoin", {},
     "main.lua:2: var.regoin: unknown variable \"regoin\" (did you mean \"region\"?)\n"},
    {"VariableUsedBeforeDeclaration", "local r = var.zone", {},
     "main.lua:1: var.zone: unknown variable \"zone\" (declare it before use: variable \"zone\" { type = \"string\" })\n"},
    {"VariableWrongCommandLineType", "variable \"n\" { type = \"number\" }", {{"n", "many"}},
     "main.lua:1: variable \"n\": -var: expected number, got \"many\"\n"},
    {"VariableWrongDefaultType", "variable \"n\" { type = \"bool\", default = \"yes\" }", {},
     "main.lua:1: variable \"n\": default: expected bool, got string\n"},
    {"VariableUnknownType", "variable \"n\" { type = \"strng\", default = \"x\" }", {},
     "main.lua:1: variable \"n\": unknown type \"strng\" (expected one of \"string\", \"number\", \"bool\", \"list\", \"map\", \"any\")\n"},
    {"VariableUnknownKey", "variable \"n\" { defualt = 1 }", {{"n", "x"}},
     "main.lua:1: variable \"n\": unknown key \"defualt\" (did you mean \"default\"?)\n"},
    {"VariableDeclaredTwice", "variable \"n\" { default = 1 }\nvariable \"n\" { default = 2 }", {},
     "main.lua:2: variable \"n\": duplicate variable, first declared at main.lua:1\n"},
    {"UndeclaredCommandLineVariable", "variable \"region\" { default = \"eu\" }", {{"regon", "us"}},
     "-var regon: no variable \"regon\" is declared (did you mean \"region\"?)\n"},
    {"VarIsReadOnly", "var.x = 1", {}, "main.lua:1: var is read-only; declare inputs with variable \"name\" { ... }\n"},
    {"SensitiveOutputNotMarked", "output \"t\" { value = env \"HOME\" .. secret(\"x\") }", {},
     "main.lua:1: env \"HOME\": environment variable is not set\n"
     "main.lua:1: output \"t\": value is sensitive (set sensitive = true to show it masked)\n"},
    {"OutputWithoutValue", "output \"t\" { description = \"x\" }", {},
     "main.lua:1: output \"t\": missing required key \"value\"\n"},
    {"OutputUnknownKey", "output \"t\" { value = 1, sensitve = true }", {},
     "main.lua:1: output \"t\": unknown key \"sensitve\" (did you mean \"sensitive\"?)\n"},
    {"MovedToUndeclared", SERVER "moved { from = 'bitbucket.webhook[\"a\"]', to = 'bitbucket.webhook[\"b\"]' }", {},
     "main.lua:2: moved: to: bitbucket.webhook[\"b\"] is not declared\n"},
    {"MovedFromStillDeclared", SERVER HOOK("a") HOOK("b") "moved { from = 'bitbucket.webhook[\"a\"]', to = 'bitbucket.webhook[\"b\"]' }", {},
     "main.lua:4: moved: from: bitbucket.webhook[\"a\"] is still declared\n"},
    {"MovedBadAddress", SERVER HOOK("b") "moved { from = 'webhook a', to = 'bitbucket.webhook[\"b\"]' }", {},
     "main.lua:3: moved: from: expected a resource handle or an address such as bitbucket.webhook[\"api\"], got \"webhook a\"\n"},
    {"RemovedStillDeclared", SERVER HOOK("a") "removed { from = 'bitbucket.webhook[\"a\"]', destroy = false }", {},
     "main.lua:3: removed: from: bitbucket.webhook[\"a\"] is still declared (delete its declaration)\n"},
    {"ImportWithoutId", SERVER "local h = " HOOK("a") "import { to = h }", {},
     "main.lua:3: import: id: expected the remote object's id as a non-empty string\n"},
    {"ImportToUndeclared", SERVER "import { to = 'bitbucket.webhook[\"zz\"]', id = \"12\" }", {},
     "main.lua:2: import: to: bitbucket.webhook[\"zz\"] is not declared\n"},
};

INSTANTIATE_TEST_SUITE_P(All, BlockDiagnostics, ::testing::ValuesIn(kBlockCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EnvAllow, OnlyMatchingNamesAreRead) {
  EvalOptions options = TestOptions({{"BB_TOKEN", "t"}, {"HOME", "/root"}, {"CI_JOB", "7"}});
  options.env_allow = {"BB_*", "CI_JO?", "CI_*B"};
  EvalResult result = EvalWith("local a = env 'BB_TOKEN' .. env 'CI_JOB'\nlocal b = env 'HOME'", options);
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:2: env \"HOME\": not allowed by -env-allow (allowed: BB_*, CI_JO?, CI_*B)\n");
}

TEST(Blocks, OutputsAndRefactoringBlocksReachTheConfig) {
  EvalResult result = EvalWith(SERVER "local b = " HOOK("b") R"(
output "hook" { value = "https://h", description = "where" }
output "secret" { value = secret("s"), sensitive = true }
moved { from = 'bitbucket.webhook["a"]', to = b }
removed { from = 'bitbucket.webhook["old"]', destroy = false }
import { to = b, id = "42" }
)", TestOptions());
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const Config& config = result.config;
  ASSERT_EQ(config.outputs.size(), 2u);
  EXPECT_EQ(config.outputs[0].value, Value("https://h"));
  EXPECT_EQ(config.outputs[0].description, "where");
  EXPECT_TRUE(config.outputs[1].sensitive);
  EXPECT_TRUE(config.outputs[1].value.sensitive());
  ASSERT_EQ(config.moved.size(), 1u);
  EXPECT_EQ(config.moved[0].from.ToString(), "bitbucket.webhook[\"a\"]");
  EXPECT_EQ(config.moved[0].to.ToString(), "bitbucket.webhook[\"b\"]");
  EXPECT_EQ(config.moved[0].pos.ToString(), "main.lua:6");
  ASSERT_EQ(config.removed.size(), 1u);
  EXPECT_FALSE(config.removed[0].destroy);
  ASSERT_EQ(config.imports.size(), 1u);
  EXPECT_EQ(config.imports[0].id, "42");
  EXPECT_EQ(config.imports[0].to.ToString(), "bitbucket.webhook[\"b\"]");
}

}  // namespace
}  // namespace stashform::dsl
