// The /_emulator admin API: reset, dump, out-of-band edits, request log, settings.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

const std::string kRepoHooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
const std::string kHookBody =
    R"({"name":"ci","url":"https://ci.example/hook","events":["repo:refs_changed"],"configuration":{"secret":"k"}})";

std::int64_t CreateHook(Harness& emulator) {
  return Json(emulator.Send("POST", kRepoHooks, kHookBody)).at("id").as_int64();
}

TEST(BitbucketAdmin, DumpShowsEveryObjectWithSecretsAndScope) {
  Harness emulator;
  CreateHook(emulator);
  auto dump = Json(emulator.Send("GET", "/_emulator/dump", "", ""));
  EXPECT_EQ(dump.at("users").as_array().size(), 4u);
  EXPECT_EQ(dump.at("projects").at(0).at("repositories").as_array().size(), 3u);
  auto hook = dump.at("webhooks").at(0);
  EXPECT_EQ(hook.at("configuration").at("secret").as_string(), "k");
  EXPECT_EQ(hook.at("scope").at("projectKey").as_string(), "INFRA");
  EXPECT_EQ(hook.at("scope").at("repositorySlug").as_string(), "tf-network");
}

TEST(BitbucketAdmin, PatchChangesOnlyTheNamedFields) {
  Harness emulator;
  auto id = CreateHook(emulator);
  auto result = emulator.Send("PATCH", "/_emulator/webhooks/" + std::to_string(id), R"({"events":["pr:merged"]})", "");
  ASSERT_EQ(result->status, 200);
  auto hook = Json(emulator.Send("GET", kRepoHooks + "/" + std::to_string(id)));
  EXPECT_EQ(hook.at("events").as_array(), (boost::json::array{"pr:merged"}));
  EXPECT_EQ(hook.at("configuration").at("secret").as_string(), "k");
  EXPECT_EQ(hook.at("url").as_string(), "https://ci.example/hook");
}

TEST(BitbucketAdmin, PatchValidatesLikeTheRealApi) {
  Harness emulator;
  auto id = CreateHook(emulator);
  auto result = emulator.Send("PATCH", "/_emulator/webhooks/" + std::to_string(id), R"({"events":["nope"]})", "");
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(emulator.Send("PATCH", "/_emulator/webhooks/999", "{}", "")->status, 404);
}

TEST(BitbucketAdmin, PutReplacesAndDeleteRemoves) {
  Harness emulator;
  auto id = CreateHook(emulator);
  std::string path = "/_emulator/webhooks/" + std::to_string(id);
  ASSERT_EQ(emulator.Send("PUT", path, R"({"name":"ci","url":"https://ci.example/hook","active":false})", "")->status, 200);
  auto hook = Json(emulator.Send("GET", kRepoHooks + "/" + std::to_string(id)));
  EXPECT_FALSE(hook.at("active").as_bool());
  EXPECT_TRUE(hook.at("configuration").as_object().empty());
  EXPECT_EQ(emulator.Send("DELETE", path, "", "")->status, 204);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks + "/" + std::to_string(id))->status, 404);
}

TEST(BitbucketAdmin, CreatesUnmanagedWebhooksOutOfBand) {
  Harness emulator;
  auto result = emulator.Send("POST", "/_emulator/webhooks",
                              R"({"projectKey":"INFRA","repositorySlug":"tf-network","name":"manual","url":"https://m.example"})", "");
  ASSERT_EQ(result->status, 201);
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("values").at(0).at("name").as_string(), "manual");
  EXPECT_EQ(emulator.Send("POST", "/_emulator/webhooks", R"({"projectKey":"NOPE","name":"m","url":"https://m"})", "")->status,
            404);
}

TEST(BitbucketAdmin, ResetRestoresTheSeed) {
  Harness emulator;
  CreateHook(emulator);
  ASSERT_EQ(emulator.Send("POST", "/_emulator/reset", "", "")->status, 200);
  EXPECT_EQ(Json(emulator.Send("GET", kRepoHooks)).at("size").as_int64(), 0);
  EXPECT_EQ(Json(emulator.Send("GET", "/_emulator/dump", "", "")).at("users").as_array().size(), 4u);
}

TEST(BitbucketAdmin, RequestLogRecordsApiCallsButNotAdminCalls) {
  Harness emulator;
  emulator.Send("GET", "/rest/api/1.0/projects/INFRA");
  emulator.Send("GET", "/rest/api/1.0/projects", "", "");
  auto log = Json(emulator.Send("GET", "/_emulator/requests", "", "")).at("requests").as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("method").as_string(), "GET");
  EXPECT_EQ(log[0].at("path").as_string(), "/rest/api/1.0/projects/INFRA");
  EXPECT_EQ(log[0].at("status").as_int64(), 200);
  EXPECT_EQ(log[0].at("user").as_string(), "admin");
  EXPECT_TRUE(log[0].at("time").is_int64());
  EXPECT_EQ(log[1].at("status").as_int64(), 401);
  EXPECT_TRUE(log[1].at("user").is_null());
  auto since = Json(emulator.Send("GET", "/_emulator/requests?since=1", "", "")).at("requests").as_array();
  EXPECT_EQ(since.size(), 1u);
  EXPECT_EQ(emulator.Send("DELETE", "/_emulator/requests", "", "")->status, 204);
  EXPECT_TRUE(Json(emulator.Send("GET", "/_emulator/requests", "", "")).at("requests").as_array().empty());
}

TEST(BitbucketAdmin, SettingsSwitchTheUnconfirmedBehaviours) {
  Harness emulator;
  auto patched = emulator.Send("PATCH", "/_emulator/settings", R"({"webhookCreateStatus":200,"redactWebhookSecret":true})", "");
  ASSERT_EQ(patched->status, 200);
  auto created = emulator.Send("POST", kRepoHooks, kHookBody);
  EXPECT_EQ(created->status, 200);
  EXPECT_EQ(Json(created).at("configuration").at("secret").as_string(), "********");
  EXPECT_EQ(emulator.Send("PATCH", "/_emulator/settings", R"({"webhookCreateStatus":202})", "")->status, 400);
}

TEST(BitbucketAdmin, UnknownAdminPathsGive404) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", "/_emulator/nothing", "", "")->status, 404);
  EXPECT_EQ(emulator.Send("GET", "/_emulator/reset", "", "")->status, 405);
}

}  // namespace
}  // namespace stashform::emulator::testing
