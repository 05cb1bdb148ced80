// bitbucket.webhook and bitbucket.project_webhook against the emulator over HTTP.

#include "tests/modules/bitbucket/live_server.h"

#include <mutex>
#include <set>
#include <thread>

#include "modules/bitbucket/access_token.h"
#include "base/digest.h"

namespace stashform::bitbucket {
namespace {

using provider::ApplyAction;

Value::Map Hook(const std::string& name, Value::Map scope) {
  scope["name"] = Value(name);
  scope["url"] = Value("https://ci.example/hook");
  scope["events"] = Value::StringList({"repo:refs_changed", "pr:merged"});
  scope["active"] = Value(true);
  scope["ssl_verification_required"] = Value(true);
  scope["secret"] = Value::Sensitive(Value("s3cret"));
  return scope;
}

TEST(WebhookEmulatorTest, CreateReadUpdateImportDelete) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.webhook");
  Value::Map planned = Hook("ci", {{"project", Value("INFRA")}, {"repository", Value("api")}});
  auto created = type->Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_NO_DIAGNOSTICS(created);

  auto read = type->Read({created.id, created.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_EQ(read.attributes.at("secret").as_string(), SecretDigest("s3cret"));
  EXPECT_TRUE(Value::SetEqual(read.attributes.at("events"), planned.at("events")));

  planned["events"] = Value::StringList({"pr:opened"});
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kUpdate, created.id, read.attributes, planned}));
  auto after = type->Read({created.id, read.attributes});
  EXPECT_EQ(after.attributes.at("events"), Value::StringList({"pr:opened"}));
  EXPECT_EQ(after.attributes.at("secret").as_string(), SecretDigest("s3cret")) << "the PUT kept the secret";

  EXPECT_EQ(type->Import("INFRA/api/ci").id, created.id);
  EXPECT_TRUE(type->Find(planned).found);

  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kDelete, created.id, after.attributes, {}}));
  EXPECT_TRUE(type->Read({created.id, after.attributes}).gone);
  EXPECT_TRUE(live.Dump("webhooks").empty());
}

TEST(WebhookEmulatorTest, ProjectWebhookWithCredentialsKeepsThePasswordOnAnUpdateWithoutIt) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.project_webhook");
  Value::Map planned = Hook("ci", {{"project", Value("INFRA")}});
  planned["credentials_username"] = Value("hookuser");
  planned["credentials_password"] = Value::Sensitive(Value("pw1"));
  auto created = type->Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_NO_DIAGNOSTICS(created);
  planned.erase("credentials_password");
  planned["active"] = Value(false);
  auto updated = type->Apply({ApplyAction::kUpdate, created.id, created.attributes, planned});
  EXPECT_NO_DIAGNOSTICS(updated);
  auto hooks = live.Dump("webhooks");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].at("credentials").at("password").as_string(), "pw1");
  EXPECT_EQ(hooks[0].at("scope").at("type").as_string(), "project");
  auto read = type->Read({created.id, updated.attributes});
  EXPECT_EQ(read.attributes.at("credentials_password").as_string(), SecretDigest("pw1"));
  EXPECT_EQ(type->Import("INFRA/ci").id, created.id);
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kDelete, created.id, read.attributes, {}}));
}

TEST(WebhookEmulatorTest, RefreshOfSixtyWebhooksPagesThroughTheListingOnce) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.webhook");
  std::vector<provider::ReadRequest> requests;
  for (int i = 0; i < 60; ++i) {
    auto created = type->Apply({ApplyAction::kCreate, "", {}, Hook("hook-" + std::to_string(i),
                                {{"project", Value("INFRA")}, {"repository", Value("api")}})});
    ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
    requests.push_back({created.id, created.attributes});
  }
  const std::string listing = "/rest/api/1.0/projects/INFRA/repos/api/webhooks";
  int before = live.GetsStartingWith(listing);
  auto answers = type->ReadMany(requests);
  for (size_t i = 0; i < answers.size(); ++i) {
    ASSERT_FALSE(answers[i].gone) << i;
    EXPECT_EQ(answers[i].attributes.at("name"), Value("hook-" + std::to_string(i)));
  }
  EXPECT_EQ(live.GetsStartingWith(listing) - before, 3) << "60 webhooks at 25 a page: three GETs, none per webhook";
  EXPECT_EQ(type->Import("INFRA/api/hook-59").id, requests.back().id) << "import finds one beyond the first page";
}

// Progress of a long refresh depends on it: the listings run side by side, and each webhook is
// reported from the worker that listed it, once, with its final answer (failed and gone ones too).
TEST(WebhookEmulatorTest, AParallelRefreshReportsEveryReadOnceAsItEnds) {
  std::vector<std::string> repositories;
  for (int r = 0; r < 10; ++r) repositories.push_back("r" + std::to_string(r));
  LiveServer live(testing::SeedWithRepositories(repositories),
                  {"--fail-nth", "GET /rest/api/1.0/projects/INFRA/repos/r9/webhooks=1:400"});
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.webhook");
  std::vector<provider::ReadRequest> requests;
  for (const auto& repository : repositories)
    for (int h = 0; h < 3; ++h) {
      auto created = type->Apply({ApplyAction::kCreate, "", {}, Hook("hook-" + std::to_string(h),
                                  {{"project", Value("INFRA")}, {"repository", Value(repository)}})});
      ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
      requests.push_back({created.id, created.attributes});
    }
  requests.push_back({"4040", {{"project", Value("INFRA")}, {"repository", Value("no-such-repository")}}});

  struct Report {
    int calls = 0;
    bool gone = false;
    bool failed = false;
  };
  std::mutex mutex;
  std::vector<Report> reports(requests.size());
  std::set<std::thread::id> threads;
  auto answers = type->ReadMany(requests, [&](size_t index, const provider::ReadResponse& response) {
    std::lock_guard<std::mutex> lock(mutex);
    Report& report = reports.at(index);
    ++report.calls;
    report.gone = response.gone;
    report.failed = response.diagnostics.HasErrors();
    threads.insert(std::this_thread::get_id());
  });

  ASSERT_EQ(answers.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(reports[i].calls, 1) << "request " << i;
    EXPECT_EQ(reports[i].gone, answers[i].gone) << "request " << i << " was reported with its final answer";
    EXPECT_EQ(reports[i].failed, answers[i].diagnostics.HasErrors()) << "request " << i;
  }
  EXPECT_TRUE(reports[27].failed && reports[29].failed) << "r9's listing failed";
  EXPECT_FALSE(reports[0].failed || reports[0].gone);
  EXPECT_TRUE(reports.back().gone) << "a repository that no longer exists";
  EXPECT_GT(threads.size(), 1u) << "the listings ran side by side";
}

TEST(WebhookEmulatorTest, ADroppedCreateIsNotSentAgainAndTheRetryLeavesOneWebhook) {
  const std::string hooks = "/rest/api/1.0/projects/INFRA/repos/api/webhooks";
  LiveServer live(testing::SeedWithRepositories({"api"}), {"--fail-nth", "POST " + hooks + "=1:0"});
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.webhook");
  Value::Map planned = Hook("ci", {{"project", Value("INFRA")}, {"repository", Value("api")}});
  auto dropped = type->Apply({ApplyAction::kCreate, "", {}, planned});
  ASSERT_TRUE(dropped.diagnostics.HasErrors());
  int posts = 0;
  auto log = live.emulator().Admin("GET", "/_emulator/requests");
  for (const auto& entry : log.body.at("requests").as_array()) posts += entry.at("method").as_string() == "POST";
  EXPECT_EQ(posts, 1) << "a create is never retried blindly";
  // What the engine does next: look the object up by its natural key, create only if absent.
  ASSERT_FALSE(type->Find(planned).found);
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kCreate, "", {}, planned}));
  EXPECT_TRUE(type->Find(planned).found);
  EXPECT_EQ(live.Dump("webhooks").size(), 1u);
}

TEST(WebhookEmulatorTest, A503OnTheListingIsRetriedAndTheRefreshSucceeds) {
  LiveServer live(testing::SeedWithRepositories({"api"}),
                  {"--fail-nth", "GET /rest/api/1.0/projects/INFRA/repos/api/webhooks=1:503"});
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.webhook");
  auto created = type->Apply({ApplyAction::kCreate, "", {}, Hook("ci", {{"project", Value("INFRA")}, {"repository", Value("api")}})});
  EXPECT_NO_DIAGNOSTICS(created);
  auto read = type->Read({created.id, created.attributes});
  EXPECT_NO_DIAGNOSTICS(read);
  EXPECT_FALSE(read.gone);
  EXPECT_EQ(live.GetsStartingWith("/rest/api/1.0/projects/INFRA/repos/api/webhooks"), 2) << "the 503, then the retry";
}

TEST(WebhookEmulatorTest, ARepoReadTokenGetsAPermissionErrorNamingTheCall) {
  LiveServer live;
  auto admin = live.Connect();
  Value::Map token{{"user", Value("admin")}, {"name", Value("reader")},
                   {"permissions", Value::StringList({"REPO_READ"})}};
  auto created = admin->Resource("bitbucket.access_token")->Apply({ApplyAction::kCreate, "", {}, token});
  EXPECT_NO_DIAGNOSTICS(created);
  auto reader = live.Connect(created.private_data.at("token").as_string());
  auto denied = reader->Resource("bitbucket.webhook")
                    ->Apply({ApplyAction::kCreate, "", {}, Hook("ci", {{"project", Value("INFRA")}, {"repository", Value("api")}})});
  ASSERT_TRUE(denied.diagnostics.HasErrors());
  const std::string message = denied.diagnostics.items()[0].message;
  EXPECT_EQ(message.rfind("POST " + live.url() + "/rest/api/1.0/projects/INFRA/repos/api/webhooks: 401 Unauthorized", 0), 0u)
      << message;
  EXPECT_EQ(message.find(created.private_data.at("token").as_string()), std::string::npos);
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace stashform::bitbucket
