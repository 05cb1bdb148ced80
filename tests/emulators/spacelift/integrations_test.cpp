// Bitbucket Data Center integrations: ids, webhook URLs and secrets, the default rule, updates,
// deletes that detach stacks, and "not found" in both of the reference's forms.

#include <gtest/gtest.h>

#include "tests/emulators/spacelift/harness.h"

namespace stashform::emulator::spacelift::testing {
namespace {

namespace json = boost::json;

json::object UpdateVariables(const std::string& id, json::value token) {
  return {{"accessToken", token}, {"apiHost", "http://bb2:7990"},
          {"customInput", json::object{{"id", id}, {"space", "root"}, {"labels", json::array{"team:infra"}},
                                       {"description", "now described"}, {"vcsChecks", "AGGREGATED"},
                                       {"useGitCheckout", true}}},
          {"userFacingHost", "http://bb2:7990"}, {"username", "spacelift-bot"}};
}

std::string TokenDigest(Harness& harness, const std::string& id) {
  json::value dump = harness.Admin("GET", "dump");
  for (const auto& integration : dump.at("integrations").as_array())
    if (integration.at("id") == json::value(id)) return std::string(integration.at("accessTokenSha256").as_string());
  return "";
}

TEST(SpaceliftIntegrations, CreateDerivesIdAndWebhookUrlFromTheNameAndAnswersTheSelection) {
  Harness harness;
  json::value created = harness.CreateIntegration("BBDC Main");
  EXPECT_EQ(created.at("id"), "bbdc-main");
  EXPECT_EQ(created.at("name"), "BBDC Main");
  EXPECT_EQ(created.at("space"), (json::object{{"id", "root"}}));
  EXPECT_EQ(created.at("labels"), json::array{});
  EXPECT_EQ(created.at("webhookURL"), json::value(harness.base_url() + "/webhooks/bitbucket_datacenter/emulator/integration/bbdc-main"));
  EXPECT_EQ(created.at("webhookSecret").as_string().size(), 48u);
  EXPECT_EQ(created.as_object().size(), 13u) << "exactly the selected fields";
  EXPECT_FALSE(created.as_object().contains("accessToken"));
}

TEST(SpaceliftIntegrations, RecreatingUnderTheSameNameKeepsTheUrlButNotTheSecret) {
  Harness harness;
  json::value first = harness.CreateIntegration("bbdc-main");
  EXPECT_EQ(FirstError(harness.GraphQL(kDeleteDocument, {{"id", "bbdc-main"}})), "");
  json::value second = harness.CreateIntegration("bbdc-main");
  EXPECT_EQ(first.at("webhookURL"), second.at("webhookURL"));
  EXPECT_NE(first.at("webhookSecret"), second.at("webhookSecret"));
}

TEST(SpaceliftIntegrations, ADuplicateIdAndASecondDefaultAreRefused) {
  Harness harness;
  harness.CreateIntegration("main", true);
  json::object input{{"name", "Main"}, {"isDefault", false}};
  auto duplicate = harness.GraphQL(kCreateDocument, {{"accessToken", "t"}, {"apiHost", "h"}, {"userFacingHost", "h"},
                                                     {"customInput", input}});
  EXPECT_EQ(FirstError(duplicate), "bitbucket datacenter integration with id \"main\" already exists");
  input = {{"name", "other"}, {"isDefault", true}};
  auto second_default = harness.GraphQL(kCreateDocument, {{"accessToken", "t"}, {"apiHost", "h"}, {"userFacingHost", "h"},
                                                          {"customInput", input}});
  EXPECT_EQ(FirstError(second_default), "a default Bitbucket Data Center integration already exists");
  EXPECT_TRUE(second_default.at("data").at("bitbucketDatacenterIntegrationCreate").is_null());
}

TEST(SpaceliftIntegrations, UpdateChangesFieldsAndTheTokenOnlyWhenOneIsSent) {
  Harness harness;
  harness.CreateIntegration("bbdc-main", false, "token-1");
  std::string original = TokenDigest(harness, "bbdc-main");
  auto kept = harness.GraphQL(kUpdateDocument, UpdateVariables("bbdc-main", nullptr));
  ASSERT_EQ(FirstError(kept), "");
  const json::value& updated = kept.at("data").at("bitbucketDatacenterIntegrationUpdate");
  EXPECT_EQ(updated.at("apiHost"), "http://bb2:7990");
  EXPECT_EQ(updated.at("vcsChecks"), "AGGREGATED");
  EXPECT_EQ(updated.at("labels"), json::array{"team:infra"});
  EXPECT_EQ(updated.at("useGitCheckout"), true);
  EXPECT_EQ(TokenDigest(harness, "bbdc-main"), original);
  ASSERT_EQ(FirstError(harness.GraphQL(kUpdateDocument, UpdateVariables("bbdc-main", "token-2"))), "");
  EXPECT_NE(TokenDigest(harness, "bbdc-main"), original);
}

TEST(SpaceliftIntegrations, NameAndIsDefaultAreNotPartOfTheUpdateInput) {
  Harness harness;
  harness.CreateIntegration("bbdc-main");
  json::object variables = UpdateVariables("bbdc-main", nullptr);
  variables["customInput"].as_object()["name"] = "renamed";
  EXPECT_EQ(FirstError(harness.GraphQL(kUpdateDocument, variables)),
            "Field \"name\" is not defined by type \"CustomVCSUpdateInput\".");
}

TEST(SpaceliftIntegrations, DeletingDetachesItsStacksAndLeavesOthers) {
  Harness harness;
  harness.CreateIntegration("a");
  harness.CreateIntegration("b");
  json::object bind_a{{"vcsIntegrationId", "a"}, {"provider", "BITBUCKET_DATACENTER"}};
  json::object bind_b{{"vcsIntegrationId", "b"}, {"provider", "BITBUCKET_DATACENTER"}};
  ASSERT_EQ(FirstError(harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", bind_a}})), "");
  ASSERT_EQ(FirstError(harness.GraphQL(kStackUpdateDocument, {{"id", "tf-dns"}, {"input", bind_b}})), "");
  auto deleted = harness.GraphQL(kDeleteDocument, {{"id", "a"}});
  EXPECT_EQ(deleted.at("data").at("bitbucketDatacenterIntegrationDelete").at("id"), "a");
  auto network = harness.GraphQL(kStackDocument, {{"id", "tf-network"}}).at("data").at("stack");
  EXPECT_TRUE(network.at("vcsIntegration").is_null());
  auto dns = harness.GraphQL(kStackDocument, {{"id", "tf-dns"}}).at("data").at("stack");
  EXPECT_EQ(dns.at("vcsIntegration"), (json::object{{"id", "b"}, {"isDefault", false}}));
}

TEST(SpaceliftIntegrations, NotFoundIsNullByDefaultAndAnErrorWhenAsked) {
  Settings settings;
  Harness null_form(kSeed, settings);
  auto answer = null_form.GraphQL(kReadDocument, {{"id", "nope"}});
  EXPECT_EQ(json::serialize(answer), R"({"data":{"bitbucketDatacenterIntegration":null}})");
  settings.not_found_as_error = true;
  Harness error_form(kSeed, settings);
  answer = error_form.GraphQL(kReadDocument, {{"id", "nope"}});
  EXPECT_EQ(json::serialize(answer),
            R"({"data":{"bitbucketDatacenterIntegration":null},"errors":[{"message":"not found","path":["bitbucketDatacenterIntegration"]}]})");
}

TEST(SpaceliftIntegrations, AnEmptyIdReadsTheDefaultIntegration) {
  Harness harness;
  harness.CreateIntegration("other");
  harness.CreateIntegration("main", true);
  auto answer = harness.GraphQL(kReadDocument, {{"id", ""}});
  EXPECT_EQ(answer.at("data").at("bitbucketDatacenterIntegration").at("id"), "main");
}

TEST(SpaceliftIntegrations, TheListAnswersEveryIntegrationInCreationOrder) {
  Harness harness;
  harness.CreateIntegration("b");
  harness.CreateIntegration("a");
  auto answer = harness.GraphQL("{bitbucketDatacenterIntegrations{id}}");
  EXPECT_EQ(json::serialize(answer), R"({"data":{"bitbucketDatacenterIntegrations":[{"id":"b"},{"id":"a"}]}})");
}

}  // namespace
}  // namespace stashform::emulator::spacelift::testing
