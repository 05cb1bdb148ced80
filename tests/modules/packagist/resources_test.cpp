// The Packagist resource types against a scripted server: what they send, what state keeps of a
// secret the server echoes, and what a failed job leaves recorded.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/digest.h"
#include "modules/packagist/credential.h"
#include "modules/packagist/vcs_package.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_http_client.h"

namespace stashform::packagist {
namespace {

using http::FakeHttpClient;
using provider::ApplyAction;

constexpr const char* kBase = "http://packagist.test";

class PackagistResourcesTest : public ::testing::Test {
 protected:
  PackagistResourcesTest() : api({kBase, "packagist_ack_key", "packagist_acs_secret"}, http, clock) {}
  FakeHttpClient http;
  FakeClock clock;
  PackagistApi api;
};

TEST_F(PackagistResourcesTest, ACredentialEchoedByTheServerIsKeptOnlyAsItsDigest) {
  http.On("GET", std::string(kBase) + "/api/credentials/7/",
          FakeHttpClient::Reply(200, R"({"id":7,"description":"bb","type":"http-basic","domain":"bb.test",)"
                                     R"("username":"bot","credential":"changed-by-hand-4411"})"));
  CredentialType type(api);
  auto read = type.Read({"7", {{"credential", Value::Sensitive(Value(SecretDigest("token-1")))}}});
  ASSERT_FALSE(read.gone);
  const Value& secret = read.attributes.at("credential");
  EXPECT_TRUE(secret.sensitive());
  EXPECT_EQ(secret.as_string(), SecretDigest("changed-by-hand-4411"));
  EXPECT_EQ(StringField(read.attributes, "username"), "bot");
}

TEST_F(PackagistResourcesTest, ACredentialUpdateSendsTypeUsernameAndSecretOnly) {
  http.On("PUT", std::string(kBase) + "/api/credentials/7/",
          FakeHttpClient::Reply(200, R"({"id":7,"description":"bb","type":"http-basic","domain":"bb.test","username":"bot"})"));
  CredentialType type(api);
  auto applied = type.Apply({ApplyAction::kUpdate, "7", {},
                             {{"description", Value("bb")}, {"type", Value("http-basic")}, {"domain", Value("bb.test")},
                              {"username", Value("bot")}, {"credential", Value("token-2")}}});
  ASSERT_FALSE(applied.diagnostics.HasErrors());
  EXPECT_EQ(http.requests().at(0).body, R"({"type":"http-basic","username":"bot","credential":"token-2"})");
  EXPECT_EQ(applied.attributes.at("credential").as_string(), SecretDigest("token-2"));
}

TEST_F(PackagistResourcesTest, APackageWhoseJobFailsIsAnErrorWithTheJobsMessageAndNothingRecorded) {
  http.On("POST", std::string(kBase) + "/api/packages/", FakeHttpClient::Reply(201, R"({"id":"job-1","status":"queued"})"));
  http.On("GET", std::string(kBase) + "/api/jobs/job-1",
          FakeHttpClient::Reply(200, R"({"id":"job-1","status":"error","message":"Authentication required for bb.test"})"));
  http.On("GET", std::string(kBase) + "/api/packages/", FakeHttpClient::Reply(200, "[]"));
  VcsPackageType type(api);
  auto applied = type.Apply({ApplyAction::kCreate, "", {},
                             {{"repo_url", Value("https://bb.test/scm/infra/api.git")}, {"repo_type", Value("vcs")},
                              {"credential", Value("7")}}});
  EXPECT_TRUE(applied.id.empty());
  ASSERT_TRUE(applied.diagnostics.HasErrors());
  EXPECT_NE(applied.diagnostics.items().front().message.find("job job-1 failed: Authentication required for bb.test"),
            std::string::npos);
  EXPECT_EQ(http.requests().at(0).body,
            R"({"repoType":"vcs","repoUrl":"https://bb.test/scm/infra/api.git","credentials":7})");
}

TEST_F(PackagistResourcesTest, APackageIsRecordedByTheNameItsJobReports) {
  http.On("POST", std::string(kBase) + "/api/packages/", FakeHttpClient::Reply(201, R"({"id":"job-2","status":"queued"})"));
  http.On("GET", std::string(kBase) + "/api/jobs/job-2",
          FakeHttpClient::Reply(200, R"({"id":"job-2","status":"success","packageName":"infra/api"})"));
  http.On("GET", std::string(kBase) + "/api/packages/infra/api/",
          FakeHttpClient::Reply(200, R"({"name":"infra/api","repoType":"vcs","repoUrl":"https://bb.test/scm/infra/api.git","credentials":7})"));
  VcsPackageType type(api);
  auto applied = type.Apply({ApplyAction::kCreate, "", {},
                             {{"repo_url", Value("https://bb.test/scm/infra/api.git")}, {"credential", Value("7")}}});
  ASSERT_FALSE(applied.diagnostics.HasErrors());
  EXPECT_EQ(applied.id, "infra/api");
  EXPECT_EQ(StringField(applied.attributes, "credential"), "7");
}

}  // namespace
}  // namespace stashform::packagist
