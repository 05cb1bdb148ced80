// PackagistApi against a scripted server: every try signed afresh, Link paging, errors with the
// server's words and a code, jobs polled with backoff.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/packagist/api.h"
#include "modules/packagist/signature.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_http_client.h"

namespace stashform::packagist {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

constexpr const char* kBase = "http://packagist.test:8080";
constexpr const char* kSecret = "packagist_acs_hidden";

std::string HeaderOf(const http::Request& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

/// The field `name=` of the Authorization header.
std::string Field(const std::string& header, const std::string& name) {
  auto at = header.find(name + "=");
  if (at == std::string::npos) return "";
  auto end = header.find(',', at);
  return header.substr(at + name.size() + 1, end == std::string::npos ? std::string::npos : end - at - name.size() - 1);
}

/// Checks the request's signature as the server would: recomputed from what was sent.
bool SignatureValid(const http::Request& request) {
  const std::string header = HeaderOf(request, "Authorization");
  UrlParts url = SplitUrl(request.url);
  SignedRequest signed_part{request.method, url.host, url.path, url.query, request.body};
  SignatureParams params{Field(header, "Key"), Field(header, "Timestamp"), Field(header, "Cnonce")};
  return header.rfind("PACKAGIST-HMAC-SHA256 ", 0) == 0 && Field(header, "Version") == "2" &&
         Field(header, "Signature") == Sign(kSecret, StringToSign(signed_part, params));
}

class PackagistApiTest : public ::testing::Test {
 protected:
  PackagistApiTest()
      : api({std::string(kBase) + "/", "packagist_ack_key", kSecret}, http, clock,
            [this](const std::string& line) { progress.push_back(line); }) {}
  FakeHttpClient http;
  FakeClock clock;
  std::vector<std::string> progress;
  PackagistApi api;
};

TEST_F(PackagistApiTest, EveryRequestIsSignedOverHostWithoutPortPathQueryAndBody) {
  http.On("POST", std::string(kBase) + "/api/credentials/", FakeHttpClient::Reply(201, R"({"id":7})"));
  json::value body = json::object{{"description", "bot"}};
  ASSERT_TRUE(api.Call("POST", "/credentials/", &body).ok());
  const http::Request sent = http.requests().at(0);
  EXPECT_EQ(sent.body, R"({"description":"bot"})");
  EXPECT_TRUE(SignatureValid(sent)) << HeaderOf(sent, "Authorization");
  EXPECT_EQ(Field(HeaderOf(sent, "Authorization"), "Timestamp"), "1700000000");  // the clock's wall time
  EXPECT_EQ(HeaderOf(sent, "Authorization").find(kSecret), std::string::npos);
}

TEST_F(PackagistApiTest, EachTryOfTheSameRequestGetsAFreshCnonce) {
  http.On("GET", std::string(kBase) + "/api/jobs/1", FakeHttpClient::Reply(200, R"({"status":"success"})"));
  ASSERT_TRUE(api.Call("GET", "/jobs/1").ok());
  clock.SetWallNow(std::chrono::system_clock::time_point(std::chrono::seconds(1700000005)));
  ASSERT_TRUE(api.Call("GET", "/jobs/1").ok());
  auto first = HeaderOf(http.requests().at(0), "Authorization");
  auto second = HeaderOf(http.requests().at(1), "Authorization");
  EXPECT_NE(Field(first, "Cnonce"), Field(second, "Cnonce"));
  EXPECT_EQ(Field(second, "Timestamp"), "1700000005");
  EXPECT_TRUE(SignatureValid(http.requests().at(1)));
}

TEST_F(PackagistApiTest, ListAllFollowsNextLinksAndSignsEachPageWithItsQuery) {
  const std::string first = std::string(kBase) + "/api/packages/";
  const std::string second = std::string(kBase) + "/api/packages/?page=2&limit=1";
  http.On("GET", first, FakeHttpClient::Reply(200, R"([{"name":"a/one"}])", {{"Link", "<" + second + ">; rel=\"next\", <" + second + ">; rel=\"last\""}}));
  http.On("GET", second, FakeHttpClient::Reply(200, R"([{"name":"a/two"}])", {{"Link", "<" + first + ">; rel=\"first\""}}));
  auto items = api.ListAll("/packages/");
  ASSERT_TRUE(items.ok()) << items.message();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->at(1).at("name"), "a/two");
  EXPECT_TRUE(SignatureValid(http.requests().at(1)));
}

TEST_F(PackagistApiTest, AnErrorCarriesTheServersMessageAndTheCodeOfItsStatus) {
  http.On("GET", std::string(kBase) + "/api/credentials/9/", FakeHttpClient::Reply(404, R"({"message":"Credential not found"})"));
  auto answer = api.Call("GET", "/credentials/9/");
  ASSERT_FALSE(answer.ok());
  EXPECT_TRUE(answer.status().IsNotFound());
  EXPECT_NE(answer.message().find("HTTP 404: Credential not found"), std::string::npos) << answer.message();

  http.On("GET", std::string(kBase) + "/api/synchronizations/", FakeHttpClient::Reply(401, R"({"message":"Invalid signature"})"));
  auto refused = api.Call("GET", "/synchronizations/");
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(refused.message().find("check api_key and api_secret"), std::string::npos) << refused.message();
  EXPECT_EQ(refused.message().find(kSecret), std::string::npos);
}

TEST_F(PackagistApiTest, AJobIsPolledWithGrowingWaitsAndAProgressLineUntilItSucceeds) {
  const std::string url = std::string(kBase) + "/api/jobs/j1";
  http.Enqueue("GET", url, FakeHttpClient::Reply(200, R"({"id":"j1","status":"queued"})"));
  http.Enqueue("GET", url, FakeHttpClient::Reply(200, R"({"id":"j1","status":"processing"})"));
  http.Enqueue("GET", url, FakeHttpClient::Reply(200, R"({"id":"j1","status":"success","packageName":"infra/api"})"));
  auto job = api.WaitForJob("j1", "adding package https://bb/scm/infra/api.git");
  ASSERT_TRUE(job.ok()) << job.message();
  EXPECT_EQ(job->at("packageName"), "infra/api");
  EXPECT_EQ(clock.sleeps(), (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(250), std::chrono::milliseconds(500)}));
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0], "packagist: adding package https://bb/scm/infra/api.git: job j1 queued (poll 1, 0.0 s)");
}

TEST_F(PackagistApiTest, AFailedJobIsAnErrorWithTheJobsMessage) {
  http.On("GET", std::string(kBase) + "/api/jobs/j2",
          FakeHttpClient::Reply(200, R"({"id":"j2","status":"error","message":"No composer.json found in the repository"})"));
  auto job = api.WaitForJob("j2", "adding package https://bb/x.git");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.message(), "packagist: adding package https://bb/x.git: job j2 failed: No composer.json found in the repository");
}

TEST_F(PackagistApiTest, AJobThatNeverEndsStopsAtTheLimitAndSaysSo) {
  http.On("GET", std::string(kBase) + "/api/jobs/j3", FakeHttpClient::Reply(200, R"({"id":"j3","status":"queued"})"));
  auto job = api.WaitForJob("j3", "adding package https://bb/y.git");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(job.message().find("is still queued after"), std::string::npos) << job.message();
  EXPECT_LT(http.requests().size(), 200u);
}

TEST(PackagistUrl, SplitsHostWithoutPortPathAndQuery) {
  UrlParts parts = SplitUrl("https://Packagist.com:8443/api/packages/?page=2#x");
  EXPECT_EQ(parts.host, "packagist.com");
  EXPECT_EQ(parts.path, "/api/packages/");
  EXPECT_EQ(parts.query, "page=2");
  EXPECT_EQ(NextLink("<https://a/p?page=3>; rel=\"next\""), "https://a/p?page=3");
  EXPECT_EQ(NextLink("<https://a/p?page=1>; rel=\"first\""), "");
}

}  // namespace
}  // namespace stashform::packagist
