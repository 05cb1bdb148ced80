#include "tests/integration/gitpod_harness.h"

#include <boost/json.hpp>

#include <stdexcept>

namespace stashform::testing {

namespace json = boost::json;

namespace {

std::vector<json::value> ListOf(const json::value& body, const char* key) {
  const json::array& list = body.at(key).as_array();
  return {list.begin(), list.end()};
}

}  // namespace

std::string GitpodSeed() {
  return json::serialize(json::object{
      {"users", json::array{json::object{{"id", kGitpodUser}, {"name", "owner"}, {"token", kGitpodToken}}}},
      {"organizations",
       json::array{json::object{{"id", kGitpodOrganization}, {"name", "corp"}, {"members", json::array{kGitpodUser}}}}},
      {"unreachableHosts", json::array{"down.example.com"}}});
}

GitpodEmulator::GitpodEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args)
    : process_(EMULATOR_BIN, "gitpod", seed_json, extra_args) {}

std::vector<json::value> GitpodEmulator::Providers() const {
  return ListOf(Admin("GET", "/_emulator/dump").body, "authProviders");
}

std::vector<json::value> GitpodEmulator::Requests() const {
  return process_.ListAt("/_emulator/requests", "requests");
}

std::string GitpodGuide(const std::string& options) {
  return R"(local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}
local account = gitpod.account "gitpod" {
  url             = env "GITPOD_URL",
  api_url         = env "GITPOD_API_URL",
  token           = env "GITPOD_TOKEN",
  organization_id = env "GITPOD_ORGANIZATION_ID",
}
local gp = import "gitpod"
local wired = gp.wire(bb, account, )" + options + R"()
output "connect_url" { value = wired.provider.settings_url }
)";
}

GitpodStory::GitpodStory(const std::vector<std::string>& bitbucket_args, const std::vector<std::string>& gitpod_args)
    : bitbucket(SeedWithRepositories({"api"}), bitbucket_args), gitpod(GitpodSeed(), gitpod_args) {
  work.Write("main.lua", GitpodGuide());
  env = {{"BITBUCKET_URL", bitbucket.url()},         {"BITBUCKET_USER", "admin"},
         {"BITBUCKET_PASSWORD", "admin"},            {"GITPOD_URL", gitpod.url()},
         {"GITPOD_API_URL", gitpod.url() + "/public-api"}, {"GITPOD_TOKEN", kGitpodToken},
         {"GITPOD_ORGANIZATION_ID", kGitpodOrganization}};
}

GitpodStory::~GitpodStory() {
  EXPECT_EQ(transcript.find(kGitpodToken), std::string::npos) << "the Gitpod token was printed";
  // Every request was a procedure of AuthProviderService with fields the proto defines: the
  // emulator answers any other with invalid_argument (or unimplemented for another procedure).
  for (const auto& request : gitpod.Requests()) {
    const json::object& entry = request.as_object();
    std::string code = entry.contains("code") ? std::string(entry.at("code").as_string()) : "";
    EXPECT_NE(code, "invalid_argument") << request;
    EXPECT_NE(code, "unimplemented") << request;
  }
  // Every client secret Bitbucket issued during the story, and any Gitpod holds.
  for (const auto& link : Links())
    EXPECT_EQ(transcript.find(std::string(link.at("clientSecret").as_string())), std::string::npos)
        << "a client secret was printed";
  for (const auto& provider : gitpod.Providers())
    EXPECT_EQ(transcript.find(std::string(provider.at("oauth2Config").at("clientSecret").as_string())), std::string::npos)
        << "a client secret was printed";
}

CliRun GitpodStory::Stashform(std::vector<std::string> args) {
  args.push_back(work.path());
  CliRun run = RunStashform(args, env, work.path());
  transcript += run.all();
  return run;
}

std::vector<json::value> GitpodStory::Links() const {
  return ListOf(bitbucket.Admin("GET", "/_emulator/dump").body, "oauth2Clients");
}

void GitpodStory::ExpectWired() {
  auto links = Links();
  auto providers = gitpod.Providers();
  ASSERT_EQ(links.size(), 1u) << "OAuth 2 links on Bitbucket";
  ASSERT_EQ(providers.size(), 1u) << "auth providers on Gitpod";
  const json::value& link = links[0];
  const json::value& provider = providers[0];
  EXPECT_EQ(provider.at("organizationId"), json::value(kGitpodOrganization));
  EXPECT_EQ(provider.at("type"), json::value("AUTH_PROVIDER_TYPE_BITBUCKET_SERVER"));
  std::string host = bitbucket.url().substr(bitbucket.url().find("://") + 3);
  EXPECT_EQ(provider.at("host"), json::value(host));
  EXPECT_EQ(provider.at("oauth2Config").at("clientId"), link.at("clientId"));
  EXPECT_EQ(provider.at("oauth2Config").at("clientSecret"), link.at("clientSecret"));
  EXPECT_EQ(provider.at("oauth2Config").at("authorizationUrl"),
            json::value("https://" + host + "/rest/oauth2/latest/authorize"));
  EXPECT_EQ(link.at("redirects"), json::value(json::array{json::value(gitpod.url() + "/auth/callback")}));
  EXPECT_NE(std::string(link.at("scope").as_string()).find("PROJECT_ADMIN"), std::string::npos) << link;
}

}  // namespace stashform::testing
