// Fault injection: decisions in isolation, then over HTTP through flags-equivalent settings and the admin API.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

const std::string kProbe = "/rest/api/1.0/projects/INFRA";

TEST(BitbucketFaults, LatencyIsFixedPlusBoundedJitter) {
  FaultConfig config;
  config.latency_ms = 20;
  config.jitter_ms = 5;
  config.random_seed = 7;
  Faults faults(config);
  for (int i = 0; i < 50; ++i) {
    auto decision = faults.Decide("GET", "/x", "");
    EXPECT_GE(decision.delay.count(), 20);
    EXPECT_LE(decision.delay.count(), 25);
    EXPECT_FALSE(decision.error);
  }
}

TEST(BitbucketFaults, ErrorRateOfOneFailsEveryRequestWithTheEnvelope) {
  FaultConfig config;
  config.error_rates[503] = 1.0;
  Harness emulator(kDefaultSeed, {}, config);
  auto result = emulator.Send("GET", kProbe);
  EXPECT_EQ(result->status, 503);
  EXPECT_FALSE(ErrorMessage(result).empty());
  EXPECT_EQ(emulator.Send("GET", "/_emulator/dump", "", "")->status, 200) << "the admin API is never faulted";
}

TEST(BitbucketFaults, ErrorRateRoughlyMatchesWithAFixedSeed) {
  FaultConfig config;
  config.error_rates[500] = 0.5;
  config.random_seed = 42;
  Faults faults(config);
  int failed = 0;
  for (int i = 0; i < 1000; ++i) failed += faults.Decide("GET", "/x", "").error ? 1 : 0;
  EXPECT_GT(failed, 400);
  EXPECT_LT(failed, 600);
}

TEST(BitbucketFaults, RateLimitAnswers429WithRetryAfterPerUser) {
  FaultConfig config;
  config.rate_limit = {true, 2, 0.01};
  Harness emulator(kDefaultSeed, {}, config);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
  auto limited = emulator.Send("GET", kProbe);
  ASSERT_EQ(limited->status, 429);
  int retry_after = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_EQ(emulator.Send("GET", kProbe, "", BasicAuth("reader", "reader-pw"))->status, 200) << "buckets are per user";
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/application-properties", "", "")->status, 200)
      << "anonymous requests are not limited";
}

TEST(BitbucketFaults, DroppedConnectionsGetNoAnswerAndAreLogged) {
  FaultConfig config;
  config.drop_rate = 1.0;
  Harness emulator(kDefaultSeed, {}, config);
  auto result = emulator.Send("GET", kProbe);
  EXPECT_FALSE(result);
  auto log = Json(emulator.Send("GET", "/_emulator/requests", "", "")).at("requests").as_array();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().at("status").as_int64(), 0);
}

TEST(BitbucketFaults, FailNthThroughTheAdminApiFiresOnceOnTheNthMatch) {
  Harness emulator;
  auto put = emulator.Send("PUT", "/_emulator/faults",
                           R"({"failNth":[{"method":"GET","path":"/rest/api/latest/projects/INFRA","n":2,"status":502}]})", "");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 502) << "1.0 and latest count as one path";
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
  auto faults = Json(emulator.Send("GET", "/_emulator/faults", "", ""));
  EXPECT_TRUE(faults.at("failNth").at(0).at("fired").as_bool());
  EXPECT_EQ(emulator.Send("DELETE", "/_emulator/faults", "", "")->status, 204);
  EXPECT_EQ(emulator.Send("PUT", "/_emulator/faults", R"({"failNth":[{"n":1}]})", "")->status, 400);
}

TEST(BitbucketFaults, LatencyCanBeSetAtRuntimeAndAnswersStillArrive) {
  Harness emulator;
  ASSERT_EQ(emulator.Send("PUT", "/_emulator/faults", R"({"latencyMs":30,"jitterMs":10})", "")->status, 200);
  EXPECT_EQ(Json(emulator.Send("GET", "/_emulator/faults", "", "")).at("latencyMs").as_int64(), 30);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
}

TEST(BitbucketFaults, ALostAnswerStillChangesTheModel) {
  Harness emulator;
  const std::string hooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
  ASSERT_EQ(emulator.Send("PUT", "/_emulator/faults",
                          R"({"failNth":[{"method":"POST","path":")" + hooks + R"(","n":1,"status":-1}]})", "")->status,
            200);
  auto result = emulator.Send("POST", hooks, R"({"name":"ghost","url":"https://x.example"})");
  EXPECT_FALSE(result) << "the client hears nothing";
  auto list = Json(emulator.Send("GET", hooks));
  ASSERT_EQ(list.at("size").as_int64(), 1) << "but the webhook exists";
  EXPECT_EQ(list.at("values").at(0).at("name").as_string(), "ghost");
  auto log = Json(emulator.Send("GET", "/_emulator/requests", "", "")).at("requests").as_array();
  EXPECT_EQ(log[0].at("status").as_int64(), 201);
  EXPECT_TRUE(log[0].at("dropped").as_bool());
  EXPECT_FALSE(log[1].at("dropped").as_bool());
}

TEST(BitbucketFaults, TheRateLimitAdminRestSwitchesTheBucketOn) {
  Harness emulator;
  const std::string settings = "/rest/api/1.0/admin/rate-limit/settings";
  EXPECT_FALSE(Json(emulator.Send("GET", settings)).at("enabled").as_bool());
  auto put = emulator.Send("PUT", settings, R"({"enabled":true,"defaultSettings":{"capacity":1,"fillRate":1}})");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Json(put).at("defaultSettings").at("capacity").as_int64(), 1);
  auto reader = BasicAuth("reader", "reader-pw");
  EXPECT_EQ(emulator.Send("GET", kProbe, "", reader)->status, 200);
  EXPECT_EQ(emulator.Send("GET", kProbe, "", reader)->status, 429);
  EXPECT_EQ(emulator.Send("PUT", settings, R"({"defaultSettings":{"capacity":0}})")->status, 400);
  EXPECT_EQ(emulator.Send("GET", settings, "", BasicAuth("outsider", "out-pw"))->status, 401);
}

TEST(BitbucketFaults, ResetRestartsTheFailNthCounters) {
  FaultConfig config;
  config.fail_nth.push_back(FailNthRule{"", "/rest/api/1.0/projects/INFRA", 1, 500});
  Harness emulator(kDefaultSeed, {}, config);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 500);
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 200);
  emulator.Send("POST", "/_emulator/reset", "", "");
  EXPECT_EQ(emulator.Send("GET", kProbe)->status, 500);
}

}  // namespace
}  // namespace stashform::emulator::testing
