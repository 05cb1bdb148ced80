// gitpod.auth_provider against a scripted Connect server (FakeHttpClient): the wire of each call,
// Connect's error codes read in one place, pending as a note, the secret by digest, adoption on
// already_exists.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/digest.h"
#include "modules/gitpod/api.h"
#include "modules/gitpod/auth_provider.h"
#include "tests/support/fake_http_client.h"

namespace stashform::gitpod {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

constexpr const char* kApi = "https://gitpod.example.com/public-api/gitpod.v1.AuthProviderService/";
constexpr const char* kOrg = "0b6c1d9e-2f3a-4c5d-8e7f-901234abcdef";
constexpr const char* kId = "11111111-2222-4333-8444-555555555555";

std::string ProviderAnswer(bool verified, const std::string& client_id = "client-1") {
  json::object provider{{"id", kId},
                        {"organizationId", kOrg},
                        {"type", "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER"},
                        {"host", "bitbucket.example.com"},
                        {"settingsUrl", "https://gitpod.example.com/settings/git"},
                        {"oauth2Config", json::object{{"clientId", client_id},
                                                      {"clientSecret", "redacted"},
                                                      {"authorizationUrl", "https://bitbucket.example.com/rest/oauth2/latest/authorize"},
                                                      {"tokenUrl", "https://bitbucket.example.com/rest/oauth2/latest/token"}}}};
  if (verified) provider["verified"] = true;
  return json::serialize(json::object{{"authProvider", provider}});
}

class AuthProviderTest : public ::testing::Test {
 protected:
  AuthProviderTest() : api_({"https://gitpod.example.com", "", "pat-secret-value", kOrg}, client_), type_(api_) {}

  Value::Map Planned(const std::string& secret = "client-secret-1") {
    Value::Map proposed{{"host", Value("https://Bitbucket.Example.com/")},
                        {"type", Value("bitbucket_server")},
                        {"client_id", Value("client-1")},
                        {"client_secret", Value::Sensitive(Value(secret))}};
    return type_.Plan({true, {}, proposed}).planned;
  }

  json::value SentBody(size_t index) { return json::parse(client_.requests().at(index).body); }

  FakeHttpClient client_;
  GitpodApi api_;
  AuthProviderType type_;
};

TEST_F(AuthProviderTest, PlanFillsTheOrganizationTheBareHostAndTheBitbucketServerUrls) {
  Value::Map planned = Planned();
  EXPECT_EQ(StringField(planned, "organization_id"), kOrg);
  EXPECT_EQ(StringField(planned, "host"), "bitbucket.example.com");
  EXPECT_EQ(StringField(planned, "authorization_url"), "https://bitbucket.example.com/rest/oauth2/latest/authorize");
  EXPECT_EQ(StringField(planned, "token_url"), "https://bitbucket.example.com/rest/oauth2/latest/token");
}

TEST_F(AuthProviderTest, CreateSendsTheProtoFieldsWithBearerAndAnswersPending) {
  client_.On("POST", std::string(kApi) + "CreateAuthProvider", FakeHttpClient::Reply(200, ProviderAnswer(false)));
  auto response = type_.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, kId);
  EXPECT_EQ(response.pending, "pending verification — an owner must connect at https://gitpod.example.com/settings/git");
  EXPECT_TRUE(IsSecretDigest(StringField(response.attributes, "client_secret")));
  const http::Request sent = client_.requests().at(0);
  EXPECT_FALSE(sent.retry_safe);
  bool bearer = false;
  for (const auto& [name, value] : sent.headers) bearer |= name == "Authorization" && value == "Bearer pat-secret-value";
  EXPECT_TRUE(bearer);
  EXPECT_EQ(SentBody(0), json::parse(R"({"organizationId":"0b6c1d9e-2f3a-4c5d-8e7f-901234abcdef",
    "type":"AUTH_PROVIDER_TYPE_BITBUCKET_SERVER","host":"bitbucket.example.com",
    "oauth2Config":{"clientId":"client-1","clientSecret":"client-secret-1",
    "authorizationUrl":"https://bitbucket.example.com/rest/oauth2/latest/authorize",
    "tokenUrl":"https://bitbucket.example.com/rest/oauth2/latest/token"}})"));
}

TEST_F(AuthProviderTest, AVerifiedProviderIsNotPendingAndNotFoundIsGone) {
  client_.Enqueue("POST", std::string(kApi) + "GetAuthProvider", FakeHttpClient::Reply(200, ProviderAnswer(true)));
  client_.Enqueue("POST", std::string(kApi) + "GetAuthProvider",
                  FakeHttpClient::Reply(404, R"({"code":"not_found","message":"auth provider not found"})"));
  auto read = type_.Read({kId, {}});
  EXPECT_TRUE(read.pending.empty());
  EXPECT_EQ(StringField(read.attributes, "client_id"), "client-1");
  EXPECT_TRUE(type_.Read({kId, {}}).gone);
}

TEST_F(AuthProviderTest, AlreadyExistsOnCreateAdoptsTheProviderOfThatHostAndGivesItOurClient) {
  client_.On("POST", std::string(kApi) + "CreateAuthProvider",
             FakeHttpClient::Reply(409, R"({"code":"already_exists","message":"Provider for this host already exists."})"));
  json::value listed = json::parse(ProviderAnswer(true, "old-client")).at("authProvider");
  client_.On("POST", std::string(kApi) + "ListAuthProviders",
             FakeHttpClient::Reply(200, json::serialize(json::object{{"authProviders", json::array{listed}}})));
  client_.On("POST", std::string(kApi) + "UpdateAuthProvider", FakeHttpClient::Reply(200, ProviderAnswer(false)));
  auto response = type_.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, kId);
  EXPECT_EQ(SentBody(2), json::parse(R"({"authProviderId":"11111111-2222-4333-8444-555555555555",
    "clientId":"client-1","clientSecret":"client-secret-1"})"));
}

TEST_F(AuthProviderTest, AnUpdateWithTheSameSecretSendsItEmptySoTheServerKeepsIt) {
  client_.On("POST", std::string(kApi) + "UpdateAuthProvider", FakeHttpClient::Reply(200, ProviderAnswer(false, "client-2")));
  Value::Map prior = Planned();
  prior["client_secret"] = ValueForState(*AuthProviderSchema().Find("client_secret"), Value("client-secret-1"));
  Value::Map planned = Planned();
  planned["client_id"] = Value("client-2");
  auto response = type_.Apply({provider::ApplyAction::kUpdate, kId, prior, planned});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(SentBody(0).at("clientSecret"), json::value(""));
  EXPECT_EQ(StringField(response.attributes, "client_secret"), StringField(prior, "client_secret"));
}

TEST(GitpodConnectCodes, EveryCodeHasItsStatusCodeAndTheMessageNamesTheCall) {
  EXPECT_EQ(StatusCodeOfConnect("not_found"), StatusCode::kNotFound);
  EXPECT_EQ(StatusCodeOfConnect("already_exists"), StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusCodeOfConnect("permission_denied"), StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusCodeOfConnect("unauthenticated"), StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusCodeOfConnect("failed_precondition"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusCodeOfConnect("unavailable"), StatusCode::kUnavailable);
  EXPECT_EQ(StatusCodeOfConnect("resource_exhausted"), StatusCode::kRateLimited);
  EXPECT_EQ(StatusCodeOfConnect("invalid_argument"), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusCodeOfConnect("deadline_exceeded"), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StatusCodeOfConnect("no_such_code"), StatusCode::kInternal);

  FakeHttpClient client;
  // failed_precondition travels as HTTP 400: the envelope's code wins over the status.
  client.On("POST", std::string(kApi) + "CreateAuthProvider",
            FakeHttpClient::Reply(400, R"({"code":"failed_precondition","message":"host down.example.com is not reachable"})"));
  GitpodApi api({"https://gitpod.example.com", "", "pat-secret-value", kOrg}, client);
  auto answer = api.Call("CreateAuthProvider", {});
  EXPECT_EQ(answer.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(answer.status().http_status(), 400);
  EXPECT_EQ(answer.message(),
            "gitpod CreateAuthProvider: POST https://gitpod.example.com/public-api/gitpod.v1.AuthProviderService/"
            "CreateAuthProvider: HTTP 400 failed_precondition: host down.example.com is not reachable");
  EXPECT_EQ(answer.message().find("pat-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace stashform::gitpod
