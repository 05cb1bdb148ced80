// Repository and project webhooks over REST (bitbucket-api.md §2).
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stashform::emulator::testing {
namespace {

const std::string kRepoHooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
const std::string kProjectHooks = "/rest/api/1.0/projects/INFRA/webhooks";
const std::string kHookBody =
    R"({"name":"spacelift","url":"https://hooks.example.com/bb","events":["repo:refs_changed","pr:merged"],)"
    R"("configuration":{"secret":"s3cret"},"active":true})";

boost::json::value Create(Harness& emulator, const std::string& path = kRepoHooks, const std::string& body = kHookBody) {
  auto result = emulator.Send("POST", path, body);
  EXPECT_TRUE(result && (result->status == 201 || result->status == 200)) << (result ? result->body : "no answer");
  return Json(result);
}

std::string HookPath(const boost::json::value& hook, const std::string& base = kRepoHooks) {
  return base + "/" + std::to_string(hook.at("id").as_int64());
}

TEST(BitbucketWebhooks, CreateAnswers201WithIdDatesAndTheStoredFields) {
  Harness emulator;
  auto result = emulator.Send("POST", kRepoHooks, kHookBody);
  ASSERT_EQ(result->status, 201);
  auto hook = Json(result);
  EXPECT_TRUE(hook.at("id").is_int64());
  EXPECT_TRUE(hook.at("createdDate").is_int64());
  EXPECT_EQ(hook.at("createdDate"), hook.at("updatedDate"));
  EXPECT_EQ(hook.at("name").as_string(), "spacelift");
  EXPECT_EQ(hook.at("configuration").at("secret").as_string(), "s3cret");
  EXPECT_EQ(hook.at("scopeType").as_string(), "repository");
  EXPECT_TRUE(hook.at("sslVerificationRequired").as_bool());
  EXPECT_EQ(hook.at("events").as_array().size(), 2u);
}

TEST(BitbucketWebhooks, CreateStatusCanBeSwitchedTo200) {
  Settings settings;
  settings.webhook_create_status = 200;
  Harness emulator(kDefaultSeed, settings);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, kHookBody)->status, 200);
}

TEST(BitbucketWebhooks, GetReturnsTheSecretInPlaintextUnlessRedactionIsOn) {
  Harness plain;
  auto hook = Create(plain);
  EXPECT_EQ(Json(plain.Send("GET", HookPath(hook))).at("configuration").at("secret").as_string(), "s3cret");
  Settings settings;
  settings.redact_webhook_secret = true;
  Harness redacting(kDefaultSeed, settings);
  auto redacted = Create(redacting);
  EXPECT_NE(Json(redacting.Send("GET", HookPath(redacted))).at("configuration").at("secret").as_string(), "s3cret");
}

TEST(BitbucketWebhooks, UnknownEventIsRefusedWithTheRealServersMessage) {
  Harness emulator;
  auto result = emulator.Send("POST", kRepoHooks, R"({"name":"x","url":"https://x.example","events":["pr:to_ref_updated"]})");
  ASSERT_EQ(result->status, 400);
  auto error = Json(result).at("errors").at(0);
  EXPECT_EQ(error.at("context").as_string(), "events");
  EXPECT_EQ(error.at("message").as_string(), "the event ${validatedValue} is unknown");
}

TEST(BitbucketWebhooks, NameAndUrlAreRequired) {
  Harness emulator;
  auto no_name = emulator.Send("POST", kRepoHooks, R"({"url":"https://x.example","events":[]})");
  EXPECT_EQ(no_name->status, 400);
  EXPECT_EQ(Json(no_name).at("errors").at(0).at("context").as_string(), "name");
  auto no_url = emulator.Send("POST", kRepoHooks, R"({"name":"x","events":[]})");
  EXPECT_EQ(no_url->status, 400);
  EXPECT_EQ(Json(no_url).at("errors").at(0).at("context").as_string(), "url");
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, "{not json")->status, 400);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, R"({"name":"x","url":"https://x","active":"yes"})")->status, 400);
}

TEST(BitbucketWebhooks, LongUrlsAreAcceptedAndOverlongNamesRefused) {
  Harness emulator;
  std::string url = "https://x.example/" + std::string(1500, 'a');
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, R"({"name":"long","url":")" + url + R"("})")->status, 201);
  std::string name(256, 'n');
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, R"({"name":")" + name + R"(","url":"https://x.example"})")->status, 400);
}

TEST(BitbucketWebhooks, EventsAreASet) {
  Harness emulator;
  auto hook = Create(emulator, kRepoHooks,
                     R"({"name":"x","url":"https://x.example","events":["pr:merged","pr:merged","pr:opened"]})");
  EXPECT_EQ(hook.at("events").as_array().size(), 2u);
}

TEST(BitbucketWebhooks, DuplicatesAreAllowed) {
  Harness emulator;
  auto first = Create(emulator);
  auto second = Create(emulator);
  EXPECT_NE(first.at("id"), second.at("id"));
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 2);
}

TEST(BitbucketWebhooks, PutReplacesTheWholeWebhookAndAMissingConfigurationClearsTheSecret) {
  Harness emulator;
  auto hook = Create(emulator);
  auto result = emulator.Send("PUT", HookPath(hook), R"({"name":"renamed","url":"https://other.example","events":["pr:opened"]})");
  ASSERT_EQ(result->status, 200);
  auto updated = Json(emulator.Send("GET", HookPath(hook)));
  EXPECT_EQ(updated.at("name").as_string(), "renamed");
  EXPECT_EQ(updated.at("events").as_array(), (boost::json::array{"pr:opened"}));
  EXPECT_TRUE(updated.at("configuration").as_object().empty());
  EXPECT_EQ(updated.at("createdDate"), hook.at("createdDate"));
  EXPECT_GE(updated.at("updatedDate").as_int64(), hook.at("updatedDate").as_int64());
}

TEST(BitbucketWebhooks, CredentialsPasswordIsNeverReturnedAndAUsernameAloneKeepsIt) {
  Harness emulator;
  auto hook = Create(emulator, kRepoHooks,
                     R"({"name":"x","url":"https://x.example","events":[],"credentials":{"username":"u","password":"p"}})");
  EXPECT_FALSE(hook.at("credentials").as_object().contains("password"));
  EXPECT_EQ(hook.at("credentials").at("username").as_string(), "u");
  emulator.Send("PUT", HookPath(hook), R"({"name":"x","url":"https://x.example","credentials":{"username":"u"}})");
  auto dump = Json(emulator.Send("GET", "/_emulator/dump", "", ""));
  EXPECT_EQ(dump.at("webhooks").at(0).at("credentials").at("password").as_string(), "p");
  emulator.Send("PUT", HookPath(hook), R"({"name":"x","url":"https://x.example"})");
  auto cleared = Json(emulator.Send("GET", HookPath(hook)));
  EXPECT_FALSE(cleared.as_object().contains("credentials"));
}

TEST(BitbucketWebhooks, ListIsPagedWithTheDefaultLimitOf25) {
  Harness emulator;
  for (int i = 0; i < 30; ++i) Create(emulator);
  auto first = Json(emulator.Send("GET", kRepoHooks));
  EXPECT_EQ(first.at("size").as_int64(), 25);
  EXPECT_EQ(first.at("limit").as_int64(), 25);
  EXPECT_FALSE(first.at("isLastPage").as_bool());
  auto second = Json(emulator.Send("GET", kRepoHooks + "?start=" + std::to_string(first.at("nextPageStart").as_int64())));
  EXPECT_EQ(second.at("size").as_int64(), 5);
  EXPECT_TRUE(second.at("isLastPage").as_bool());
}

TEST(BitbucketWebhooks, ListFiltersByEvent) {
  Harness emulator;
  Create(emulator);
  Create(emulator, kRepoHooks, R"({"name":"other","url":"https://x.example","events":["pr:opened"]})");
  auto filtered = Json(emulator.Send("GET", kRepoHooks + "?event=pr:opened"));
  ASSERT_EQ(filtered.at("size").as_int64(), 1);
  EXPECT_EQ(filtered.at("values").at(0).at("name").as_string(), "other");
}

TEST(BitbucketWebhooks, DeleteAnswers204ThenTheWebhookIsGone) {
  Harness emulator;
  auto hook = Create(emulator);
  EXPECT_EQ(emulator.Send("DELETE", HookPath(hook))->status, 204);
  auto again = emulator.Send("GET", HookPath(hook));
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(emulator.Send("DELETE", HookPath(hook))->status, 404);
}

TEST(BitbucketWebhooks, UnknownContainersAndWebhooksGive404) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/NOPE/repos/x/webhooks")->status, 404);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/nope/webhooks")->status, 404);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks + "/999")->status, 404);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks + "/abc")->status, 404);
  auto hook = Create(emulator);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-dns/webhooks/" +
                                     std::to_string(hook.at("id").as_int64()))->status,
            404)
      << "a webhook is only found under its own repository";
}

TEST(BitbucketWebhooks, ManagingWebhooksNeedsRepoAdmin) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", "")->status, 401);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", BasicAuth("reader", "reader-pw"))->status, 401);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, kHookBody, BasicAuth("repo-admin", "ra-pw"))->status, 201);
  EXPECT_EQ(emulator.Send("GET", kProjectHooks, "", BasicAuth("repo-admin", "ra-pw"))->status, 401)
      << "project webhooks need PROJECT_ADMIN";
}

TEST(BitbucketWebhooks, ProjectWebhooksLiveApartAndSearchMergesBothScopes) {
  Harness emulator;
  auto project_hook = Create(emulator, kProjectHooks);
  EXPECT_EQ(project_hook.at("scopeType").as_string(), "project");
  Create(emulator);
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 1);
  EXPECT_EQ(Json(emulator.Send("GET", kProjectHooks)).at("size").as_int64(), 1);
  EXPECT_EQ(emulator.Send("GET", HookPath(project_hook, kProjectHooks))->status, 200);
  EXPECT_EQ(emulator.Send("GET", HookPath(project_hook))->status, 404);
  auto search = Json(emulator.Send("GET", kRepoHooks + "/search"));
  EXPECT_EQ(search.at("size").as_int64(), 2);
  auto only_project = Json(emulator.Send("GET", kRepoHooks + "/search?scopeType=project"));
  ASSERT_EQ(only_project.at("size").as_int64(), 1);
  EXPECT_EQ(only_project.at("values").at(0).at("scopeType").as_string(), "project");
  EXPECT_EQ(emulator.Send("GET", kRepoHooks + "/search?scopeType=global")->status, 400);
}

TEST(BitbucketWebhooks, StatisticsAreAddedOnlyWhenAskedFor) {
  Harness emulator;
  auto hook = Create(emulator);
  EXPECT_FALSE(Json(emulator.Send("GET", HookPath(hook))).as_object().contains("statistics"));
  EXPECT_TRUE(Json(emulator.Send("GET", HookPath(hook) + "?statistics=true")).as_object().contains("statistics"));
}

TEST(BitbucketWebhooks, SeededWebhooksAppearAsUnmanagedOnes) {
  Harness emulator(R"({"users":[{"name":"admin","password":"admin","admin":true}],
    "projects":[{"key":"INFRA","repositories":[{"slug":"tf-network",
      "webhooks":[{"name":"hand-made","url":"https://x.example","events":["repo:refs_changed"]}]}]}]})");
  auto list = Json(emulator.Send("GET", kRepoHooks));
  ASSERT_EQ(list.at("size").as_int64(), 1);
  EXPECT_EQ(list.at("values").at(0).at("name").as_string(), "hand-made");
}

// The model indexes webhooks by id and by repository: deleting one moves every later webhook in
// its store, and a stale index would then find the wrong webhook, or none.
TEST(BitbucketWebhooks, DeletingAWebhookLeavesEveryOtherFoundByIdAndListedInOrder) {
  Harness emulator;
  const std::string dns_hooks = "/rest/api/1.0/projects/INFRA/repos/tf-dns/webhooks";
  std::vector<boost::json::value> hooks;
  for (const char* name : {"first", "second", "third"})
    hooks.push_back(Create(emulator, kRepoHooks, std::string(R"({"name":")") + name + R"(","url":"https://x.example"})"));
  auto dns = Create(emulator, dns_hooks, R"({"name":"dns","url":"https://x.example"})");
  auto project = Create(emulator, kProjectHooks, R"({"name":"project","url":"https://x.example"})");
  ASSERT_EQ(emulator.Send("DELETE", HookPath(hooks[0]))->status, 204);
  EXPECT_EQ(emulator.Send("GET", HookPath(hooks[0]))->status, 404);
  EXPECT_EQ(Json(emulator.Send("GET", HookPath(hooks[2]))).at("name").as_string(), "third");
  EXPECT_EQ(Json(emulator.Send("GET", HookPath(dns, dns_hooks))).at("name").as_string(), "dns");
  EXPECT_EQ(Json(emulator.Send("GET", HookPath(project, kProjectHooks))).at("name").as_string(), "project");
  auto list = Json(emulator.Send("GET", kRepoHooks)).at("values").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("name").as_string(), "second");
  EXPECT_EQ(list[1].at("name").as_string(), "third");
  auto search = Json(emulator.Send("GET", kRepoHooks + "/search")).at("values").as_array();
  ASSERT_EQ(search.size(), 3u) << "the repository's two and the project's one, oldest first";
  EXPECT_EQ(search[0].at("name").as_string(), "second");
  EXPECT_EQ(search[2].at("name").as_string(), "project");
  // Deleting through the admin API keeps the same index.
  ASSERT_EQ(emulator.Send("DELETE", "/_emulator/webhooks/" + std::to_string(hooks[1].at("id").as_int64()), "", "")->status,
            204);
  EXPECT_EQ(Json(emulator.Send("GET", HookPath(hooks[2]))).at("name").as_string(), "third");
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 1);
}

TEST(BitbucketWebhooks, ARepositoryCreatedOverRestTakesWebhooksAndAResetForgetsIt) {
  Harness emulator;
  ASSERT_EQ(emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"NEW","name":"New things"})")->status, 201);
  ASSERT_EQ(emulator.Send("POST", "/rest/api/1.0/projects/NEW/repos", R"({"name":"My Repo"})")->status, 201);
  const std::string hooks = "/rest/api/1.0/projects/NEW/repos/my-repo/webhooks";
  EXPECT_EQ(Json(emulator.Send("GET", hooks)).at("size").as_int64(), 0);
  auto hook = Create(emulator, hooks);
  EXPECT_EQ(Json(emulator.Send("GET", hooks)).at("size").as_int64(), 1);
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 0) << "another repository's list";
  Create(emulator);
  ASSERT_EQ(emulator.Send("POST", "/_emulator/reset", "", "")->status, 200);
  EXPECT_EQ(emulator.Send("GET", hooks)->status, 404) << "the repository went with the reset";
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/NEW")->status, 404);
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 0) << "so did the webhooks";
  EXPECT_EQ(emulator.Send("GET", HookPath(hook, hooks))->status, 404);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-dns")->status, 200);
}

}  // namespace
}  // namespace stashform::emulator::testing
