// The Packagist emulator's App in-process: it accepts a request signed by the algorithm (the
// string to sign written out by hand here), refuses an old timestamp, a reused cnonce and a
// tampered body with the reason in its log, completes jobs after a few polls, fails seeded ones,
// and pages lists with Link headers.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>

#include "emulators/packagist/app.h"
#include "emulators/packagist/auth.h"

namespace stashform::emulator::packagist {
namespace {

namespace json = boost::json;

constexpr const char* kKey = "packagist_ack_t";
constexpr const char* kSecret = "packagist_acs_t";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class PackagistEmulatorApp : public ::testing::Test {
 protected:
  PackagistEmulatorApp()
      : app(json::parse(R"({"apiKeys":[{"key":"packagist_ack_t","secret":"packagist_acs_t"}],
                           "jobFailures":{"https://bb.test/scm/php/broken.git":"No composer.json found."}})"),
            Settings{}, FaultConfig{}) {
    app.SetBaseUrl("http://127.0.0.1:9");
  }

  /// A request signed from `text`, the string to sign as written by hand in each test.
  Request Signed(const std::string& method, const std::string& target, const std::string& body, const std::string& text,
                 std::int64_t timestamp, const std::string& cnonce) {
    Request request;
    request.method = method;
    request.target = target;
    request.path = target.substr(0, target.find('?'));
    if (target.find('?') != std::string::npos) request.query = ParseQuery(target.substr(target.find('?') + 1));
    request.body = body;
    request.headers["host"] = "127.0.0.1:9";
    request.headers["authorization"] = std::string("PACKAGIST-HMAC-SHA256 Key=") + kKey + ", Timestamp=" +
                                       std::to_string(timestamp) + ", Cnonce=" + cnonce +
                                       ", Version=2, Signature=" + SignatureOf(kSecret, text);
    return request;
  }

  Request SignedGet(const std::string& path, const std::string& cnonce, std::int64_t timestamp = Now()) {
    return Signed("GET", path, "", "GET\n127.0.0.1\n" + path + "\ncnonce=" + cnonce + "&key=" + kKey +
                                       "&timestamp=" + std::to_string(timestamp) + "&version=2",
                  timestamp, cnonce);
  }

  Response Post(const std::string& path, const std::string& body, const std::string& cnonce) {
    std::string encoded;  // rawurlencode of the JSON bodies used here
    for (char c : body) {
      static const std::string kKeep = "-_.~";
      if (std::isalnum(static_cast<unsigned char>(c)) || kKeep.find(c) != std::string::npos) encoded += c;
      else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
        encoded += hex;
      }
    }
    const auto now = Now();
    return app.Handle(Signed("POST", path, body, "POST\n127.0.0.1\n" + path + "\nbody=" + encoded + "&cnonce=" + cnonce +
                                                     "&key=" + kKey + "&timestamp=" + std::to_string(now) + "&version=2",
                             now, cnonce)).response;
  }

  json::value LastLogged() {
    Request request;
    request.method = "GET";
    request.path = request.target = "/_emulator/requests";
    json::value log = json::parse(app.Handle(request).response.body);
    return log.at("requests").as_array().back();
  }

  App app;
};

TEST_F(PackagistEmulatorApp, ARequestSignedByTheAlgorithmIsAccepted) {
  Response response = app.Handle(SignedGet("/api/credentials/", "c1")).response;
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(LastLogged().at("signature"), "valid");
  EXPECT_EQ(LastLogged().at("caller"), kKey);
}

TEST_F(PackagistEmulatorApp, AnOldTimestampIsRefusedWithTheReasonInTheLog) {
  Response response = app.Handle(SignedGet("/api/credentials/", "c2", Now() - 60)).response;
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("Invalid signature: timestamp 60 s off (window 15 s)"), std::string::npos) << response.body;
  EXPECT_EQ(LastLogged().at("signature"), "timestamp 60 s off (window 15 s)");
}

TEST_F(PackagistEmulatorApp, AReusedCnonceIsRefused) {
  ASSERT_EQ(app.Handle(SignedGet("/api/credentials/", "same")).response.status, 200);
  Response again = app.Handle(SignedGet("/api/credentials/", "same")).response;
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(LastLogged().at("signature"), "cnonce reused");
}

TEST_F(PackagistEmulatorApp, ATamperedBodyOrAWrongSecretIsASignatureMismatch) {
  const auto now = Now();
  Request request = Signed("POST", "/api/credentials/", R"({"description":"x"})",
                           "POST\n127.0.0.1\n/api/credentials/\ncnonce=c3&key=packagist_ack_t&timestamp=" +
                               std::to_string(now) + "&version=2",  // the body left out of the signature
                           now, "c3");
  EXPECT_EQ(app.Handle(request).response.status, 401);
  EXPECT_EQ(LastLogged().at("signature"), "signature mismatch");
}

TEST_F(PackagistEmulatorApp, APackageJobCompletesAfterTwoPollsAndASeededFailureFailsWithItsMessage) {
  Response created = Post("/api/credentials/", R"({"description":"bb","type":"http-basic","credential":"s"})", "c4");
  ASSERT_EQ(created.status, 201) << created.body;
  Response job = Post("/api/packages/", R"({"repoType":"vcs","repoUrl":"https://bb.test/scm/php/api.git","credentials":1})", "c5");
  ASSERT_EQ(job.status, 201) << job.body;
  EXPECT_EQ(json::parse(job.body).at("status"), "queued");
  std::vector<std::string> statuses;
  for (int poll = 0; poll < 3; ++poll)
    statuses.emplace_back(json::parse(app.Handle(SignedGet("/api/jobs/job-1", "p" + std::to_string(poll))).response.body)
                              .at("status").as_string());
  EXPECT_EQ(statuses, (std::vector<std::string>{"queued", "processing", "success"}));

  Post("/api/packages/", R"({"repoType":"vcs","repoUrl":"https://bb.test/scm/php/broken.git","credentials":1})", "c6");
  json::value last;
  for (int poll = 0; poll < 3; ++poll)
    last = json::parse(app.Handle(SignedGet("/api/jobs/job-2", "q" + std::to_string(poll))).response.body);
  EXPECT_EQ(last.at("status"), "error");
  EXPECT_EQ(last.at("message"), "No composer.json found.");
  EXPECT_EQ(app.Handle(SignedGet("/api/packages/php/broken/", "q9")).response.status, 404) << "a failed add makes nothing";
}

TEST_F(PackagistEmulatorApp, ListsArePagedWithLinkHeaders) {
  for (int i = 0; i < 3; ++i)
    Post("/api/credentials/", R"({"description":"c)" + std::to_string(i) + R"(","type":"http-basic","credential":"s"})",
         "d" + std::to_string(i));
  Request settings;
  settings.method = "PATCH";
  settings.path = settings.target = "/_emulator/settings";
  settings.body = R"({"pageSize":2})";
  ASSERT_EQ(app.Handle(settings).response.status, 200);
  Response first = app.Handle(SignedGet("/api/credentials/", "e1")).response;
  EXPECT_EQ(json::parse(first.body).as_array().size(), 2u);
  std::string link;
  for (const auto& [name, value] : first.headers)
    if (name == "Link") link = value;
  EXPECT_NE(link.find("<http://127.0.0.1:9/api/credentials/?page=2>; rel=\"next\""), std::string::npos) << link;
  const auto now = Now();
  Response second = app.Handle(Signed("GET", "/api/credentials/?page=2", "",
                                      "GET\n127.0.0.1\n/api/credentials/\ncnonce=e2&key=packagist_ack_t&query=page%3D2&timestamp=" +
                                          std::to_string(now) + "&version=2",
                                      now, "e2")).response;
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(json::parse(second.body).as_array().size(), 1u);
}

}  // namespace
}  // namespace stashform::emulator::packagist
