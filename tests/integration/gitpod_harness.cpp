#include "tests/integration/gitpod_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace stashform::testing {

namespace json = boost::json;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Reap(int pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

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

GitpodEmulator::GitpodEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args) {
  std::string pattern = (std::filesystem::temp_directory_path() / "stashform-gitpod-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::string seed = dir_ + "/seed.json";
  std::ofstream(seed) << seed_json;
  std::vector<std::string> args = {EMULATOR_BIN, "gitpod", "--port", "0", "--seed", seed};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir_ + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir_ + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start the Gitpod emulator");
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (url_.empty()) {
    std::string out = ReadFile(dir_ + "/out");
    auto at = out.find("listening on ");
    auto end = at == std::string::npos ? std::string::npos : out.find('\n', at);
    if (end != std::string::npos) url_ = out.substr(at + 13, end - at - 13);
    if (!url_.empty()) break;
    if (Reap(pid_, std::chrono::milliseconds(0)) || std::chrono::steady_clock::now() > deadline) {
      std::string err = ReadFile(dir_ + "/err");
      Stop();
      throw std::runtime_error("Gitpod emulator did not start: " + err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
}

GitpodEmulator::~GitpodEmulator() { Stop(); }

void GitpodEmulator::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!Reap(pid_, std::chrono::seconds(10))) {
      kill(pid_, SIGKILL);
      Reap(pid_, std::chrono::seconds(10));
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

GitpodEmulator::Answer GitpodEmulator::Admin(const std::string& method, const std::string& path,
                                             const std::string& body) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  httplib::Result result = method == "POST"     ? client.Post(path.c_str(), body, "application/json")
                           : method == "PATCH"  ? client.Patch(path.c_str(), body, "application/json")
                           : method == "DELETE" ? client.Delete(path.c_str())
                                                : client.Get(path.c_str());
  if (!result) throw std::runtime_error("Gitpod emulator admin call failed: " + method + " " + path);
  Answer answer;
  answer.status = result->status;
  boost::system::error_code ec;
  if (!result->body.empty()) answer.body = json::parse(result->body, ec);
  return answer;
}

std::vector<json::value> GitpodEmulator::Providers() const {
  return ListOf(Admin("GET", "/_emulator/dump").body, "authProviders");
}

std::vector<json::value> GitpodEmulator::Requests() const {
  return ListOf(Admin("GET", "/_emulator/requests").body, "requests");
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
