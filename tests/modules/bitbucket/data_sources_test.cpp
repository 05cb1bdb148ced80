// bitbucket.repositories and bitbucket.projects through BitbucketServer::ReadDataSource.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/bitbucket/provider.h"
#include "tests/support/fake_http_client.h"

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test";

std::string Repo(const std::string& slug, bool archived = false) {
  return json::serialize(json::object{{"slug", slug}, {"name", slug}, {"id", 1}, {"archived", archived},
                                      {"state", "AVAILABLE"}, {"public", false},
                                      {"project", json::object{{"key", "INFRA"}}}});
}

std::string Page(const std::vector<std::string>& values, std::optional<int> next) {
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
  std::string page = R"({"isLastPage":)" + std::string(next ? "false" : "true") + R"(,"values":[)" + joined + "]";
  if (next) page += R"(,"nextPageStart":)" + std::to_string(*next);
  return page + "}";
}

class DataSourceTest : public ::testing::Test {
 protected:
  DataSourceTest()
      : provider([this](const http::ClientOptions&) { return std::make_unique<http::ForwardingHttpClient>(fake); }) {}
  std::unique_ptr<provider::Server> Server() {
    auto server = provider.Configure("corp", {{"url", Value(kBase)}, {"token", Value("t")}});
    EXPECT_TRUE(server.ok());
    return std::move(*server);
  }
  FakeHttpClient fake;
  BitbucketProvider provider;
};

TEST_F(DataSourceTest, RepositoriesFollowPagingMatchALuaPatternAndSkipArchived) {
  const std::string repos = kBase + "/rest/api/1.0/projects/INFRA/repos";
  fake.On("GET", repos + "?start=0&limit=1000", FakeHttpClient::Reply(200, Page({Repo("tf-net"), Repo("api")}, 2)));
  fake.On("GET", repos + "?start=2&limit=1000",
          FakeHttpClient::Reply(200, Page({Repo("tf-old", true), Repo("tf-dns"), Repo("xtf-no")}, std::nullopt)));
  auto list = Server()->ReadDataSource("bitbucket.repositories", {{"project", Value("INFRA")}, {"match", Value("^tf%-")}});
  ASSERT_TRUE(list.ok()) << list.message();
  ASSERT_EQ(list->as_list().size(), 2u);
  EXPECT_EQ(list->as_list()[0].as_map().at("slug"), Value("tf-net"));
  EXPECT_EQ(list->as_list()[1].as_map().at("slug"), Value("tf-dns")) << "found on the second page";
  EXPECT_EQ(list->as_list()[1].as_map().at("project"), Value("INFRA"));
}

TEST_F(DataSourceTest, AMalformedPatternIsAnErrorNamingIt) {
  fake.On("GET", kBase + "/rest/api/1.0/projects/INFRA/repos?start=0&limit=1000",
          FakeHttpClient::Reply(200, Page({Repo("a")}, std::nullopt)));
  auto list = Server()->ReadDataSource("bitbucket.repositories", {{"project", Value("INFRA")}, {"match", Value("[a")}});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.message().rfind("bitbucket.repositories: match \"[a\": malformed pattern", 0), 0u) << list.message();
}

TEST_F(DataSourceTest, ProjectsListsEveryPageAndMatchesTheKey) {
  fake.On("GET", kBase + "/rest/api/1.0/projects?start=0&limit=1000",
          FakeHttpClient::Reply(200, Page({R"({"key":"INFRA","name":"Infra","id":1,"type":"NORMAL"})",
                                           R"({"key":"APP","name":"App","id":2,"type":"NORMAL"})"}, std::nullopt)));
  auto list = Server()->ReadDataSource("bitbucket.projects", {{"match", Value("^IN")}});
  ASSERT_TRUE(list.ok()) << list.message();
  ASSERT_EQ(list->as_list().size(), 1u);
  EXPECT_EQ(list->as_list()[0].as_map().at("name"), Value("Infra"));
  EXPECT_FALSE(Server()->ReadDataSource("bitbucket.nothing", {}).ok());
}

TEST_F(DataSourceTest, ApplicationPropertiesGivesTheVersion) {
  fake.On("GET", kBase + "/rest/api/1.0/application-properties",
          FakeHttpClient::Reply(200, R"({"version":"7.19.2","buildNumber":"7019002","displayName":"Bitbucket"})"));
  auto props = Server()->ReadDataSource("bitbucket.application_properties", {});
  ASSERT_TRUE(props.ok()) << props.message();
  EXPECT_EQ(props->as_map().at("version"), Value("7.19.2"));
  EXPECT_EQ(props->as_map().at("build_number"), Value("7019002"));
}

TEST_F(DataSourceTest, EveryTypeIsRegisteredAndServed) {
  auto server = Server();
  for (const auto* schema : provider.Schemas()) {
    if (schema->is_server || schema->is_data_source) continue;
    ASSERT_NE(server->Resource(schema->type), nullptr) << schema->type;
    EXPECT_EQ(&server->Resource(schema->type)->schema(), schema);
  }
  EXPECT_EQ(provider.Schemas().size(), 9u);
}

}  // namespace
}  // namespace stashform::bitbucket
