// bitbucket.repositories and bitbucket.projects against the emulator: paging a 300-repository project.

#include "tests/modules/bitbucket/live_server.h"

#include <boost/json.hpp>

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;

std::string ThreeHundredRepositories() {
  json::array repositories;
  for (int i = 0; i < 300; ++i) {
    std::string slug = (i % 3 == 0 ? "tf-" : "app-") + std::to_string(i);
    repositories.push_back(json::object{{"slug", slug}, {"name", slug}, {"archived", i == 0}});
  }
  json::object seed{{"users", json::array{json::object{{"name", "admin"}, {"password", "admin"}, {"admin", true}}}},
                    {"projects", json::array{json::object{{"key", "INFRA"}, {"repositories", repositories}},
                                             json::object{{"key", "APP"}, {"repositories", json::array{}}}}}};
  return json::serialize(seed);
}

TEST(DataSourcesEmulatorTest, RepositoriesOfA300RepositoryProjectPageThroughOneListing) {
  LiveServer live(ThreeHundredRepositories());
  auto server = live.Connect();
  auto all = server->ReadDataSource("bitbucket.repositories", {{"project", Value("INFRA")}});
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_EQ(all->as_list().size(), 299u) << "all but the archived one";
  EXPECT_EQ(live.GetsStartingWith("/rest/api/1.0/projects/INFRA/repos"), 12) << "300 at 25 a page";

  auto matching = server->ReadDataSource("bitbucket.repositories", {{"projects", Value::StringList({"INFRA", "APP"})},
                                                                    {"match", Value("^tf%-")}});
  ASSERT_TRUE(matching.ok()) << matching.message();
  EXPECT_EQ(matching->as_list().size(), 99u) << "tf-3 … tf-297; tf-0 is archived";
  EXPECT_EQ(matching->as_list().front().as_map().at("slug"), Value("tf-3"));

  auto archived = server->ReadDataSource("bitbucket.repositories", {{"project", Value("INFRA")}, {"archived", Value(true)}});
  ASSERT_TRUE(archived.ok());
  ASSERT_EQ(archived->as_list().size(), 1u);
  EXPECT_EQ(archived->as_list()[0].as_map().at("slug"), Value("tf-0"));
}

TEST(DataSourcesEmulatorTest, ProjectsListTheVisibleProjects) {
  LiveServer live(ThreeHundredRepositories());
  auto projects = live.Connect()->ReadDataSource("bitbucket.projects", {});
  ASSERT_TRUE(projects.ok()) << projects.message();
  ASSERT_EQ(projects->as_list().size(), 2u);
  auto server_wide = live.Connect()->ReadDataSource("bitbucket.repositories", {{"match", Value("^app%-1")}});
  ASSERT_TRUE(server_wide.ok()) << server_wide.message();
  EXPECT_EQ(server_wide->as_list().size(), 75u) << "app-1, app-1x and app-1xx: the ones not divisible by 3";
}

}  // namespace
}  // namespace stashform::bitbucket
