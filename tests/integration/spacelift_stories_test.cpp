// The stories of issue 15 (a) to (e) and (g): something made by the guide is damaged by hand, the
// plan says truly what happened, and one apply repairs it: every stack bound to the integration
// the config names, every webhook signed with its secret, nothing else deleted, and a second
// `plan -detailed-exitcode` exits 0.

#include "tests/integration/spacelift_stories.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

class SpaceliftStories : public SpaceliftStory {
 protected:
  void SetUp() override { ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript; }

  /// Plans with -explain (exit 0 expected), then applies; returns the plan's text.
  std::string PlanThenRepair() {
    CliRun plan = Stashform({"plan", "-explain"});
    EXPECT_EQ(plan.exit_code, 0) << plan.all();
    CliRun apply = Stashform({"apply", "-auto-approve"});
    EXPECT_EQ(apply.exit_code, 0) << apply.all();
    return plan.all();
  }

  std::string HookId(size_t index) {
    return std::to_string(bitbucket.Webhooks().at(index).at("id").to_number<int64_t>());
  }
};

TEST_F(SpaceliftStories, A_AnIntegrationDeletedByHandIsRecreatedAndEveryStackReboundInOneApply) {
  std::string old_secret = Secret("corp-bitbucket");
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/integrations/corp-bitbucket").status, 200);
  std::string plan = PlanThenRepair();
  EXPECT_NE(plan.find("stack detached: integration deleted"), std::string::npos) << plan;
  EXPECT_NE(plan.find("secret: follows the re-created integration"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("changed in config"), std::string::npos) << plan;
  EXPECT_NE(Secret("corp-bitbucket"), old_secret);
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftStories, C_AStackUnboundByHandSaysItWasNotBoundAndIsBoundAgain) {
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/stacks/tf-dns", R"({"vcsIntegration":null})").status, 200);
  std::string plan = PlanThenRepair();
  EXPECT_NE(plan.find("stack detached: not bound"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("integration deleted"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan;
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftStories, D_AStackBoundToAnotherIntegrationNamesItAndIsBoundBack) {
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/stacks/tf-network", R"({"vcsIntegration":"other"})").status, 200);
  std::string plan = PlanThenRepair();
  EXPECT_NE(plan.find("stack bound to another integration \"other\""), std::string::npos) << plan;
  EXPECT_EQ(plan.find("integration deleted"), std::string::npos) << plan;
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftStories, E_AStackDeletedByHandIsNamedAtTheUsersLineAndItsBindingForgotten) {
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/stacks/tf-dns").status, 200);
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  // The user's own call of spl.wire (main.lua:14), with the recipe's line under it.
  EXPECT_NE(plan.all().find("main.lua:14: module.spacelift.spacelift.stack_binding[\"tf-dns\"]: "
                            "stack \"tf-dns\" no longer exists; a binding cannot re-create it, so this plan forgets it"),
            std::string::npos) << plan.all();
  EXPECT_NE(plan.all().find("declared in the recipe at "), std::string::npos) << plan.all();
  EXPECT_NE(plan.out.find("# forget module.spacelift.spacelift.stack_binding[\"tf-dns\"]"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;

  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(work.Read("stashform.state.json").find("stack_binding[\\\"tf-dns\\\"]"), std::string::npos);
  EXPECT_TRUE(spacelift.Stack("tf-network").at("vcsIntegration").is_object());
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u) << "the repository's webhook stays";
  // The team drops the stack from its list (the repository keeps its webhook): nothing left to do.
  std::string guide = StoryGuide();
  guide.replace(guide.find("slug = \"tf-dns\",     stack = \"tf-dns\""),
                std::string("slug = \"tf-dns\",     stack = \"tf-dns\"").size(), "slug = \"tf-dns\"");
  work.Write("main.lua", guide);
  CliRun settled = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.all();
}

TEST_F(SpaceliftStories, G_AWebhookDeletedByHandIsCreatedAgainWithTheIntegrationsSecret) {
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/webhooks/" + HookId(0)).status, 204);
  std::string plan = PlanThenRepair();
  EXPECT_NE(plan.find("remote object deleted outside stashform"), std::string::npos) << plan;
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftStories, G_AWebhookSecretChangedByHandIsSetBack) {
  ASSERT_EQ(bitbucket.Admin("PATCH", "/_emulator/webhooks/" + HookId(1),
                            R"({"configuration":{"secret":"changed-by-hand-0b1f"}})").status, 200);
  std::string plan = PlanThenRepair();
  EXPECT_NE(plan.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan;
  ExpectRepaired("corp-bitbucket");
}

}  // namespace
}  // namespace stashform::testing

namespace stashform::testing {
namespace {

/// The guide with `create_stacks = true`: the stacks are spacelift.stack resources.
class SpaceliftManagedStacks : public SpaceliftStory {
 protected:
  void SetUp() override {
    std::string guide = StoryGuide();
    guide.replace(guide.find("username = \"admin\","), std::string("username = \"admin\",").size(),
                  "username = \"admin\", create_stacks = true,");
    work.Write("main.lua", guide);
    // The account starts without the stacks: the first apply creates them.
    for (const char* stack : {"tf-network", "tf-dns"})
      ASSERT_EQ(spacelift.Admin("DELETE", std::string("/_emulator/stacks/") + stack).status, 200);
    CliRun apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
    ExpectWired("corp-bitbucket");
  }
};

TEST_F(SpaceliftManagedStacks, E_AManagedStackDeletedByHandIsCreatedAndBoundAgainInOneApply) {
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/stacks/tf-dns").status, 200);
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("spacelift.stack[\"tf-dns\"] will be created (remote object deleted outside stashform)"),
            std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(spacelift.Stack("tf-dns").at("namespace"), "INFRA");
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftManagedStacks, F_AReplacedIntegrationRebindsTheStacksItManages) {
  CliRun apply = Stashform({"apply", "-auto-approve", std::string("-replace=") + kIntegrationAddress});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectRepaired("corp-bitbucket");
}

}  // namespace
}  // namespace stashform::testing

namespace stashform::testing {
namespace {

/// A Bitbucket that answers configuration.secret as ******** (issue 15 §6).
class SpaceliftHiddenSecrets : public SpaceliftStory {
 protected:
  SpaceliftHiddenSecrets() : SpaceliftStory({"--redact-webhook-secret"}) {}
};

TEST_F(SpaceliftHiddenSecrets, G_ASecretChangedByHandCannotBeSeenAndReplacingTheWebhookRotatesIt) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  json::value hook = bitbucket.Webhooks().at(0);
  std::string id = std::to_string(hook.at("id").to_number<int64_t>());
  std::string repository(hook.at("scope").at("repositorySlug").as_string());
  ASSERT_EQ(bitbucket.Admin("PATCH", "/_emulator/webhooks/" + id,
                            R"({"configuration":{"secret":"changed-by-hand-5d2e"}})").status, 200);
  // The server hides the secret: the change cannot be seen, and -explain says so.
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0);
  CliRun explain = Stashform({"plan", "-explain"});
  EXPECT_NE(explain.out.find("bitbucket.webhook[\"spacelift/INFRA/" + repository +
                             "\"]: secret: hidden by the server (********), so a change made by hand cannot be seen; "
                             "-replace the webhook to rotate it"),
            std::string::npos) << explain.out;
  // The way out docs/spacelift.md gives: replace the webhook.
  std::string address = "module.spacelift.bitbucket.webhook[\"spacelift/INFRA/" + repository + "\"]";
  CliRun apply = Stashform({"apply", "-auto-approve", "-replace=" + address});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_NE(apply.out.find("1 added, 0 changed, 1 destroyed"), std::string::npos) << apply.out;
  ExpectRepaired("corp-bitbucket");
}

}  // namespace
}  // namespace stashform::testing

namespace stashform::testing {
namespace {

/// Story (b): the integration renamed in Spacelift's UI keeps its id (the slug of the name the
/// config still gives), so its replacement must go delete-first, with create_before_destroy on
/// (is_default false) as well as off (is_default true).
class SpaceliftRenamedByHand : public SpaceliftStory, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    env["STASHFORM_VAR_is_default"] = GetParam() ? "true" : "false";
    ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  }
};

TEST_P(SpaceliftRenamedByHand, B_AnIntegrationRenamedByHandIsReplacedDeleteFirstAndEveryStackReboundInOneApply) {
  std::string old_secret = Secret("corp-bitbucket");
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/integrations/corp-bitbucket", R"({"name":"Corp Bitbucket UI"})").status,
            200);
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("name: changed outside stashform, forces replacement"), std::string::npos) << plan.out;
  // A default integration is replaced delete-first anyway (the recipe leaves create_before_destroy
  // off); otherwise the plan says why it turns create_before_destroy off.
  if (!GetParam()) {
    EXPECT_NE(plan.out.find("# replaced delete-first: the new object has the same id \"corp-bitbucket\""),
              std::string::npos) << plan.out;
  }
  EXPECT_NE(plan.out.find("-/+ module.spacelift.spacelift.bitbucket_datacenter_integration"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("secret: follows the re-created integration"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("changed in config"), std::string::npos) << plan.out;

  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  json::value repaired = spacelift.Integration("corp-bitbucket");
  ASSERT_TRUE(repaired.is_object());
  EXPECT_EQ(repaired.at("name"), "corp-bitbucket");
  EXPECT_EQ(repaired.at("isDefault").as_bool(), GetParam());
  EXPECT_NE(Secret("corp-bitbucket"), old_secret);
  ExpectRepaired("corp-bitbucket");
}

INSTANTIATE_TEST_SUITE_P(IsDefault, SpaceliftRenamedByHand, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Default" : "NotDefault"; });

}  // namespace
}  // namespace stashform::testing

namespace stashform::testing {
namespace {

/// Issue 15 §6: the guide with the token the recipe declares (no access_token option).
class SpaceliftRecipeToken : public SpaceliftStory {
 protected:
  static constexpr const char* kTokenAddress = "module.spacelift.bitbucket.access_token[\"admin/spacelift\"]";

  void SetUp() override {
    std::string guide = StoryGuide();
    const std::string given = ",\n     access_token = env \"BITBUCKET_TOKEN\"";
    guide.erase(guide.find(given), given.size());
    work.Write("main.lua", guide);
    ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
    ASSERT_EQ(TokenIds().size(), 1u);
  }

  std::vector<std::string> TokenIds() const {
    std::vector<std::string> ids;
    Emulator::Answer dump = bitbucket.Admin("GET", "/_emulator/dump");
    for (const auto& token : dump.body.at("accessTokens").as_array())
      ids.push_back(json::serialize(token.at("id")));
    return ids;
  }
};

TEST_F(SpaceliftRecipeToken, RenamingTheIntegrationKeepsTheBotUsersToken) {
  std::vector<std::string> before = TokenIds();
  std::string token_digest(spacelift.Integration("corp-bitbucket").at("accessTokenSha256").as_string());
  env["STASHFORM_VAR_integration_name"] = "platform-bitbucket";
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_EQ(plan.out.find("access_token["), std::string::npos) << "the token is planned for a change:\n" << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(TokenIds(), before);
  EXPECT_FALSE(spacelift.Integration("corp-bitbucket").is_object());
  EXPECT_EQ(spacelift.Integration("platform-bitbucket").at("accessTokenSha256"), json::value(token_digest));
  ExpectRepaired("platform-bitbucket");
}

TEST_F(SpaceliftRecipeToken, AStateFromBeforeMovesTheTokenToItsNewAddressWithoutReplacingIt) {
  // As the recipe left the state before: the token under the integration's name.
  std::string state = work.Read("stashform.state.json");
  const std::string now = "bitbucket.access_token[\\\"admin/spacelift\\\"]";
  for (auto at = state.find(now); at != std::string::npos; at = state.find(now))
    state.replace(at, now.size(), "bitbucket.access_token[\\\"corp-bitbucket\\\"]");
  const std::string name = "\"admin/spacelift\"";  // the address's name, written apart too
  for (auto at = state.find(name); at != std::string::npos; at = state.find(name))
    state.replace(at, name.size(), "\"corp-bitbucket\"");
  work.Write("stashform.state.json", state);
  std::vector<std::string> before = TokenIds();
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.all().find("module.spacelift.bitbucket.access_token[\"corp-bitbucket\"] has moved to " +
                            std::string(kTokenAddress)),
            std::string::npos) << plan.all();
  EXPECT_NE(plan.out.find("0 to add, 0 to change, 0 to destroy"), std::string::npos) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(TokenIds(), before);
  EXPECT_NE(work.Read("stashform.state.json").find(now), std::string::npos);
  ExpectRepaired("corp-bitbucket");
}

}  // namespace
}  // namespace stashform::testing
