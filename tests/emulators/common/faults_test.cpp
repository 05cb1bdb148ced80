// Fault decisions on their own: which request fails, how, and that a seed makes the dice repeat.
#include "emulators/common/faults.h"

#include <gtest/gtest.h>

#include <vector>

namespace stashform::emulator {
namespace {

/// What one Decide said, as a word a table can hold.
std::string Kind(const FaultDecision& decision) {
  if (decision.drop) return "drop";
  if (decision.drop_after_handling) return "lost";
  if (decision.error) return std::to_string(decision.error->status);
  return "ok";
}

std::vector<std::string> Kinds(Faults& faults, int requests, const std::string& path = "/graphql",
                               const std::string& caller = "ada") {
  std::vector<std::string> kinds;
  for (int i = 0; i < requests; ++i) kinds.push_back(Kind(faults.Decide("POST", path, caller)));
  return kinds;
}

FailNthRule Rule(const std::string& method, const std::string& path, long n, int status) {
  FailNthRule rule;
  rule.method = method;
  rule.path = path;
  rule.n = n;
  rule.status = status;
  return rule;
}

TEST(EmulatorCommonFaults, DecisionsFollowTheConfiguration) {
  struct Case {
    std::string name;
    FaultConfig config;
    std::vector<std::string> expected;  // four POST /graphql by "ada"
  };
  FaultConfig nothing;
  FaultConfig third_fails;
  third_fails.fail_nth = {Rule("", "/graphql", 3, 503)};
  FaultConfig second_dropped;
  second_dropped.fail_nth = {Rule("POST", "/graphql", 2, 0)};
  FaultConfig first_lost;
  first_lost.fail_nth = {Rule("", "/graphql", 1, -1)};
  FaultConfig other_method;
  other_method.fail_nth = {Rule("GET", "/graphql", 1, 500)};
  FaultConfig other_path;
  other_path.fail_nth = {Rule("", "/elsewhere", 1, 500)};
  FaultConfig always_503;
  always_503.error_rates[503] = 1.0;
  FaultConfig always_dropped;
  always_dropped.drop_rate = 1.0;
  FaultConfig always_lost;
  always_lost.lost_answer_rate = 1.0;
  FaultConfig two_tokens;
  two_tokens.rate_limit = {true, 2, 0};
  FaultConfig fail_nth_before_drop = always_dropped;
  fail_nth_before_drop.fail_nth = {Rule("", "/graphql", 1, 502)};
  const std::vector<Case> cases = {
      {"nothing configured", nothing, {"ok", "ok", "ok", "ok"}},
      {"the 3rd fails once", third_fails, {"ok", "ok", "503", "ok"}},
      {"status 0 drops", second_dropped, {"ok", "drop", "ok", "ok"}},
      {"status -1 loses the answer", first_lost, {"lost", "ok", "ok", "ok"}},
      {"a rule for another method", other_method, {"ok", "ok", "ok", "ok"}},
      {"a rule for another path", other_path, {"ok", "ok", "ok", "ok"}},
      {"error rate 1", always_503, {"503", "503", "503", "503"}},
      {"drop rate 1", always_dropped, {"drop", "drop", "drop", "drop"}},
      {"lost-answer rate 1", always_lost, {"lost", "lost", "lost", "lost"}},
      {"a bucket of two that never refills", two_tokens, {"ok", "ok", "429", "429"}},
      {"fail-Nth is checked before the dice", fail_nth_before_drop, {"502", "drop", "drop", "drop"}},
  };
  for (const auto& c : cases) {
    FaultConfig config = c.config;
    config.random_seed = 1;
    Faults faults(config);
    EXPECT_EQ(Kinds(faults, 4), c.expected) << c.name;
  }
}

TEST(EmulatorCommonFaults, TheSameSeedRollsTheSameDice) {
  FaultConfig config;
  config.error_rates[500] = 0.3;
  config.drop_rate = 0.2;
  config.jitter_ms = 50;
  config.random_seed = 42;
  Faults first(config), second(config);
  std::vector<std::string> first_kinds, second_kinds;
  for (int i = 0; i < 200; ++i) {
    auto a = first.Decide("GET", "/x", "");
    auto b = second.Decide("GET", "/x", "");
    first_kinds.push_back(Kind(a) + "/" + std::to_string(a.delay.count()));
    second_kinds.push_back(Kind(b) + "/" + std::to_string(b.delay.count()));
  }
  EXPECT_EQ(first_kinds, second_kinds);
  int failures = 0;
  for (const auto& kind : first_kinds) failures += kind.rfind("ok", 0) == 0 ? 0 : 1;
  EXPECT_GT(failures, 50) << "about half of 200 should fail at these rates";
  EXPECT_LT(failures, 150);
}

TEST(EmulatorCommonFaults, AnonymousCallersAreNotRateLimited) {
  FaultConfig config;
  config.rate_limit = {true, 1, 0};
  Faults faults(config);
  EXPECT_EQ(Kinds(faults, 3, "/graphql", ""), (std::vector<std::string>{"ok", "ok", "ok"}));
  EXPECT_EQ(Kinds(faults, 2, "/graphql", "ada"), (std::vector<std::string>{"ok", "429"}));
  EXPECT_EQ(Kinds(faults, 1, "/graphql", "bob"), (std::vector<std::string>{"ok"})) << "one bucket per caller";
}

TEST(EmulatorCommonFaults, AnEmptyBucketSaysWhenToRetry) {
  FaultConfig config;
  config.rate_limit = {true, 1, 0.5};
  Faults faults(config);
  faults.Decide("GET", "/x", "ada");
  auto refused = faults.Decide("GET", "/x", "ada");
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->status, 429);
  EXPECT_TRUE(refused.error->rate_limited);
  EXPECT_EQ(refused.error->retry_after_seconds, 2) << "one token at 0.5 per second";
}

TEST(EmulatorCommonFaults, RulePathsGoThroughTheEmulatorsNormalizer) {
  FaultConfig config;
  config.fail_nth = {Rule("", "/rest/api/1.0/projects", 1, 500)};
  auto fold_version = [](const std::string& path) {
    std::string folded = DecodedPath(path);
    auto at = folded.find("/1.0/");
    return at == std::string::npos ? folded : folded.replace(at, 5, "/latest/");
  };
  Faults faults(config, fold_version);
  EXPECT_EQ(faults.config().fail_nth[0].path, "/rest/api/latest/projects");
  EXPECT_EQ(Kind(faults.Decide("GET", "/rest/api/latest/projects/", "")), "500");
}

TEST(EmulatorCommonFaults, RestartCountersLetsARuleFireAgain) {
  FaultConfig config;
  config.fail_nth = {Rule("", "/graphql", 1, 500)};
  Faults faults(config);
  EXPECT_EQ(Kinds(faults, 2), (std::vector<std::string>{"500", "ok"}));
  faults.RestartCounters();
  EXPECT_EQ(Kinds(faults, 2), (std::vector<std::string>{"500", "ok"}));
}

TEST(EmulatorCommonFaults, JsonRoundTripKeepsEveryField) {
  auto json = boost::json::parse(R"({"latencyMs":20,"jitterMs":5,"errorRates":{"503":0.1},"dropRate":0.25,
      "lostAnswerRate":0.5,"rateLimit":{"enabled":true,"capacity":10,"fillRate":5},
      "failNth":[{"method":"POST","path":"/graphql","n":2,"status":500}],"seed":42})");
  FaultConfig config = FaultConfigFromJson(json);
  EXPECT_EQ(config.latency_ms, 20);
  EXPECT_EQ(config.jitter_ms, 5);
  EXPECT_DOUBLE_EQ(config.error_rates.at(503), 0.1);
  EXPECT_DOUBLE_EQ(config.drop_rate, 0.25);
  EXPECT_DOUBLE_EQ(config.lost_answer_rate, 0.5);
  EXPECT_TRUE(config.rate_limit.enabled);
  EXPECT_EQ(config.fail_nth.at(0).n, 2);
  EXPECT_EQ(config.random_seed, 42u);
  boost::json::object back = FaultConfigToJson(config);
  EXPECT_EQ(back.at("failNth").as_array().at(0).at("seen").as_int64(), 0) << "the answer adds the counters";
  EXPECT_EQ(FaultConfigToJson(FaultConfigFromJson(back)), back);
}

TEST(EmulatorCommonFaults, MalformedJsonConfigurationThrows) {
  EXPECT_ANY_THROW(FaultConfigFromJson(boost::json::parse(R"([1,2])")));
  EXPECT_ANY_THROW(FaultConfigFromJson(boost::json::parse(R"({"latencyMs":"slow"})")));
  EXPECT_ANY_THROW(FaultConfigFromJson(boost::json::parse(R"({"failNth":[{"n":1}]})")));
}

}  // namespace
}  // namespace stashform::emulator
