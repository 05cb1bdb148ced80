// The Gitpod emulator from a Connect client's side, over HTTP on loopback: the server-side checks
// of platforms.md §2.2 that the stories lean on, each answered in Connect's error envelope.

#include "tests/integration/gitpod_harness.h"

#include <boost/json.hpp>
#include <httplib.h>

namespace stashform::testing {
namespace {

namespace json = boost::json;

class GitpodEmulatorTest : public ::testing::Test {
 protected:
  GitpodEmulatorTest() : gitpod(GitpodSeed()) {}

  struct Answer {
    int status = 0;
    json::value body;
  };

  Answer Call(const std::string& method, const std::string& body, const std::string& token = kGitpodToken) {
    const std::string& url = gitpod.url();
    httplib::Client client("127.0.0.1", std::stoi(url.substr(url.rfind(':') + 1)));
    httplib::Headers headers{{"Authorization", "Bearer " + token}};
    auto result = client.Post(("/public-api/gitpod.v1.AuthProviderService/" + method).c_str(), headers, body,
                              "application/json");
    if (!result) throw std::runtime_error("no answer from the Gitpod emulator");
    return {result->status, json::parse(result->body)};
  }

  std::string Create(const std::string& host, const std::string& organization = kGitpodOrganization) {
    return json::serialize(json::object{
        {"organizationId", organization},
        {"type", "AUTH_PROVIDER_TYPE_BITBUCKET_SERVER"},
        {"host", host},
        {"oauth2Config", json::object{{"clientId", "id-1"}, {"clientSecret", "secret-1"}}}});
  }

  static std::string Code(const Answer& answer) {
    return answer.body.is_object() && answer.body.as_object().contains("code")
               ? std::string(answer.body.at("code").as_string()) : "";
  }

  GitpodEmulator gitpod;
};

TEST_F(GitpodEmulatorTest, CreateAnswersARedactedPendingProviderAndTheSecondForTheHostIsAlreadyExists) {
  Answer created = Call("CreateAuthProvider", Create("bitbucket.example.com"));
  ASSERT_EQ(created.status, 200) << created.body;
  const json::object& provider = created.body.at("authProvider").as_object();
  EXPECT_EQ(provider.at("oauth2Config").at("clientSecret"), json::value("redacted"));
  EXPECT_FALSE(provider.contains("verified")) << "proto3 JSON leaves a false bool out";
  EXPECT_EQ(provider.at("oauth2Config").at("tokenUrl"), json::value("https://bitbucket.example.com/rest/oauth2/latest/token"));
  Answer again = Call("CreateAuthProvider", Create("Bitbucket.Example.com"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Code(again), "already_exists");
  EXPECT_EQ(again.body.at("message"), json::value("Provider for this host already exists."));
}

TEST_F(GitpodEmulatorTest, ServerSideChecksAnswerConnectCodes) {
  EXPECT_EQ(Code(Call("CreateAuthProvider", Create("github.com"))), "already_exists");
  Answer down = Call("CreateAuthProvider", Create("down.example.com"));
  EXPECT_EQ(down.status, 400);
  EXPECT_EQ(Code(down), "failed_precondition");
  EXPECT_EQ(Code(Call("CreateAuthProvider", Create("bitbucket.example.com", "not-a-uuid"))), "invalid_argument");
  EXPECT_EQ(Code(Call("CreateAuthProvider", Create("bitbucket.example.com", "99999999-2f3a-4c5d-8e7f-901234abcdef"))),
            "not_found");
  EXPECT_EQ(Code(Call("CreateAuthProvider", Create("bitbucket.example.com"), "wrong-token")), "unauthenticated");
  Answer unknown = Call("GetAuthProvider", R"({"authProviderId":"x","verbose":true})");
  EXPECT_EQ(Code(unknown), "invalid_argument");
  EXPECT_EQ(unknown.body.at("message"), json::value("unknown field \"verbose\" in gitpod.v1.GetAuthProviderRequest"));
  EXPECT_EQ(Code(Call("GetAuthProvider", R"({"authProviderId":"11111111-2222-4333-8444-555555555555"})")), "not_found");
}

TEST_F(GitpodEmulatorTest, UpdateResetsToPendingOnlyOnARealChangeAndAnEmptySecretKeepsTheOld) {
  std::string id(Call("CreateAuthProvider", Create("bitbucket.example.com")).body.at("authProvider").at("id").as_string());
  ASSERT_EQ(gitpod.Admin("POST", "/_emulator/auth-providers/" + id + "/verify").status, 200);
  Answer same = Call("UpdateAuthProvider", R"({"authProviderId":")" + id + R"(","clientId":"id-1","clientSecret":""})");
  EXPECT_EQ(same.body.at("authProvider").at("verified"), json::value(true));
  Answer changed = Call("UpdateAuthProvider", R"({"authProviderId":")" + id + R"(","clientId":"id-2","clientSecret":""})");
  EXPECT_FALSE(changed.body.at("authProvider").as_object().contains("verified"));
  json::value stored = gitpod.Providers().at(0);
  EXPECT_EQ(stored.at("oauth2Config").at("clientSecret"), json::value("secret-1"));
  EXPECT_EQ(Code(Call("UpdateAuthProvider", R"({"authProviderId":")" + id + R"("})")), "invalid_argument");
}

TEST_F(GitpodEmulatorTest, ListPagesWithNextToken) {
  for (int i = 0; i < 3; ++i) Call("CreateAuthProvider", Create("git" + std::to_string(i) + ".example.com"));
  std::string list = std::string(R"({"organizationId":")") + kGitpodOrganization + R"(","pagination":{"pageSize":2}})";
  Answer first = Call("ListAuthProviders", list);
  ASSERT_EQ(first.body.at("authProviders").as_array().size(), 2u);
  std::string token(first.body.at("pagination").at("nextToken").as_string());
  Answer second = Call("ListAuthProviders", std::string(R"({"organizationId":")") + kGitpodOrganization +
                                                R"(","pagination":{"pageSize":2,"token":")" + token + R"("}})");
  ASSERT_EQ(second.body.at("authProviders").as_array().size(), 1u);
  EXPECT_EQ(second.body.at("authProviders").at(0).at("host"), json::value("git2.example.com"));
  EXPECT_FALSE(second.body.at("pagination").as_object().contains("nextToken"));
}

}  // namespace
}  // namespace stashform::testing
