#include "state/saved_plan.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

SavedPlan PlanFor(const State& state) {
  return SavedPlan{state.lineage, state.serial, "sha256:config", "0.1.0", R"({"changes":[]})"};
}

State StoredState() {
  State state = testing::SampleState();
  state.serial = 5;
  return state;
}

TEST(SavedPlan, AppliesToTheStateAndConfigItWasMadeFrom) {
  State state = StoredState();
  EXPECT_TRUE(CheckSavedPlanApplies(PlanFor(state), &state, "sha256:config").ok());
}

TEST(SavedPlan, IsStaleOnceTheStateMovedOn) {
  State state = StoredState();
  SavedPlan plan = PlanFor(state);
  state.serial = 6;
  EXPECT_EQ(CheckSavedPlanApplies(plan, &state, "sha256:config").message(),
            "saved plan is stale: the state changed since it was made (serial 5, now 6); run \"stashform plan\" "
            "again");
}

TEST(SavedPlan, IsRefusedForAnotherLineage) {
  State state = StoredState();
  SavedPlan plan = PlanFor(state);
  plan.lineage = "other-lineage";
  EXPECT_EQ(CheckSavedPlanApplies(plan, &state, "sha256:config").message(),
            "saved plan is for a different state (lineage other-lineage; this state is " + state.lineage + ")");
}

TEST(SavedPlan, IsStaleWhenConfigOrVariablesChanged) {
  State state = StoredState();
  EXPECT_EQ(CheckSavedPlanApplies(PlanFor(state), &state, "sha256:edited").message(),
            "saved plan is stale: the configuration or variables changed since it was made; run \"stashform "
            "plan\" again");
}

TEST(SavedPlan, MadeWithoutStateIsStaleOnceStateWasWritten) {
  SavedPlan plan{"", 0, "sha256:config", "0.1.0", "{}"};
  EXPECT_TRUE(CheckSavedPlanApplies(plan, nullptr, "sha256:config").ok());
  State state = StoredState();
  EXPECT_FALSE(CheckSavedPlanApplies(plan, &state, "sha256:config").ok());
}

TEST(SavedPlan, FileRoundTripsEncryptedWithMode0600) {
  testing::TempDir dir;
  std::string path = dir.File("tfplan");
  StateStoreOptions options;
  options.key = EncryptionKey::Passphrase("plan pass", "STASHFORM_STATE_PASSPHRASE");
  options.pbkdf2_iterations = 1000;
  SavedPlan plan = PlanFor(StoredState());
  plan.plan = R"({"secret":"plan-secret-value"})";
  ASSERT_TRUE(WriteSavedPlan(path, plan, options).ok());
  std::stringstream bytes;
  bytes << std::ifstream(path).rdbuf();
  EXPECT_EQ(bytes.str().find("plan-secret-value"), std::string::npos);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto read = ReadSavedPlan(path, options);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->plan, plan.plan);
  EXPECT_EQ(read->lineage, plan.lineage);
  EXPECT_EQ(read->serial, 5u);
  EXPECT_FALSE(ReadSavedPlan(path, {}).ok());
}

TEST(SavedPlan, RejectsFilesThatAreNotPlans) {
  EXPECT_EQ(DecodeSavedPlan(R"({"format":"stashform-state"})", "tfplan").message(), "tfplan: not a stashform saved plan");
  EXPECT_EQ(DecodeSavedPlan("{", "tfplan").message(), "tfplan:1:2: incomplete JSON");
}

// saved_plan_fuzz's finding: a negative serial made the reader throw out of DecodeSavedPlan, ending
// `stashform apply PLANFILE` with an uncaught exception instead of an error.
TEST(SavedPlan, ANegativeSerialIsAMalformedPlanNotACrash) {
  auto read = DecodeSavedPlan(R"({"format":"stashform-plan","version":2,"serial":-5,"plan":"{}"})", "tfplan");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), "tfplan: malformed saved plan");
}

}  // namespace
}  // namespace stashform::state
