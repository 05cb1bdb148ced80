// Indexing a handle: references to resource attributes, server values, and their compositions.

#include <gtest/gtest.h>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using testing::DiagnosticLines;
using testing::Eval;

const char* kPrelude = R"(local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = "t" }
local a = bitbucket.webhook "a" { project = "P", repository = "r", name = "a", url = "https://h", events = {} }
)";

EvalResult EvalAfterPrelude(const std::string& text) { return Eval(std::string(kPrelude) + text); }

const std::string kA = "bitbucket.webhook[\"a\"]";

TEST(References, IndexingAResourceGivesAReferenceAndADependency) {
  EvalResult result = EvalAfterPrelude(R"(
bitbucket.webhook "b" { project = "P", repository = "r", name = a.name, url = "https://x/" .. a.url .. "/y",
  events = { "pr:opened" }, labels = { from = a.id } }
)");
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const ResourceBlock& b = result.config.resources[1];
  EXPECT_EQ(b.attributes.at("name"), Value::Ref(kA, "name"));
  EXPECT_EQ(b.attributes.at("url"), Value::Join({"https://x/", Value::Ref(kA, "url"), "/y"}));
  EXPECT_TRUE(b.attributes.at("url").is_concat());
  EXPECT_EQ(b.attributes.at("labels").as_map().at("from"), Value::Ref(kA, "id"));
  EXPECT_EQ(b.references, std::vector<std::string>{kA});
  EXPECT_TRUE(b.depends_on.empty());
}

TEST(References, ReferencesToSensitiveAttributesAndSecretsStaySensitive) {
  EvalResult result = EvalAfterPrelude(R"(
bitbucket.webhook "b" { project = "P", repository = "r", name = "b", url = "https://h",
  events = {}, secret = a.secret, labels = { k = secret("s") .. a.name } }
)");
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  const ResourceBlock& b = result.config.resources[1];
  EXPECT_TRUE(b.attributes.at("secret").is_reference());
  EXPECT_TRUE(b.attributes.at("secret").sensitive());
  EXPECT_TRUE(b.attributes.at("labels").as_map().at("k").sensitive());
  EXPECT_TRUE(b.attributes.at("labels").as_map().at("k").is_concat());
}

TEST(References, ServerAttributesAreKnownAtOnce) {
  EvalResult result = EvalAfterPrelude(R"(
bitbucket.webhook "b" { project = "P", repository = "r", name = "b", url = bb.url .. "/hook", events = {} }
output "token" { value = bb.token, sensitive = true }
)");
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_EQ(result.config.resources[1].attributes.at("url"), Value("https://bb.example.com/hook"));
  EXPECT_TRUE(result.config.outputs[0].value.sensitive());
}

TEST(References, AnUnknownAttributeIsAnErrorWhereItIsUsed) {
  EvalResult result = EvalAfterPrelude("\n\nlocal u = a.urll\nlocal v = bb.tokn");
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:5: bitbucket.webhook[\"a\"]: unknown attribute \"urll\" (did you mean \"url\"?)\n"
            "main.lua:6: bitbucket.server \"corp\": unknown attribute \"tokn\" (did you mean \"token\"?)\n");
}

TEST(References, MustFitWhereTheyAreUsed) {
  EvalResult result = EvalAfterPrelude(R"(
bitbucket.webhook "b" { project = a.events, repository = "r", name = "b", url = "https://h",
  events = a.url, labels = { k = a.events }, retries = "x" .. a.id }
bitbucket.webhook "c" { project = "P", repository = "r", name = "c", url = "https://h", events = { a.events, a.name } }
bitbucket.webhook "d" { project = "P", repository = "r", name = "d", url = "https://h", events = a.events }
)");
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:4: bitbucket.webhook \"b\": events: expected set of strings, got " + kA + ".url (string)\n"
            "main.lua:4: bitbucket.webhook \"b\": labels.k: expected string, got " + kA + ".events (set of strings)\n"
            "main.lua:4: bitbucket.webhook \"b\": project: expected string, got " + kA + ".events (set of strings)\n"
            "main.lua:4: bitbucket.webhook \"b\": retries: expected integer, got string (built with ..)\n"
            "main.lua:6: bitbucket.webhook \"c\": events[1]: expected string, got " + kA + ".events (set of strings)\n");
}

TEST(References, CannotBeTurnedIntoPlainStrings) {
  EvalResult result = EvalAfterPrelude("local s = tostring(a.url)");
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:3: a reference is known only when the engine resolves it; use it directly or with ..\n");
}

TEST(References, OutputsMayReferToResources) {
  EvalResult result = EvalAfterPrelude("output \"hook\" { value = a.url .. \"?x\" }");
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_EQ(result.config.outputs[0].value, Value::Join({Value::Ref(kA, "url"), "?x"}));
}

}  // namespace
}  // namespace stashform::dsl
