#include <gtest/gtest.h>

#include "reconciler/render/text.h"

namespace stashform::render {
namespace {

using engine::Action;

engine::Plan SamplePlan() {
  engine::Plan plan;
  engine::ResourceChange create;
  create.address = {"", "bitbucket.webhook", "INFRA/api"};
  create.action = Action::kCreate;
  create.diffs = {{"events", Value(), Value::StringList({"pr:merged", "repo:refs_changed"}), false},
                  {"id", Value(), Value::UnknownValue(), false},
                  {"secret", Value(), Value::Sensitive(Value("hunter2")), false}};
  engine::ResourceChange update;
  update.address = {"", "bitbucket.webhook", "INFRA/web"};
  update.action = Action::kUpdate;
  update.id = "7";
  update.reasons = {"active: changed outside stashform"};
  update.diffs = {{"active", Value(false), Value(true), false}};
  engine::ResourceChange remove;
  remove.address = {"", "bitbucket.webhook", "INFRA/old"};
  remove.action = Action::kDelete;
  remove.id = "9";
  remove.reasons = {"no longer in config"};
  remove.before = {{"name", Value("old")}};
  plan.changes = {create, update, remove};
  plan.drift.push_back({update.address, false, {{"active", Value(true), Value(false), false}}});
  return plan;
}

TEST(RenderText, PlanReadsLikeTerraformsAndEndsWithTheSummary) {
  const std::string expected =
      "Objects have changed outside of stashform\n"
      "\n"
      "  # bitbucket.webhook[\"INFRA/web\"] has changed\n"
      "      ~ active = true -> false\n"
      "\n"
      "stashform will perform the following actions:\n"
      "\n"
      "  # bitbucket.webhook[\"INFRA/api\"] will be created\n"
      "  + bitbucket.webhook[\"INFRA/api\"] {\n"
      "      + events = [ \"pr:merged\", \"repo:refs_changed\" ]\n"
      "      + id     = (known after apply)\n"
      "      + secret = (sensitive)\n"
      "    }\n"
      "\n"
      "  # bitbucket.webhook[\"INFRA/web\"] will be updated in-place\n"
      "  ~ bitbucket.webhook[\"INFRA/web\"] {\n"
      "        id     = \"7\"\n"
      "      ~ active = false -> true\n"
      "    }\n"
      "\n"
      "  # bitbucket.webhook[\"INFRA/old\"] will be destroyed (no longer in config)\n"
      "  - bitbucket.webhook[\"INFRA/old\"] {\n"
      "      - name = \"old\"\n"
      "    }\n"
      "\n"
      "Plan: 1 to add, 1 to change, 1 to destroy.\n";
  EXPECT_EQ(RenderPlanText(SamplePlan(), {}), expected);
}

TEST(RenderText, ExplainPrintsTheReasonOfEveryChange) {
  std::string text = RenderPlanText(SamplePlan(), {false, true});
  EXPECT_NE(text.find("will be updated in-place (active: changed outside stashform)"), std::string::npos);
}

// issue 14 §2: no attribute changed, so only the reason says why the token goes.
TEST(RenderText, AReplacementThatNoDiffExplainsSaysWhyWithoutExplain) {
  engine::Plan plan;
  engine::ResourceChange replace;
  replace.address = {"", "bitbucket.access_token", "ci"};
  replace.action = Action::kReplace;
  replace.id = "12";
  replace.reasons = {"token: value lost: the create's answer was never saved"};
  plan.changes = {replace};
  EXPECT_NE(RenderPlanText(plan, {}).find("  # bitbucket.access_token[\"ci\"] will be replaced (token: value lost: the "
                                          "create's answer was never saved)\n"),
            std::string::npos)
      << RenderPlanText(plan, {});
}

TEST(RenderText, OutputChangesFollowTheSummaryAndHideSecrets) {
  engine::Plan plan = SamplePlan();
  plan.output_changes = {{"hook_id", Action::kCreate, Value(), Value::UnknownValue()},
                         {"same", Action::kNoOp, Value("x"), Value("x")},
                         {"url", Action::kUpdate, Value("a"), Value("b")},
                         {"token", Action::kUpdate, Value::Sensitive(Value("old-tok")), Value::Sensitive(Value("new-tok"))},
                         {"gone", Action::kDelete, Value("g"), Value()}};
  std::string text = RenderPlanText(plan, {});
  const std::string expected = "Plan: 1 to add, 1 to change, 1 to destroy.\n\n"
                               "Changes to Outputs:\n"
                               "  + hook_id = (known after apply)\n"
                               "  ~ url     = \"a\" -> \"b\"\n"
                               "  ~ token   = (sensitive) -> (sensitive)\n"
                               "  - gone    = \"g\" -> null\n";
  ASSERT_GE(text.size(), expected.size());
  EXPECT_EQ(text.substr(text.size() - expected.size()), expected) << text;
  EXPECT_EQ(text.find("tok\""), std::string::npos);
}

// An unchanged output with a longer name than every changed one used to underflow the padding.
TEST(RenderText, AnUnchangedOutputWithALongerNameDoesNotWidenTheColumn) {
  engine::Plan plan;
  plan.output_changes = {{"token", Action::kUpdate, Value::Sensitive(Value("a")), Value::UnknownValue()},
                         {"token_env_name", Action::kNoOp, Value("X"), Value("X")}};
  std::string text = RenderPlanText(plan, {});
  EXPECT_NE(text.find("Changes to Outputs:\n  ~ token = (sensitive) -> (known after apply)\n\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("token_env_name"), std::string::npos) << text;
}

TEST(RenderText, OutputsAloneAreAChangeWithoutAResourceSummary) {
  engine::Plan plan;
  plan.output_changes = {{"url", Action::kCreate, Value(), Value("https://ci/hook")}};
  EXPECT_TRUE(plan.HasChanges());
  EXPECT_EQ(RenderPlanText(plan, {}),
            "Changes to Outputs:\n"
            "  + url = \"https://ci/hook\"\n\n"
            "You can apply this plan to save these new output values to the stashform state, without changing any "
            "real infrastructure.\n");
}

TEST(RenderText, NoChangesSaysSo) {
  EXPECT_EQ(RenderPlanText(engine::Plan{}, {}), "No changes. Your infrastructure matches the configuration.\n");
}

TEST(RenderText, SecretsNeverAppearEvenWithColour) {
  for (bool color : {false, true}) {
    std::string text = RenderPlanText(SamplePlan(), {color, true});
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
  }
}

TEST(RenderText, ColourOnlyWhenAskedFor) {
  EXPECT_EQ(RenderPlanText(SamplePlan(), {false, false}).find('\x1b'), std::string::npos);
  EXPECT_NE(RenderPlanText(SamplePlan(), {true, false}).find("\x1b[32m+"), std::string::npos);
}

}  // namespace
}  // namespace stashform::render
