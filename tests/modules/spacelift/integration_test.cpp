// spacelift.bitbucket_datacenter_integration against a scripted server: the provider's exact
// documents and variables, the write-only token, the exposed webhook secret, and "gone".

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fake_http_client.h"
#include "modules/spacelift/documents.h"
#include "modules/spacelift/integration.h"
#include "modules/spacelift/provider.h"
#include "base/digest.h"
#include "tests/modules/spacelift/fake_spacelift.h"

namespace stashform::spacelift {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;
using provider::ApplyAction;
using testing::FakeSpacelift;

json::object Answer(const std::string& secret = "generated-secret") {
  return {{"id", "bbdc-main"}, {"name", "bbdc-main"}, {"isDefault", false}, {"space", json::object{{"id", "root"}}},
          {"labels", json::array{"team:infra"}}, {"description", "Main"}, {"apiHost", "http://bb:7990"},
          {"username", "spacelift-bot"}, {"userFacingHost", "http://bb:7990"}, {"webhookSecret", secret},
          {"webhookURL", "https://x.app.spacelift.io/webhooks/bitbucket_datacenter/bbdc-main"},
          {"vcsChecks", "INDIVIDUAL"}, {"useGitCheckout", false}};
}

Value::Map Planned(const std::string& token = "bb-token-1") {
  return {{"name", Value("bbdc-main")}, {"is_default", Value(false)}, {"space", Value("root")},
          {"labels", Value::StringList({"team:infra"})}, {"description", Value("Main")},
          {"api_host", Value("http://bb:7990")}, {"user_facing_host", Value("http://bb:7990")},
          {"username", Value("spacelift-bot")}, {"access_token", Value::Sensitive(Value(token))},
          {"vcs_checks", Value("INDIVIDUAL")}};
}

class IntegrationTypeTest : public ::testing::Test {
 protected:
  IntegrationTypeTest() : spacelift(http), api({"http://spl.test", "key", "secret"}, http), integrations(api) {}
  json::value LastBody() const { return json::parse(http.requests().back().body); }
  FakeHttpClient http;
  FakeSpacelift spacelift;
  SpaceliftApi api;
  IntegrationType integrations;
};

TEST_F(IntegrationTypeTest, CreateSendsTheProvidersDocumentAndVariables) {
  spacelift.OnData("bitbucketDatacenterIntegrationCreate", Answer());
  auto response = integrations.Apply({ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  const std::string body = http.requests().back().body;
  EXPECT_EQ(json::parse(body).at("query").as_string(), documents::kIntegrationCreate);
  // Top-level keys sorted, customInput in the provider's struct order: compare the text.
  EXPECT_EQ(json::serialize(json::parse(body).at("variables")),
            R"({"accessToken":"bb-token-1","apiHost":"http://bb:7990","customInput":{"name":"bbdc-main",)"
            R"("spaceID":"root","labels":["team:infra"],"description":"Main","isDefault":false,)"
            R"("vcsChecks":"INDIVIDUAL","useGitCheckout":null},"userFacingHost":"http://bb:7990","username":"spacelift-bot"})");
  EXPECT_EQ(response.id, "bbdc-main");
  EXPECT_EQ(response.attributes.at("access_token").as_string(), SecretDigest("bb-token-1"));
  EXPECT_TRUE(response.attributes.at("access_token").sensitive());
  EXPECT_EQ(response.attributes.at("webhook_secret").as_string(), "generated-secret");
  EXPECT_TRUE(response.attributes.at("webhook_secret").sensitive());
  EXPECT_EQ(response.private_data.at("webhook_secret").as_string(), "generated-secret");
  EXPECT_EQ(response.attributes.at("webhook_url").as_string(),
            "https://x.app.spacelift.io/webhooks/bitbucket_datacenter/bbdc-main");
}

TEST_F(IntegrationTypeTest, CreateIsNeverRetriedBlindly) {
  spacelift.OnData("bitbucketDatacenterIntegrationCreate", Answer());
  integrations.Apply({ApplyAction::kCreate, "", {}, Planned()});
  EXPECT_FALSE(http.requests().back().retry_safe);
}

TEST_F(IntegrationTypeTest, EmptyLabelsAreSentAsNull) {
  spacelift.OnData("bitbucketDatacenterIntegrationCreate", Answer());
  Value::Map planned = Planned();
  planned["labels"] = Value(Value::List{});
  integrations.Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_TRUE(LastBody().at("variables").at("customInput").at("labels").is_null());
}

TEST_F(IntegrationTypeTest, UpdateSendsANewTokenAndNeverNameOrIsDefault) {
  spacelift.OnData("bitbucketDatacenterIntegrationUpdate", Answer());
  auto response = integrations.Apply({ApplyAction::kUpdate, "bbdc-main", {}, Planned("bb-token-2")});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  json::value body = LastBody();
  EXPECT_EQ(body.at("query").as_string(), documents::kIntegrationUpdate);
  EXPECT_EQ(json::serialize(body.at("variables").at("customInput")),
            R"({"id":"bbdc-main","space":"root","labels":["team:infra"],"description":"Main","vcsChecks":"INDIVIDUAL","useGitCheckout":null})");
  EXPECT_EQ(body.at("variables").at("accessToken").as_string(), "bb-token-2");
  EXPECT_EQ(response.attributes.at("access_token").as_string(), SecretDigest("bb-token-2"));
}

TEST_F(IntegrationTypeTest, UpdateWithOnlyTheTokensDigestKeepsTheStoredToken) {
  spacelift.OnData("bitbucketDatacenterIntegrationUpdate", Answer());
  Value::Map prior{{"access_token", Value::Sensitive(Value(SecretDigest("bb-token-1")))}};
  auto response = integrations.Apply({ApplyAction::kUpdate, "bbdc-main", prior, Planned(SecretDigest("bb-token-1"))});
  EXPECT_TRUE(LastBody().at("variables").at("accessToken").is_null());
  EXPECT_EQ(response.attributes.at("access_token").as_string(), SecretDigest("bb-token-1"));
}

TEST_F(IntegrationTypeTest, ReadKeepsThePriorTokenDigestAndExposesTheSecret) {
  spacelift.OnData("bitbucketDatacenterIntegration", Answer("s2"));
  auto response = integrations.Read({"bbdc-main", {{"access_token", Value::Sensitive(Value(SecretDigest("t")))}}});
  ASSERT_FALSE(response.gone);
  EXPECT_EQ(LastBody().at("query").as_string(), documents::kIntegrationRead);
  EXPECT_EQ(response.attributes.at("access_token").as_string(), SecretDigest("t"));
  EXPECT_EQ(response.attributes.at("webhook_secret").as_string(), "s2");
  EXPECT_EQ(response.attributes.at("labels"), Value::StringList({"team:infra"}));
}

TEST_F(IntegrationTypeTest, ReadOfADeletedIntegrationIsGone) {
  spacelift.OnData("bitbucketDatacenterIntegration", nullptr);
  EXPECT_TRUE(integrations.Read({"bbdc-main", {}}).gone);
}

TEST_F(IntegrationTypeTest, DeleteOfAMissingIntegrationSucceeds) {
  spacelift.On("bitbucketDatacenterIntegrationDelete", [](const json::object&) {
    return FakeHttpClient::Reply(200, R"({"data":null,"errors":[{"message":"bitbucket datacenter integration \"x\" not found"}]})");
  });
  auto response = integrations.Apply({ApplyAction::kDelete, "x", {}, {}});
  EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
}

TEST_F(IntegrationTypeTest, FindLooksUpTheSlugOfTheName) {
  json::object answer = Answer();
  answer["name"] = "BBDC Main";
  spacelift.On("bitbucketDatacenterIntegration", [answer](const json::object& variables) {
    EXPECT_EQ(variables.at("id").as_string(), "bbdc-main");
    return FakeHttpClient::Reply(200, json::serialize(json::object{{"data", json::object{{"bitbucketDatacenterIntegration", answer}}}}));
  });
  EXPECT_TRUE(integrations.Find({{"name", Value("BBDC Main")}}).found);
  EXPECT_FALSE(integrations.Find({{"name", Value("bbdc main")}}).found) << "another name with the same slug is not ours";
}

TEST(IntegrationSchema, NameAndIsDefaultForceReplacementAndTheTokenIsWriteOnly) {
  const auto& schema = IntegrationSchema();
  EXPECT_TRUE(schema.Find("name")->force_new);
  EXPECT_TRUE(schema.Find("is_default")->force_new);
  EXPECT_TRUE(schema.Find("access_token")->write_only);
  EXPECT_TRUE(schema.Find("webhook_secret")->sensitive);
  EXPECT_EQ(schema.Find("webhook_secret")->mode, AttrMode::kComputed);
  EXPECT_EQ(schema.server_type, "spacelift.account");
}

TEST(SpaceliftProvider, ConfigureNamesWhatIsMissing) {
  auto provider = MakeSpaceliftProvider([](const http::ClientOptions&) { return std::make_unique<FakeHttpClient>(); });
  EXPECT_EQ(provider->name(), "spacelift");
  EXPECT_EQ(provider->Schemas().front()->type, "spacelift.account");
  auto server = provider->Configure("corp", {{"api_url", Value("https://corp.app.spacelift.io")}});
  EXPECT_EQ(server.message(), "spacelift.account \"corp\": set api_url, api_key_id and api_key_secret");
  auto ok = provider->Configure("corp", {{"api_url", Value("https://corp.app.spacelift.io")},
                                          {"api_key_id", Value("k")}, {"api_key_secret", Value("s")}});
  ASSERT_TRUE(ok.ok());
  EXPECT_NE((*ok)->Resource("spacelift.stack_binding"), nullptr);
  EXPECT_NE((*ok)->Resource("spacelift.bitbucket_datacenter_integration"), nullptr);
}

}  // namespace
}  // namespace stashform::spacelift
