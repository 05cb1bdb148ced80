// bitbucket.project_webhook against a scripted server: project paths, credentials, import ids.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/bitbucket/api.h"
#include "modules/bitbucket/project_webhook.h"
#include "tests/support/fake_http_client.h"
#include "base/digest.h"

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test";
const std::string kHooks = kBase + "/rest/api/1.0/projects/INFRA/webhooks";

std::string Hook(int id, const std::string& name, const std::string& username = "") {
  json::object hook{{"id", id}, {"name", name}, {"url", "https://ci/hook"}, {"events", json::array{"repo:refs_changed"}},
                    {"active", true}, {"scopeType", "project"}, {"sslVerificationRequired", false}};
  if (!username.empty()) hook["credentials"] = json::object{{"username", username}};
  return json::serialize(hook);
}

std::string OnePage(const std::string& values) {
  return R"({"size":1,"limit":25,"isLastPage":true,"start":0,"values":[)" + values + "]}";
}

Value::Map Planned(const std::string& password) {
  return {{"project", Value("INFRA")}, {"name", Value("ci")}, {"url", Value("https://ci/hook")},
          {"events", Value::StringList({"repo:refs_changed"})}, {"active", Value(true)},
          {"ssl_verification_required", Value(false)}, {"credentials_username", Value("hookuser")},
          {"credentials_password", Value::Sensitive(Value(password))}};
}

class ProjectWebhookTest : public ::testing::Test {
 protected:
  ProjectWebhookTest() : api({kBase, "t", "", ""}, http), hooks(api) {}
  FakeHttpClient http;
  BitbucketApi api;
  ProjectWebhookType hooks;
};

TEST_F(ProjectWebhookTest, SchemaHasNoRepositoryAndTheProjectIsTheNaturalScope) {
  EXPECT_EQ(hooks.schema().type, "bitbucket.project_webhook");
  EXPECT_EQ(hooks.schema().Find("repository"), nullptr);
  EXPECT_TRUE(hooks.schema().Find("credentials_password")->write_only);
  EXPECT_EQ(hooks.schema().natural_key, (std::vector<std::string>{"project", "name", "url"}));
}

TEST_F(ProjectWebhookTest, CreatePostsToTheProjectWithTheCredentialsAndRecordsTheirDigest) {
  http.On("POST", kHooks, FakeHttpClient::Reply(201, Hook(8, "ci", "hookuser")));
  auto response = hooks.Apply({provider::ApplyAction::kCreate, "", {}, Planned("pw1")});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, "8");
  json::value body = json::parse(http.requests().at(0).body);
  EXPECT_EQ(body.at("credentials").at("password").as_string(), "pw1");
  EXPECT_EQ(response.attributes.at("credentials_password").as_string(), SecretDigest("pw1"));
  EXPECT_EQ(response.attributes.at("project"), Value("INFRA"));
  EXPECT_EQ(response.attributes.count("repository"), 0u);
}

TEST_F(ProjectWebhookTest, AnUpdateWithoutPasswordSendsTheUsernameAloneAndKeepsTheDigest) {
  http.On("PUT", kHooks + "/8", FakeHttpClient::Reply(200, Hook(8, "ci", "hookuser")));
  Value::Map prior{{"credentials_password", Value::Sensitive(Value(SecretDigest("pw1")))}};
  Value::Map planned = Planned("");
  auto response = hooks.Apply({provider::ApplyAction::kUpdate, "8", prior, planned});
  json::value body = json::parse(http.requests().at(0).body);
  EXPECT_FALSE(body.at("credentials").as_object().contains("password"));
  EXPECT_EQ(response.attributes.at("credentials_password").as_string(), SecretDigest("pw1"));
}

TEST_F(ProjectWebhookTest, ReadKeepsThePasswordDigestOnlyWhileTheServerHasAUsername) {
  Value::Map prior{{"project", Value("INFRA")}, {"credentials_password", Value(SecretDigest("pw1"))}};
  http.Enqueue("GET", kHooks + "?start=0&limit=1000", FakeHttpClient::Reply(200, OnePage(Hook(8, "ci", "hookuser"))));
  EXPECT_EQ(hooks.Read({"8", prior}).attributes.at("credentials_password").as_string(), SecretDigest("pw1"));
  http.Enqueue("GET", kHooks + "?start=0&limit=1000", FakeHttpClient::Reply(200, OnePage(Hook(8, "ci"))));
  auto cleared = hooks.Read({"8", prior});
  EXPECT_EQ(cleared.attributes.at("credentials_password").as_string(), "");
  EXPECT_TRUE(cleared.attributes.at("credentials_username").is_null());
}

TEST_F(ProjectWebhookTest, ImportTakesProjectAndNameOrId) {
  http.On("GET", kHooks + "?start=0&limit=1000", FakeHttpClient::Reply(200, OnePage(Hook(8, "ci"))));
  EXPECT_EQ(hooks.Import("INFRA/ci").id, "8");
  EXPECT_EQ(hooks.Import("INFRA/8").attributes.at("name"), Value("ci"));
  auto bad = hooks.Import("INFRA");
  ASSERT_TRUE(bad.diagnostics.HasErrors());
  EXPECT_EQ(bad.diagnostics.items()[0].message,
            "bitbucket.project_webhook import id \"INFRA\": expected PROJECT/ID or PROJECT/NAME");
}

}  // namespace
}  // namespace stashform::bitbucket
