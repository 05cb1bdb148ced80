// User stories for Backstage (issue 19): the app-config fragment, its read token and the refresh
// webhooks, with the real binaries over HTTP on loopback. The managed file is read back with
// yaml-cpp and compared key by key.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kSeed = R"({
  "users": [
    {"name": "admin", "password": "admin", "admin": true},
    {"name": "backstage-bot", "password": "backstage-bot-pw",
     "permissions": {"projects": {"PLAT": "PROJECT_READ"}}}
  ],
  "projects": [
    {"key": "PLAT", "name": "Platform",
     "repositories": [
       {"slug": "catalog", "name": "catalog", "branches": ["main", "develop"],
        "files": {"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: catalog\n"}},
       {"slug": "payments", "name": "payments"}
     ]}
  ]
})";

/// The example's call of the recipe, with `extra` options added (Lua table fields).
std::string Config(const std::string& extra = "") {
  return R"(local bb = bitbucket.server "bitbucket" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}
local instance = backstage.instance "backstage" {}
local bs = import "backstage"
bs.wire(bb, instance, {
  path = env "BACKSTAGE_APP_CONFIG",
  backend_url = env "BACKSTAGE_BACKEND_URL",
  user = "backstage-bot",
  project_key_pattern = "^PLAT$",
  webhook_repositories = { { project = "PLAT", slug = "catalog" } },
)" + extra + R"(
})
)";
}

/// EventsReceiver stands in for Backstage's events backend: it records every POST it gets.
class EventsReceiver {
 public:
  struct Delivery {
    std::string path;
    std::string event_key;
    std::string body;
  };
  EventsReceiver() {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      deliveries_.push_back({request.path, request.get_header_value("X-Event-Key"), request.body});
      response.status = 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~EventsReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Delivery> deliveries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return deliveries_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Delivery> deliveries_;
};

class BackstageStories : public ::testing::Test {
 protected:
  BackstageStories() : bitbucket(kSeed) {
    app_config = work.path() + "/app-config.stashform.yaml";
    env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "admin"},
           {"BACKSTAGE_BACKEND_URL", receiver.url()}, {"BACKSTAGE_APP_CONFIG", app_config}};
    work.Write("main.lua", Config());
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    return RunStashform(args, env, work.path());
  }
  void Apply() {
    CliRun apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
  }
  void ExpectNoChanges() {
    CliRun plan = Stashform({"plan", "-detailed-exitcode"});
    EXPECT_EQ(plan.exit_code, 0) << plan.all();
  }
  YAML::Node File() const { return YAML::LoadFile(app_config); }
  void Save(const YAML::Node& root) const {
    std::ofstream out(app_config);
    out << root << "\n";
  }
  std::string Host() const { return bitbucket.url().substr(std::string("http://").size()); }
  YAML::Node Integration() const { return File()["integrations"]["bitbucketServer"][0]; }
  YAML::Node Provider() const { return File()["catalog"]["providers"]["bitbucketServer"]["default"]; }
  /// Status of GET {apiBaseUrl}/projects with the file's token as Backstage sends it.
  int ProjectsWithToken(const std::string& token) const {
    httplib::Client client(bitbucket.url());
    auto answer = client.Get("/rest/api/1.0/projects", {{"Authorization", "Bearer " + token}});
    return answer ? answer->status : 0;
  }
  json::array Tokens() const { return bitbucket.Admin("GET", "/_emulator/dump").body.at("accessTokens").as_array(); }

  EventsReceiver receiver;
  Emulator bitbucket;
  TempDir work;
  std::string app_config;
  std::map<std::string, std::string> env;
};

TEST_F(BackstageStories, FromNothingTheFragmentTokenAndWebhookAreMadeAndASecondPlanHasNoChanges) {
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("Plan: 3 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;
  Apply();

  struct stat info {};
  ASSERT_EQ(::stat(app_config.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  YAML::Node integration = Integration();
  EXPECT_EQ(integration["host"].as<std::string>(), Host());
  EXPECT_EQ(integration["apiBaseUrl"].as<std::string>(), bitbucket.url() + "/rest/api/1.0");
  EXPECT_EQ(integration["token"].as<std::string>(), "${BITBUCKET_TOKEN}");  // secrets as substitutions by default
  YAML::Node provider = Provider();
  EXPECT_EQ(provider["host"].as<std::string>(), Host());
  EXPECT_EQ(provider["catalogPath"].as<std::string>(), "/catalog-info.yaml");
  EXPECT_EQ(provider["filters"]["projectKey"].as<std::string>(), "^PLAT$");
  EXPECT_EQ(provider["schedule"]["frequency"]["minutes"].as<int>(), 30);
  EXPECT_EQ(provider["schedule"]["timeout"]["minutes"].as<int>(), 3);
  ASSERT_EQ(File()["events"]["http"]["topics"].size(), 1u);
  EXPECT_EQ(File()["events"]["http"]["topics"][0].as<std::string>(), "bitbucketServer");

  auto tokens = Tokens();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].at("permissions"), (json::array{"PROJECT_READ", "REPO_READ"}));
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(json::value_to<std::string>(hooks[0].at("url")), receiver.url() + "/api/events/http/bitbucketServer");
  EXPECT_EQ(hooks[0].at("events"), (json::array{"repo:refs_changed"}));
  ExpectNoChanges();
}

TEST_F(BackstageStories, ATokenRevokedByHandIsRecreatedAndTheFileUpdated) {
  work.Write("main.lua", Config("  secrets = \"literal\","));
  Apply();
  const std::string first = Integration()["token"].as<std::string>();
  EXPECT_EQ(ProjectsWithToken(first), 200);

  const std::string id = json::value_to<std::string>(Tokens()[0].at("id"));
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/tokens/" + id).status, 204);
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 2);
  Apply();

  const std::string second = Integration()["token"].as<std::string>();
  EXPECT_NE(second, first);
  EXPECT_EQ(ProjectsWithToken(second), 200);
  EXPECT_EQ(ProjectsWithToken(first), 401);
  ExpectNoChanges();
}

TEST_F(BackstageStories, AHandEditIsShownKeyByKeyAndRepaired) {
  Apply();
  YAML::Node root = File();
  root["catalog"]["providers"]["bitbucketServer"]["default"]["filters"]["projectKey"] = ".*";
  root["integrations"]["bitbucketServer"][0]["apiBaseUrl"] = "https://elsewhere.example.com/rest/api/1.0";
  Save(root);

  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("catalog.providers.bitbucketServer.default.filters.projectKey changed in the file"),
            std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("integrations.bitbucketServer[host=" + Host() + "].apiBaseUrl changed in the file"),
            std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  Apply();

  EXPECT_EQ(Provider()["filters"]["projectKey"].as<std::string>(), "^PLAT$");
  EXPECT_EQ(Integration()["apiBaseUrl"].as<std::string>(), bitbucket.url() + "/rest/api/1.0");
  EXPECT_EQ(File()["integrations"]["bitbucketServer"].size(), 1u);
  ExpectNoChanges();
}

TEST_F(BackstageStories, ADeletedFileIsRecreated) {
  Apply();
  std::filesystem::remove(app_config);
  CliRun plan = Stashform({"plan"});
  EXPECT_NE(plan.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.all();
  Apply();
  EXPECT_EQ(Integration()["host"].as<std::string>(), Host());
  EXPECT_EQ(Provider()["filters"]["projectKey"].as<std::string>(), "^PLAT$");
  ExpectNoChanges();
}

TEST_F(BackstageStories, TheUsersOwnKeysArePreserved) {
  work.Write("app-config.stashform.yaml", R"(app:
  title: Our portal
integrations:
  bitbucketServer:
    - host: git.other.example.com
      token: ${OTHER_TOKEN}
catalog:
  providers:
    bitbucketServer:
      default:
        validateLocationsExist: true
events:
  http:
    topics: [github]
)");
  Apply();
  YAML::Node root = File();
  EXPECT_EQ(root["app"]["title"].as<std::string>(), "Our portal");
  ASSERT_EQ(root["integrations"]["bitbucketServer"].size(), 2u);
  EXPECT_EQ(root["integrations"]["bitbucketServer"][0]["host"].as<std::string>(), "git.other.example.com");
  EXPECT_EQ(root["integrations"]["bitbucketServer"][0]["token"].as<std::string>(), "${OTHER_TOKEN}");
  EXPECT_EQ(root["integrations"]["bitbucketServer"][1]["host"].as<std::string>(), Host());
  EXPECT_TRUE(Provider()["validateLocationsExist"].as<bool>());
  EXPECT_EQ(Provider()["host"].as<std::string>(), Host());
  ASSERT_EQ(root["events"]["http"]["topics"].size(), 2u);
  EXPECT_EQ(root["events"]["http"]["topics"][0].as<std::string>(), "github");
  EXPECT_EQ(root["events"]["http"]["topics"][1].as<std::string>(), "bitbucketServer");

  // A key the user adds afterwards is theirs: no drift, and the next apply keeps it.
  root["backend"]["baseUrl"] = "http://localhost:7007";
  Save(root);
  ExpectNoChanges();
  work.Write("main.lua", Config("  schedule_frequency_minutes = 10,"));
  Apply();
  EXPECT_EQ(File()["backend"]["baseUrl"].as<std::string>(), "http://localhost:7007");
  EXPECT_EQ(Provider()["schedule"]["frequency"]["minutes"].as<int>(), 10);
}

TEST_F(BackstageStories, APushFiredThroughTheEmulatorReachesTheEventsEndpoint) {
  Apply();
  auto fired = bitbucket.Admin("POST", "/_emulator/events",
                               R"({"event":"repo:refs_changed","projectKey":"PLAT","repositorySlug":"catalog"})");
  ASSERT_EQ(fired.status, 200);
  auto deliveries = receiver.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].path, "/api/events/http/bitbucketServer");
  EXPECT_EQ(deliveries[0].event_key, "repo:refs_changed");
  EXPECT_EQ(json::parse(deliveries[0].body).at("repository").at("slug"), "catalog");
}

TEST_F(BackstageStories, ProjectWebhooksWithRepoModifiedAndSignInThroughAnOAuth2Link) {
  work.Write("main.lua", Config("  webhook_repositories = {}, webhook_projects = { \"PLAT\" },\n"
                                "  webhook_modified = true, sign_in = true,"));
  Apply();
  auto hooks = bitbucket.Webhooks();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(json::value_to<std::string>(hooks[0].at("url")), receiver.url() + "/api/events/http/bitbucketServer");
  std::set<std::string> events;  // a set: the order on the wire carries no meaning
  for (const auto& event : hooks[0].at("events").as_array()) events.insert(json::value_to<std::string>(event));
  EXPECT_EQ(events, (std::set<std::string>{"repo:refs_changed", "repo:modified"}));
  auto clients = bitbucket.Admin("GET", "/_emulator/dump").body.at("oauth2Clients").as_array();
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients[0].at("redirects"), (json::array{json::string(receiver.url() + "/api/auth/bitbucketServer/handler/frame")}));
  YAML::Node auth = File()["auth"]["providers"]["bitbucketServer"]["development"];
  EXPECT_EQ(auth["host"].as<std::string>(), Host());
  EXPECT_EQ(auth["clientId"].as<std::string>(), json::value_to<std::string>(clients[0].at("clientId")));
  EXPECT_EQ(auth["clientSecret"].as<std::string>(), "${BITBUCKET_CLIENT_SECRET}");
  ExpectNoChanges();
}

TEST_F(BackstageStories, TheFragmentLetsABackstageStyleClientFindTheCatalogFile) {
  work.Write("main.lua", Config("  secrets = \"literal\","));
  Apply();
  // What the entity provider and the URL reader do with the fragment (platforms.md §4.2).
  const std::string base = Integration()["apiBaseUrl"].as<std::string>();
  const httplib::Headers auth = {{"Authorization", "Bearer " + Integration()["token"].as<std::string>()}};
  httplib::Client client(bitbucket.url());
  const std::string path = base.substr(bitbucket.url().size());
  auto repos = json::parse(client.Get(path + "/projects/PLAT/repos?start=0", auth)->body);
  ASSERT_EQ(repos.at("values").as_array().size(), 2u);
  const std::string self = json::value_to<std::string>(repos.at("values").at(0).at("links").at("self").at(0).at("href"));
  EXPECT_EQ(self, bitbucket.url() + "/projects/PLAT/repos/catalog/browse");
  auto branch = json::parse(client.Get(path + "/projects/PLAT/repos/catalog/default-branch", auth)->body);
  const std::string ref = json::value_to<std::string>(branch.at("displayId"));
  auto file = client.Get(path + "/projects/PLAT/repos/catalog/raw/" + Provider()["catalogPath"].as<std::string>().substr(1) +
                             "?at=" + ref, auth);
  ASSERT_EQ(file->status, 200);
  EXPECT_EQ(YAML::Load(file->body)["metadata"]["name"].as<std::string>(), "catalog");
}

TEST_F(BackstageStories, PlanRefusesACatalogHostNoIntegrationHasAndABadRegexAtTheirLines) {
  work.Write("main.lua", Config("  catalog_host = \"nowhere.example.com\","));
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_NE(plan.err.find("catalog_host \"nowhere.example.com\" matches no integrations.bitbucketServer host"),
            std::string::npos) << plan.err;
  EXPECT_NE(plan.err.find("main.lua:8:"), std::string::npos) << plan.err;

  work.Write("main.lua", R"(local instance = backstage.instance "backstage" {}
backstage.app_config "fragment" {
  server = instance,
  path = "app-config.yaml",
  api_base_url = "https://bitbucket.example.com/rest/api/1.0",
  repo_slug_pattern = "(unclosed",
}
)");
  CliRun bad_regex = Stashform({"plan"});
  EXPECT_EQ(bad_regex.exit_code, 1);
  EXPECT_NE(bad_regex.err.find("main.lua:2:"), std::string::npos) << bad_regex.err;
  EXPECT_NE(bad_regex.err.find("repo_slug_pattern: not a valid regular expression"), std::string::npos) << bad_regex.err;
  EXPECT_FALSE(std::filesystem::exists(work.path() + "/app-config.yaml"));
}

}  // namespace
}  // namespace stashform::testing
