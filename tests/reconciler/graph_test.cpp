// References, the resource graph and the order of work.

#include <gtest/gtest.h>

#include "reconciler/engine/applier.h"
#include "reconciler/engine/graph.h"
#include "reconciler/engine/scheduler.h"
#include "tests/support/memory_state_store.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

using engine::Action;

Value RefTo(const std::string& name, const std::string& attribute) {
  return Value::Ref(ResourceAddress{"", "fake.thing", name}.ToString(), attribute);
}

class GraphTest : public EngineFixture {
 protected:
  engine::ApplyReport Apply(const engine::Plan& plan, int parallelism = 4) {
    engine::ApplyOptions options;
    options.parallelism = parallelism;
    return engine::ApplyPlan(plan, state, store, servers, options);
  }
  state::MemoryStateStore store;
};

TEST_F(GraphTest, AReferenceToAThingBeingCreatedIsKnownAfterApplyAndResolvedDuringApply) {
  Declare("hook", {{"name", Value("hook")}, {"peer", Value::Join({Value("thing-"), RefTo("base", "id")})}}, 12);
  Declare("base", {{"name", Value("base")}}, 20);
  engine::Plan plan = MakePlan();
  ASSERT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].address.name, "base") << "dependencies are planned first";
  EXPECT_TRUE(plan.changes[1].after.at("peer").is_unknown());
  auto report = Apply(plan);
  EXPECT_EQ(report.added, 2);
  EXPECT_EQ(state.Find(Address("hook"))->attributes.at("peer"), Value("thing-" + state.Find(Address("base"))->id));
}

TEST_F(GraphTest, AReferenceToAnUnchangedThingIsKnownAtPlan) {
  Record("base", "42", {{"name", Value("base")}});
  Declare("base", {{"name", Value("base")}});
  Declare("hook", {{"name", Value("hook")}, {"peer", RefTo("base", "id")}});
  engine::Plan plan = MakePlan();
  EXPECT_EQ(plan.changes[1].after.at("peer"), Value("42"));
}

TEST_F(GraphTest, ReplacingAThingUpdatesWhatRefersToIt) {
  Record("base", "42", {{"name", Value("base")}});
  Record("hook", "43", {{"name", Value("hook")}, {"peer", Value("42")}});
  Declare("base", {{"name", Value("base-v2")}});
  Declare("hook", {{"name", Value("hook")}, {"peer", RefTo("base", "id")}});
  engine::Plan plan = MakePlan();
  EXPECT_EQ(plan.changes[0].action, Action::kReplace);
  EXPECT_EQ(plan.changes[1].action, Action::kUpdate);
  Apply(plan);
  EXPECT_EQ(state.Find(Address("hook"))->attributes.at("peer"), Value(state.Find(Address("base"))->id));
  EXPECT_NE(state.Find(Address("base"))->id, "42");
}

TEST_F(GraphTest, ACycleIsReportedWithItsPathAndPlaces) {
  Declare("a", {{"name", Value("a")}, {"peer", RefTo("b", "id")}}, 3);
  Declare("b", {{"name", Value("b")}, {"peer", RefTo("a", "id")}}, 9);
  engine::Plan plan = MakePlan();
  ASSERT_TRUE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.diagnostics.items()[0].ToString(),
            "main.lua:3: dependency cycle: fake.thing[\"a\"] (main.lua:3) -> fake.thing[\"b\"] (main.lua:9) -> fake.thing[\"a\"]");
}

TEST_F(GraphTest, AReferenceToAnUnknownAttributeSuggestsTheNearestOne) {
  Declare("a", {{"name", Value("a")}});
  Declare("b", {{"name", Value("b")}, {"peer", RefTo("a", "nmae")}}, 7);
  engine::Plan plan = MakePlan();
  ASSERT_TRUE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.diagnostics.items()[0].ToString(),
            "main.lua:7: fake.thing[\"b\"]: reference to unknown attribute \"nmae\" of fake.thing[\"a\"] (did you mean \"name\"?)");
}

TEST_F(GraphTest, DeletesRunAfterWhatPointedAtThem) {
  Record("base", "1", {{"name", Value("base")}});
  auto& hook = Record("hook", "2", {{"name", Value("hook")}, {"peer", Value("1")}});
  hook.dependencies = {Address("base").ToString()};
  auto report = Apply(MakePlan(), 1);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete 2", "delete 1"}));
  EXPECT_EQ(report.destroyed, 2);
}

TEST_F(GraphTest, CreateBeforeDestroyMovesDependantsBeforeTheOldObjectGoes) {
  Record("base", "1", {{"name", Value("base")}});
  auto& hook = Record("hook", "2", {{"name", Value("hook")}, {"peer", Value("1")}});
  hook.dependencies = {Address("base").ToString()};
  Declare("base", {{"name", Value("base-v2")}}).lifecycle.create_before_destroy = true;
  Declare("hook", {{"name", Value("hook")}, {"peer", RefTo("base", "id")}});
  Apply(MakePlan(), 4);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=base-v2", "update 2", "delete 1"}));
}

TEST_F(GraphTest, AFailureSkipsItsDependantsAndLetsIndependentWorkFinish) {
  Declare("base", {{"name", Value("base")}});
  Declare("hook", {{"name", Value("hook")}, {"peer", RefTo("base", "id")}});
  Declare("other", {{"name", Value("other")}});
  remote.fail_create_of = "base";
  auto report = Apply(MakePlan());
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.added, 1);
  EXPECT_NE(state.Find(Address("other")), nullptr);
  auto not_done = report.NotDone();
  ASSERT_EQ(not_done.size(), 2u);
  EXPECT_EQ(not_done[1].address.name, "hook");
  EXPECT_EQ(not_done[1].message, "not applied: a resource it depends on failed");
}

TEST_F(GraphTest, ParallelismBoundsTheWritesInFlightAndSavesAreGrouped) {
  for (int i = 0; i < 12; ++i) Declare("t" + std::to_string(i), {{"name", Value("t" + std::to_string(i))}});
  remote.delay_ms = 20;
  auto report = Apply(MakePlan(), 4);
  EXPECT_EQ(report.added, 12);
  EXPECT_EQ(remote.max_in_flight, 4);
  EXPECT_LE(report.max_in_flight, 4);
  EXPECT_LT(store.writes(), 2 * 12 + 1) << "intent and result saves are shared between operations";
  EXPECT_EQ(state.resources.size(), 12u);
}

TEST_F(GraphTest, AnInterruptedApplyStartsNothingNew) {
  for (int i = 0; i < 3; ++i) Declare("t" + std::to_string(i), {{"name", Value("t" + std::to_string(i))}});
  std::atomic<bool> stop{true};
  engine::ApplyOptions options;
  options.interrupted = &stop;
  auto report = engine::ApplyPlan(MakePlan(), state, store, servers, options);
  EXPECT_TRUE(remote.writes.empty());
  ASSERT_EQ(report.NotDone().size(), 3u);
  EXPECT_EQ(report.NotDone()[0].message, "not started: apply was interrupted");
}

TEST(Scheduler, SkipsTasksCaughtInACycle) {
  std::vector<engine::Task> tasks = {{{1}, [] { return true; }}, {{0}, [] { return true; }}, {{}, [] { return true; }}};
  auto outcomes = engine::RunTasks(tasks, 2);
  EXPECT_EQ(outcomes[0], engine::TaskOutcome::kSkipped);
  EXPECT_EQ(outcomes[1], engine::TaskOutcome::kSkipped);
  EXPECT_EQ(outcomes[2], engine::TaskOutcome::kDone);
}

TEST_F(GraphTest, ABlockWaitsForWhatItsServersConfigurationRefersTo) {
  Declare("token", {{"name", Value("token")}});
  config.servers.push_back({"fake.server", "derived", {{"secret", RefTo("token", "id")}}, {"main.lua", 3}});
  auto& hook = Declare("hook", {{"name", Value("hook")}});
  hook.server = "derived";
  engine::Graph graph = engine::BuildGraph(config, registry);
  EXPECT_FALSE(graph.diagnostics.HasErrors()) << graph.diagnostics.ToString();
  EXPECT_EQ(graph.dependencies[Address("hook")], (std::set<ResourceAddress>{Address("token")}));
  EXPECT_NE(engine::GraphDot(graph).find("\"fake.thing[\\\"hook\\\"]\" -> \"fake.thing[\\\"token\\\"]\""), std::string::npos)
      << engine::GraphDot(graph);
}

TEST_F(GraphTest, AServerConfiguredFromABlockItServesIsAnErrorAtThatBlock) {
  config.servers.push_back({"fake.server", "derived", {{"secret", RefTo("token", "id")}}, {"main.lua", 3}});
  Declare("token", {{"name", Value("token")}}, 7).server = "derived";
  engine::Graph graph = engine::BuildGraph(config, registry);
  ASSERT_TRUE(graph.diagnostics.HasErrors());
  EXPECT_EQ(graph.diagnostics.items()[0].ToString(),
            "main.lua:7: fake.thing[\"token\"]: is served by fake.server \"derived\", whose configuration refers to it "
            "(configure the server from another resource, or from a variable)");
}

TEST_F(GraphTest, AServerConfiguredFromAResourceWaitsUntilItExists) {
  Declare("token", {{"name", Value("token")}});
  config.servers.push_back({"fake.server", "derived", {{"secret", RefTo("token", "id")}}, {"main.lua", 3}});
  Declare("hook", {{"name", Value("hook")}}, 12).server = "derived";
  engine::Servers fresh(registry);
  auto recorded = engine::RecordedLookup(state, Value::UnknownValue());
  // The token is not made yet: the server waits, and the plan says how to proceed.
  ASSERT_FALSE(fresh.Configure(config, recorded).HasErrors());
  EXPECT_EQ(fresh.Type("derived", "fake.thing"), nullptr);
  engine::Plan plan = engine::MakePlan(config, state, engine::Refresh(state, fresh), fresh);
  ASSERT_TRUE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.diagnostics.items()[0].ToString(),
            "main.lua:12: fake.thing[\"hook\"]: fake.server \"derived\" is configured from fake.thing[\"token\"], which "
            "is known only after apply; apply with -target fake.thing[\"token\"] first, then apply again");
  // Once the token is in state, the server is configured with its value.
  Record("token", "42", {{"name", Value("token")}});
  engine::Servers later(registry);
  ASSERT_FALSE(later.Configure(config, recorded).HasErrors());
  EXPECT_NE(later.Type("derived", "fake.thing"), nullptr);
  EXPECT_EQ(remote.server_configs["derived"].at("secret"), Value("42"));
}

TEST_F(GraphTest, GraphPrintsDotAndAList) {
  Declare("a", {{"name", Value("a")}});
  Declare("b", {{"name", Value("b")}, {"peer", RefTo("a", "id")}});
  engine::Graph graph = engine::BuildGraph(config, registry);
  EXPECT_EQ(engine::GraphDot(graph),
            "digraph stashform {\n  rankdir = \"RL\";\n  \"fake.thing[\\\"a\\\"]\";\n  \"fake.thing[\\\"b\\\"]\";\n"
            "  \"fake.thing[\\\"b\\\"]\" -> \"fake.thing[\\\"a\\\"]\";\n}\n");
  EXPECT_EQ(engine::GraphList(graph), "fake.thing[\"a\"]\nfake.thing[\"b\"]\n  -> fake.thing[\"a\"]\n");
}

}  // namespace
}  // namespace stashform::testing
