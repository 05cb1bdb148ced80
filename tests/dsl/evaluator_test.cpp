// Evaluating configs into a Config, and the text of every declaration diagnostic.

#include "dsl/evaluator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using testing::DiagnosticLines;
using testing::Eval;

const char* kServer = R"(local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
)";

TEST(Evaluator, ServerAndTwoWebhooksGiveTheConfig) {
  const std::string text = std::string(kServer) + R"(
local ci = bitbucket.webhook "INFRA/api/ci" {
  server = bb, project = "INFRA", repository = "api", name = "ci",
  url = "https://ci.example.com/hook", events = { "repo:refs_changed", "pr:opened" },
}
bitbucket.webhook "INFRA/api/chat" {
  project = "INFRA", repository = "api", name = "chat", url = "https://chat.example.com",
  events = { "pr:merged" }, active = false, retries = 3.0,
  lifecycle = { prevent_destroy = true, ignore_changes = { "active" } },
  depends_on = { ci },
}
)";
  EvalResult result = Eval(text, {{"BB_TOKEN", "t0ken"}});
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const Config& config = result.config;
  ASSERT_EQ(config.servers.size(), 1u);
  EXPECT_EQ(config.servers[0].type, "bitbucket.server");
  EXPECT_EQ(config.servers[0].name, "corp");
  EXPECT_EQ(config.servers[0].pos.ToString(), "main.lua:1");
  EXPECT_EQ(config.servers[0].attributes.at("url"), Value("https://bb.example.com"));
  ASSERT_EQ(config.resources.size(), 2u);

  const ResourceBlock& ci = config.resources[0];
  EXPECT_EQ(ci.address.ToString(), "bitbucket.webhook[\"INFRA/api/ci\"]");
  EXPECT_EQ(ci.server, "corp");
  EXPECT_EQ(ci.pos.ToString(), "main.lua:3");
  EXPECT_EQ(ci.attributes.at("events"), Value::StringList({"repo:refs_changed", "pr:opened"}));
  EXPECT_EQ(ci.attributes.count("server"), 0u);
  EXPECT_EQ(ci.attribute_pos.at("url").ToString(), "main.lua:3");

  const ResourceBlock& chat = config.resources[1];
  EXPECT_EQ(chat.server, "corp");  // the only bitbucket.server, bound implicitly
  EXPECT_EQ(chat.attributes.at("active"), Value(false));
  EXPECT_TRUE(chat.attributes.at("retries").is_int());
  EXPECT_TRUE(chat.lifecycle.prevent_destroy);
  EXPECT_TRUE(chat.lifecycle.destroy);
  EXPECT_EQ(chat.lifecycle.ignore_changes, std::vector<std::string>{"active"});
  EXPECT_EQ(chat.depends_on, std::vector<std::string>{"bitbucket.webhook[\"INFRA/api/ci\"]"});
}

TEST(Evaluator, EnvValuesStaySensitiveThroughConcatenationAndLists) {
  const std::string text = std::string(kServer) + R"(
bitbucket.webhook "w" {
  project = "P", repository = "r", name = "n", url = "https://x.example.com/" .. env "HOOK_PATH",
  events = { "pr:opened" }, secret = env "HOOK_SECRET", labels = { owner = secret("ops") },
}
)";
  EvalResult result = Eval(text, {{"BB_TOKEN", "t"}, {"HOOK_PATH", "p/1"}, {"HOOK_SECRET", "s3"}});
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_TRUE(result.config.servers[0].attributes.at("token").sensitive());
  const Value::Map& attributes = result.config.resources[0].attributes;
  EXPECT_TRUE(attributes.at("url").sensitive());
  EXPECT_EQ(attributes.at("url").RenderRevealed(), "\"https://x.example.com/p/1\"");
  EXPECT_EQ(attributes.at("url").Render(), "(sensitive)");
  EXPECT_TRUE(attributes.at("secret").sensitive());
  EXPECT_EQ(attributes.at("secret"), Value("s3"));
  EXPECT_TRUE(attributes.at("labels").ContainsSensitive());
  EXPECT_FALSE(attributes.at("project").sensitive());
}

// issue 22 §5: env is sensitive unless the config asks for a plain value (a URL, a user name).
TEST(Evaluator, EnvPlainGivesAPlainValueAndEnvStaysSensitive) {
  const std::string text = std::string(kServer) + R"(
bitbucket.webhook "w" {
  project = "P", repository = "r", name = env.plain "HOOK_NAME", url = env.plain "HOOK_URL",
  events = { "pr:opened" }, secret = env "HOOK_NAME",
}
output "hook_url" { value = env.plain "HOOK_URL" .. "/x" }
)";
  EvalResult result = Eval(text, {{"BB_TOKEN", "t"}, {"HOOK_NAME", "ci"}, {"HOOK_URL", "https://x.example.com"}});
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const Value::Map& attributes = result.config.resources[0].attributes;
  EXPECT_FALSE(attributes.at("url").sensitive());
  EXPECT_EQ(attributes.at("url").Render(), "\"https://x.example.com\"");
  EXPECT_FALSE(attributes.at("name").sensitive());
  EXPECT_TRUE(attributes.at("secret").sensitive()) << "the same variable through env stays sensitive";
  EXPECT_FALSE(result.config.outputs[0].value.ContainsSensitive());
}

TEST(Evaluator, EnvCannotBeRedefinedByTheConfig) {
  EvalResult result = Eval(std::string(kServer) + "\nenv.plain = function() return 'x' end\n", {{"BB_TOKEN", "t"}});
  EXPECT_NE(DiagnosticLines(result.diagnostics).find("env is read-only"), std::string::npos)
      << DiagnosticLines(result.diagnostics);
  EvalResult bad = Eval(std::string(kServer) + "\nlocal x = env.plain(42)\n", {{"BB_TOKEN", "t"}});
  EXPECT_EQ(DiagnosticLines(bad.diagnostics), "main.lua:3: env.plain: expected a variable name, got number\n");
}

TEST(Evaluator, SensitiveSchemaAttributesAreMarkedEvenFromLiterals) {
  EvalResult result = Eval(R"(bitbucket.server "s" { url = "https://b", token = "literal" })");
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_TRUE(result.config.servers[0].attributes.at("token").sensitive());
}

struct DiagnosticCase {
  const char* name;
  const char* body;      // appended after kServer (which is line 1)
  const char* expected;  // every diagnostic, one per line
};

void PrintTo(const DiagnosticCase& c, std::ostream* os) { *os << c.name; }

class EvaluatorDiagnostics : public ::testing::TestWithParam<DiagnosticCase> {};

TEST_P(EvaluatorDiagnostics, PinsTheText) {
  EvalResult result = Eval(std::string(kServer) + GetParam().body, {{"BB_TOKEN", "t"}});
  EXPECT_EQ(DiagnosticLines(result.diagnostics), GetParam().expected);
  EXPECT_TRUE(result.diagnostics.HasErrors());
}

#define HOOK_BASE "project = \"P\", repository = \"r\", name = \"n\", url = \"https://h\", events = { \"pr:opened\" }"

const DiagnosticCase kDiagnosticCases[] = {
    {"UnknownAttribute", "bitbucket.webhook \"api\" { " HOOK_BASE ", urll = \"x\" }",
     "main.lua:2: bitbucket.webhook \"api\": unknown attribute \"urll\" (did you mean \"url\"?)\n"},
    {"MissingRequired", "bitbucket.webhook \"api\" { project = \"P\", repository = \"r\", name = \"n\", events = {} }",
     "main.lua:2: bitbucket.webhook \"api\": missing required attribute \"url\"\n"},
    {"ComputedSet", "bitbucket.webhook \"api\" { " HOOK_BASE ", id = \"7\" }",
     "main.lua:2: bitbucket.webhook \"api\": attribute \"id\" is computed and cannot be set\n"},
    {"WrongTypeInList",
     "bitbucket.webhook \"api\" { project = \"P\", repository = \"r\", name = \"n\", url = \"https://h\",\n"
     "  events = { \"pr:opened\", \"pr:merged\", 3 } }",
     "main.lua:2: bitbucket.webhook \"api\": events[3]: expected string, got number\n"},
    {"WrongScalarType", "bitbucket.webhook \"api\" { " HOOK_BASE ", active = \"yes\" }",
     "main.lua:2: bitbucket.webhook \"api\": active: expected bool, got string\n"},
    {"ListExpected", "bitbucket.webhook \"api\" { project = \"P\", repository = \"r\", name = \"n\", url = \"https://h\", events = \"pr:opened\" }",
     "main.lua:2: bitbucket.webhook \"api\": events: expected set of strings, got string\n"},
    {"FractionalInteger", "bitbucket.webhook \"api\" { " HOOK_BASE ", retries = 1.5 }",
     "main.lua:2: bitbucket.webhook \"api\": retries: expected integer, got a fractional number\n"},
    {"MapItemType", "bitbucket.webhook \"api\" { " HOOK_BASE ", labels = { team = 4 } }",
     "main.lua:2: bitbucket.webhook \"api\": labels.team: expected string, got number\n"},
    {"UnknownEventKey",
     "bitbucket.webhook \"api\" { project = \"P\", repository = \"r\", name = \"n\", url = \"https://h\", events = { \"pr:opened\", \"repo:refs_change\" } }",
     "main.lua:2: bitbucket.webhook \"api\": events[2]: invalid value \"repo:refs_change\" (did you mean \"repo:refs_changed\"?)\n"},
    {"CheckFunction", "bitbucket.webhook \"api\" { project = \"P\", repository = \"r\", name = \"n\", url = \"ftp://h\", events = { \"pr:opened\" } }",
     "main.lua:2: bitbucket.webhook \"api\": url: expected an http(s) URL\n"},
    {"DuplicateAddress", "bitbucket.webhook \"api\" { " HOOK_BASE " }\n\nbitbucket.webhook \"api\" { " HOOK_BASE " }",
     "main.lua:4: bitbucket.webhook \"api\": duplicate address bitbucket.webhook[\"api\"], first declared at main.lua:2\n"},
    {"DuplicateServer", "bitbucket.server \"corp\" { url = \"https://b\", token = \"t\" }",
     "main.lua:2: bitbucket.server \"corp\": duplicate address bitbucket.server \"corp\", first declared at main.lua:1\n"},
    {"LifecycleUnknownKey", "bitbucket.webhook \"api\" { " HOOK_BASE ", lifecycle = { prevent_destory = true } }",
     "main.lua:2: bitbucket.webhook \"api\": lifecycle: unknown key \"prevent_destory\" (did you mean \"prevent_destroy\"?)\n"},
    {"LifecycleWrongType", "bitbucket.webhook \"api\" { " HOOK_BASE ", lifecycle = { destroy = \"no\" } }",
     "main.lua:2: bitbucket.webhook \"api\": lifecycle.destroy: expected boolean, got string\n"},
    {"IgnoreChangesUnknownAttribute", "bitbucket.webhook \"api\" { " HOOK_BASE ", lifecycle = { ignore_changes = { \"evnts\" } } }",
     "main.lua:2: bitbucket.webhook \"api\": lifecycle.ignore_changes[1]: unknown attribute \"evnts\" (did you mean \"events\"?)\n"},
    {"ServerNotAHandle", "bitbucket.webhook \"api\" { " HOOK_BASE ", server = \"corp\" }",
     "main.lua:2: bitbucket.webhook \"api\": server: expected a bitbucket.server handle, got string\n"},
    {"DependsOnNotHandles", "bitbucket.webhook \"api\" { " HOOK_BASE ", depends_on = { \"x\" } }",
     "main.lua:2: bitbucket.webhook \"api\": depends_on[1]: expected a resource handle, got string\n"},
    {"HandleAsValue", "local a = bitbucket.webhook \"a\" { " HOOK_BASE " }\nbitbucket.webhook \"b\" { " HOOK_BASE ", secret = a }",
     "main.lua:3: bitbucket.webhook \"b\": secret: a handle (bitbucket.webhook[\"a\"]) cannot be used as a value; refer to one of its attributes (handle.attribute)\n"},
    {"FunctionAsValue", "bitbucket.webhook \"api\" { " HOOK_BASE ", secret = function() end }",
     "main.lua:2: bitbucket.webhook \"api\": secret: unsupported value of type function\n"},
    {"CyclicTable", "local t = {}\nt[1] = t\nbitbucket.webhook \"api\" { " HOOK_BASE ", labels = { k = t } }",
     "main.lua:4: bitbucket.webhook \"api\": labels: table nested too deeply (is it cyclic?)\n"},
    {"MixedTable", "bitbucket.webhook \"api\" { " HOOK_BASE ", labels = { \"a\", b = \"c\" } }",
     "main.lua:2: bitbucket.webhook \"api\": labels: a table mixes named keys and list items\n"},
    {"EnvUnset", "bitbucket.webhook \"api\" { " HOOK_BASE ", secret = env \"HOOK_SECRET\" }",
     "main.lua:2: env \"HOOK_SECRET\": environment variable is not set\n"},
    {"BodyMissing", "bitbucket.webhook \"api\"",
     "main.lua:2: bitbucket.webhook \"api\": declaration has no body; write bitbucket.webhook \"api\" { ... }\n"},
    {"UnknownType", "bitbucket.webhok \"api\" { }",
     "main.lua:2: bitbucket.webhok is not a known type (did you mean \"webhook\"?)\n"},
    {"NameMissing", "bitbucket.webhook { }",
     "main.lua:2: bitbucket.webhook: expected a name, as in bitbucket.webhook \"name\" { ... }, got table\n"},
    {"SeveralProblemsInOneRun",
     "bitbucket.webhook \"a\" { " HOOK_BASE ", urll = 1 }\nbitbucket.webhook \"b\" { " HOOK_BASE ", active = 1 }",
     "main.lua:2: bitbucket.webhook \"a\": unknown attribute \"urll\" (did you mean \"url\"?)\n"
     "main.lua:3: bitbucket.webhook \"b\": active: expected bool, got number\n"},
    {"RuntimeError", "local x = nil\nlocal y = x.field",
     "main.lua:3: attempt to index a nil value (local 'x')\n"},
    {"ErrorWithoutPosition", "\nerror('boom', 0)", "main.lua:3: boom\n"},
    {"ErrorObjectNotAString", "error({})", "main.lua:2: error object is a table value\n"},
    {"SyntaxError", "bitbucket webhook \"x\" {}",
     "main.lua:2: syntax error near 'webhook'\n"},
};

INSTANTIATE_TEST_SUITE_P(All, EvaluatorDiagnostics, ::testing::ValuesIn(kDiagnosticCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Evaluator, NoServerDeclaredIsAnErrorOnTheResource) {
  EvalResult result = Eval("bitbucket.webhook \"api\" { " HOOK_BASE " }");
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:1: bitbucket.webhook \"api\": no bitbucket.server is declared "
            "(declare one: bitbucket.server \"name\" { ... })\n");
}

TEST(Evaluator, TwoServersNeedAnExplicitChoice) {
  EvalResult result = Eval(std::string(kServer) +
                               "bitbucket.server \"other\" { url = \"https://o\", token = \"t\" }\n"
                               "bitbucket.webhook \"api\" { " HOOK_BASE " }",
                           {{"BB_TOKEN", "t"}});
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:3: bitbucket.webhook \"api\": server is not set and 2 bitbucket.server blocks are "
            "declared (\"corp\", \"other\") (choose one with server = <handle>)\n");
}

TEST(Evaluator, ASyntaxErrorIsOneLineWithLuasWording) {
  EvalResult result = Eval("local x = {\n  a = 1\n  b = 2\n}");
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "main.lua:3: '}' expected (to close '{' at line 1) near 'b'\n");
}

TEST(EvaluateFolder, MissingMainLuaIsNamed) {
  EvalResult result = EvaluateFolder("/nonexistent/cfg", testing::TestSchemas());
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "/nonexistent/cfg: no main.lua found\n");
}

TEST(EvaluateFolder, ReadsMainLuaAndNamesItInPositions) {
  const auto folder = std::filesystem::temp_directory_path() / ("stashform-dsl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "main.lua") << "bitbucket.server \"s\" { url = \"https://b\", token = \"t\" }\n"
                                     << "bitbucket.webhook \"w\" { " HOOK_BASE ", urll = 1 }\n";
  EvalResult result = EvaluateFolder(folder.string(), testing::TestSchemas());
  std::filesystem::remove_all(folder);
  EXPECT_EQ(result.config.folder, folder.string());
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:2: bitbucket.webhook \"w\": unknown attribute \"urll\" (did you mean \"url\"?)\n");
}

}  // namespace
}  // namespace stashform::dsl

namespace stashform::dsl {
namespace {

TEST(Evaluator, ValidateTreatsUnsetEnvironmentVariablesAsUnknownInsteadOfErrors) {
  const std::string text = std::string(kServer) + R"(
bitbucket.webhook "w" {
  project = "P", repository = "r", name = "n", url = "https://x.example.com/" .. env "HOOK_PATH",
  events = { "pr:opened" }, secret = env "HOOK_SECRET",
}
)";
  EvalOptions options;
  options.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  EvalResult strict = EvaluateChunk("main.lua", text, testing::TestSchemas(), options);
  EXPECT_TRUE(strict.diagnostics.HasErrors()) << "plan and apply need the variables";
  options.unset_env_unknown = true;
  EvalResult offline = EvaluateChunk("main.lua", text, testing::TestSchemas(), options);
  EXPECT_FALSE(offline.diagnostics.HasErrors()) << offline.diagnostics.ToString();
  ASSERT_EQ(offline.config.resources.size(), 1u);
}

}  // namespace
}  // namespace stashform::dsl
