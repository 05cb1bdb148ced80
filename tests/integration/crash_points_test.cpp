// issue 22 §3: the apply of webhooks, a token, an application link and a Spacelift integration,
// killed with SIGKILL at chosen requests. The benchmark (bench/crash_points.cpp) runs all 50
// points; this bounded test runs every eighth of them (7 points, requests spread from the first
// to the last, both "answer held" and "answered"), about 15 s.

#include <gtest/gtest.h>

#include <string>

#include "tests/integration/crash_points.h"

namespace stashform::testing {
namespace {

TEST(CrashPointsE2E, AnApplyKilledAtSpreadPointsConvergesWithoutDuplicatesAndKeepsItsToken) {
  const int requests = RequestsOfACleanApply();
  ASSERT_GT(requests, 10) << "the clean apply failed or sent too few requests to crash in";
  const auto all = SpreadCrashPoints(requests, 50);
  int killed = 0;
  for (size_t i = 0; i < all.size(); i += 8) {
    const CrashPointResult result = RunCrashPoint(all[i]);
    const std::string where = "point " + std::to_string(i + 1) + ": request " + std::to_string(all[i].request) +
                              (all[i].answered ? " answered" : " held") + ", in flight " + result.in_flight;
    killed += result.killed ? 1 : 0;
    EXPECT_TRUE(result.converged) << where << "\n" << result.transcript;
    EXPECT_EQ(result.duplicates, 0) << where << ": " << result.duplicate_list;
    EXPECT_TRUE(result.token_kept) << where << ": the state's token is not the live one, or the integration's";
  }
  EXPECT_GE(killed, 5) << "the kills must land inside the apply for the test to mean anything";
}

}  // namespace
}  // namespace stashform::testing
