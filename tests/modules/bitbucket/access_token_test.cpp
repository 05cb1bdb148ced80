// bitbucket.access_token against a scripted server and a fixed clock.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/bitbucket/access_token.h"
#include "modules/bitbucket/api.h"
#include "tests/support/fake_http_client.h"

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test";
const std::string kRepoTokens = kBase + "/rest/access-tokens/1.0/projects/INFRA/repos/api";
const std::string kUserTokens = kBase + "/rest/access-tokens/1.0/users/bot";
constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kNow = 1000 * kDay;

std::string Token(const std::string& id, int64_t created, int expiry_days, bool with_value = false) {
  json::object token{{"id", id}, {"name", "ci"}, {"createdDate", created},
                     {"permissions", json::array{"REPO_READ"}}, {"expiryDays", expiry_days}};
  if (with_value) token["token"] = "TOKEN-VALUE-123";
  return json::serialize(token);
}

Value::Map Owner() { return {{"project", Value("INFRA")}, {"repository", Value("api")}}; }

Value::Map Planned(Value::List permissions = {Value("REPO_READ")}) {
  Value::Map planned = Owner();
  planned["name"] = Value("ci");
  planned["permissions"] = Value(std::move(permissions));
  planned["expiry_days"] = Value(30);
  planned["rotate_before_days"] = Value(7);
  return planned;
}

class AccessTokenTest : public ::testing::Test {
 protected:
  AccessTokenTest() : api({kBase, "", "admin", "pw"}, http), tokens(api, [] { return kNow; }) {}
  FakeHttpClient http;
  BitbucketApi api;
  AccessTokenType tokens;
};

TEST_F(AccessTokenTest, CreateKeepsTheValueInPrivateDataOnly) {
  http.On("PUT", kRepoTokens, FakeHttpClient::Reply(200, Token("123456789012", kNow, 30, true)));
  auto response = tokens.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, "123456789012");
  EXPECT_EQ(response.attributes.count("token"), 0u);
  EXPECT_EQ(response.private_data.at("token").as_string(), "TOKEN-VALUE-123");
  EXPECT_TRUE(response.private_data.at("token").sensitive());
  EXPECT_EQ(response.attributes.at("expires_at"), Value(kNow + 30 * kDay));
  json::value body = json::parse(http.requests().at(0).body);
  EXPECT_EQ(body.at("expiryDays").as_int64(), 30);
  EXPECT_FALSE(http.requests().at(0).retry_safe);
}

TEST_F(AccessTokenTest, ATokenRevokedRemotelyIsGone) {
  http.On("GET", kRepoTokens + "/1", FakeHttpClient::Reply(404, R"({"errors":[{"message":"No such token"}]})"));
  EXPECT_TRUE(tokens.Read({"1", Planned()}).gone);
}

TEST_F(AccessTokenTest, ATokenInsideRotateBeforeDaysIsNotedAndPlannedForReplacement) {
  http.On("GET", kRepoTokens + "/1", FakeHttpClient::Reply(200, Token("1", kNow - 25 * kDay, 30)));
  auto read = tokens.Read({"1", Planned()});
  ASSERT_EQ(read.notes, std::vector<std::string>{"token expires within rotate_before_days"});
  auto plan = tokens.Plan({false, read.attributes, Planned()});
  EXPECT_EQ(plan.requires_replace, std::vector<std::string>{"rotate"});
  EXPECT_EQ(plan.planned.count("token"), 0u) << "references resolve from private data";

  http.On("GET", kRepoTokens + "/2", FakeHttpClient::Reply(200, Token("2", kNow - 1 * kDay, 30)));
  auto fresh = tokens.Read({"2", Planned()});
  EXPECT_TRUE(fresh.notes.empty());
  EXPECT_TRUE(tokens.Plan({false, fresh.attributes, Planned()}).requires_replace.empty());
}

TEST_F(AccessTokenTest, ARepositoryTokenTakesOnlyRepoPermissions) {
  auto plan = tokens.Plan({true, {}, Planned({Value("REPO_READ"), Value("PROJECT_READ")})});
  ASSERT_TRUE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.diagnostics.items()[0].message,
            "bitbucket.access_token: a repository token takes only REPO_* permissions, not PROJECT_READ");
  Value::Map both = Planned();
  both["user"] = Value("bot");
  EXPECT_TRUE(tokens.Plan({true, {}, both}).diagnostics.HasErrors()) << "user and project together";
}

TEST_F(AccessTokenTest, UpdateIsAPartialPostOfNameAndPermissions) {
  http.On("POST", kRepoTokens + "/1", FakeHttpClient::Reply(200, Token("1", kNow, 30)));
  auto response = tokens.Apply({provider::ApplyAction::kUpdate, "1", Planned(), Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors());
  json::value body = json::parse(http.requests().at(0).body);
  EXPECT_EQ(body.as_object().size(), 2u);
  EXPECT_EQ(body.at("name").as_string(), "ci");
}

TEST_F(AccessTokenTest, ImportByScopePathAndNameOrId) {
  http.On("GET", kUserTokens + "?start=0&limit=1000",
          FakeHttpClient::Reply(200, R"({"isLastPage":true,"values":[)" + Token("77", kNow, 30) + "]}"));
  auto by_name = tokens.Import("users/bot/ci");
  ASSERT_TRUE(by_name.found);
  EXPECT_EQ(by_name.id, "77");
  EXPECT_EQ(by_name.attributes.at("user"), Value("bot"));
  EXPECT_TRUE(tokens.Import("users/bot/77").found);
  EXPECT_TRUE(tokens.Import("users/bot/zzz").diagnostics.HasErrors());
  EXPECT_TRUE(tokens.Import("groups/x/1").diagnostics.HasErrors());
}

// issue 14 §3: whether the engine may send a failed create again once a lookup proves nothing was
// made: yes after a fault that may pass, never after a refusal.
TEST_F(AccessTokenTest, AFailedCreateSaysWhetherItMaySafelyBeSentAgain) {
  struct Case {
    http::Response answer;
    bool may_resend;
  };
  http::Response reset;
  reset.transport_error = "Connection reset by peer";
  const std::vector<Case> cases = {
      {FakeHttpClient::Reply(500), true}, {FakeHttpClient::Reply(502), true}, {FakeHttpClient::Reply(503), true},
      {FakeHttpClient::Reply(429), true}, {reset, true},
      {FakeHttpClient::Reply(400, R"({"errors":[{"message":"bad"}]})"), false},
      {FakeHttpClient::Reply(401), false}, {FakeHttpClient::Reply(409), false},
      {FakeHttpClient::Reply(200, "not json"), false}};
  for (const auto& c : cases) {
    http.Enqueue("PUT", kRepoTokens, c.answer);
    auto response = tokens.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
    ASSERT_TRUE(response.diagnostics.HasErrors());
    EXPECT_EQ(response.may_resend, c.may_resend) << response.diagnostics.ToString();
  }
}

TEST_F(AccessTokenTest, TheValueIsMarkedAsOnlyInTheCreateAnswer) {
  EXPECT_TRUE(tokens.schema().Find("token")->create_answer_only);
}

}  // namespace
}  // namespace stashform::bitbucket
