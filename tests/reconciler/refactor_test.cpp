// moved, import and removed blocks, applied to state before refresh.

#include <gtest/gtest.h>

#include "reconciler/engine/refactor.h"
#include "reconciler/render/text.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

using engine::Action;

class RefactorTest : public EngineFixture {
 protected:
  engine::Plan Refactor() {
    Diagnostics diagnostics;
    auto notes = engine::ApplyRefactorings(config, state, servers, diagnostics);
    EXPECT_FALSE(diagnostics.HasErrors()) << diagnostics.ToString();
    engine::Plan plan = MakePlan();
    plan.state_notes = notes;
    return plan;
  }
};

TEST_F(RefactorTest, AMovedBlockKeepsTheObjectUnderItsNewAddress) {
  Record("old", "7", {{"name", Value("a")}});
  Declare("new", {{"name", Value("a")}});
  config.moved.push_back({Address("old"), Address("new"), {"main.lua", 4}});
  engine::Plan plan = Refactor();
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].action, Action::kNoOp) << "no delete of the old, no create of the new";
  EXPECT_EQ(state.Find(Address("new"))->id, "7");
  EXPECT_EQ(plan.state_notes, (std::vector<std::string>{"fake.thing[\"old\"] has moved to fake.thing[\"new\"]"}));
  EXPECT_TRUE(plan.HasChanges()) << "the state change is worth an apply";
  EXPECT_NE(render::RenderPlanText(plan, {}).find("stashform will change the state:\n\n  # fake.thing[\"old\"] has moved"),
            std::string::npos);
}

TEST_F(RefactorTest, AnImportBlockAdoptsInsteadOfCreating) {
  remote.objects["55"] = {{"name", Value("a")}, {"size", Value(1)}, {"id", Value("55")}, {"secret", Value("")}};
  Declare("a", {{"name", Value("a")}, {"size", Value(2)}});
  config.imports.push_back({Address("a"), "55", {"main.lua", 9}});
  engine::Plan plan = Refactor();
  EXPECT_EQ(plan.changes[0].action, Action::kUpdate) << "adopted, then brought to the config's size";
  EXPECT_TRUE(remote.writes.empty());
  EXPECT_EQ(plan.state_notes, (std::vector<std::string>{"fake.thing[\"a\"] will be imported (id 55)"}));
}

TEST_F(RefactorTest, AnImportOfNothingIsAnErrorAtItsBlock) {
  Declare("a", {{"name", Value("a")}});
  config.imports.push_back({Address("a"), "404", {"main.lua", 9}});
  Diagnostics diagnostics;
  engine::ApplyRefactorings(config, state, servers, diagnostics);
  ASSERT_TRUE(diagnostics.HasErrors());
  EXPECT_EQ(diagnostics.items()[0].ToString(), "main.lua:9: import: no fake.thing \"404\" on server \"main\"");
}

TEST_F(RefactorTest, RemovedWithoutDestroyForgetsAndDeletesNothing) {
  Record("a", "7", {{"name", Value("a")}});
  config.removed.push_back({Address("a"), false, {"main.lua", 2}});
  engine::Plan plan = Refactor();
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_EQ(state.Find(Address("a")), nullptr);
  EXPECT_EQ(remote.objects.count("7"), 1u);
}

TEST_F(RefactorTest, ABlockWrittenWithDestroyFalseIsForgottenWhenItGoes) {
  // Applied once with lifecycle.destroy = false, then the block was deleted from the config.
  Record("a", "7", {{"name", Value("a")}}).keep_on_removal = true;
  Record("b", "8", {{"name", Value("b")}});
  engine::Plan plan = Refactor();
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].address, Address("b"));
  EXPECT_EQ(plan.changes[0].action, Action::kDelete) << "only the one without destroy = false goes";
  EXPECT_EQ(state.Find(Address("a")), nullptr);
  EXPECT_EQ(plan.state_notes, (std::vector<std::string>{
                                  "fake.thing[\"a\"] will no longer be managed; lifecycle.destroy = false keeps the remote object"}));
}

TEST_F(RefactorTest, DestroyFalseChangesNothingWhileTheBlockIsThere) {
  Record("a", "7", {{"name", Value("a")}}).keep_on_removal = true;
  Declare("a", {{"name", Value("a")}});
  engine::Plan plan = Refactor();
  EXPECT_TRUE(plan.state_notes.empty());
  EXPECT_NE(state.Find(Address("a")), nullptr);
}

}  // namespace
}  // namespace stashform::testing
