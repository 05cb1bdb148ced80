#include "modules/http/host_limits.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/fake_clock.h"

namespace stashform::http {
namespace {

using std::chrono::milliseconds;

TEST(HostKey, KeepsSchemeHostAndPortOnly) {
  EXPECT_EQ(HostKey("https://Bitbucket.Example.com:8443/bitbucket/rest/api/1.0/projects?limit=5"),
            "https://bitbucket.example.com:8443");
  EXPECT_EQ(HostKey("http://bob:secret@host/x"), "http://host");
  EXPECT_EQ(HostKey("http://host"), "http://host");
}

TEST(HostLimits, SpendsTheBurstThenPacesAtTheRate) {
  FakeClock clock;
  HostLimits limits(2.0, 0, clock);
  for (int i = 0; i < 5; ++i) limits.Acquire("http://bb/x");
  // Two tokens in the bucket, then one every 500 ms.
  EXPECT_EQ(clock.sleeps(),
            (std::vector<milliseconds>{milliseconds(500), milliseconds(500), milliseconds(500)}));
}

TEST(HostLimits, RefillsWhileIdle) {
  FakeClock clock;
  HostLimits limits(2.0, 0, clock);
  limits.Acquire("http://bb/x");
  limits.Acquire("http://bb/x");
  clock.Advance(milliseconds(1000));
  limits.Acquire("http://bb/x");
  limits.Acquire("http://bb/x");
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(HostLimits, KeepsABucketPerHost) {
  FakeClock clock;
  HostLimits limits(1.0, 0, clock);
  limits.Acquire("http://one/x");
  limits.Acquire("http://two/x");
  EXPECT_TRUE(clock.sleeps().empty());
  limits.Acquire("http://one/y");
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds(1000)});
}

TEST(HostLimits, HoldsOffEveryRequestToTheHostThatAskedForAWait) {
  FakeClock clock;
  HostLimits limits(0, 0, clock);
  limits.HoldOff("http://bb/x", milliseconds(3000));
  limits.Acquire("http://other/x");
  EXPECT_TRUE(clock.sleeps().empty());
  limits.Acquire("http://bb/y");
  limits.Acquire("http://bb/z");
  // The first waits out the hold-off; the next finds it over.
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds(3000)});
}

TEST(HostLimits, AShorterHoldOffNeverShortensALongerOne) {
  FakeClock clock;
  HostLimits limits(0, 0, clock);
  limits.HoldOff("http://bb/x", milliseconds(5000));
  limits.HoldOff("http://bb/x", milliseconds(1000));
  limits.Acquire("http://bb/x");
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds(5000)});
}

TEST(HostLimits, CountsRequestsInFlightUntilTheirSlotIsReleased) {
  FakeClock clock;
  HostLimits limits(0, 2, clock);
  {
    auto first = limits.Acquire("http://bb/a");
    auto second = limits.Acquire("http://bb/b");
    auto elsewhere = limits.Acquire("http://other/a");
    EXPECT_EQ(limits.InFlight("http://bb/"), 2);
    EXPECT_EQ(limits.InFlight("http://other/"), 1);
  }
  EXPECT_EQ(limits.InFlight("http://bb/"), 0);
}

}  // namespace
}  // namespace stashform::http
