// The admin API and fault injection: reset, dump, out-of-band changes, the request log, faults,
// and the webhook receiver that checks Bitbucket's signature.

#include <gtest/gtest.h>

#include "emulators/spacelift/jwt.h"
#include "tests/emulators/spacelift/harness.h"

namespace stashform::emulator::spacelift::testing {
namespace {

namespace json = boost::json;

std::string fmt_hex(unsigned char c) {
  static const char kHex[] = "0123456789abcdef";
  return {kHex[c >> 4], kHex[c & 0xf]};
}

TEST(SpaceliftAdmin, OutOfBandDeleteDetachesAndResetRestoresTheSeed) {
  Harness harness;
  harness.CreateIntegration("bbdc-main");
  json::object bind{{"vcsIntegrationId", "bbdc-main"}};
  harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", bind}});
  EXPECT_EQ(harness.Admin("DELETE", "integrations/bbdc-main").at("id"), "bbdc-main");
  json::value dump = harness.Admin("GET", "dump");
  EXPECT_TRUE(dump.at("integrations").as_array().empty());
  EXPECT_TRUE(dump.at("stacks").at(1).at("vcsIntegration").is_null());
  EXPECT_EQ(harness.Admin("DELETE", "integrations/bbdc-main").at("errors").at(0).at("message"), "no integration bbdc-main");
  harness.CreateIntegration("again");
  harness.Admin("POST", "reset");
  EXPECT_TRUE(harness.Admin("GET", "dump").at("integrations").as_array().empty());
  EXPECT_TRUE(harness.Admin("GET", "requests").at("requests").as_array().empty());
}

TEST(SpaceliftAdmin, SeededIntegrationsAndStacksBoundToThem) {
  Harness harness(R"({"apiKeys":[{"id":"key-1","secret":"secret-1"}],
    "integrations":[{"name":"corp","isDefault":true,"apiHost":"http://bb","userFacingHost":"http://bb",
                     "username":"bot","accessToken":"t","webhookSecret":"fixed"}],
    "stacks":[{"id":"s","vcsIntegration":"corp"}]})");
  json::value dump = harness.Admin("GET", "dump");
  EXPECT_EQ(dump.at("integrations").at(0).at("webhookSecret"), "fixed");
  EXPECT_EQ(dump.at("integrations").at(0).at("webhookURL"),
            json::value(harness.base_url() + "/webhooks/bitbucket_datacenter/emulator/integration/corp"));
  EXPECT_EQ(dump.at("stacks").at(0).at("vcsIntegration"), (json::object{{"id", "corp"}, {"isDefault", true}}));
  EXPECT_FALSE(dump.at("apiKeys").at(0).as_object().contains("secret"));
}

TEST(SpaceliftAdmin, PatchingAStackDetachesItOutOfBand) {
  Harness harness;
  harness.CreateIntegration("x");
  harness.GraphQL(kStackUpdateDocument, {{"id", "tf-dns"}, {"input", json::object{{"vcsIntegrationId", "x"}}}});
  json::value patched = harness.Admin("PATCH", "stacks/tf-dns", R"({"vcsIntegration":null,"branch":"hotfix"})");
  EXPECT_TRUE(patched.at("vcsIntegration").is_null());
  EXPECT_EQ(patched.at("branch"), "hotfix");
  EXPECT_EQ(patched.at("description"), "DNS");
}

TEST(SpaceliftAdmin, RenamingAnIntegrationKeepsItsIdAsTheUiDoes) {
  Harness harness;
  harness.CreateIntegration("bbdc-main");
  std::string secret(harness.Admin("GET", "dump").at("integrations").at(0).at("webhookSecret").as_string());
  json::value renamed = harness.Admin("PATCH", "integrations/bbdc-main", R"({"name":"Renamed In UI"})");
  EXPECT_EQ(renamed.at("id"), "bbdc-main");
  EXPECT_EQ(renamed.at("name"), "Renamed In UI");
  EXPECT_EQ(renamed.at("webhookSecret"), json::value(secret));
  EXPECT_EQ(harness.Admin("PATCH", "integrations/bbdc-main", R"({"isDefault":true})").at("errors").at(0).at("message"),
            "expected {\"name\": \"<new name>\"}; only the name can be changed here");
  EXPECT_EQ(harness.Admin("PATCH", "integrations/nope", R"({"name":"x"})").at("errors").at(0).at("message"),
            "no integration nope");
}

TEST(SpaceliftAdmin, DeletingAStackRemovesItAsTheUiDoes) {
  Harness harness;
  json::value deleted = harness.Admin("DELETE", "stacks/tf-dns");
  EXPECT_EQ(deleted.at("id"), "tf-dns");
  EXPECT_TRUE(harness.GraphQL(R"({stack(id: "tf-dns"){id}})").at("data").at("stack").is_null());
  EXPECT_EQ(harness.Admin("GET", "dump").at("stacks").as_array().size(), 1u);
}

TEST(SpaceliftAdmin, TheRequestLogNamesOperationsAndTargetsInOrder) {
  Harness harness;
  harness.CreateIntegration("bbdc-main");
  harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", json::object{{"vcsIntegrationId", "bbdc-main"}}}});
  harness.GraphQL(kDeleteDocument, {{"id", "bbdc-main"}});
  json::array log = harness.Admin("GET", "requests").at("requests").as_array();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].at("fields"), "apiKeyUser");
  EXPECT_EQ(log[0].at("caller"), "");
  EXPECT_EQ(log[1].at("fields"), "bitbucketDatacenterIntegrationCreate");
  EXPECT_EQ(log[1].at("caller"), "key-1");
  EXPECT_EQ(log[2].at("fields"), "stackUpdate");
  EXPECT_EQ(log[2].at("id"), "tf-network");
  EXPECT_EQ(log[2].at("vcsIntegrationId"), "bbdc-main");
  EXPECT_EQ(log[3].at("kind"), "mutation");
  EXPECT_EQ(log[3].at("id"), "bbdc-main");
  EXPECT_LT(log[2].at("sequence").to_number<int64_t>(), log[3].at("sequence").to_number<int64_t>());
  EXPECT_EQ(json::serialize(log).find("secret-1"), std::string::npos) << "the log never holds a secret";
}

TEST(SpaceliftFaults, TheNthRequestFailsOnceInGraphQLsShape) {
  FaultConfig faults;
  faults.fail_nth.push_back({"", "/graphql", 2, 503});
  Harness harness(kSeed, {}, faults);
  std::string jwt = harness.Login();  // request 1
  auto failed = harness.Post(R"({stack(id: "tf-dns"){id}})", {}, "Bearer " + jwt);
  EXPECT_EQ(failed->status, 503);
  EXPECT_EQ(json::parse(failed->body).at("errors").at(0).at("message"), "injected fault 503");
  EXPECT_EQ(harness.Post(R"({stack(id: "tf-dns"){id}})", {}, "Bearer " + jwt)->status, 200);
}

TEST(SpaceliftFaults, ThePerKeyBucketAnswers429WithRetryAfter) {
  FaultConfig faults;
  faults.rate_limit = {true, 1, 0.001};
  Harness harness(kSeed, {}, faults);
  std::string jwt = harness.Login();  // anonymous: not counted
  EXPECT_EQ(harness.Post(R"({stack(id: "tf-dns"){id}})", {}, "Bearer " + jwt)->status, 200);
  auto limited = harness.Post(R"({stack(id: "tf-dns"){id}})", {}, "Bearer " + jwt);
  EXPECT_EQ(limited->status, 429);
  EXPECT_TRUE(limited->has_header("Retry-After"));
  EXPECT_EQ(harness.Admin("GET", "faults").at("rateLimit").at("capacity"), 1.0);
}

TEST(SpaceliftWebhooks, DeliveriesSignedWithTheIntegrationsSecretAreAccepted) {
  Harness harness;
  json::value integration = harness.CreateIntegration("bbdc-main");
  std::string secret(integration.at("webhookSecret").as_string());
  std::string body = R"({"eventKey":"repo:refs_changed"})";
  std::string signature = "sha256=";
  for (unsigned char c : HmacSha256(secret, body)) signature += fmt_hex(c);
  httplib::Client client("127.0.0.1", static_cast<int>(std::stoi(harness.base_url().substr(17))));
  std::string path(json::value_to<std::string>(integration.at("webhookURL")).substr(harness.base_url().size()));
  auto good = client.Post(path.c_str(), {{"X-Hub-Signature", signature}, {"X-Event-Key", "repo:refs_changed"}}, body,
                          "application/json");
  EXPECT_EQ(good->status, 202);
  auto bad = client.Post(path.c_str(), {{"X-Hub-Signature", "sha256=00"}}, body, "application/json");
  EXPECT_EQ(bad->status, 401);
  json::array deliveries = harness.Admin("GET", "deliveries").at("deliveries").as_array();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].at("signatureValid"), true);
  EXPECT_EQ(deliveries[0].at("eventKey"), "repo:refs_changed");
  EXPECT_EQ(deliveries[1].at("signatureValid"), false);
}

TEST(SpaceliftRuns, ASignedPushQueuesARunOnBoundStacksAndDetachedStacksGetNone) {
  Harness harness;
  json::value integration = harness.CreateIntegration("bbdc-main");
  harness.GraphQL(kStackUpdateDocument, {{"id", "tf-network"}, {"input", json::object{{"vcsIntegrationId", "bbdc-main"}}}});
  std::string secret(integration.at("webhookSecret").as_string());
  std::string path(json::value_to<std::string>(integration.at("webhookURL")).substr(harness.base_url().size()));
  auto push = [&](const std::string& slug) {
    std::string body = R"({"eventKey":"repo:refs_changed","repository":{"slug":")" + slug +
                       R"(","project":{"key":"INFRA"}}})";
    std::string signature = "sha256=";
    for (unsigned char c : HmacSha256(secret, body)) signature += fmt_hex(c);
    httplib::Client client("127.0.0.1", std::stoi(harness.base_url().substr(17)));
    return client.Post(path.c_str(), {{"X-Hub-Signature", signature}}, body, "application/json")->status;
  };
  EXPECT_EQ(push("tf-network"), 202);
  EXPECT_EQ(push("tf-dns"), 202) << "tf-dns is not bound: accepted, but no run";
  harness.Admin("DELETE", "integrations/bbdc-main");
  json::array deliveries = harness.Admin("GET", "deliveries").at("deliveries").as_array();
  EXPECT_EQ(deliveries[0].at("runs"), json::array{"run-1"});
  EXPECT_EQ(deliveries[1].at("runs"), json::array{});
  json::value dump = harness.Admin("GET", "dump");
  ASSERT_EQ(dump.at("runs").as_array().size(), 1u);
  EXPECT_EQ(dump.at("runs").at(0).at("stack"), "tf-network");
  EXPECT_EQ(dump.at("runs").at(0).at("triggeredBy"), "webhook");
}

TEST(SpaceliftRuns, RunTriggerOnADetachedStackIsRefused) {
  Harness harness;
  harness.CreateIntegration("x");
  harness.GraphQL(kStackUpdateDocument, {{"id", "tf-dns"}, {"input", json::object{{"vcsIntegrationId", "x"}}}});
  auto queued = harness.GraphQL("mutation{runTrigger(stack: \"tf-dns\"){id,state}}");
  EXPECT_EQ(json::serialize(queued), R"({"data":{"runTrigger":{"id":"run-1","state":"QUEUED"}}})");
  harness.GraphQL(kDeleteDocument, {{"id", "x"}});
  auto refused = harness.GraphQL("mutation{runTrigger(stack: \"tf-dns\"){id}}");
  EXPECT_EQ(FirstError(refused), "Run creation on this stack is currently disabled: the stack is detached from its integration");
}

}  // namespace
}  // namespace stashform::emulator::spacelift::testing
