#include "tests/integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

// The integration suite sets it so that secret_scan can read every CLI run; other users need not.
#ifndef TRANSCRIPT_DIR
#define TRANSCRIPT_DIR ""
#endif

namespace stashform::testing {

namespace fs = std::filesystem;
namespace json = boost::json;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "stashform-it-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& text) const {
  std::string file = path_ + "/" + name;
  fs::create_directories(fs::path(file).parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::string TempDir::Read(const std::string& name) const {
  std::ifstream in(name.rfind('/', 0) == 0 ? name : path_ + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) merged[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// Spawns `argv` with stdout/stderr to files, stdin from /dev/null, optionally in `cwd`.
int Spawn(std::vector<std::string> argv, const std::map<std::string, std::string>& env, const std::string& out,
          const std::string& err, const std::string& cwd) {
  if (!cwd.empty()) {
    // posix_spawn has no portable chdir action in glibc 2.36; a shell-free wrapper is `env -C`.
    argv.insert(argv.begin(), {"/usr/bin/env", "-C", cwd});
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  auto environment = Environment(env);
  auto envp = Pointers(environment);
  auto args = Pointers(argv);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

int WaitWithDeadline(int pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool LooksSecret(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"SECRET", "TOKEN", "PASSWORD", "PASSPHRASE", "KEY"})
    if (name.find(word) != std::string::npos) return true;
  return false;
}

void AppendAtOnce(const std::string& path, const std::string& text) {
  // One write() on an O_APPEND file: ctest's parallel test processes do not interleave records.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) return;
  ssize_t written = write(fd, text.data(), text.size());
  (void)written;
  close(fd);
}

/// Every byte a CLI run printed goes to the suite's transcript, and every secret-looking value it
/// was given to the suite's list of secrets; the secret_scan test reads both after the suite.
void RecordTranscript(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                      const CliRun& run) {
  if (std::string(TRANSCRIPT_DIR).empty()) return;  // a user of the harness outside the scanned suite
  fs::create_directories(TRANSCRIPT_DIR);
  std::string secrets;
  for (const auto& [name, value] : env)
    if (LooksSecret(name) && value.size() >= 6 && value.find('\n') == std::string::npos) secrets += value + "\n";
  if (!secrets.empty()) AppendAtOnce(std::string(TRANSCRIPT_DIR) + "/secrets.txt", secrets);
  std::string record = "$ stashform";
  for (const auto& arg : args) record += " " + arg;
  AppendAtOnce(std::string(TRANSCRIPT_DIR) + "/transcript.txt", record + "\n" + run.out + run.err + "\n");
}

}  // namespace

CliRun RunStashform(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                    const std::string& cwd) {
  TempDir io;
  int pid = StartStashform(args, env, cwd, io.path() + "/out", io.path() + "/err");
  CliRun run;
  run.exit_code = WaitWithDeadline(pid, std::chrono::seconds(120));
  run.out = ReadFile(io.path() + "/out");
  run.err = ReadFile(io.path() + "/err");
  // NO_COLOR, which StartStashform adds, is no secret: the caller's env is all the scan needs.
  RecordTranscript(args, env, run);
  return run;
}

int StartStashform(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string& cwd, const std::string& out_path, const std::string& err_path) {
  std::vector<std::string> argv = {STASHFORM_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> environment = env;
  environment.emplace("NO_COLOR", "1");
  return Spawn(argv, environment, out_path, err_path, cwd);
}

int WaitStashform(int pid, std::chrono::milliseconds limit) { return WaitWithDeadline(pid, limit); }

Emulator::Emulator(const std::string& seed_json, const std::vector<std::string>& extra_args) {
  std::string seed = dir_.Write("seed.json", seed_json);
  std::vector<std::string> argv = {EMULATOR_BIN, "bitbucket", "--port", "0", "--seed", seed};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = Spawn(argv, {}, dir_.path() + "/out", dir_.path() + "/err", "");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (url_.empty()) {
    std::string out = ReadFile(dir_.path() + "/out");
    auto at = out.find("listening on ");
    auto end = at == std::string::npos ? std::string::npos : out.find('\n', at);
    if (end != std::string::npos) url_ = out.substr(at + 13, end - at - 13);
    int status = 0;
    if (url_.empty() && (waitpid(pid_, &status, WNOHANG) != 0 || std::chrono::steady_clock::now() > deadline))
      throw std::runtime_error("emulator did not start: " + ReadFile(dir_.path() + "/err"));
    if (url_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto colon = url_.rfind(':');
  host_ = url_.substr(7, colon - 7);
  port_ = std::stoi(url_.substr(colon + 1));
}

Emulator::~Emulator() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (WaitWithDeadline(pid_, std::chrono::seconds(10)) < 0) kill(pid_, SIGKILL);
  }
}

Emulator::Answer Emulator::Admin(const std::string& method, const std::string& path, const std::string& body) const {
  httplib::Client client(host_, port_);
  client.set_read_timeout(10, 0);
  auto send = [&]() -> httplib::Result {
    if (method == "POST") return client.Post(path.c_str(), body, "application/json");
    if (method == "PUT") return client.Put(path.c_str(), body, "application/json");
    if (method == "PATCH") return client.Patch(path.c_str(), body, "application/json");
    if (method == "DELETE") return client.Delete(path.c_str());
    return client.Get(path.c_str());
  };
  httplib::Result result = send();
  if (!result) throw std::runtime_error("emulator admin call failed: " + method + " " + path);
  Answer answer;
  answer.status = result->status;
  boost::system::error_code ec;
  if (!result->body.empty()) answer.body = json::parse(result->body, ec);
  return answer;
}

std::vector<json::value> Emulator::Webhooks() const {
  auto dump = Admin("GET", "/_emulator/dump");
  std::vector<json::value> out;
  if (const auto* hooks = dump.body.as_object().if_contains("webhooks"))
    for (const auto& hook : hooks->as_array()) out.push_back(hook);
  return out;
}

std::string SeedWithRepositories(const std::vector<std::string>& slugs) {
  json::array repositories;
  for (const auto& slug : slugs) repositories.push_back(json::object{{"slug", slug}, {"name", slug}});
  json::object seed{
      {"users", json::array{json::object{{"name", "admin"}, {"password", "admin"}, {"admin", true}},
                            json::object{{"name", "viewer"}, {"password", "viewer"}, {"admin", false}}}},
      {"projects", json::array{json::object{{"key", "INFRA"}, {"name", "Infrastructure"},
                                            {"repositories", repositories}}}}};
  return json::serialize(seed);
}

}  // namespace stashform::testing
