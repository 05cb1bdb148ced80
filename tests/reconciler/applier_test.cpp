#include <gtest/gtest.h>

#include <atomic>

#include "reconciler/engine/applier.h"
#include "tests/support/memory_state_store.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

class ApplierTest : public EngineFixture {
 protected:
  engine::ApplyReport PlanAndApply() {
    engine::Plan plan = MakePlan();
    EXPECT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
    engine::ApplyOptions options;
    options.parallelism = parallelism;
    options.resend_backoff = std::chrono::milliseconds(1);
    return engine::ApplyPlan(plan, state, store, servers, options);
  }
  state::MemoryStateStore store;
  int parallelism = 1;  // ordering stories run one at a time; concurrency has its own tests
};

const Value::Map kThing = {{"name", Value("a")}, {"size", Value(2)}};

TEST_F(ApplierTest, CreatesRecordsTheIdAndPersistsAfterTheWrite) {
  Declare("a", kThing);
  auto report = PlanAndApply();
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=a"}));
  const auto* recorded = state.Find(Address("a"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_EQ(recorded->id, "100");
  EXPECT_TRUE(state.intents.empty());
  auto stored = store.Load();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_NE((*stored)->Find(Address("a")), nullptr);
}

TEST_F(ApplierTest, EveryWriteIsOnRecordBeforeTheNextIsSentAndTheFileIsWholeAtTheEnd) {
  Declare("a", kThing);
  Declare("b", {{"name", Value("b")}});
  std::vector<std::pair<size_t, size_t>> stored_at_create;  // (resources, intents) the store held
  remote.on_create = [&](const std::string&) {
    auto stored = store.Load();
    ASSERT_TRUE(stored.ok() && stored->has_value());
    stored_at_create.emplace_back((*stored)->resources.size(), (*stored)->intents.size());
  };
  auto report = PlanAndApply();
  EXPECT_EQ(report.added, 2);
  // The first create finds its own intent on record; the second also finds the first's result.
  EXPECT_EQ(stored_at_create, (std::vector<std::pair<size_t, size_t>>{{0, 1}, {1, 1}}));
  // Each write was appended (intent, then result), not saved in full: at most one full save as
  // the apply starts and one as it ends (the fake skips the last when the appends already match).
  EXPECT_GE(store.backing()->appends, 3);
  EXPECT_LE(store.writes(), 2);
  auto stored = store.Load();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->resources.size(), 2u);
  EXPECT_TRUE((*stored)->intents.empty());
}

TEST_F(ApplierTest, LifecycleFlagsAreKeptInStateToOutliveTheBlock) {
  auto& block = Declare("a", kThing);
  block.lifecycle.destroy = false;
  block.lifecycle.prevent_destroy = true;
  Declare("b", {{"name", Value("b")}});
  PlanAndApply();
  ASSERT_NE(state.Find(Address("a")), nullptr);
  EXPECT_TRUE(state.Find(Address("a"))->keep_on_removal);
  EXPECT_TRUE(state.Find(Address("a"))->prevent_destroy);
  EXPECT_FALSE(state.Find(Address("b"))->keep_on_removal);
  auto stored = store.Load();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->Find(Address("a"))->keep_on_removal) << "the flag is written to the file";
}

TEST_F(ApplierTest, AnIntentIsPersistedBeforeTheCreateIsSent) {
  Declare("a", kThing);
  store.FailWritesWith("disk full");
  auto report = PlanAndApply();
  EXPECT_TRUE(remote.writes.empty()) << "nothing may be sent when the intent could not be saved";
  EXPECT_EQ(report.failed, 1);
}

TEST_F(ApplierTest, ACreateInterruptedBeforeItStartedLeavesNoIntent) {
  Declare("a", kThing);
  Declare("b", {{"name", Value("b")}});
  Declare("c", {{"name", Value("c")}});
  std::atomic<bool> interrupted{false};
  remote.on_create = [&](const std::string&) { interrupted = true; };
  engine::Plan plan = MakePlan();
  engine::ApplyOptions options;
  options.parallelism = 1;
  options.interrupted = &interrupted;
  auto report = engine::ApplyPlan(plan, state, store, servers, options);
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(remote.writes.size(), 1u);
  // Nothing was sent for the two never started, so no intent of theirs is left.
  EXPECT_TRUE(state.intents.empty());
  auto stored = store.Load();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->intents.empty());
}

TEST_F(ApplierTest, AFailedCreateLeavesStateTrueToWhatWasDone) {
  Declare("a", kThing);
  Declare("b", {{"name", Value("b")}});
  remote.fail_create_of = "a";
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(state.Find(Address("a")), nullptr);
  EXPECT_NE(state.Find(Address("b")), nullptr);
  EXPECT_TRUE(state.intents.empty()) << "a create the server refused leaves no intent behind";
  ASSERT_TRUE(report.diagnostics.HasErrors());
  EXPECT_EQ(report.diagnostics.items()[0].ToString(),
            "main.lua:10: fake.thing[\"a\"]: POST /things: 400 Bad Request: refused");
}

TEST_F(ApplierTest, APendingIntentAdoptsTheObjectInsteadOfCreatingAnother) {
  // A previous run sent the create and died before recording it.
  remote.objects["5"] = {{"name", Value("a")}, {"size", Value(2)}, {"id", Value("5")},
                         {"secret", Value("")}};
  state.AddIntent({Address("a"), "main", {{"name", Value("a")}}, 0});
  Diagnostics diagnostics;
  EXPECT_TRUE(engine::ResolvePendingIntents(state, servers, diagnostics));
  Declare("a", kThing);
  auto report = PlanAndApply();
  EXPECT_TRUE(remote.writes.empty());
  EXPECT_EQ(state.Find(Address("a"))->id, "5");
  EXPECT_TRUE(state.intents.empty());
}

TEST_F(ApplierTest, APendingIntentWithNothingRemoteIsDropped) {
  state.AddIntent({Address("a"), "main", {{"name", Value("a")}}, 0});
  Diagnostics diagnostics;
  EXPECT_TRUE(engine::ResolvePendingIntents(state, servers, diagnostics));
  EXPECT_TRUE(state.intents.empty());
  EXPECT_EQ(state.Find(Address("a")), nullptr);
}

TEST_F(ApplierTest, UpdatesAndDeletesInPlanOrder) {
  Record("a", "3", kThing);
  Record("gone", "4", {{"name", Value("gone")}});
  Declare("a", {{"name", Value("a")}, {"size", Value(5)}});
  auto report = PlanAndApply();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"update 3", "delete 4"}));
  EXPECT_EQ(report.changed, 1);
  EXPECT_EQ(report.destroyed, 1);
  EXPECT_EQ(state.Find(Address("gone")), nullptr);
  EXPECT_EQ(state.Find(Address("a"))->attributes.at("size"), Value(5));
}

TEST_F(ApplierTest, ReplaceDeletesTheOldObjectBeforeCreatingTheNew) {
  Record("a", "3", kThing);
  Declare("a", {{"name", Value("renamed")}});
  PlanAndApply();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete 3", "create name=renamed"}));
}

TEST_F(ApplierTest, CreateBeforeDestroyCreatesTheNewObjectFirst) {
  Record("a", "3", kThing);
  Declare("a", {{"name", Value("renamed")}}).lifecycle.create_before_destroy = true;
  PlanAndApply();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=renamed", "delete 3"}));
  EXPECT_EQ(state.Find(Address("a"))->id, "100");
}

TEST_F(ApplierTest, AnObjectDeletedByHandAndRemovedFromConfigIsForgotten) {
  Record("a", "3", kThing, /*remote_too=*/false);
  auto report = PlanAndApply();
  EXPECT_TRUE(remote.writes.empty());
  EXPECT_EQ(state.Find(Address("a")), nullptr);
  EXPECT_EQ(report.destroyed, 0);
}


/// Issue 15 §1: an object whose id is its name (fake.named "a"), with create_before_destroy, and a
/// fake.thing "b" that refers to its id.
class SameIdentityReplacement : public ApplierTest {
 protected:
  const ResourceAddress named{"", "fake.named", "a"};

  void SetUp() override {
    dsl::ResourceBlock block;
    block.address = named;
    block.server = "main";
    block.attributes = {{"name", Value("a")}};
    block.pos = {"main.lua", 3};
    block.lifecycle.create_before_destroy = true;
    config.resources.push_back(block);
    Declare("b", {{"name", Value("b")}, {"peer", Value::Ref(named.ToString(), "id")}});
    Value::Map a = {{"name", Value("a")}, {"size", Value(1)}, {"secret", Value::Sensitive(Value(""))}, {"id", Value("a")}};
    remote.objects["a"] = a;
    state.Upsert({named, "main", "a", a, {}, {}, false});
    Record("b", "1", {{"name", Value("b")}, {"peer", Value("a")}});
    state.Find(Address("b"))->dependencies = {named.ToString()};
  }

  engine::Plan PlanReplacing() {
    refreshed = engine::Refresh(state, servers);
    engine::PlanOptions options;
    options.replace = {named};
    return engine::MakePlan(config, state, refreshed, servers, options);
  }

  engine::ApplyReport Apply(const engine::Plan& plan) {
    engine::ApplyOptions options;
    options.parallelism = 1;
    return engine::ApplyPlan(plan, state, store, servers, options);
  }

  static const engine::ResourceChange& ChangeOf(const engine::Plan& plan, const ResourceAddress& address) {
    for (const auto& change : plan.changes)
      if (change.address == address) return change;
    throw std::runtime_error("no change for " + address.ToString());
  }
};

TEST_F(SameIdentityReplacement, GoesDeleteFirstAndRewritesWhatDependsOnIt) {
  engine::Plan plan = PlanReplacing();
  const auto& replaced = ChangeOf(plan, named);
  EXPECT_EQ(replaced.action, engine::Action::kReplace);
  EXPECT_FALSE(replaced.create_before_destroy);
  EXPECT_EQ(replaced.reasons, (std::vector<std::string>{"replacement requested with -replace",
                                                        "replaced delete-first: the new object has the same id \"a\""}));
  const auto& dependant = ChangeOf(plan, Address("b"));
  EXPECT_EQ(dependant.action, engine::Action::kUpdate);
  EXPECT_EQ(dependant.reasons, (std::vector<std::string>{"peer: follows the re-created named"}));

  auto report = Apply(plan);
  EXPECT_FALSE(report.diagnostics.HasErrors()) << report.diagnostics.ToString();
  // b is written even though its peer ends up "a" again: the server may have reset it meanwhile.
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete a", "create name=a", "update 1"}));
  EXPECT_TRUE(remote.objects.count("a"));
}

TEST_F(SameIdentityReplacement, TheApplierNeverDeletesAnIdTheNewStateHolds) {
  engine::Plan plan = PlanReplacing();
  // As an engine without the identity rule would plan it: create the new, then delete the old.
  for (auto& change : plan.changes)
    if (change.address == named) change.create_before_destroy = true;
  auto report = Apply(plan);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=a", "update 1"}));
  EXPECT_TRUE(remote.objects.count("a")) << "the object the new state holds was deleted";
  EXPECT_NE(report.diagnostics.ToString().find("the old object was not destroyed: fake.named[\"a\"] holds its id \"a\""),
            std::string::npos) << report.diagnostics.ToString();
}

TEST_F(SameIdentityReplacement, AnObjectRenamedByHandKeepsItsIdSoItsReplacementGoesDeleteFirst) {
  // Given "a" renamed by hand: its id stays "a", its name is no longer the config's.
  remote.objects["a"]["name"] = Value("renamed-by-hand");
  refreshed = engine::Refresh(state, servers);
  engine::Plan plan = engine::MakePlan(config, state, refreshed, servers, {});
  const auto& replaced = ChangeOf(plan, named);
  EXPECT_EQ(replaced.action, engine::Action::kReplace);
  // The type tells that a create named "a" gets the id "a", which the renamed object still holds.
  EXPECT_FALSE(replaced.create_before_destroy);
  EXPECT_EQ(replaced.reasons, (std::vector<std::string>{"name: changed outside stashform, forces replacement",
                                                        "replaced delete-first: the new object has the same id \"a\""}));

  auto report = Apply(plan);
  EXPECT_FALSE(report.diagnostics.HasErrors()) << report.diagnostics.ToString();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete a", "create name=a", "update 1"}));
  EXPECT_EQ(remote.objects.at("a").at("name"), Value("a"));
}

TEST_F(SameIdentityReplacement, ADependantTheServerResetFailsTheApplyByName) {
  // b names its peer literally (nothing to re-write), and the server clears it when a goes.
  config.resources.back().attributes["peer"] = Value("a");
  config.resources.back().depends_on = {named.ToString()};
  remote.on_create = [&](const std::string&) { remote.objects["1"]["peer"] = Value(); };
  engine::Plan plan = PlanReplacing();
  EXPECT_EQ(ChangeOf(plan, Address("b")).action, engine::Action::kNoOp);
  auto report = Apply(plan);
  EXPECT_TRUE(report.diagnostics.HasErrors());
  EXPECT_NE(report.diagnostics.ToString().find("fake.thing[\"b\"]: after this apply \"1\" does not match the state: peer is null, not \"a\""),
            std::string::npos) << report.diagnostics.ToString();
}

// issue 14: a create answered 503 made nothing, as the lookup proves: it is sent again in the same
// apply instead of being left for the next one.
TEST_F(ApplierTest, ACreateThatFailedAndMadeNothingIsSentAgainInTheSameApply) {
  Declare("a", kThing);
  remote.create_faults["a"] = 2;
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(remote.writes, (std::vector<std::string>(3, "create name=a")));
  EXPECT_EQ(remote.objects.size(), 1u);
  ASSERT_NE(state.Find(Address("a")), nullptr);
  EXPECT_TRUE(state.intents.empty());
}

TEST_F(ApplierTest, ACreateIsSentAtMostThreeTimesThenReportedWithNoIntentLeft) {
  Declare("a", kThing);
  remote.create_faults["a"] = 5;
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(remote.writes, (std::vector<std::string>(3, "create name=a")));
  EXPECT_TRUE(state.intents.empty()) << "the last lookup proved nothing was made";
  EXPECT_EQ(report.diagnostics.items()[0].ToString(), "main.lua:10: fake.thing[\"a\"]: POST /things: 503 Service Unavailable");
}

TEST_F(ApplierTest, ARefusedCreateIsNotSentAgain) {
  Declare("a", kThing);
  remote.fail_create_of = "a";  // a 400: sending it again cannot help
  PlanAndApply();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=a"}));
}

TEST_F(ApplierTest, AFailedLookupIsNoProofSoTheCreateIsNotSentAgainAndItsIntentStays) {
  Declare("a", kThing);
  remote.create_faults["a"] = 1;
  remote.fail_find = true;
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=a"}));
  ASSERT_EQ(state.intents.size(), 1u) << "the next run must look again before anything is created";
  EXPECT_EQ(report.diagnostics.items()[0].ToString(),
            "main.lua:10: fake.thing[\"a\"]: POST /things: 503 Service Unavailable; looking it up failed too, so "
            "the next run checks before creating it (GET /things: 502 Bad Gateway)");
}

TEST_F(ApplierTest, ACreateWhoseAnswerWasLostIsAdoptedNotSentAgain) {
  Declare("a", kThing);
  remote.lose_create_answer_of = "a";
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=a"}));
  ASSERT_NE(state.Find(Address("a")), nullptr);
  EXPECT_EQ(state.Find(Address("a"))->id, "100");
  EXPECT_FALSE(state.Find(Address("a"))->create_answer_lost) << "a thing has no value only its create answer carries";
}

ResourceAddress KeyAddress(const std::string& name) { return {"", "fake.key", name}; }

/// A block `fake.key "name" { name = name }`.
dsl::ResourceBlock KeyBlock(const std::string& name) {
  dsl::ResourceBlock block;
  block.address = KeyAddress(name);
  block.server = "main";
  block.attributes = {{"name", Value(name)}};
  block.pos = {"main.lua", 20};
  return block;
}

// issue 14 §2: the apply was killed after the key's create ran and before its answer was saved.
TEST_F(ApplierTest, AKeyAdoptedWithoutItsValueIsReplacedAndTheAdoptedOneDeleted) {
  remote.objects["5"] = {{"name", Value("k")}, {"id", Value("5")}};
  state.AddIntent({KeyAddress("k"), "main", {{"name", Value("k")}}, 0});
  config.resources.push_back(KeyBlock("k"));
  Diagnostics diagnostics;
  ASSERT_TRUE(engine::ResolvePendingIntents(state, servers, diagnostics));
  ASSERT_TRUE(state.Find(KeyAddress("k"))->create_answer_lost);

  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"delete 5", "create name=k"}));
  const auto* recorded = state.Find(KeyAddress("k"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_EQ(recorded->id, "100");
  EXPECT_EQ(recorded->private_data.at("value").RenderRevealed(), "\"key-100\"");
  EXPECT_FALSE(recorded->create_answer_lost);
  EXPECT_EQ(MakePlan().changes[0].action, engine::Action::kNoOp) << "one apply is enough";
}

TEST_F(ApplierTest, AKeyWhoseCreateAnswerIsLostDuringTheApplyIsAdoptedAndReplacedByTheNextPlan) {
  config.resources.push_back(KeyBlock("k"));
  remote.lose_create_answer_of = "k";
  auto report = PlanAndApply();
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=k"})) << "found by name: not sent again";
  const auto* recorded = state.Find(KeyAddress("k"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_TRUE(recorded->create_answer_lost);
  EXPECT_TRUE(recorded->private_data.empty());
  auto stored = store.Load();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->Find(KeyAddress("k"))->create_answer_lost) << "the mark is on file";
  EXPECT_EQ(MakePlan().changes[0].action, engine::Action::kReplace);
}

// A create_before_destroy replacement whose new key lost its create answer: the address still
// holds the old key when the new one is adopted, and must not hand it the old key's value.
TEST_F(ApplierTest, AnAdoptedReplacementNeverTakesTheValueOfTheObjectItReplaces) {
  remote.objects["05"] = {{"name", Value("k")}, {"id", Value("05")}};
  state::ResourceState old;
  old.address = KeyAddress("k");
  old.server = "main";
  old.id = "05";
  old.attributes = remote.objects["05"];
  old.private_data = {{"value", Value::Sensitive(Value("old-value"))}};
  state.Upsert(old);
  auto block = KeyBlock("k");
  block.lifecycle.create_before_destroy = true;
  config.resources.push_back(block);
  remote.lose_create_answer_of = "k";
  refreshed = engine::Refresh(state, servers);
  engine::PlanOptions replace;
  replace.replace = {KeyAddress("k")};
  engine::Plan plan = engine::MakePlan(config, state, refreshed, servers, replace);
  ASSERT_EQ(plan.changes[0].action, engine::Action::kReplace);
  engine::ApplyOptions options;
  options.parallelism = 1;
  auto report = engine::ApplyPlan(plan, state, store, servers, options);
  EXPECT_EQ(report.failed, 0) << report.diagnostics.ToString();
  EXPECT_EQ(remote.writes, (std::vector<std::string>{"create name=k", "delete 05"}));
  const auto* recorded = state.Find(KeyAddress("k"));
  ASSERT_NE(recorded, nullptr);
  EXPECT_EQ(recorded->id, "100");
  EXPECT_TRUE(recorded->private_data.empty()) << "the old key's value would sign in as a revoked key";
  EXPECT_TRUE(recorded->create_answer_lost);
}

}  // namespace
}  // namespace stashform::testing
