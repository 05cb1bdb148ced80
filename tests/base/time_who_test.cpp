// RFC 3339 time and "who runs this", the one copy each that lock holders and logs use.

#include <gtest/gtest.h>

#include <regex>

#include "base/time.h"
#include "base/who.h"

namespace stashform {
namespace {

TEST(Rfc3339, FormatsUtcWithWholeSeconds) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)) +
                    std::chrono::milliseconds(750);
  EXPECT_EQ(FormatRfc3339(time), "2023-11-14T22:13:20Z");
}

TEST(Rfc3339, NowHasTheSameShape) {
  EXPECT_TRUE(std::regex_match(NowRfc3339(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << NowRfc3339();
}

TEST(WhoRunsThis, IsUserAtHost) {
  EXPECT_TRUE(std::regex_match(WhoRunsThis(), std::regex(R"([^@\s]+@[^@\s]+)"))) << WhoRunsThis();
}

}  // namespace
}  // namespace stashform
