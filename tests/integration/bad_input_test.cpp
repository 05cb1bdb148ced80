// issue 22 §4: input every server would refuse is refused by `validate` and by `plan` alike,
// before any call to a server and before any write, with the user's line and a way out. Each
// case pins its message; the emulator's request log proves that no call was made.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

// Servers on lines 1-12; every case's block starts on line 13.
const char* const kServers = R"(local bb = bitbucket.server "corp" {
  url = env.plain "BITBUCKET_URL", username = env.plain "BITBUCKET_USER", password = env "BITBUCKET_PASSWORD",
}
local acct = spacelift.account "spl" {
  api_url = env.plain "BITBUCKET_URL", api_key_id = "k", api_key_secret = env "BITBUCKET_PASSWORD",
}
local gp = gitpod.account "gp" {
  url = env.plain "BITBUCKET_URL", token = env "BITBUCKET_PASSWORD", organization_id = "0b6c1d9e-2f3a-4c5d-8e7f-901234abcdef",
}
local pk = packagist.account "pk" {
  url = env.plain "BITBUCKET_URL", api_key = env "BITBUCKET_PASSWORD", api_secret = env "BITBUCKET_PASSWORD",
}
)";

struct BadInput {
  std::string name;
  std::string block;    // starts on line 13
  std::string message;  // the whole error line validate prints
};

std::string Webhook(const std::string& attributes) {
  return "bitbucket.webhook \"w\" {\n  server = bb, project = \"INFRA\", repository = \"api\",\n  " + attributes + "\n}\n";
}

std::string Token(const std::string& attributes) {
  return "bitbucket.access_token \"t\" {\n  server = bb, project = \"INFRA\",\n  " + attributes + "\n}\n";
}

std::string Link(const std::string& attributes) {
  return "bitbucket.application_link \"l\" {\n  server = bb, consumer_key = \"ck\", generate_key_pair = true,\n  " +
         attributes + "\n}\n";
}

std::string Integration(const std::string& attributes) {
  return "spacelift.bitbucket_datacenter_integration \"i\" {\n  server = acct, username = \"bot\", access_token = "
         "env \"BITBUCKET_PASSWORD\",\n  " + attributes + "\n}\n";
}

std::string AuthProvider(const std::string& attributes) {
  return "gitpod.auth_provider \"a\" {\n  server = gp, client_id = \"c\", client_secret = env \"BITBUCKET_PASSWORD\",\n  " +
         attributes + "\n}\n";
}

const std::string kHook = R"(url = "https://ci.example.com/hook", events = { "repo:refs_changed" },)";
const std::string kHosts = R"(api_host = "https://bitbucket.example.com", user_facing_host = "https://bitbucket.example.com",)";

const std::vector<BadInput>& Cases() {
  static const std::vector<BadInput> cases = {
      {"EmptyWebhookName", Webhook("name = \"\", " + kHook), R"(main.lua:13: bitbucket.webhook "w": name: must not be empty: Bitbucket refuses an empty value (give it one))"},
      {"WebhookNameOf300Characters", Webhook("name = string.rep(\"x\", 300), " + kHook), R"(main.lua:13: bitbucket.webhook "w": name: is 300 characters; Bitbucket takes at most 255 (shorten it))"},
      {"WebhookNameWithANewline", Webhook("name = \"ci\\nhook\", " + kHook), R"(main.lua:13: bitbucket.webhook "w": name: has a control character at byte 3; Bitbucket refuses them (remove it))"},
      {"WebhookUrlWithoutScheme", Webhook(R"(name = "ci", url = "ci.example.com/hook", events = { "repo:refs_changed" },)"), R"(main.lua:13: bitbucket.webhook "w": url: expected an http:// or https:// URL, got "ci.example.com/hook" (add the scheme: "https://ci.example.com/hook"))"},
      {"WebhookUrlWithoutHost", Webhook(R"(name = "ci", url = "https:///hook", events = { "repo:refs_changed" },)"), R"(main.lua:13: bitbucket.webhook "w": url: the URL "https:///hook" has no host (write it as "https://host/path"))"},
      {"WebhookUrlWithASpace", Webhook(R"(name = "ci", url = "https://ci.example.com/a hook", events = { "repo:refs_changed" },)"), R"(main.lua:13: bitbucket.webhook "w": url: the URL "https://ci.example.com/a hook" contains a space or control character (encode it as %20))"},
      {"UnknownEventKey", Webhook(R"(name = "ci", url = "https://ci.example.com/hook", events = { "repo:refs_changd" },)"), R"(main.lua:13: bitbucket.webhook "w": events[1]: invalid value "repo:refs_changd" (did you mean "repo:refs_changed"?))"},
      {"EmptyTokenName", Token(R"(name = "", permissions = { "REPO_READ" },)"), R"(main.lua:13: bitbucket.access_token "t": name: must not be empty: Bitbucket refuses an empty value (give it one))"},
      {"TokenNameOf256Characters", Token(R"(name = string.rep("t", 256), permissions = { "REPO_READ" },)"), R"(main.lua:13: bitbucket.access_token "t": name: is 256 characters; Bitbucket takes at most 255 (shorten it))"},
      {"UnknownPermission", Token(R"(name = "ci", permissions = { "REPO_REED" },)"), R"(main.lua:13: bitbucket.access_token "t": permissions[1]: invalid value "REPO_REED" (did you mean "REPO_READ"?))"},
      {"EmptyApplicationLinkName", Link(R"(name = "", rpc_url = "https://ci.example.com",)"), R"(main.lua:13: bitbucket.application_link "l": name: must not be empty: Bitbucket refuses an empty value (give it one))"},
      {"ApplicationLinkUrlWithoutScheme", Link(R"(name = "CI", rpc_url = "ci.example.com",)"), R"(main.lua:13: bitbucket.application_link "l": rpc_url: expected an http:// or https:// URL, got "ci.example.com" (add the scheme: "https://ci.example.com"))"},
      {"SpaceliftNameWithoutLetters", Integration(R"(name = "!!!", )" + kHosts), R"(main.lua:13: spacelift.bitbucket_datacenter_integration "i": name: has no letter or digit, so its slug (the integration's id) would be empty (name it with letters or digits))"},
      {"SpaceliftEmptyLabel", Integration(R"(name = "corp", labels = { "ok", "" }, )" + kHosts), R"(main.lua:13: spacelift.bitbucket_datacenter_integration "i": labels: item 2 must not be empty: Spacelift refuses an empty value (give it one))"},
      {"SpaceliftBadSpaceId", Integration(R"(name = "corp", space = "my space", )" + kHosts), R"(main.lua:13: spacelift.bitbucket_datacenter_integration "i": space: "my space" is not a space id (letters, digits, - and _ only, such as "root" or "team-01H..."))"},
      {"SpaceliftHostWithoutScheme", Integration(R"(name = "corp", api_host = "bitbucket.example.com", user_facing_host = "https://b.example.com",)"), R"(main.lua:13: spacelift.bitbucket_datacenter_integration "i": api_host: expected an http:// or https:// URL, got "bitbucket.example.com" (add the scheme: "https://bitbucket.example.com"))"},
      {"GitpodHostWithASpace", AuthProvider(R"(host = "bitbucket example.com",)"), R"(main.lua:13: gitpod.auth_provider "a": host: "bitbucket example.com" is not a host name (letters, digits, dots, dashes and a :port only))"},
      {"GitpodOrganizationNotAUuid", AuthProvider(R"(host = "bitbucket.example.com", organization_id = "acme",)"), R"(main.lua:13: gitpod.auth_provider "a": organization_id: expected a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e (Gitpod refuses anything else), got "acme")"},
      {"GitpodTokenUrlWithoutScheme", AuthProvider(R"(host = "bitbucket.example.com", token_url = "bitbucket.example.com/token",)"), R"(main.lua:13: gitpod.auth_provider "a": token_url: expected an http:// or https:// URL, got "bitbucket.example.com/token" (add the scheme: "https://bitbucket.example.com/token"))"},
      {"PackagistEmptyCredentialDescription",
       "packagist.credential \"c\" {\n  server = pk, description = \"\", type = \"http-basic\", credential = env \"BITBUCKET_PASSWORD\",\n}\n",
       R"(main.lua:13: packagist.credential "c": description: must not be empty: Private Packagist refuses an empty value (give it one))"},
      {"PackagistRepoUrlWithoutScheme",
       "packagist.vcs_package \"p\" {\n  server = pk, repo_url = \"bitbucket.example.com/scm/infra/api.git\",\n}\n", R"(main.lua:13: packagist.vcs_package "p": repo_url: expected an http:// or https:// URL, got "bitbucket.example.com/scm/infra/api.git" (add the scheme: "https://bitbucket.example.com/scm/infra/api.git"))"},
      {"TwoWebhooksWithOneNameAndUrl",
       Webhook(R"(name = "ci", )" + kHook) + "bitbucket.webhook \"w2\" {\n  server = bb, project = \"INFRA\", repository = \"api\",\n  name = \"ci\", " + kHook + "\n}\n",
       R"(main.lua:17: bitbucket.webhook["w2"]: has the same project "INFRA", repository "api", name "ci", url "https://ci.example.com/hook" as bitbucket.webhook["w"] (main.lua:13): both would manage one object on server "corp" (change one of them, or remove one block))"},
      {"TwoTokensWithOneName",
       Token(R"(name = "ci", permissions = { "REPO_READ" },)") + "bitbucket.access_token \"t2\" {\n  server = bb, project = \"INFRA\",\n  name = \"ci\", permissions = { \"REPO_WRITE\" },\n}\n",
       R"(main.lua:17: bitbucket.access_token["t2"]: has the same project "INFRA", name "ci" as bitbucket.access_token["t"] (main.lua:13): both would manage one object on server "corp" (change one of them, or remove one block))"},
  };
  return cases;
}

class BadInputRefused : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputRefused, ByValidateAndPlanBeforeAnyCallWithItsLineAndAWayOut) {
  Emulator bitbucket(SeedWithRepositories({"api"}));
  TempDir work;
  work.Write("main.lua", std::string(kServers) + GetParam().block);
  const std::map<std::string, std::string> env = {
      {"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"}, {"BITBUCKET_PASSWORD", "bad-input-password-3c1d"}};

  CliRun validate = RunStashform({"validate", work.path()}, {}, work.path());
  EXPECT_EQ(validate.exit_code, 1) << validate.all();
  EXPECT_NE(validate.all().find("Error: " + GetParam().message + "\n"), std::string::npos) << validate.all();

  CliRun plan = RunStashform({"plan", work.path()}, env, work.path());
  EXPECT_EQ(plan.exit_code, 1) << plan.all();
  EXPECT_NE(plan.all().find(GetParam().message), std::string::npos) << plan.all();
  EXPECT_TRUE(bitbucket.Admin("GET", "/_emulator/requests").body.at("requests").as_array().empty())
      << "plan called a server before refusing";
  EXPECT_FALSE(std::filesystem::exists(work.path() + "/stashform.state.json")) << "plan wrote a state";
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputRefused, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace stashform::testing
