// The GraphQL surface: login and bearer JWTs, selections, errors, and the standalone binary.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "emulators/spacelift/graphql.h"
#include "emulators/spacelift/jwt.h"
#include "tests/emulators/spacelift/harness.h"

extern char** environ;

namespace stashform::emulator::spacelift::testing {
namespace {

namespace json = boost::json;

TEST(SpaceliftLogin, AnApiKeyGetsAJwtWhoseAudienceIsTheApiBaseUrl) {
  Harness harness;
  std::string jwt = harness.Login();
  auto first = jwt.find('.');
  auto claims = json::parse(*Base64UrlDecode(jwt.substr(first + 1, jwt.find('.', first + 1) - first - 1)));
  EXPECT_EQ(claims.at("aud"), json::array{json::value(harness.base_url())});
  EXPECT_EQ(claims.at("sub"), "api::key-1");
  EXPECT_GT(claims.at("exp").as_int64(), claims.at("iat").as_int64());
}

TEST(SpaceliftLogin, AnUnknownKeyIsNullAndAWrongSecretAnError) {
  Harness harness;
  const std::string login = "mutation($id:ID!$secret:String!){apiKeyUser(id: $id, secret: $secret){jwt}}";
  auto unknown = json::parse(harness.Post(login, {{"id", "nope"}, {"secret", "x"}}, "")->body);
  EXPECT_TRUE(unknown.at("data").at("apiKeyUser").is_null());
  EXPECT_EQ(FirstError(unknown), "");
  auto wrong = json::parse(harness.Post(login, {{"id", "key-1"}, {"secret", "x"}}, "")->body);
  EXPECT_EQ(FirstError(wrong), "unauthorized: invalid API key secret");
}

TEST(SpaceliftAuth, EveryOtherCallNeedsAValidBearer) {
  Harness harness;
  const std::string stack = "query($id:ID!){stack(id: $id){id}}";
  auto none = harness.Post(stack, {{"id", "tf-network"}}, "");
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(json::parse(none->body).at("errors").at(0).at("message"), "unauthorized: malformed token");
  std::string jwt = harness.Login();
  std::string forged = jwt.substr(0, jwt.rfind('.') + 1) + "c2lnbmF0dXJl";
  EXPECT_EQ(harness.Post(stack, {{"id", "tf-network"}}, "Bearer " + forged)->status, 401);
  EXPECT_EQ(harness.Post(stack, {{"id", "tf-network"}}, "Bearer " + jwt)->status, 200);
  harness.Admin("POST", "revoke-tokens");
  auto revoked = harness.Post(stack, {{"id", "tf-network"}}, "Bearer " + jwt);
  EXPECT_EQ(revoked->status, 401);
  EXPECT_EQ(json::parse(revoked->body).at("errors").at(0).at("message"), "unauthorized: token revoked");
}

TEST(SpaceliftGraphQL, AnswersOnlyTheSelectedFieldsUnderTheirAliases) {
  Harness harness;
  auto answer = harness.GraphQL(
      "query($id:ID!){s:stack(id: $id){id,vendorConfig{__typename,... on StackConfigVendorOpenTofu{tool:workflowTool},"
      "... on StackConfigVendorTerraform{version,flow:workflowTool}}}}",
      {{"id", "tf-network"}});
  EXPECT_EQ(json::serialize(answer),
            R"({"data":{"s":{"id":"tf-network","vendorConfig":{"__typename":"StackConfigVendorTerraform",)"
            R"("version":"1.5.7","flow":"TERRAFORM_FOSS"}}}})");
}

TEST(SpaceliftGraphQL, AnUnknownFieldIsAnErrorWithItsPath) {
  Harness harness;
  auto answer = harness.GraphQL("query($id:ID!){stack(id: $id){id,colour}}", {{"id", "tf-network"}});
  EXPECT_TRUE(answer.at("data").at("stack").is_null());
  EXPECT_EQ(json::serialize(answer.at("errors")),
            R"([{"message":"Cannot query field \"colour\" on type \"Stack\".","path":["stack"]}])");
  auto root = harness.GraphQL("{stackz{id}}");
  EXPECT_EQ(FirstError(root), "Cannot query field \"stackz\" on type \"Query\".");
}

TEST(SpaceliftGraphQL, MalformedRequestsAre400WithAMessage) {
  Harness harness;
  std::string jwt = harness.Login();
  auto syntax = harness.Post("query{stack(id: \"x\"){id}", {}, "Bearer " + jwt);
  EXPECT_EQ(syntax->status, 400);
  EXPECT_EQ(json::parse(syntax->body).at("errors").at(0).at("message").as_string().subview().substr(0, 13), "Syntax Error:");
}

TEST(SpaceliftGraphQL, LiteralArgumentsWorkLikeVariables) {
  Harness harness;
  auto answer = harness.GraphQL("query { stack(id: \"tf-dns\") { id description } }");
  EXPECT_EQ(json::serialize(answer), R"({"data":{"stack":{"id":"tf-dns","description":"DNS"}}})");
}

TEST(ParseOperation, ReadsKindFieldsArgumentsAndFragments) {
  Operation operation = ParseOperation("mutation($id:ID!){a:stackUpdate(id: $id, input: {x: [1, \"two\"]}){id}}",
                                       {{"id", "s"}});
  EXPECT_EQ(operation.kind, "mutation");
  ASSERT_EQ(operation.fields.size(), 1u);
  EXPECT_EQ(operation.fields[0].alias, "a");
  EXPECT_EQ(operation.fields[0].name, "stackUpdate");
  EXPECT_EQ(json::serialize(operation.fields[0].arguments), R"({"id":"s","input":{"x":[1,"two"]}})");
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SpaceliftBinary, PrintsItsUrlServesAndStopsOnSigterm) {
  char dir[] = "/tmp/spl-emu-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string seed = std::string(dir) + "/seed.json", out = std::string(dir) + "/out";
  std::ofstream(seed) << kSeed;
  std::vector<std::string> args = {STASHFORM_EMULATOR_BINARY, "spacelift", "--port", "0", "--seed", seed};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::string url;
  for (int i = 0; i < 3000 && url.empty(); ++i) {
    std::string text = ReadAll(out);
    if (auto at = text.find("listening on "); at != std::string::npos && text.find('\n', at) != std::string::npos)
      url = text.substr(at + 13, text.find('\n', at) - at - 13);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << ReadAll(out);
  httplib::Client client(url);
  auto dump = client.Get("/_emulator/dump");
  ASSERT_TRUE(dump);
  EXPECT_EQ(json::parse(dump->body).at("stacks").as_array().size(), 2u);
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000 && waitpid(pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (kill(pid, 0) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stashform::emulator::spacelift::testing
