// Apply from the plan alone: every change is built by hand here, and no config block exists, so
// whatever apply honours (lifecycle flags, natural keys, ordering) can only come from the plan.

#include <gtest/gtest.h>

#include "reconciler/engine/applier.h"
#include "reconciler/engine/outputs.h"
#include "tests/support/memory_state_store.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

class StandalonePlanApply : public EngineFixture {
 protected:
  StandalonePlanApply() { EXPECT_TRUE(config.resources.empty()) << "the plan alone must carry what apply needs"; }

  /// A create of fake.thing "name", as the planner would have planned it.
  static engine::ResourceChange Create(const std::string& name) {
    engine::ResourceChange change;
    change.address = Address(name);
    change.server = "main";
    change.action = engine::Action::kCreate;
    change.config_attributes = {{"name", Value(name)}};
    change.after = {{"name", Value(name)}, {"size", Value(1)}, {"id", Value::UnknownValue()}};
    change.natural_key = {{"name", Value(name)}};
    change.lifecycle.declared = true;
    return change;
  }

  /// A replacement of the recorded "a" (id 3) by an object named `name`.
  engine::ResourceChange Replace(const std::string& name, bool create_before_destroy) {
    engine::ResourceChange change = Create("a");
    change.action = engine::Action::kReplace;
    change.id = "3";
    change.before = state.Find(Address("a"))->attributes;
    change.config_attributes = {{"name", Value(name)}};
    change.after["name"] = Value(name);
    change.natural_key = {{"name", Value(name)}};
    change.create_before_destroy = create_before_destroy;
    return change;
  }

  engine::ApplyReport Apply(const engine::Plan& plan) {
    engine::ApplyOptions options;
    options.parallelism = 1;
    options.resend_backoff = std::chrono::milliseconds(1);
    return engine::ApplyPlan(plan, state, store, servers, options);
  }

  state::MemoryStateStore store;
};

TEST_F(StandalonePlanApply, ACreateRecordsTheLifecycleFlagsThePlanCarries) {
  engine::Plan plan;
  plan.changes.push_back(Create("a"));
  plan.changes.back().lifecycle.prevent_destroy = true;
  plan.changes.back().lifecycle.keep_on_removal = true;
  auto report = Apply(plan);
  ASSERT_EQ(report.added, 1) << report.diagnostics.ToString();
  const auto* recorded = state.Find(Address("a"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_TRUE(recorded->prevent_destroy);
  EXPECT_TRUE(recorded->keep_on_removal);
}

TEST_F(StandalonePlanApply, ANoOpRecordsTheFlagsAndDependenciesOfItsBlockAndWhatRefreshFound) {
  Record("a", "3", {{"name", Value("a")}});
  Record("b", "4", {{"name", Value("b")}});
  engine::ResourceChange unchanged;
  unchanged.address = Address("a");
  unchanged.server = "main";
  unchanged.id = "3";
  unchanged.before = state.Find(Address("a"))->attributes;
  unchanged.before["size"] = Value(7);  // what refresh found
  unchanged.lifecycle = {true, true, false, {"size"}};
  unchanged.dependencies = {Address("b")};
  engine::Plan plan;
  plan.changes.push_back(unchanged);
  Apply(plan);
  const auto* recorded = state.Find(Address("a"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_TRUE(recorded->prevent_destroy);
  EXPECT_EQ(recorded->attributes.at("size"), Value(7));
  EXPECT_EQ(recorded->dependencies, (std::vector<std::string>{Address("b").ToString()}));
  EXPECT_TRUE(remote.writes.empty());
}

TEST_F(StandalonePlanApply, ALostCreateAnswerIsFoundByTheNaturalKeyThePlanCarries) {
  remote.lose_create_answer_of = "a";
  engine::Plan plan;
  plan.changes.push_back(Create("a"));
  plan.changes.back().natural_key = {{"name", Value::UnknownValue()}};  // filled in from what is sent
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  ASSERT_EQ(remote.objects.size(), 1u) << "found by its key, not created twice";
  const auto* recorded = state.Find(Address("a"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_EQ(recorded->id, remote.objects.begin()->first);
  EXPECT_TRUE(state.intents.empty());
}

TEST_F(StandalonePlanApply, AnInterruptedCreateLeavesTheNaturalKeyOfThePlanAsItsIntent) {
  remote.lose_create_answer_of = "a";
  remote.fail_find = true;  // nothing proves what happened: the intent stays
  engine::Plan plan;
  plan.changes.push_back(Create("a"));
  Apply(plan);
  ASSERT_EQ(state.intents.size(), 1u);
  EXPECT_EQ(state.intents[0].natural_key, (Value::Map{{"name", Value("a")}}));
}

TEST_F(StandalonePlanApply, CreateBeforeDestroyFromThePlanCreatesTheNewObjectFirst) {
  Record("a", "3", {{"name", Value("a")}});
  engine::Plan plan;
  plan.changes.push_back(Replace("renamed", /*create_before_destroy=*/true));
  Apply(plan);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=renamed", "delete 3"}));
}

TEST_F(StandalonePlanApply, WithoutCreateBeforeDestroyTheOldObjectGoesFirst) {
  Record("a", "3", {{"name", Value("a")}});
  engine::Plan plan;
  plan.changes.push_back(Replace("renamed", /*create_before_destroy=*/false));
  Apply(plan);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete 3", "create name=renamed"}));
}

TEST_F(StandalonePlanApply, RecordsThePlanForgetsLeaveTheStateWithoutAWrite) {
  Record("gone", "5", {{"name", Value("gone")}}, /*remote_too=*/false);
  engine::Plan plan;
  plan.forgotten = {Address("gone")};
  Apply(plan);
  EXPECT_EQ(state.Find(Address("gone")), nullptr);
  EXPECT_TRUE(remote.writes.empty());
}

TEST_F(StandalonePlanApply, OutputsResolveFromTheExpressionsThePlanCarries) {
  engine::Plan plan;
  plan.changes.push_back(Create("a"));
  plan.outputs.push_back({"a_id", Value::Ref(Address("a").ToString(), "id"), false});
  Apply(plan);
  Value::Map outputs = engine::ResolveOutputs(plan.outputs, state);
  EXPECT_EQ(outputs.at("a_id"), Value(state.Find(Address("a"))->id));
}

using PlannedFromConfig = EngineFixture;

TEST_F(PlannedFromConfig, EachChangeCarriesTheLifecycleAndNaturalKeyOfItsBlock) {
  auto& block = Declare("a", {{"name", Value("a")}});
  block.lifecycle.prevent_destroy = true;
  block.lifecycle.destroy = false;
  block.lifecycle.ignore_changes = {"size"};
  engine::Plan plan = MakePlan();
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto& change = plan.changes[0];
  EXPECT_EQ(change.lifecycle, (engine::LifecycleFlags{true, true, true, {"size"}}));
  EXPECT_EQ(change.natural_key, (Value::Map{{"name", Value("a")}}));
  EXPECT_EQ(change.config_attributes, block.attributes);
}

TEST_F(PlannedFromConfig, ARecordGoneFromBothServerAndConfigIsListedForApplyToForget) {
  Record("gone", "5", {{"name", Value("gone")}}, /*remote_too=*/false);
  engine::Plan plan = MakePlan();
  EXPECT_EQ(plan.forgotten, (std::vector<ResourceAddress>{Address("gone")}));
  EXPECT_TRUE(plan.changes.empty());
}

}  // namespace
}  // namespace stashform::testing
