#include "tests/integration/packagist_stories.h"

namespace stashform::testing {

namespace json = boost::json;

std::string PackagistConfig(const std::string& body) {
  return std::string(R"(variable "bitbucket_url" { type = "string" }
variable "packagist_url" { type = "string" }
local bb = bitbucket.server "corp" {
  url      = var.bitbucket_url,
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}
local org = packagist.account "acme" {
  url        = var.packagist_url,
  api_key    = env "PACKAGIST_API_KEY",
  api_secret = env "PACKAGIST_API_SECRET",
}
local pp = import "packagist"
)") + body;
}

std::string PackagistOAuth2Guide() {
  return PackagistConfig(R"(pp.integration(bb, { name = "On-premise Bitbucket", packagist_url = var.packagist_url })
pp.packages(bb, org, bitbucket.repositories { server = bb, project = "INFRA" }, { username = "admin" })
)");
}

std::string PackagistOAuth1Guide(const std::string& extra_options) {
  return PackagistConfig(R"(pp.integration(bb, {
  name = "On-premise Bitbucket", packagist_url = var.packagist_url, oauth = 1,
  client_id = "packagist-consumer-3f9a", certificate = import "certificate",)" + extra_options + R"(
})
)");
}

std::string CertificateModule(const std::string& pem) { return "return [[" + pem + "]]\n"; }

PackagistStory::PackagistStory(const std::vector<std::string>& bitbucket_args,
                               const std::vector<std::string>& packagist_args)
    : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"}), bitbucket_args),
      packagist(PackagistSeed(), packagist_args) {
  work.Write("main.lua", PackagistOAuth2Guide());
  env = {{"STASHFORM_VAR_bitbucket_url", bitbucket.url()}, {"STASHFORM_VAR_packagist_url", packagist.url()},
         {"BITBUCKET_USER", "admin"},                       {"BITBUCKET_PASSWORD", "admin"},
         {"PACKAGIST_API_KEY", kPackagistApiKey},           {"PACKAGIST_API_SECRET", kPackagistApiSecret}};
}

PackagistStory::~PackagistStory() {
  EXPECT_EQ(transcript.find(kPackagistApiSecret), std::string::npos) << "the Packagist API secret was printed";
  json::value dump = bitbucket.Admin("GET", "/_emulator/dump").body;
  for (const auto& token : dump.at("accessTokens").as_array())
    EXPECT_EQ(transcript.find(std::string(token.at("token").as_string())), std::string::npos) << "a token was printed";
  for (const auto& client : dump.at("oauth2Clients").as_array())
    EXPECT_EQ(transcript.find(std::string(client.at("clientSecret").as_string())), std::string::npos)
        << "the OAuth 2 client secret was printed";
}

CliRun PackagistStory::Stashform(std::vector<std::string> args) {
  args.push_back(work.path());
  CliRun run = RunStashform(args, env, work.path());
  transcript += run.all();
  return run;
}

std::string PackagistStory::CloneUrl(const std::string& slug) const {
  return bitbucket.url() + "/scm/infra/" + slug + ".git";
}

json::array PackagistStory::Packages() const { return packagist.Dump().at("packages").as_array(); }

json::array PackagistStory::Credentials() const { return packagist.Dump().at("credentials").as_array(); }

}  // namespace stashform::testing
