// Data sources: read through EvalOptions::read_data, unknown when there is no reader (validate).

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

using testing::DiagnosticLines;

const ResourceSchema& RepositoriesSchema() {
  static const ResourceSchema schema = [] {
    ResourceSchema s;
    s.type = "bitbucket.repositories";
    s.server_type = "bitbucket.server";
    s.attributes.resize(2);
    s.attributes[0].name = "project";
    s.attributes[0].mode = AttrMode::kRequired;
    s.attributes[1].name = "match";
    return s;
  }();
  return schema;
}

const char* kConfig = R"(bitbucket.server "corp" { url = "https://b", token = "t" }
for _, repo in ipairs(bitbucket.repositories { project = "INFRA", match = "^tf%-" }) do
  bitbucket.webhook ("ci/" .. repo.slug) { project = repo.project, repository = repo.slug, name = "ci",
    url = "https://ci", events = {} }
end
)";

EvalOptions WithRepositories(std::function<Result<Value>(const DataRequest&)> reader) {
  EvalOptions options = testing::TestOptions();
  options.data_source_schemas = {&RepositoriesSchema()};
  options.read_data = std::move(reader);
  return options;
}

Value Repository(const std::string& slug) { return Value(Value::Map{{"project", "INFRA"}, {"slug", slug}}); }

TEST(DataSources, ResultsDriveLoopsOfDeclarations) {
  std::vector<DataRequest> requests;
  EvalOptions options = WithRepositories([&](const DataRequest& request) -> Result<Value> {
    requests.push_back(request);
    return Value(Value::List{Repository("tf-net"), Repository("tf-dns")});
  });
  EvalResult result = EvaluateChunk("main.lua", kConfig, testing::TestSchemas(), options);
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].type, "bitbucket.repositories");
  EXPECT_EQ(requests[0].server, "corp");
  EXPECT_EQ(requests[0].server_block.type, "bitbucket.server");
  EXPECT_EQ(requests[0].server_block.attributes.at("url"), Value("https://b"));
  EXPECT_TRUE(requests[0].server_block.attributes.at("token").sensitive());
  EXPECT_EQ(requests[0].arguments.at("match"), Value("^tf%-"));
  EXPECT_EQ(requests[0].pos.ToString(), "main.lua:2");
  ASSERT_EQ(result.config.resources.size(), 2u);
  EXPECT_EQ(result.config.resources[1].address.ToString(), "bitbucket.webhook[\"ci/tf-dns\"]");
}

TEST(DataSources, TheTimeAReadTakesDoesNotCountAgainstTheWallClockLimit) {
  EvalOptions options = WithRepositories([](const DataRequest&) -> Result<Value> {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // a slow server
    return Value(Value::List{Repository("tf-net")});
  });
  options.time_limit = std::chrono::milliseconds(600);
  // Enough instructions after the read for the count hook to look at the clock again.
  EvalResult result = EvaluateChunk("main.lua", std::string(kConfig) + "for i = 1, 1e5 do end\n",
                                    testing::TestSchemas(), options);
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "");
}

TEST(DataSources, WithoutAReaderResultsAreUnknownAndLoopsDeclareNothing) {
  EvalResult result = EvaluateChunk("main.lua", kConfig, testing::TestSchemas(), WithRepositories(nullptr));
  EXPECT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_TRUE(result.config.resources.empty());
}

TEST(DataSources, ReaderErrorsAndBadArgumentsAreDiagnostics) {
  EvalOptions options = WithRepositories([](const DataRequest&) -> Result<Value> {
    return Status::Error("project INFRA not found");
  });
  EvalResult result = EvaluateChunk("main.lua", std::string(kConfig) + "local r = bitbucket.repositories { projet = 'X' }",
                                    testing::TestSchemas(), options);
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:2: bitbucket.repositories: project INFRA not found\n"
            "main.lua:6: bitbucket.repositories: unknown attribute \"projet\" (did you mean \"project\"?)\n"
            "main.lua:6: bitbucket.repositories: missing required attribute \"project\"\n");
}

TEST(DataSources, AreRecognisedAmongTheResourceSchemasToo) {
  static const ResourceSchema flagged = [] {
    ResourceSchema s = RepositoriesSchema();
    s.is_data_source = true;
    return s;
  }();
  std::vector<const ResourceSchema*> schemas = testing::TestSchemas();
  schemas.push_back(&flagged);
  EvalOptions options = testing::TestOptions();
  options.read_data = [](const DataRequest&) -> Result<Value> { return Value(Value::List{Repository("tf-a")}); };
  EvalResult result = EvaluateChunk("main.lua", kConfig, schemas, options);
  ASSERT_EQ(DiagnosticLines(result.diagnostics), "");
  EXPECT_EQ(result.config.resources.size(), 1u);
}

TEST(DataSources, NeedAServerDeclaredAbove) {
  EvalResult result = EvaluateChunk("main.lua", "local r = bitbucket.repositories { project = 'X' }",
                                    testing::TestSchemas(), WithRepositories(nullptr));
  EXPECT_EQ(DiagnosticLines(result.diagnostics),
            "main.lua:1: bitbucket.repositories: no bitbucket.server is declared above this line "
            "(declare the server first)\n");
}

}  // namespace
}  // namespace stashform::dsl
