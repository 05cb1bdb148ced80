#include "tests/integration/emulator_process.h"

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

/// Waits for `pid` at most `limit`; true when it was reaped.
bool Reap(int pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// Starts `args` with stdin from /dev/null and stdout, stderr into `dir`/out and `dir`/err.
int Spawn(std::vector<std::string> args, const std::string& dir) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

EmulatorProcess::EmulatorProcess(const std::string& binary, const std::string& kind, const std::string& seed_json,
                                 const std::vector<std::string>& extra_args)
    : kind_(kind) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("stashform-" + kind + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::ofstream(dir_ + "/seed.json") << seed_json;
  std::vector<std::string> args = {binary, kind, "--port", "0", "--seed", dir_ + "/seed.json"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = Spawn(args, dir_);
  if (pid_ < 0) throw std::runtime_error("cannot start the " + kind + " emulator: " + binary);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    std::string out = ReadFile(dir_ + "/out");
    auto at = out.find("listening on ");
    auto end = at == std::string::npos ? std::string::npos : out.find('\n', at);
    if (end != std::string::npos) {
      url_ = out.substr(at + 13, end - at - 13);
      break;
    }
    if (Reap(pid_, std::chrono::milliseconds(0)) || std::chrono::steady_clock::now() > deadline) {
      std::string err = ReadFile(dir_ + "/err");
      Stop();
      throw std::runtime_error("the " + kind + " emulator did not start: " + err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
}

EmulatorProcess::~EmulatorProcess() { Stop(); }

void EmulatorProcess::Stop() {
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

EmulatorProcess::Answer EmulatorProcess::Admin(const std::string& method, const std::string& path,
                                               const std::string& body) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  httplib::Result result = method == "POST"     ? client.Post(path.c_str(), body, "application/json")
                           : method == "PUT"    ? client.Put(path.c_str(), body, "application/json")
                           : method == "PATCH"  ? client.Patch(path.c_str(), body, "application/json")
                           : method == "DELETE" ? client.Delete(path.c_str())
                                                : client.Get(path.c_str());
  if (!result) throw std::runtime_error("the " + kind_ + " emulator's admin call failed: " + method + " " + path);
  Answer answer;
  answer.status = result->status;
  boost::system::error_code ec;
  if (!result->body.empty()) answer.body = json::parse(result->body, ec);
  return answer;
}

std::vector<json::value> EmulatorProcess::ListAt(const std::string& path, const std::string& key) const {
  json::value answer = Admin("GET", path).body;
  const json::array& entries = answer.at(key).as_array();
  return {entries.begin(), entries.end()};
}

}  // namespace stashform::testing
