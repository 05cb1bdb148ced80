// bitbucket.oauth2_client against a scripted server (the API shape is UNCONFIRMED; see the type).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/bitbucket/api.h"
#include "modules/bitbucket/oauth2_client.h"
#include "tests/support/fake_http_client.h"

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test";
const std::string kClients = kBase + "/rest/oauth2/latest/client";
const std::string kClient = R"({"id":"1","clientId":"cid-1","clientSecret":"very-secret","name":"gitpod",)"
                            R"("redirects":["https://gitpod.example/auth/callback"],"scope":"REPO_WRITE PUBLIC_REPOS"})";

Value::Map Planned() {
  return {{"name", Value("gitpod")},
          {"redirect_urls", Value::StringList({"https://gitpod.example/auth/callback"})},
          {"scope", Value::StringList({"PUBLIC_REPOS", "REPO_WRITE"})}};
}

class OAuth2ClientTest : public ::testing::Test {
 protected:
  OAuth2ClientTest() : api({kBase, "", "admin", "pw"}, http), clients(api) {}
  FakeHttpClient http;
  BitbucketApi api;
  OAuth2ClientType clients;
};

TEST_F(OAuth2ClientTest, CreateSendsSpaceSeparatedScopeAndKeepsTheSecretPrivate) {
  http.On("POST", kClients, FakeHttpClient::Reply(201, kClient));
  auto response = clients.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, "cid-1");
  EXPECT_EQ(response.attributes.at("client_id"), Value("cid-1"));
  EXPECT_EQ(response.attributes.count("client_secret"), 0u);
  EXPECT_EQ(response.private_data.at("client_secret").as_string(), "very-secret");
  EXPECT_TRUE(response.private_data.at("client_secret").sensitive());
  json::value body = json::parse(http.requests().at(0).body);
  EXPECT_EQ(body.at("scope").as_string(), "PUBLIC_REPOS REPO_WRITE");
  EXPECT_EQ(body.at("redirects").as_array().size(), 1u);
}

TEST_F(OAuth2ClientTest, ReadAcceptsScopeAsStringOrArrayAndGoneOn404) {
  http.On("GET", kClients + "/cid-1", FakeHttpClient::Reply(200, kClient));
  auto read = clients.Read({"cid-1", {}});
  EXPECT_TRUE(Value::SetEqual(read.attributes.at("scope"), Planned().at("scope")));
  http.On("GET", kClients + "/cid-2", FakeHttpClient::Reply(200, R"({"clientId":"cid-2","name":"x","scope":["REPO_READ"]})"));
  EXPECT_EQ(clients.Read({"cid-2", {}}).attributes.at("scope"), Value::StringList({"REPO_READ"}));
  http.On("GET", kClients + "/cid-3", FakeHttpClient::Reply(404));
  EXPECT_TRUE(clients.Read({"cid-3", {}}).gone);
}

TEST_F(OAuth2ClientTest, PlanOfAnExistingClientLeavesTheSecretToPrivateState) {
  auto plan = clients.Plan({false, {{"client_id", Value("cid-1")}}, Planned()});
  EXPECT_EQ(plan.planned.count("client_secret"), 0u);
  EXPECT_EQ(plan.planned.at("client_id"), Value("cid-1"));
  EXPECT_TRUE(clients.Plan({true, {}, Planned()}).planned.at("client_secret").is_unknown());
}

TEST_F(OAuth2ClientTest, AnUnauthorizedCreateNamesTheCallWithoutTheSecret) {
  http.On("POST", kClients, FakeHttpClient::Reply(401, R"({"errors":[{"message":"You are not permitted to access this resource"}]})"));
  auto response = clients.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_TRUE(response.diagnostics.HasErrors());
  EXPECT_EQ(response.diagnostics.items()[0].message,
            "POST " + kClients + ": 401 Unauthorized: You are not permitted to access this resource");
}

TEST_F(OAuth2ClientTest, ImportByClientIdOrName) {
  http.On("GET", kClients, FakeHttpClient::Reply(200, "[" + kClient + "]"));
  EXPECT_EQ(clients.Import("gitpod").id, "cid-1");
  EXPECT_TRUE(clients.Import("cid-1").found);
  EXPECT_TRUE(clients.Import("other").diagnostics.HasErrors());
}

}  // namespace
}  // namespace stashform::bitbucket
