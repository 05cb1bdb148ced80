#include "tests/integration/spacelift_stories.h"

namespace stashform::testing {

namespace json = boost::json;

std::string StoryGuide(const std::string& extra) {
  return std::string(R"(variable "integration_name" { type = "string", default = "corp-bitbucket" }
variable "is_default" { type = "bool", default = false }
local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}
local acct = spacelift.account "spl" {
  api_url        = env "SPACELIFT_API_URL",
  api_key_id     = env "SPACELIFT_API_KEY_ID",
  api_key_secret = env "SPACELIFT_API_KEY_SECRET",
}
local spl = import "spacelift"
spl.wire(bb, acct, {
  { project = "INFRA", slug = "tf-network", stack = "tf-network" },
  { project = "INFRA", slug = "tf-dns",     stack = "tf-dns" },
}, { name = var.integration_name, is_default = var.is_default, username = "admin",
     access_token = env "BITBUCKET_TOKEN" })
)") + extra;
}

/// The stacks, and an integration "other" that the config does not manage (someone else's).
std::string StorySeed() {
  json::value seed = json::parse(SpaceliftSeed({"tf-network", "tf-dns"}));
  seed.as_object()["integrations"] = json::array{json::object{{"name", "other"},
                                                              {"apiHost", "https://other.example"},
                                                              {"userFacingHost", "https://other.example"},
                                                              {"username", "other-bot"},
                                                              {"accessToken", "other-token"}}};
  return json::serialize(seed);
}

SpaceliftStory::SpaceliftStory(const std::vector<std::string>& bitbucket_args,
                               const std::vector<std::string>& spacelift_args)
    : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"}), bitbucket_args),
      spacelift(StorySeed(), spacelift_args) {
  work.Write("main.lua", StoryGuide());
  env = {{"BITBUCKET_URL", bitbucket.url()},        {"BITBUCKET_USER", "admin"},
         {"BITBUCKET_PASSWORD", "admin"},           {"SPACELIFT_API_URL", spacelift.url()},
         {"SPACELIFT_API_KEY_ID", "stashform-key"}, {"SPACELIFT_API_KEY_SECRET", kStoryApiKeySecret},
         {"BITBUCKET_TOKEN", kStoryBitbucketToken}};
}

SpaceliftStory::~SpaceliftStory() {
  EXPECT_EQ(transcript.find(kStoryBitbucketToken), std::string::npos) << "the Bitbucket token was printed";
  EXPECT_EQ(transcript.find(kStoryApiKeySecret), std::string::npos) << "the API key secret was printed";
}

CliRun SpaceliftStory::Stashform(std::vector<std::string> args) {
  args.push_back(work.path());
  CliRun run = RunStashform(args, env, work.path());
  transcript += run.all();
  return run;
}

std::string SpaceliftStory::Secret(const std::string& integration) const {
  json::value stored = spacelift.Integration(integration);
  return stored.is_object() ? std::string(stored.at("webhookSecret").as_string()) : "";
}

void SpaceliftStory::ExpectWired(const std::string& integration) {
  json::value stored = spacelift.Integration(integration);
  ASSERT_TRUE(stored.is_object()) << "no integration " << integration;
  std::string secret(stored.at("webhookSecret").as_string());
  EXPECT_EQ(transcript.find(secret), std::string::npos) << "a webhook secret was printed";
  auto hooks = bitbucket.Webhooks();
  EXPECT_EQ(hooks.size(), 2u);
  for (const auto& hook : hooks) {
    EXPECT_EQ(hook.at("url"), stored.at("webhookURL"));
    EXPECT_EQ(hook.at("configuration").at("secret").as_string(), secret);
  }
  for (const char* stack : {"tf-network", "tf-dns"}) {
    json::value found = spacelift.Stack(stack);
    ASSERT_TRUE(found.is_object()) << "stack " << stack << " is gone";
    json::value bound = found.at("vcsIntegration");
    ASSERT_TRUE(bound.is_object()) << stack << " is detached";
    EXPECT_EQ(bound.at("id").as_string(), integration) << stack;
  }
}

void SpaceliftStory::ExpectRepaired(const std::string& integration) {
  ExpectWired(integration);
  EXPECT_TRUE(spacelift.Integration("other").is_object()) << "an integration the config does not manage was deleted";
  CliRun settled = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(settled.exit_code, 0) << settled.all();
}

}  // namespace stashform::testing
