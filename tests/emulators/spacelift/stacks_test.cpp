// Stacks: reads with the provider's full selection, stackUpdate with a full StackInput, binding
// rules (unknown integration, null id = default integration).

#include <gtest/gtest.h>

#include "tests/emulators/spacelift/harness.h"

namespace stashform::emulator::spacelift::testing {
namespace {

namespace json = boost::json;

// The provider's StackInput for a Bitbucket DC stack (spacelift-graphql.md §4.4), bound to `id`.
json::object StackInput(json::value integration_id) {
  json::object input = json::parse(R"({"administrative":false,"afterApply":[],"afterDestroy":[],"afterInit":[],
    "afterPerform":[],"afterPlan":[],"afterRun":[],"autodeploy":false,"autoretry":false,"beforeApply":[],
    "beforeDestroy":[],"beforeInit":[],"beforePerform":[],"beforePlan":[],"branch":"main",
    "description":"now with a description","githubActionDeploy":true,"labels":null,"localPreviewEnabled":false,
    "enableWellKnownSecretMasking":false,"enableSensitiveOutputUpload":true,"name":"tf-network","namespace":"INFRA",
    "projectRoot":null,"additionalProjectGlobs":null,"gitSparseCheckoutPaths":null,"protectFromDeletion":false,
    "provider":"BITBUCKET_DATACENTER","repository":"tf-network","repositoryURL":null,"runnerImage":null,
    "space":"root","vcsIntegrationId":null,"vendorConfig":{"ansible":null,"cloudFormation":null,"kubernetes":null,
    "opentofu":{"concise":true,"externalStateAccessEnabled":false,"useSmartSanitization":false,"version":"1.8.0",
    "workflowTool":"OPEN_TOFU","workspace":null},"pulumi":null,"terraform":null,"terragrunt":null},
    "workerPool":null})").as_object();
  input["vcsIntegrationId"] = integration_id;
  return input;
}

TEST(SpaceliftStacks, TheProvidersReadDocumentIsAnsweredInFull) {
  Harness harness;
  auto answer = harness.GraphQL(kStackDocument, {{"id", "tf-network"}});
  ASSERT_EQ(FirstError(answer), "");
  const json::object& stack = answer.at("data").at("stack").as_object();
  EXPECT_EQ(stack.at("namespace"), "INFRA");
  EXPECT_TRUE(stack.at("vcsIntegration").is_null());
  EXPECT_TRUE(stack.at("integrations").at("aws").is_object()) << "the provider dereferences it without a check";
  EXPECT_EQ(stack.size(), 42u) << "every field of the selection, and no other";
}

TEST(SpaceliftStacks, StackUpdateBindsTheIntegrationAndStoresTheVendorAsATypedObject) {
  Harness harness;
  harness.CreateIntegration("bbdc-main");
  auto answer = harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", StackInput("bbdc-main")}});
  ASSERT_EQ(FirstError(answer), "");
  const json::value& stack = answer.at("data").at("stackUpdate");
  EXPECT_EQ(stack.at("vcsIntegration"), (json::object{{"id", "bbdc-main"}, {"isDefault", false}}));
  EXPECT_EQ(stack.at("description"), "now with a description");
  EXPECT_EQ(json::serialize(stack.at("vendorConfig")),
            R"({"__typename":"StackConfigVendorOpenTofu","concise":true,"externalStateAccessEnabled":false,)"
            R"("useSmartSanitization":false,"version":"1.8.0","openTofuWorkflowTool":"OPEN_TOFU","workspace":null})");
  EXPECT_EQ(stack.at("labels"), json::array{}) << "a null list input reads back empty";
}

TEST(SpaceliftStacks, BindingAnUnknownIntegrationFailsAndChangesNothing) {
  Harness harness;
  auto answer = harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", StackInput("ghost")}});
  EXPECT_EQ(FirstError(answer), "vcs integration \"ghost\" not found");
  auto stack = harness.GraphQL(kStackDocument, {{"id", "tf-network"}}).at("data").at("stack");
  EXPECT_TRUE(stack.at("description").is_null());
}

TEST(SpaceliftStacks, ANullIntegrationIdBindsTheDefaultIntegration) {
  Harness harness;
  harness.CreateIntegration("main", true);
  auto answer = harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", StackInput(nullptr)}});
  EXPECT_EQ(answer.at("data").at("stackUpdate").at("vcsIntegration"), (json::object{{"id", "main"}, {"isDefault", true}}));
}

TEST(SpaceliftStacks, UnknownStacksAndInputFieldsAreReported) {
  Harness harness;
  EXPECT_TRUE(harness.GraphQL(kStackDocument, {{"id", "nope"}}).at("data").at("stack").is_null());
  auto missing = harness.GraphQL(kStackUpdateDocument, {{"id", "nope"}, {"input", StackInput(nullptr)}});
  EXPECT_EQ(FirstError(missing), "stack \"nope\" not found");
  json::object input = StackInput(nullptr);
  input["colour"] = "blue";
  auto unknown = harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", input}});
  EXPECT_EQ(FirstError(unknown), "Field \"colour\" is not defined by type \"StackInput\".");
}

TEST(SpaceliftStacks, AQueryTheRealApiDoesNotHaveIsRejected) {
  Harness harness;
  EXPECT_EQ(FirstError(harness.GraphQL("{stacks{id}}")), "Cannot query field \"stacks\" on type \"Query\".");
}

TEST(SpaceliftStacks, SearchStacksPagesInIdOrderAndFiltersByPredicates) {
  Harness harness;
  const char* document = "query($input:SearchInput!){searchStacks(input: $input){edges{node{id}},pageInfo{endCursor,hasNextPage,hasPreviousPage}}}";
  json::object first{{"first", 1}, {"after", nullptr}, {"predicates", nullptr}};
  EXPECT_EQ(json::serialize(harness.GraphQL(document, {{"input", first}})),
            R"({"data":{"searchStacks":{"edges":[{"node":{"id":"tf-dns"}}],"pageInfo":{"endCursor":"tf-dns","hasNextPage":true,"hasPreviousPage":false}}}})");
  json::object second{{"first", 1}, {"after", "tf-dns"}, {"predicates", nullptr}};
  EXPECT_EQ(json::serialize(harness.GraphQL(document, {{"input", second}})),
            R"({"data":{"searchStacks":{"edges":[{"node":{"id":"tf-network"}}],"pageInfo":{"endCursor":"tf-network","hasNextPage":false,"hasPreviousPage":true}}}})");
  json::object predicate{{"field", "repository"},
                         {"constraint", json::object{{"booleanEquals", nullptr}, {"enumEquals", nullptr},
                                                     {"stringMatches", json::array{"tf-network"}}}}};
  json::object filtered{{"first", 50}, {"after", nullptr}, {"predicates", json::array{predicate}}};
  auto answer = harness.GraphQL(document, {{"input", filtered}});
  ASSERT_EQ(answer.at("data").at("searchStacks").at("edges").as_array().size(), 1u) << json::serialize(answer);
  EXPECT_EQ(answer.at("data").at("searchStacks").at("edges").at(0).at("node").at("id"), "tf-network");
}

}  // namespace
}  // namespace stashform::emulator::spacelift::testing
