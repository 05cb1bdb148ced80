// The lookup by natural key before a create: the planner adopts what exists, refuses what cannot
// be adopted, and apply records an adopted object without creating one.

#include <gtest/gtest.h>

#include "reconciler/engine/applier.h"
#include "reconciler/engine/discovery.h"
#include "reconciler/engine/natural_keys.h"
#include "tests/reconciler/engine_fixture.h"
#include "tests/support/memory_state_store.h"

namespace stashform::testing {
namespace {

class NaturalKeysTest : public EngineFixture {
 protected:
  /// The plan, made again once after the lookup as the CLI does.
  engine::Plan PlanWithLookup() {
    engine::Plan plan = MakePlan();
    if (engine::LookUpPlannedCreates(plan, state, servers, refreshed))
      plan = engine::MakePlan(config, state, refreshed, servers);
    return plan;
  }
  state::MemoryStateStore store;
};

TEST_F(NaturalKeysTest, GivenAnObjectWithTheKeyTheStateLostThePlanAdoptsItAndApplyCreatesNothing) {
  remote.objects["7"] = {{"name", Value("a")}, {"size", Value(2)}, {"id", Value("7")}};
  Declare("a", {{"name", Value("a")}, {"size", Value(2)}});
  engine::Plan plan = PlanWithLookup();
  ASSERT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto& change = plan.changes[0];
  EXPECT_TRUE(change.adopt);
  EXPECT_EQ(change.id, "7");
  ASSERT_FALSE(change.reasons.empty());
  EXPECT_EQ(change.reasons[0], "adopted: an object with the same name exists (id 7)");
  EXPECT_EQ(plan.ToAdd(), 0);
  EXPECT_EQ(plan.ToAdopt(), 1);

  engine::ApplyOptions options;
  options.parallelism = 1;
  auto report = engine::ApplyPlan(plan, state, store, servers, options);
  EXPECT_TRUE(report.diagnostics.items().empty()) << report.diagnostics.ToString();
  EXPECT_EQ(report.added, 0);
  ASSERT_NE(state.Find(Address("a")), nullptr);
  EXPECT_EQ(state.Find(Address("a"))->id, "7");
  for (const auto& write : remote.writes) EXPECT_EQ(write.rfind("create", 0), std::string::npos) << write;
}

TEST_F(NaturalKeysTest, AnObjectThatStateRecordsElsewhereIsNotAdoptedTwice) {
  remote.objects["7"] = {{"name", Value("a")}, {"size", Value(2)}, {"id", Value("7")}};
  Record("old", "7", {{"name", Value("a")}, {"size", Value(2)}});
  Declare("old", {{"name", Value("a")}, {"size", Value(2)}});
  Declare("b", {{"name", Value("a")}, {"size", Value(2)}});
  engine::Plan plan = PlanWithLookup();
  for (const auto& change : plan.changes) EXPECT_FALSE(change.adopt) << change.address.ToString();
}

TEST_F(NaturalKeysTest, APlanWithoutCreatesLooksNothingUp) {
  Record("a", "7", {{"name", Value("a")}});
  Declare("a", {{"name", Value("a")}});
  engine::Plan plan = MakePlan();
  remote.fail_find = true;  // a lookup would fail the plan
  EXPECT_FALSE(engine::LookUpPlannedCreates(plan, state, servers, refreshed));
  EXPECT_TRUE(refreshed.by_natural_key.empty());
  EXPECT_FALSE(refreshed.diagnostics.HasErrors());
}

TEST_F(NaturalKeysTest, AFailedLookupStopsThePlanRatherThanRiskADuplicate) {
  Declare("a", {{"name", Value("a")}});
  engine::Plan plan = MakePlan();
  remote.fail_find = true;
  engine::LookUpPlannedCreates(plan, state, servers, refreshed);
  ASSERT_TRUE(refreshed.diagnostics.HasErrors());
  EXPECT_NE(refreshed.diagnostics.ToString().find("looking it up by its natural key before creating it"),
            std::string::npos) << refreshed.diagnostics.ToString();
}

TEST(GlobMatch, StarMatchesAnyRunAndEverythingElseIsLiteral) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  for (const Case& c : std::vector<Case>{{"INFRA/*", "INFRA/api", true},
                                         {"INFRA/*", "OPS/api", false},
                                         {"jenk*", "jenkins", true},
                                         {"*", "", true},
                                         {"https://*.example.com/*", "https://ci.example.com/hook", true},
                                         {"https://*.example.com/*", "https://ci.example.org/hook", false},
                                         {"a*b*c", "abxbc", true},
                                         {"a*b*c", "abxbd", false},
                                         {"jenkins", "jenkins2", false}})
    EXPECT_EQ(engine::GlobMatch(c.pattern, c.text), c.match) << c.pattern << " ~ " << c.text;
}

}  // namespace
}  // namespace stashform::testing
