#include <gtest/gtest.h>

#include "base/digest.h"
#include "reconciler/engine/references.h"
#include "reconciler/render/json.h"
#include "reconciler/render/text.h"
#include "tests/reconciler/engine_fixture.h"

namespace stashform::testing {
namespace {

using engine::Action;

Value Tags(std::vector<std::string> tags) { return Value::StringList(tags); }

/// One planner story: what state recorded, what the server has, what the config says.
struct PlannerCase {
  const char* story;
  std::optional<Value::Map> recorded;  // in state (and, unless remote is set, the same remotely)
  std::optional<Value::Map> remote;    // overrides the remote object; {} with gone=true for deleted
  bool remote_gone = false;
  std::optional<Value::Map> config;    // the block, if declared
  Action expected;
  std::vector<std::string> reasons;
};

class PlannerTable : public EngineFixture, public ::testing::WithParamInterface<PlannerCase> {};

TEST_P(PlannerTable, DecidesTheActionAndRecordsWhy) {
  const PlannerCase& c = GetParam();
  if (c.recorded) {
    Record("a", "7", *c.recorded);
    if (c.remote) {
      Value::Map remote_object = *c.remote;
      remote_object["id"] = Value("7");
      remote.objects["7"] = remote_object;
    }
    if (c.remote_gone) remote.objects.erase("7");
  }
  if (c.config) Declare("a", *c.config);
  engine::Plan plan = MakePlan();
  ASSERT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
  ASSERT_EQ(plan.changes.size(), c.recorded || c.config ? 1u : 0u);
  if (plan.changes.empty()) return;
  EXPECT_EQ(plan.changes[0].action, c.expected) << c.story;
  EXPECT_EQ(plan.changes[0].reasons, c.reasons) << c.story;
}

const Value::Map kBase = {{"name", Value("a")}, {"size", Value(1)}, {"tags", Tags({"x", "y"})}};

Value::Map With(Value::Map map, const std::string& key, Value value) {
  map[key] = std::move(value);
  return map;
}

INSTANTIATE_TEST_SUITE_P(
    Stories, PlannerTable,
    ::testing::Values(
        PlannerCase{"a new block is created", std::nullopt, std::nullopt, false, kBase, Action::kCreate, {}},
        PlannerCase{"nothing differs", kBase, std::nullopt, false, kBase, Action::kNoOp, {}},
        PlannerCase{"a default that matches is no change", kBase, std::nullopt, false,
                    Value::Map{{"name", Value("a")}, {"tags", Tags({"x", "y"})}}, Action::kNoOp, {}},
        PlannerCase{"the config changed an attribute", kBase, std::nullopt, false, With(kBase, "size", Value(3)),
                    Action::kUpdate, {"size: changed in config"}},
        PlannerCase{"someone changed the object by hand", kBase, With(kBase, "tags", Tags({"x"})), false, kBase,
                    Action::kUpdate, {"tags: changed outside stashform"}},
        PlannerCase{"sets ignore order", kBase, With(kBase, "tags", Tags({"y", "x"})), false, kBase,
                    Action::kNoOp, {}},
        PlannerCase{"a force_new attribute replaces", kBase, std::nullopt, false, With(kBase, "name", Value("b")),
                    Action::kReplace, {"name: forces replacement"}},
        PlannerCase{"an object deleted by hand is created again", kBase, std::nullopt, true, kBase,
                    Action::kCreate, {"remote object deleted outside stashform"}},
        PlannerCase{"a removed block is destroyed", kBase, std::nullopt, false, std::nullopt, Action::kDelete,
                    {"no longer in config"}},
        PlannerCase{"a new secret is an update", kBase, std::nullopt, false,
                    With(kBase, "secret", Value::Sensitive(Value("s3cret"))), Action::kUpdate,
                    {"secret: changed in config"}}),
    [](const auto& info) {
      std::string name = info.param.story;
      for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST_F(EngineFixture, AnUnchangedSecretComparesByDigestAndIsNoChange) {
  Value::Map recorded = kBase;
  recorded["secret"] = Value::Sensitive(Value(SecretDigest("s3cret")));
  Record("a", "7", recorded);
  Declare("a", With(kBase, "secret", Value::Sensitive(Value("s3cret"))));
  EXPECT_EQ(MakePlan().changes[0].action, Action::kNoOp);
}

TEST_F(EngineFixture, IgnoreChangesKeepsWhatTheServerHas) {
  Record("a", "7", kBase);
  remote.objects["7"]["size"] = Value(9);
  Declare("a", kBase).lifecycle.ignore_changes = {"size"};
  EXPECT_EQ(MakePlan().changes[0].action, Action::kNoOp);
}

TEST_F(EngineFixture, DriftIsListedApartFromIntendedChanges) {
  Record("a", "7", kBase);
  remote.objects["7"]["tags"] = Tags({"x"});
  Declare("a", With(kBase, "size", Value(2)));
  engine::Plan plan = MakePlan();
  ASSERT_EQ(plan.drift.size(), 1u);
  ASSERT_EQ(plan.drift[0].diffs.size(), 1u);
  EXPECT_EQ(plan.drift[0].diffs[0].name, "tags");
  EXPECT_EQ(plan.changes[0].reasons,
            (std::vector<std::string>{"size: changed in config", "tags: changed outside stashform"}));
}

TEST_F(EngineFixture, PreventDestroyRecordedInStateFailsThePlanAfterTheBlockIsGone) {
  Record("a", "7", kBase).prevent_destroy = true;
  engine::Plan plan = MakePlan();
  ASSERT_TRUE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.diagnostics.items()[0].ToString(),
            "fake.thing[\"a\"]: lifecycle.prevent_destroy forbids destroying this object "
            "(restore the block, or remove prevent_destroy first and apply)");
}

/// A config of every kind of change: kept, updated, changed by hand, re-created, removed.
class TakenRefreshTest : public EngineFixture {
 protected:
  void DeclareOneOfEach() {
    Record("kept", "1", With(kBase, "name", Value("kept")));
    Declare("kept", With(kBase, "name", Value("kept")));
    Record("updated", "2", With(kBase, "name", Value("updated")));
    Declare("updated", With(With(kBase, "name", Value("updated")), "size", Value(5)));
    Record("drifted", "3", With(kBase, "name", Value("drifted")));
    remote.objects["3"]["tags"] = Tags({"y", "z"});
    Declare("drifted", With(kBase, "name", Value("drifted")));
    Record("deleted", "4", With(kBase, "name", Value("deleted")), /*remote_too=*/false);
    Declare("deleted", With(kBase, "name", Value("deleted")));
    Record("removed", "5", With(kBase, "name", Value("removed")));
  }
};

TEST_F(TakenRefreshTest, APlanTakingTheRefreshedAttributesIsThePlanThatCopiesThem) {
  DeclareOneOfEach();
  engine::Plan copied = MakePlan();
  engine::Refreshed taken = engine::Refresh(state, servers);
  engine::Plan plan = engine::MakePlanTakingRefreshed(config, state, taken, servers);
  EXPECT_EQ(render::RenderPlanJson(plan), render::RenderPlanJson(copied));
  EXPECT_EQ(render::RenderPlanText(plan, {false, true}), render::RenderPlanText(copied, {false, true}));
  ASSERT_EQ(plan.changes.size(), copied.changes.size());
  for (size_t i = 0; i < plan.changes.size(); ++i) EXPECT_EQ(plan.changes[i].before, copied.changes[i].before);
  EXPECT_EQ(plan.drift.size(), copied.drift.size());  // the drifted tags and the deleted object
  // The answers keep what is read after planning (gone marks, notes), not the attributes.
  ASSERT_EQ(taken.by_address.size(), 5u);
  for (const auto& [address, answer] : taken.by_address) EXPECT_TRUE(answer.attributes.empty()) << address.ToString();
  EXPECT_TRUE(taken.Find(Address("deleted"))->gone);
}

TEST_F(TakenRefreshTest, TakenAttributesGivenBackPlanTheSameAgain) {
  DeclareOneOfEach();
  engine::Plan copied = MakePlan();
  engine::Refreshed taken = engine::Refresh(state, servers);
  engine::Plan first = engine::MakePlanTakingRefreshed(config, state, taken, servers);
  engine::ReturnRefreshed(first, taken);
  EXPECT_EQ(render::RenderPlanJson(engine::MakePlanTakingRefreshed(config, state, taken, servers)),
            render::RenderPlanJson(copied));
}

TEST_F(EngineFixture, RefreshReadsEachTypeOnceInABatch) {
  Record("a", "7", kBase);
  Record("b", "8", With(kBase, "name", Value("b")));
  MakePlan();
  EXPECT_EQ(remote.read_many_calls, 1);
  EXPECT_EQ(remote.reads, 2);
}

TEST_F(EngineFixture, OutputsArePlannedFromThePlannedResources) {
  Record("kept", "7", {{"name", Value("kept")}});
  Declare("kept", {{"name", Value("kept")}, {"size", Value(1)}});
  Declare("new", {{"name", Value("new")}});
  config.outputs = {{"kept_id", Value::Ref("fake.thing[\"kept\"]", "id"), false, "", {"main.lua", 30}},
                    {"new_id", Value::Ref("fake.thing[\"new\"]", "id"), false, "", {"main.lua", 31}},
                    {"label", Value("v2"), true, "", {"main.lua", 32}}};
  state.outputs = {{"kept_id", Value("7")}, {"label", Value("v1")}, {"old", Value("x")}};
  engine::Plan plan = MakePlan();
  ASSERT_EQ(plan.output_changes.size(), 4u);
  auto find = [&](const std::string& name) {
    for (const auto& output : plan.output_changes)
      if (output.name == name) return output;
    ADD_FAILURE() << name << " is not planned";
    return engine::OutputChange{};
  };
  EXPECT_EQ(find("kept_id").action, Action::kNoOp);
  EXPECT_EQ(find("new_id").action, Action::kCreate);
  EXPECT_TRUE(find("new_id").after.is_unknown()) << "the id of what is created is known after apply";
  EXPECT_EQ(find("label").action, Action::kUpdate);
  EXPECT_TRUE(find("label").after.sensitive());
  EXPECT_EQ(find("old").action, Action::kDelete);
}

TEST_F(EngineFixture, AnOutputChangeAloneIsAChange) {
  Record("kept", "7", {{"name", Value("kept")}});
  Declare("kept", {{"name", Value("kept")}, {"size", Value(1)}});
  config.outputs = {{"kept_id", Value::Ref("fake.thing[\"kept\"]", "id"), false, "", {"main.lua", 30}}};
  engine::Plan plan = MakePlan();
  EXPECT_EQ(plan.ToAdd() + plan.ToChange() + plan.ToDestroy(), 0);
  EXPECT_TRUE(plan.HasChanges()) << "the state has no outputs yet: an apply would record them";
  state.outputs = {{"kept_id", Value("7")}};
  EXPECT_FALSE(MakePlan().HasChanges());
}

TEST_F(EngineFixture, SummaryCountsReplaceAsAddAndDestroy) {
  Record("a", "7", kBase);
  Declare("a", With(kBase, "name", Value("renamed")));
  Declare("b", With(kBase, "name", Value("b")));
  engine::Plan plan = MakePlan();
  EXPECT_EQ(plan.ToAdd(), 2);
  EXPECT_EQ(plan.ToChange(), 0);
  EXPECT_EQ(plan.ToDestroy(), 1);
}

/// A `fake.key "k"` recorded in state as the engine adopts one after a crash: no value.
class AdoptedKeyTest : public EngineFixture {
 protected:
  state::ResourceState& RecordAdoptedKey(bool create_answer_lost) {
    const ResourceAddress address{"", "fake.key", "k"};
    remote.objects["5"] = {{"name", Value("k")}, {"id", Value("5")}};
    state::ResourceState resource;
    resource.address = address;
    resource.server = "main";
    resource.id = "5";
    resource.attributes = remote.objects["5"];
    resource.create_answer_lost = create_answer_lost;
    state.Upsert(resource);
    dsl::ResourceBlock block;
    block.address = address;
    block.server = "main";
    block.attributes = {{"name", Value("k")}};
    block.pos = {"main.lua", 20};
    config.resources.push_back(block);
    return *state.Find(address);
  }
};

// issue 14 §2: a key adopted after its create's answer was lost has no value and never will.
TEST_F(AdoptedKeyTest, AKeyAdoptedWithoutItsValueIsPlannedForReplacementWithTheReason) {
  RecordAdoptedKey(/*create_answer_lost=*/true);
  engine::Plan plan = MakePlan();
  ASSERT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto& change = plan.changes[0];
  EXPECT_EQ(change.action, Action::kReplace);
  EXPECT_EQ(change.id, "5") << "the adopted key is the one deleted";
  EXPECT_FALSE(change.create_before_destroy);
  EXPECT_EQ(change.reasons, (std::vector<std::string>{"value: value lost: the create's answer was never saved"}));
  EXPECT_TRUE(change.after.at("value").is_unknown());
}

TEST_F(AdoptedKeyTest, AnImportedKeyWithoutItsValueIsLeftAlone) {
  RecordAdoptedKey(/*create_answer_lost=*/false);
  EXPECT_EQ(MakePlan().changes[0].action, Action::kNoOp) << "an import knowingly takes a key without its value";
}

TEST_F(AdoptedKeyTest, AKeyWhoseLostValueCameBackInPrivateDataIsLeftAlone) {
  RecordAdoptedKey(/*create_answer_lost=*/true).private_data["value"] = Value::Sensitive(Value("v"));
  EXPECT_EQ(MakePlan().changes[0].action, Action::kNoOp);
}

TEST_F(AdoptedKeyTest, AReferenceToALostValueIsKnownOnlyAfterApply) {
  RecordAdoptedKey(/*create_answer_lost=*/true);
  auto value = engine::RecordedLookup(state)("fake.key[\"k\"]", "value");
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE(value->is_unknown()) << "a server configured from it waits instead of failing on a null";
}

}  // namespace
}  // namespace stashform::testing
