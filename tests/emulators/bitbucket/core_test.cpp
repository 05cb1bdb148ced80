// application-properties, auth, projects, repositories, users, paging, context path.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

std::vector<std::string> Slugs(const boost::json::value& page) {
  std::vector<std::string> slugs;
  for (const auto& value : page.at("values").as_array()) slugs.emplace_back(value.at("slug").as_string());
  return slugs;
}

TEST(BitbucketCore, ApplicationPropertiesNeedNoAuthAndCarryStringBuildFields) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/1.0/application-properties", "", "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  auto json = Json(result);
  EXPECT_EQ(json.at("version").as_string(), "9.4.2");
  EXPECT_EQ(json.at("buildNumber").as_string(), "9004002");
  EXPECT_TRUE(json.at("buildDate").is_string());
  EXPECT_EQ(json.at("displayName").as_string(), "Bitbucket");
  EXPECT_FALSE(result->has_header("X-AUSERNAME"));
}

TEST(BitbucketCore, AuthenticatedAnswersNameTheUser) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/latest/application-properties");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("X-AUSERNAME"), "admin");
  EXPECT_EQ(result->get_header_value("X-AUSERID"), "1");
}

TEST(BitbucketCore, MissingCredentialsGive401WithTheErrorEnvelope) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/1.0/projects", "", "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  auto error = Json(result).at("errors").at(0);
  EXPECT_TRUE(error.at("context").is_null());
  EXPECT_EQ(error.at("exceptionName").as_string(), "com.atlassian.bitbucket.AuthorisationException");
}

TEST(BitbucketCore, WrongPasswordGives401EvenOnAnonymousPaths) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/1.0/application-properties", "", BasicAuth("admin", "nope"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(ErrorMessage(result), "Authentication failed. Please check your credentials and try again.");
  auto unknown = emulator.Send("GET", "/rest/api/1.0/projects", "", BasicAuth("ghost", "x"));
  EXPECT_EQ(unknown->status, 401);
  auto garbage = emulator.Send("GET", "/rest/api/1.0/projects", "", "Bearer not-a-token");
  EXPECT_EQ(garbage->status, 401);
}

TEST(BitbucketCore, ProjectsAreListedOnlyWhenVisible) {
  Harness emulator;
  auto admin = Json(emulator.Send("GET", "/rest/api/1.0/projects"));
  EXPECT_EQ(admin.at("size").as_int64(), 2);
  auto reader = Json(emulator.Send("GET", "/rest/api/1.0/projects", "", BasicAuth("reader", "reader-pw")));
  ASSERT_EQ(reader.at("size").as_int64(), 1);
  EXPECT_EQ(reader.at("values").at(0).at("key").as_string(), "INFRA");
  auto outsider = Json(emulator.Send("GET", "/rest/api/1.0/projects", "", BasicAuth("outsider", "out-pw")));
  EXPECT_EQ(outsider.at("size").as_int64(), 1) << "tf-dns is public, so INFRA shows";
}

TEST(BitbucketCore, ProjectShapeFollowsTheFixtures) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/1.0/projects/INFRA");
  ASSERT_EQ(result->status, 200);
  auto json = Json(result);
  EXPECT_EQ(json.at("key").as_string(), "INFRA");
  EXPECT_TRUE(json.at("id").is_int64());
  EXPECT_EQ(json.at("type").as_string(), "NORMAL");
  EXPECT_EQ(json.at("links").at("self").at(0).at("href").as_string(), emulator.base_url() + "/projects/INFRA");
}

TEST(BitbucketCore, UnknownProjectAndRepositoryGive404) {
  Harness emulator;
  auto project = emulator.Send("GET", "/rest/api/1.0/projects/NOPE");
  EXPECT_EQ(project->status, 404);
  EXPECT_EQ(ErrorMessage(project), "Project NOPE does not exist.");
  auto repository = emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/nope");
  EXPECT_EQ(repository->status, 404);
  EXPECT_EQ(ErrorMessage(repository), "Repository INFRA/nope does not exist.");
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/nothing/here")->status, 404);
}

TEST(BitbucketCore, WrongMethodGives405) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("DELETE", "/rest/api/1.0/application-properties")->status, 405);
}

TEST(BitbucketCore, RepositoriesArePagedWithNextPageStartOmittedOnTheLastPage) {
  Harness emulator;
  auto first = Json(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos?limit=2"));
  EXPECT_EQ(first.at("size").as_int64(), 2);
  EXPECT_EQ(first.at("limit").as_int64(), 2);
  EXPECT_FALSE(first.at("isLastPage").as_bool());
  EXPECT_EQ(first.at("start").as_int64(), 0);
  ASSERT_EQ(first.at("nextPageStart").as_int64(), 2);
  auto second = Json(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos?start=2&limit=2"));
  EXPECT_EQ(second.at("size").as_int64(), 1);
  EXPECT_TRUE(second.at("isLastPage").as_bool());
  EXPECT_FALSE(second.as_object().contains("nextPageStart"));
  EXPECT_EQ(Slugs(second), std::vector<std::string>{"old-infra"});
}

TEST(BitbucketCore, PagingRejectsNonIntegers) {
  Harness emulator;
  auto result = emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos?limit=ten");
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(Json(result).at("errors").at(0).at("context").as_string(), "limit");
}

TEST(BitbucketCore, LimitIsClampedToTheConfiguredCap) {
  Settings settings;
  settings.page_limit_cap = 2;
  Harness emulator(kDefaultSeed, settings);
  auto page = Json(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos?limit=500"));
  EXPECT_EQ(page.at("limit").as_int64(), 2);
  EXPECT_EQ(page.at("size").as_int64(), 2);
  EXPECT_EQ(page.at("nextPageStart").as_int64(), 2);
}

TEST(BitbucketCore, RepositoryShapeFollowsTheFixtures) {
  Harness emulator;
  auto json = Json(emulator.Send("GET", "/rest/api/latest/projects/INFRA/repos/tf-network"));
  EXPECT_EQ(json.at("slug").as_string(), "tf-network");
  EXPECT_EQ(json.at("scmId").as_string(), "git");
  EXPECT_EQ(json.at("state").as_string(), "AVAILABLE");
  EXPECT_EQ(json.at("project").at("key").as_string(), "INFRA");
  EXPECT_EQ(json.at("links").at("clone").at(0).at("name").as_string(), "http");
}

TEST(BitbucketCore, RepositoryReadNeedsPermission) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/APP/repos/api", "", BasicAuth("reader", "reader-pw"))->status,
            401);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-dns", "", BasicAuth("outsider", "out-pw"))->status,
            200);
}

TEST(BitbucketCore, GlobalRepositorySearchAppliesItsFilters) {
  Harness emulator;
  auto all = Json(emulator.Send("GET", "/rest/api/1.0/repos"));
  EXPECT_EQ(Slugs(all), (std::vector<std::string>{"tf-network", "tf-dns", "api"})) << "archived hidden by default";
  auto archived = Json(emulator.Send("GET", "/rest/api/1.0/repos?archived=ARCHIVED"));
  EXPECT_EQ(Slugs(archived), std::vector<std::string>{"old-infra"});
  auto by_name = Json(emulator.Send("GET", "/rest/api/1.0/repos?name=TF-&projectkey=infra"));
  EXPECT_EQ(Slugs(by_name), (std::vector<std::string>{"tf-network", "tf-dns"}));
  auto public_only = Json(emulator.Send("GET", "/rest/api/1.0/repos?visibility=public"));
  EXPECT_EQ(Slugs(public_only), std::vector<std::string>{"tf-dns"});
  auto by_project_name = Json(emulator.Send("GET", "/rest/api/1.0/repos?projectname=applications"));
  EXPECT_EQ(Slugs(by_project_name), std::vector<std::string>{"api"});
  auto admin_of = Json(emulator.Send("GET", "/rest/api/1.0/repos?permission=REPO_ADMIN", "", BasicAuth("repo-admin", "ra-pw")));
  EXPECT_EQ(Slugs(admin_of), std::vector<std::string>{"tf-network"});
}

TEST(BitbucketCore, GlobalRepositorySearchRejectsBadFilterValues) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/repos?visibility=secret")->status, 400);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/repos?permission=PROJECT_READ")->status, 400);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/repos?state=OFFLINE")->status, 400);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/repos?archived=maybe")->status, 400);
}

TEST(BitbucketCore, UsersAreListedFilteredAndFetchedBySlug) {
  Harness emulator;
  auto all = Json(emulator.Send("GET", "/rest/api/1.0/users"));
  EXPECT_EQ(all.at("size").as_int64(), 4);
  auto filtered = Json(emulator.Send("GET", "/rest/api/1.0/users?filter=READ"));
  ASSERT_EQ(filtered.at("size").as_int64(), 1);
  EXPECT_EQ(filtered.at("values").at(0).at("name").as_string(), "reader");
  auto one = emulator.Send("GET", "/rest/api/1.0/users/repo-admin");
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json(one).at("type").as_string(), "NORMAL");
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/users/ghost")->status, 404);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/users", "", "")->status, 401);
}

TEST(BitbucketCore, CapabilitiesLeadToTheSubscribableEventKeys) {
  Harness emulator;
  auto capabilities = Json(emulator.Send("GET", "/rest/capabilities", "", ""));
  EXPECT_EQ(capabilities.at("application").as_string(), "stash");
  std::string webhooks(capabilities.at("capabilities").at("webhooks").as_string());
  ASSERT_EQ(webhooks.rfind(emulator.base_url(), 0), 0u);
  auto events = Json(emulator.Send("GET", webhooks.substr(emulator.base_url().size()), "", ""));
  const auto& keys = events.at("application-webhooks").as_array();
  EXPECT_NE(std::find(keys.begin(), keys.end(), boost::json::value("pr:reviewer:needs_work")), keys.end());
  EXPECT_EQ(std::find(keys.begin(), keys.end(), boost::json::value("pr:to_ref_updated")), keys.end());
}

TEST(BitbucketCore, WhoAmIAnswersTheUserName) {
  Harness emulator;
  auto result = emulator.Send("GET", "/plugins/servlet/applinks/whoami", "", BasicAuth("reader", "reader-pw"));
  EXPECT_EQ(result->body, "reader");
}

TEST(BitbucketCore, ContextPathIsRequiredOnApiPathsButNotOnAdminPaths) {
  Settings settings;
  settings.context_path = "/bitbucket";
  Harness emulator(kDefaultSeed, settings);
  EXPECT_EQ(emulator.Send("GET", "/bitbucket/rest/api/1.0/projects/INFRA")->status, 200);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA")->status, 404);
  auto project = Json(emulator.Send("GET", "/bitbucket/rest/api/latest/projects/INFRA"));
  EXPECT_EQ(project.at("links").at("self").at(0).at("href").as_string(),
            emulator.base_url() + "/bitbucket/projects/INFRA");
  EXPECT_EQ(emulator.Send("GET", "/_emulator/dump", "", "")->status, 200);
  EXPECT_EQ(emulator.Send("GET", "/bitbucket/_emulator/dump", "", "")->status, 200);
}

TEST(BitbucketCore, ProjectsAndRepositoriesCanBeCreatedAndNamesConflictWith409) {
  Harness emulator;
  auto project = emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"NEW","name":"New things"})");
  ASSERT_EQ(project->status, 201) << project->body;
  EXPECT_EQ(Json(project).at("key").as_string(), "NEW");
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"NEW","name":"Other"})")->status, 409);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"X2","name":"New things"})")->status, 409);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"1BAD","name":"n"})")->status, 400);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects", R"({"key":"R","name":"r"})", BasicAuth("reader", "reader-pw"))->status,
            401);
  auto repository = emulator.Send("POST", "/rest/api/1.0/projects/NEW/repos", R"({"name":"My Repo"})");
  ASSERT_EQ(repository->status, 201) << repository->body;
  EXPECT_EQ(Json(repository).at("slug").as_string(), "my-repo");
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/NEW/repos/my-repo")->status, 200);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects/NEW/repos", R"({"name":"My Repo"})")->status, 409);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/projects/NOPE/repos", R"({"name":"x"})")->status, 404);
}

TEST(BitbucketCore, PersonalProjectsBelongToTheirUserAndAnswerUnderUsersToo) {
  Harness emulator(R"({"users":[{"name":"admin","password":"admin","admin":true},
      {"name":"alice","password":"a"},{"name":"bob","password":"b"}],
    "projects":[{"key":"~alice","name":"Alice","repositories":[{"slug":"notes"}]}]})");
  auto alice = BasicAuth("alice", "a");
  auto project = Json(emulator.Send("GET", "/rest/api/1.0/projects/~ALICE", "", alice));
  EXPECT_EQ(project.at("type").as_string(), "PERSONAL");
  EXPECT_EQ(Json(emulator.Send("GET", "/rest/api/1.0/users/alice/repos/notes", "", alice)).at("slug").as_string(), "notes");
  EXPECT_EQ(Json(emulator.Send("GET", "/rest/api/1.0/users/alice/repos", "", alice)).at("size").as_int64(), 1);
  EXPECT_EQ(emulator.Send("POST", "/rest/api/1.0/users/alice/repos/notes/webhooks",
                          R"({"name":"n","url":"https://x.example"})", alice)->status,
            201)
      << "the owner administers her personal repositories";
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/users/alice/repos/notes", "", BasicAuth("bob", "b"))->status, 401);
  EXPECT_EQ(Json(emulator.Send("GET", "/rest/api/1.0/projects")).at("size").as_int64(), 0)
      << "personal projects are not in the project list";
}

TEST(BitbucketCore, BodiesInAnotherMediaTypeGive415) {
  Harness emulator;
  httplib::Client client("127.0.0.1", emulator.port());
  client.set_basic_auth("admin", "admin");
  auto form = client.Post("/rest/api/1.0/projects", "key=NEW&name=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto json = client.Post("/rest/api/1.0/projects", R"({"key":"NEW","name":"x"})", "application/json; charset=UTF-8");
  EXPECT_EQ(json->status, 201);
}

}  // namespace
}  // namespace stashform::emulator::testing
