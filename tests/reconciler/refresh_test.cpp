// engine::Refresh reports every read as it ends, so the CLI can show progress of a long refresh.

#include <map>
#include <string>
#include <vector>

#include "reconciler/engine/refresh.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

/// What progress was told about one read.
struct Told {
  std::string address;
  std::string id;
  bool ok = true;
  size_t done = 0;
  size_t total = 0;
  bool operator==(const Told&) const = default;
};

class RefreshTest : public EngineFixture {
 protected:
  /// Refreshes with a progress receiver and returns what it was told, in order.
  std::vector<Told> RefreshTelling() {
    std::vector<Told> told;
    engine::RefreshOptions options;
    options.progress = [&](const engine::RefreshedRead& read) {
      told.push_back({read.address.ToString(), read.id, read.ok, read.done, read.total});
    };
    refreshed = engine::Refresh(state, servers, options);
    return told;
  }
};

TEST_F(RefreshTest, ReportsEachReadOnceWithItsAddressAndIdAsItEnds) {
  Record("a", "1", {});
  Record("b", "2", {});
  Record("gone", "3", {}, /*remote_too=*/false);
  std::vector<Told> told = RefreshTelling();
  EXPECT_EQ(told, (std::vector<Told>{{"fake.thing[\"a\"]", "1", true, 1, 3},
                                     {"fake.thing[\"b\"]", "2", true, 2, 3},
                                     {"fake.thing[\"gone\"]", "3", true, 3, 3}}))
      << "an object deleted remotely is a read that went well";
  EXPECT_EQ(remote.read_many_calls, 1) << "one batch per server and type, as without progress";
}

TEST_F(RefreshTest, AFailedReadAndAnObjectOnAnUndeclaredServerAreReportedAsFailed) {
  Record("a", "1", {});
  Record("broken", "2", {});
  state.Upsert({Address("orphan"), "old", "9", {}, {}, {}, false});
  remote.fail_read_of = "2";
  std::vector<Told> told = RefreshTelling();

  std::map<std::string, Told> by_address;
  for (const auto& t : told) EXPECT_TRUE(by_address.emplace(t.address, t).second) << t.address << " twice";
  ASSERT_EQ(by_address.size(), 3u);
  EXPECT_TRUE(by_address.at("fake.thing[\"a\"]").ok);
  EXPECT_FALSE(by_address.at("fake.thing[\"broken\"]").ok);
  EXPECT_FALSE(by_address.at("fake.thing[\"orphan\"]").ok);
  for (size_t i = 0; i < told.size(); ++i) EXPECT_EQ(told[i].done, i + 1);
  EXPECT_EQ(told.back().total, 3u);
  EXPECT_EQ(refreshed.diagnostics.ToString(),
            "Error: fake.thing[\"broken\"]: GET /things/2: 500 Internal Server Error\n"
            "Error: fake.thing[\"orphan\"]: recorded on server \"old\", which the config no longer declares "
            "(declare the server again, or run \"stashform state rm\" to forget it)\n");
}

TEST_F(RefreshTest, WithoutAProgressReceiverRefreshReadsTheSame) {
  Record("a", "1", {});
  refreshed = engine::Refresh(state, servers);
  ASSERT_NE(refreshed.Find(Address("a")), nullptr);
  EXPECT_FALSE(refreshed.Find(Address("a"))->gone);
}

}  // namespace
}  // namespace stashform::testing
