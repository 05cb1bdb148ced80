// spacelift.stack_binding against a scripted server: read-modify-write of the whole stack,
// detached stacks, and a delete that leaves the stack alone.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fake_http_client.h"
#include "modules/spacelift/documents.h"
#include "modules/spacelift/stack.h"
#include "modules/spacelift/stack_binding.h"
#include "tests/modules/spacelift/fake_spacelift.h"

namespace stashform::spacelift {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;
using provider::ApplyAction;
using testing::FakeSpacelift;

const char* const kStack = R"({"id":"tf-network","administrative":true,"afterApply":["echo done"],"afterDestroy":[],
  "afterInit":[],"afterPerform":[],"afterPlan":[],"afterRun":[],"autodeploy":true,"autoretry":false,
  "beforeApply":[],"beforeDestroy":[],"beforeInit":[],"beforePerform":[],"beforePlan":[],"branch":"develop",
  "deleting":false,"description":"hand-written","isDisabled":false,"githubActionDeploy":true,
  "labels":[],"localPreviewEnabled":false,"enableWellKnownSecretMasking":false,"enableSensitiveOutputUpload":true,
  "managesStateFile":true,"name":"tf-network","namespace":"OLD","projectRoot":"net","additionalProjectGlobs":[],
  "gitSparseCheckoutPaths":[],"protectFromDeletion":true,"provider":"GITHUB","repository":"old-repo",
  "repositoryURL":null,"runnerImage":null,"space":"root","terraformVersion":"1.5.7","vcsIntegration":null,
  "vendorConfig":{"__typename":"StackConfigVendorOpenTofu","concise":false,"externalStateAccessEnabled":false,
    "useSmartSanitization":true,"version":"1.8.0","openTofuWorkflowTool":"OPEN_TOFU","workspace":null},
  "workerPool":{"id":"pool-1"}})";

json::object Stack(json::value integration = nullptr) {
  json::object stack = json::parse(kStack).as_object();
  if (integration.is_string()) stack["vcsIntegration"] = json::object{{"id", integration}, {"isDefault", false}};
  return stack;
}

Value::Map Planned() {
  return {{"stack", Value("tf-network")}, {"integration", Value("bbdc-main")}, {"namespace", Value("INFRA")},
          {"repository", Value("tf-network")}, {"branch", Value("main")}};
}

class StackBindingTest : public ::testing::Test {
 protected:
  StackBindingTest() : spacelift(http), api({"http://spl.test", "key", "secret"}, http), bindings(api) {}
  FakeHttpClient http;
  FakeSpacelift spacelift;
  SpaceliftApi api;
  StackBindingType bindings;
};

TEST_F(StackBindingTest, BindReadsTheWholeStackAndChangesOnlyTheBinding) {
  spacelift.OnData("stack", Stack());
  json::object sent;
  spacelift.On("stackUpdate", [&sent](const json::object& variables) {
    sent = variables;
    json::object stack = json::parse(kStack).as_object();
    stack["vcsIntegration"] = json::object{{"id", "bbdc-main"}, {"isDefault", false}};
    stack["namespace"] = "INFRA";
    stack["repository"] = "tf-network";
    stack["branch"] = "main";
    return FakeHttpClient::Reply(200, json::serialize(json::object{{"data", json::object{{"stackUpdate", stack}}}}));
  });
  auto response = bindings.Apply({ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 3u);  // login, StackRead, StackUpdate
  EXPECT_EQ(json::parse(requests[1].body).at("query").as_string(), documents::kStackRead);
  EXPECT_EQ(json::parse(requests[2].body).at("query").as_string(), documents::kStackUpdate);
  EXPECT_EQ(sent.at("id").as_string(), "tf-network");
  EXPECT_EQ(json::serialize(sent.at("input")),
            R"({"administrative":true,"afterApply":["echo done"],"afterDestroy":[],"afterInit":[],"afterPerform":[],)"
            R"("afterPlan":[],"afterRun":[],"autodeploy":true,"autoretry":false,"beforeApply":[],"beforeDestroy":[],)"
            R"("beforeInit":[],"beforePerform":[],"beforePlan":[],"branch":"main","description":"hand-written",)"
            R"("githubActionDeploy":true,"labels":null,"localPreviewEnabled":false,"enableWellKnownSecretMasking":false,)"
            R"("enableSensitiveOutputUpload":true,"name":"tf-network","namespace":"INFRA","projectRoot":"net",)"
            R"("additionalProjectGlobs":null,"gitSparseCheckoutPaths":null,"protectFromDeletion":true,)"
            R"("provider":"BITBUCKET_DATACENTER","repository":"tf-network","repositoryURL":null,"runnerImage":null,)"
            R"("space":"root","vcsIntegrationId":"bbdc-main","vendorConfig":{"ansible":null,"cloudFormation":null,)"
            R"("kubernetes":null,"opentofu":{"concise":false,"externalStateAccessEnabled":false,)"
            R"("useSmartSanitization":true,"version":"1.8.0","workflowTool":"OPEN_TOFU","workspace":null},)"
            R"("pulumi":null,"terraform":null,"terragrunt":null},"workerPool":"pool-1"})");
  EXPECT_EQ(response.id, "tf-network");
  EXPECT_EQ(response.attributes.at("integration"), Value("bbdc-main"));
  EXPECT_EQ(response.attributes.at("namespace"), Value("INFRA"));
}

TEST_F(StackBindingTest, AnUnsetBranchKeepsTheStacksOwn) {
  spacelift.OnData("stack", Stack());
  json::object sent;
  spacelift.On("stackUpdate", [&sent](const json::object& variables) {
    sent = variables;
    return FakeHttpClient::Reply(200, json::serialize(json::object{{"data", json::object{{"stackUpdate", Stack("bbdc-main")}}}}));
  });
  Value::Map planned = Planned();
  planned.erase("branch");
  bindings.Apply({ApplyAction::kUpdate, "tf-network", {}, planned});
  EXPECT_EQ(sent.at("input").at("branch").as_string(), "develop");
}

TEST_F(StackBindingTest, ADetachedStackReadsWithoutIntegrationAndANote) {
  spacelift.OnData("stack", Stack());
  spacelift.OnData("bitbucketDatacenterIntegration", nullptr);
  auto response = bindings.Read({"tf-network", Planned()});
  ASSERT_FALSE(response.gone);
  EXPECT_TRUE(response.attributes.at("integration").is_null());
  EXPECT_EQ(response.notes, std::vector<std::string>{"stack detached: integration deleted"});
}

TEST_F(StackBindingTest, ABoundStackReadsItsIntegrationWithoutNotes) {
  spacelift.OnData("stack", Stack("bbdc-main"));
  auto response = bindings.Read({"tf-network", Planned()});
  EXPECT_EQ(response.attributes.at("integration"), Value("bbdc-main"));
  EXPECT_EQ(response.attributes.at("branch"), Value("develop"));
  EXPECT_TRUE(response.notes.empty());
}

TEST_F(StackBindingTest, ADeletedStackIsGone) {
  spacelift.OnData("stack", nullptr);
  EXPECT_TRUE(bindings.Read({"tf-network", Planned()}).gone);
}

TEST_F(StackBindingTest, BindingAMissingStackFailsWithItsName) {
  spacelift.OnData("stack", nullptr);
  auto response = bindings.Apply({ApplyAction::kCreate, "", {}, Planned()});
  EXPECT_EQ(response.diagnostics.ToString(),
            "Error: spacelift StackRead: stack \"tf-network\" not found; a binding needs an existing stack\n");
}

// spacelift_answers_fuzz's finding: `{"data":{"stack":666…}}` threw out of Boost.JSON's as_object and
// aborted the process; a stack that is not an object is the server's error, with the stack's name.
TEST_F(StackBindingTest, AStackAnswerThatIsNotAnObjectIsAnErrorNotACrash) {
  spacelift.OnData("stack", json::parse("666666666666666666666666666666"));
  const std::string error =
      "Error: spacelift StackRead: the answer for stack \"tf-network\" is not a stack object; check the API "
      "endpoint (api_url) points at Spacelift's GraphQL API\n";
  auto read = bindings.Read({"tf-network", Planned()});
  EXPECT_FALSE(read.gone);
  EXPECT_EQ(read.diagnostics.ToString(), error);
  EXPECT_EQ(bindings.Apply({ApplyAction::kCreate, "", {}, Planned()}).diagnostics.ToString(), error);
  EXPECT_EQ(bindings.Import("tf-network").diagnostics.ToString(), error);
}

// The same answer to spacelift.stack's read and import (the fuzzer's second finding of the kind).
TEST_F(StackBindingTest, AStackAnswerThatIsNotAnObjectIsAnErrorForTheStackTypeToo) {
  spacelift.OnData("stack", json::parse("6666"));
  StackType stacks(api);
  const std::string error =
      "Error: spacelift StackRead: the answer for stack \"tf-network\" is not a stack object; check the API "
      "endpoint (api_url) points at Spacelift's GraphQL API\n";
  auto read = stacks.Read({"tf-network", {}});
  EXPECT_FALSE(read.gone);
  EXPECT_EQ(read.diagnostics.ToString(), error);
  EXPECT_EQ(stacks.Import("tf-network").diagnostics.ToString(), error);
}

TEST_F(StackBindingTest, DeletingABindingLeavesTheStackAlone) {
  auto response = bindings.Apply({ApplyAction::kDelete, "tf-network", Planned(), {}});
  EXPECT_FALSE(response.diagnostics.HasErrors());
  EXPECT_TRUE(http.requests().empty());
}

TEST_F(StackBindingTest, ARefreshOfManyBindingsIsOneListing) {
  json::array stacks{Stack("bbdc-main"), Stack()};
  stacks[1].as_object()["id"] = "tf-dns";
  json::array edges;
  for (const auto& stack : stacks) edges.push_back(json::object{{"node", stack}});
  spacelift.OnData("searchStacks", json::object{{"edges", edges},
                                                {"pageInfo", json::object{{"endCursor", "tf-dns"},
                                                                          {"hasNextPage", false},
                                                                          {"hasPreviousPage", false}}}});
  std::vector<size_t> reported;
  auto responses = bindings.ReadMany({{"tf-network", {}}, {"tf-dns", {}}, {"gone", {}}},
                                     [&](size_t index, const provider::ReadResponse&) { reported.push_back(index); });
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(reported, (std::vector<size_t>{0, 1, 2})) << "each read is reported once, as it ends";
  EXPECT_EQ(responses[0].attributes.at("integration"), Value("bbdc-main"));
  EXPECT_EQ(responses[1].notes, std::vector<std::string>{kDetachedNote});
  EXPECT_TRUE(responses[2].gone);
  EXPECT_EQ(http.requests().size(), 2u) << "login and one listing";
}

TEST_F(StackBindingTest, WhenTheAccountCannotListEachBindingIsReadOnItsOwn) {
  spacelift.On("searchStacks", [](const json::object&) {
    return FakeHttpClient::Reply(200, R"({"data":null,"errors":[{"message":"Cannot query field \"stacks\" on type \"Query\"."}]})");
  });
  spacelift.OnData("stack", Stack("bbdc-main"));
  std::vector<size_t> reported;
  auto responses = bindings.ReadMany({{"tf-network", {}}, {"tf-network", {}}},
                                     [&](size_t index, const provider::ReadResponse&) { reported.push_back(index); });
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(reported, (std::vector<size_t>{0, 1}));
  EXPECT_FALSE(responses[1].diagnostics.HasErrors());
  EXPECT_EQ(responses[1].attributes.at("integration"), Value("bbdc-main"));
}

TEST(StackInputFromStack, AnUnknownVendorIsReadWithTheTerraformFields) {
  json::object stack = Stack();
  stack["vendorConfig"] = json::object{{"__typename", "StackConfigVendorSomethingNew"}, {"version", "1.0"}};
  json::object input = StackInputFromStack(stack);
  EXPECT_EQ(json::serialize(input.at("vendorConfig").at("terraform")), R"({"version":"1.0"})");
}

}  // namespace
}  // namespace stashform::spacelift
