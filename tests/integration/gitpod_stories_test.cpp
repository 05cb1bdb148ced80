// The stories of issue 17: the Gitpod guide (Bitbucket Server) as one config, run from the user's
// side — the CLI, the state file, the Bitbucket and Gitpod emulators' admin APIs. A provider that
// no owner has connected is `pending`: plan and apply say so, and it never makes a plan loop.

#include "tests/integration/gitpod_harness.h"

#include <boost/json.hpp>

namespace stashform::testing {
namespace {

namespace json = boost::json;

std::string Id(const json::value& provider) { return std::string(provider.at("id").as_string()); }

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class GitpodStories : public GitpodStory {
 protected:
  void SetUp() override {
    CliRun apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
  }

  std::string Pending() const {
    return std::string(kProviderAddress) + ": pending verification — an owner must connect at " + gitpod.url() +
           "/settings/git";
  }

  /// `state rm ADDRESS` in the work folder (state commands take no config folder).
  CliRun StateRm(const std::string& address) {
    CliRun run = RunStashform({"state", "rm", address}, env, work.path());
    transcript += run.all();
    return run;
  }

  /// A plan with -detailed-exitcode that must find nothing to do; returns its text.
  std::string ExpectSettled() {
    CliRun plan = Stashform({"plan", "-detailed-exitcode"});
    EXPECT_EQ(plan.exit_code, 0) << plan.all();
    return plan.all();
  }
};

TEST_F(GitpodStory, FromNothingTwoToAddThenPendingIsAStateNotAChange) {
  CliRun plan = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << plan.all();
  EXPECT_TRUE(Contains(plan.out, "Plan: 2 to add, 0 to change, 0 to destroy.")) << plan.out;

  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  const std::string pending = std::string(kProviderAddress) +
                              ": pending verification — an owner must connect at " + gitpod.url() + "/settings/git";
  EXPECT_TRUE(Contains(apply.out, pending)) << apply.out;
  EXPECT_TRUE(Contains(apply.out, "connect_url = \"" + gitpod.url() + "/settings/git\"")) << apply.out;
  ExpectWired();

  // Pending is a state: the next plan says so and has nothing to do.
  CliRun again = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.all();
  EXPECT_TRUE(Contains(again.out, pending)) << again.out;
  EXPECT_TRUE(Contains(again.out, "No changes.")) << again.out;
  CliRun drift = Stashform({"drift"});
  EXPECT_EQ(drift.exit_code, 0) << drift.all();
  EXPECT_TRUE(Contains(drift.out, pending)) << drift.out;
  CliRun drift_json = Stashform({"drift", "-format", "json"});
  EXPECT_EQ(drift_json.exit_code, 0) << drift_json.all();
  json::value report = json::parse(drift_json.out);
  EXPECT_EQ(report.at("drifted"), json::value(false));
  EXPECT_EQ(report.at("pending_verifications"), json::parse(json::serialize(json::array{json::object{
                                      {"address", kProviderAddress},
                                      {"note", "pending verification — an owner must connect at " + gitpod.url() +
                                                   "/settings/git"}}})));

  // Every request was a procedure of AuthProviderService with a body the proto allows.
  for (const auto& request : gitpod.Requests()) {
    EXPECT_EQ(request.at("status"), json::value(200)) << request;
    EXPECT_FALSE(request.as_object().contains("code")) << request;
  }
}

TEST_F(GitpodStories, VerifiedByTheOwnerIsStillNoChangeAndNoLongerPending) {
  std::string id = Id(gitpod.Providers().at(0));
  ASSERT_EQ(gitpod.Admin("POST", "/_emulator/auth-providers/" + id + "/verify").status, 200);
  std::string plan = ExpectSettled();
  EXPECT_FALSE(Contains(plan, "pending")) << plan;
  CliRun drift = Stashform({"drift"});
  EXPECT_EQ(drift.exit_code, 0) << drift.all();
  EXPECT_TRUE(Contains(drift.out, "No drift.")) << drift.out;
}

TEST_F(GitpodStories, ALinkDeletedByHandIsRecreatedAndTheProviderTakesTheNewClientBackToPending) {
  std::string id = Id(gitpod.Providers().at(0));
  ASSERT_EQ(gitpod.Admin("POST", "/_emulator/auth-providers/" + id + "/verify").status, 200);
  std::string client_id(Links().at(0).at("clientId").as_string());
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/oauth2-clients/" + client_id).status, 204);

  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_TRUE(Contains(plan.out, "Plan: 1 to add, 1 to change, 0 to destroy.")) << plan.out;
  EXPECT_TRUE(Contains(plan.out, "client_id: follows the re-created client")) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_TRUE(Contains(apply.out, Pending())) << apply.out;

  ExpectWired();
  json::value provider = gitpod.Providers().at(0);
  EXPECT_EQ(Id(provider), id) << "updated in place, not replaced";
  EXPECT_NE(provider.at("oauth2Config").at("clientId"), json::value(client_id));
  EXPECT_EQ(provider.at("verified"), json::value(false)) << "a new client needs an owner to connect again";
  EXPECT_TRUE(Contains(ExpectSettled(), Pending()));
}

TEST_F(GitpodStories, AProviderDeletedByHandIsRecreated) {
  std::string id = Id(gitpod.Providers().at(0));
  ASSERT_EQ(gitpod.Admin("DELETE", "/_emulator/auth-providers/" + id).status, 200);
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_TRUE(Contains(plan.out, "has been deleted")) << plan.out;
  EXPECT_TRUE(Contains(plan.out, "Plan: 1 to add, 0 to change, 0 to destroy.")) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectWired();
  EXPECT_NE(Id(gitpod.Providers().at(0)), id);
  ExpectSettled();
}

TEST_F(GitpodStories, AHostChangedInConfigReplacesTheProvider) {
  std::string id = Id(gitpod.Providers().at(0));
  work.Write("main.lua", GitpodGuide(R"({ name = "corp", bitbucket_url = "https://Bitbucket.Corp.Example/" })"));
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_TRUE(Contains(plan.out, "host: forces replacement")) << plan.out;
  EXPECT_TRUE(Contains(plan.out, "Plan: 1 to add, 0 to change, 1 to destroy.")) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  auto providers = gitpod.Providers();
  ASSERT_EQ(providers.size(), 1u);
  EXPECT_NE(Id(providers[0]), id);
  EXPECT_EQ(providers[0].at("host"), json::value("bitbucket.corp.example"));
  EXPECT_EQ(providers[0].at("oauth2Config").at("tokenUrl"),
            json::value("https://bitbucket.corp.example/rest/oauth2/latest/token"));
  ExpectSettled();
}

TEST_F(GitpodStories, ASecretChangedByHandIsInvisibleAndReplaceRotatesIt) {
  std::string id = Id(gitpod.Providers().at(0));
  ASSERT_EQ(gitpod.Admin("PATCH", "/_emulator/auth-providers/" + id, R"({"clientSecret":"changed-by-hand"})").status, 200);
  // Gitpod reads every secret back as "redacted": nothing can see the change.
  ExpectSettled();
  CliRun apply = Stashform({"apply", "-auto-approve", "-replace", kProviderAddress});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_TRUE(Contains(apply.out, "replacement requested with -replace") ||
              Contains(apply.out, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.")) << apply.out;
  ExpectWired();
  EXPECT_NE(Id(gitpod.Providers().at(0)), id);
  ExpectSettled();
}

TEST_F(GitpodStories, AStateThatLostTheProviderAdoptsItInsteadOfMakingASecond) {
  std::string id = Id(gitpod.Providers().at(0));
  ASSERT_EQ(StateRm(kProviderAddress).exit_code, 0) << transcript;
  // The create is answered already_exists: the provider of that host is adopted and given our client.
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  ExpectWired();
  EXPECT_EQ(Id(gitpod.Providers().at(0)), id);
  ExpectSettled();
}

TEST_F(GitpodStories, ImportByHostAndById) {
  std::string id = Id(gitpod.Providers().at(0));
  std::string host = bitbucket.url().substr(bitbucket.url().find("://") + 3);
  for (const std::string& key : {host, id}) {
    ASSERT_EQ(StateRm(kProviderAddress).exit_code, 0) << transcript;
    CliRun imported = Stashform({"import", kProviderAddress, key});
    ASSERT_EQ(imported.exit_code, 0) << imported.all();
    // The secret cannot be read back: the first apply after an import sends the config's.
    CliRun apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
    ExpectWired();
    EXPECT_EQ(Id(gitpod.Providers().at(0)), id) << key;
    ExpectSettled();
  }
}

TEST_F(GitpodStories, TheLegacyPrebuildWebhookIsMadeOnlyWhenAskedFor) {
  EXPECT_TRUE(bitbucket.Webhooks().empty()) << "off by default";
  const std::string hook_url = "https://services.gitpod.example/apps/bitbucketserver/?token=story";
  work.Write("main.lua", GitpodGuide(R"({ name = "corp", prebuild_webhooks = { { project = "INFRA", slug = "api" } },
    prebuild_webhook_url = ")" + hook_url + R"(" })"));
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].at("url"), json::value(hook_url));
  EXPECT_EQ(hooks[0].at("events"), json::value(json::array{"repo:refs_changed"}));
  ExpectWired();
  ExpectSettled();
}

TEST(GitpodRecipe, RefusesABitbucketOlderThan7_20AtTheUsersLine) {
  Emulator bitbucket(SeedWithRepositories({"api"}), {"--bitbucket-version", "7.19.2"});
  GitpodEmulator gitpod(GitpodSeed());
  TempDir work;
  work.Write("main.lua", GitpodGuide());
  std::map<std::string, std::string> env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"},
                                            {"BITBUCKET_PASSWORD", "admin"},   {"GITPOD_URL", gitpod.url()},
                                            {"GITPOD_API_URL", gitpod.url() + "/public-api"},
                                            {"GITPOD_TOKEN", kGitpodToken},
                                            {"GITPOD_ORGANIZATION_ID", kGitpodOrganization}};
  CliRun plan = RunStashform({"plan", work.path()}, env, work.path());
  EXPECT_EQ(plan.exit_code, 1) << plan.all();
  EXPECT_TRUE(Contains(plan.err, "main.lua:13: gitpod.wire: Bitbucket 7.19.2 has no OAuth 2.0 incoming links")) << plan.err;
  EXPECT_TRUE(gitpod.Providers().empty());
}

/// Lost answers on both creates: each server made the object, stashform never heard.
class GitpodLostAnswers : public GitpodStory {
 protected:
  GitpodLostAnswers()
      : GitpodStory({"--fail-nth", "POST /rest/oauth2/latest/client=1:-1"}, {"--fail-nth", "CreateAuthProvider=1:-1"}) {}
};

TEST_F(GitpodLostAnswers, NeverASecondProviderOrLink) {
  Stashform({"apply", "-auto-approve"});
  // Whatever an apply could not prove, the next one settles; nothing is ever made twice. An
  // object adopted after its create's answer was lost has values no read gives back (the link's
  // secret, the secret the provider holds), so it may take one more apply to send them again.
  for (int run = 0; run < 3 && Stashform({"plan", "-detailed-exitcode"}).exit_code != 0; ++run) {
    Stashform({"apply", "-auto-approve"});
    EXPECT_LE(Links().size(), 1u);
    EXPECT_LE(gitpod.Providers().size(), 1u);
  }
  ExpectWired();
  CliRun plan = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
}

/// 429 and 503 on every kind of call once: retried or reported, never duplicated.
class GitpodBusyServers : public GitpodStory {
 protected:
  GitpodBusyServers()
      : GitpodStory({"--fail-nth", "POST /rest/oauth2/latest/client=1:503"},
                    {"--fail-nth", "CreateAuthProvider=1:503", "--fail-nth", "ListAuthProviders=1:429",
                     "--fail-nth", "GetAuthProvider=1:429", "--fail-nth", "UpdateAuthProvider=1:503"}) {}
};

TEST_F(GitpodBusyServers, NeverASecondProviderOrLink) {
  for (int run = 0; run < 3; ++run)
    if (Stashform({"apply", "-auto-approve"}).exit_code == 0) break;
  ExpectWired();
  // A rotation through the busy Update: still one provider, holding the new client.
  std::string client_id(Links().at(0).at("clientId").as_string());
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/oauth2-clients/" + client_id).status, 204);
  for (int run = 0; run < 3; ++run)
    if (Stashform({"apply", "-auto-approve"}).exit_code == 0) break;
  ExpectWired();
  CliRun plan = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
}

}  // namespace
}  // namespace stashform::testing
