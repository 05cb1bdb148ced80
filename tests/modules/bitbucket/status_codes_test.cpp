// Whether a Bitbucket object is gone, already exists or may be sent again is read from the
// failure's code, which the HTTP status decides; the wording of the server's message never does.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modules/bitbucket/access_token.h"
#include "modules/bitbucket/api.h"
#include "tests/support/fake_http_client.h"

namespace stashform::bitbucket {
namespace {

using http::FakeHttpClient;

const std::string kBase = "http://bb.test";
const std::string kRepoTokens = kBase + "/rest/access-tokens/1.0/projects/INFRA/repos/api";
const std::string kToken = kRepoTokens + "/77";

std::string Envelope(const std::string& message) {
  return R"({"errors":[{"context":null,"message":")" + message + R"(","exceptionName":null}]})";
}

Value::Map Owner() { return {{"project", Value("INFRA")}, {"repository", Value("api")}}; }

Value::Map Planned() {
  Value::Map planned = Owner();
  planned["name"] = Value("ci");
  planned["permissions"] = Value(Value::List{Value("REPO_READ")});
  planned["expiry_days"] = Value(30);
  planned["rotate_before_days"] = Value(7);
  return planned;
}

class BitbucketStatusCodes : public ::testing::Test {
 protected:
  BitbucketStatusCodes() : api({kBase, "", "admin", "pw"}, http), tokens(api, [] { return int64_t{0}; }) {}
  FakeHttpClient http;
  BitbucketApi api;
  AccessTokenType tokens;
};

TEST_F(BitbucketStatusCodes, AFailedCallKeepsItsWordsAndCarriesCodeStatusAndCall) {
  http.On("GET", kToken + "?verbose=true", FakeHttpClient::Reply(404, Envelope("The token went on holiday.")));
  auto answer = api.Call("GET", "/rest/access-tokens/1.0/projects/INFRA/repos/api/77?verbose=true");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.message(), "GET " + kToken + "?verbose=true: 404 Not Found: The token went on holiday.");
  EXPECT_EQ(answer.code(), StatusCode::kNotFound);
  EXPECT_EQ(answer.status().http_status(), 404);
  EXPECT_EQ(answer.status().call(), "GET /rest/access-tokens/1.0/projects/INFRA/repos/api/77")
      << "the call names the path only, never the host or query";
}

TEST_F(BitbucketStatusCodes, ThePasswordNeverReachesTheStatus) {
  http.On("GET", kToken, FakeHttpClient::Reply(401, Envelope("Authentication failed.")));
  auto answer = api.Call("GET", "/rest/access-tokens/1.0/projects/INFRA/repos/api/77");
  EXPECT_EQ(answer.code(), StatusCode::kUnauthenticated);
  for (const std::string& text : {answer.message(), answer.status().call()})
    EXPECT_EQ(text.find("pw"), std::string::npos) << text;
}

TEST_F(BitbucketStatusCodes, A404WithAnUnusualMessageIsStillGone) {
  http.On("GET", kToken, FakeHttpClient::Reply(404, Envelope("Nothing to see here, move along.")));
  auto read = tokens.Read({"77", Owner()});
  EXPECT_TRUE(read.gone);
  EXPECT_FALSE(read.diagnostics.HasErrors());
}

TEST_F(BitbucketStatusCodes, A404WithoutAnyBodyIsStillGone) {
  http.On("GET", kToken, FakeHttpClient::Reply(404, "<html>proxy page</html>"));
  EXPECT_TRUE(tokens.Read({"77", Owner()}).gone);
}

TEST_F(BitbucketStatusCodes, A400WhoseMessageSaysNotFoundIsAnErrorNotGone) {
  http.On("GET", kToken, FakeHttpClient::Reply(400, Envelope("Project INFRA: 404 not found in cache")));
  auto read = tokens.Read({"77", Owner()});
  EXPECT_FALSE(read.gone);
  ASSERT_TRUE(read.diagnostics.HasErrors());
  EXPECT_NE(read.diagnostics.ToString().find("400 Bad Request: Project INFRA: 404 not found in cache"),
            std::string::npos)
      << read.diagnostics.ToString();
}

TEST_F(BitbucketStatusCodes, ADeleteOfAnObjectAlreadyGoneSucceedsWhateverTheWords) {
  http.On("DELETE", kToken, FakeHttpClient::Reply(410, Envelope("It left.")));
  auto response = tokens.Apply({provider::ApplyAction::kDelete, "77", Owner(), {}});
  EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, "77");
}

TEST_F(BitbucketStatusCodes, ADeleteRefusedWithNotFoundInItsWordsIsAnError) {
  http.On("DELETE", kToken, FakeHttpClient::Reply(403, Envelope("Permission not found for user admin")));
  auto response = tokens.Apply({provider::ApplyAction::kDelete, "77", Owner(), {}});
  EXPECT_TRUE(response.diagnostics.HasErrors());
}

TEST_F(BitbucketStatusCodes, A409IsAlreadyExistsWhateverTheWordsAndIsNeverSentAgain) {
  for (const std::string words : {"A token named ci already exists.", "Conflict of interest.", ""}) {
    http.Enqueue("PUT", kRepoTokens, FakeHttpClient::Reply(409, words.empty() ? "" : Envelope(words)));
    auto answer = api.Call("PUT", "/rest/access-tokens/1.0/projects/INFRA/repos/api", nullptr, false);
    EXPECT_TRUE(answer.status().IsAlreadyExists()) << answer.message();
    EXPECT_FALSE(answer.status().MayPass()) << answer.message();

    http.Enqueue("PUT", kRepoTokens, FakeHttpClient::Reply(409, words.empty() ? "" : Envelope(words)));
    auto response = tokens.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
    EXPECT_TRUE(response.diagnostics.HasErrors());
    EXPECT_FALSE(response.may_resend) << words;
  }
}

TEST_F(BitbucketStatusCodes, ACreateMayBeSentAgainByItsCodeNotItsWords) {
  struct Case {
    http::Response answer;
    bool may_resend;
  };
  http::Response timed_out;
  timed_out.transport_error = "Operation timed out with 0 bytes received";
  timed_out.timed_out = true;
  const std::vector<Case> cases = {
      // A server error whose words sound final may still pass.
      {FakeHttpClient::Reply(500, Envelope("400 Bad Request: permanently refused")), true},
      {FakeHttpClient::Reply(504, Envelope("answer unclear")), true},
      {FakeHttpClient::Reply(429, Envelope("answer later")), true},
      {timed_out, true},
      // A refusal whose words sound passing does not.
      {FakeHttpClient::Reply(400, Envelope("503 Service Unavailable, try again")), false},
      {FakeHttpClient::Reply(403, Envelope("connection reset")), false},
      {FakeHttpClient::Reply(412, Envelope("429 Too Many Requests")), false},
      {FakeHttpClient::Reply(422, Envelope("timeout")), false},
  };
  for (const auto& c : cases) {
    http.Enqueue("PUT", kRepoTokens, c.answer);
    auto response = tokens.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
    ASSERT_TRUE(response.diagnostics.HasErrors());
    EXPECT_EQ(response.may_resend, c.may_resend) << response.diagnostics.ToString();
  }
}

TEST_F(BitbucketStatusCodes, AnAnswerAsAnonymousIsUnauthenticated) {
  http.On("GET", kBase + "/rest/api/1.0/application-properties",
          FakeHttpClient::Reply(200, R"({"version":"8.19.0"})", {{"X-AUSERNAME", "anonymous"}}));
  auto identity = api.VerifyIdentity();
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace stashform::bitbucket
