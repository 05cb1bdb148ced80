#include "tests/integration/packagist_harness.h"

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

}  // namespace

std::string PackagistSeed(const std::string& extra_members) {
  std::string seed = std::string(R"({"apiKeys":[{"key":")") + kPackagistApiKey + R"(","secret":")" + kPackagistApiSecret + R"("}])";
  return seed + (extra_members.empty() ? "" : "," + extra_members) + "}";
}

PackagistEmulator::PackagistEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args) {
  std::string pattern = (std::filesystem::temp_directory_path() / "stashform-pk-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::ofstream(dir_ + "/seed.json") << seed_json;
  std::vector<std::string> args = {EMULATOR_BIN, "packagist", "--port", "0", "--seed", dir_ + "/seed.json"};
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
  if (rc != 0) throw std::runtime_error("cannot start the Packagist emulator");
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (url_.empty()) {
    std::string out = ReadFile(dir_ + "/out");
    auto at = out.find("listening on ");
    auto end = at == std::string::npos ? std::string::npos : out.find('\n', at);
    if (end != std::string::npos) break;
    if (Reap(pid_, std::chrono::milliseconds(0)) || std::chrono::steady_clock::now() > deadline) {
      std::string err = ReadFile(dir_ + "/err");
      Stop();
      throw std::runtime_error("Packagist emulator did not start: " + err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string out = ReadFile(dir_ + "/out");
  auto at = out.find("listening on ");
  url_ = out.substr(at + 13, out.find('\n', at) - at - 13);
  port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
}

PackagistEmulator::~PackagistEmulator() { Stop(); }

void PackagistEmulator::Stop() {
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

PackagistEmulator::Answer PackagistEmulator::Admin(const std::string& method, const std::string& path,
                                                   const std::string& body) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  httplib::Result result = method == "POST"     ? client.Post(path.c_str(), body, "application/json")
                           : method == "PUT"    ? client.Put(path.c_str(), body, "application/json")
                           : method == "PATCH"  ? client.Patch(path.c_str(), body, "application/json")
                           : method == "DELETE" ? client.Delete(path.c_str())
                                                : client.Get(path.c_str());
  if (!result) throw std::runtime_error("Packagist emulator admin call failed: " + method + " " + path);
  Answer answer;
  answer.status = result->status;
  boost::system::error_code ec;
  if (!result->body.empty()) answer.body = json::parse(result->body, ec);
  return answer;
}

json::value PackagistEmulator::Dump() const { return Admin("GET", "/_emulator/dump").body; }

std::vector<json::value> PackagistEmulator::Requests() const {
  json::value log = Admin("GET", "/_emulator/requests").body;
  const json::array& entries = log.at("requests").as_array();
  return {entries.begin(), entries.end()};
}

}  // namespace stashform::testing
