#include "bench/cli_bench.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;

namespace stashform::bench {

namespace json = boost::json;

std::string Seed(int repositories) {
  json::array repos;
  for (int i = 1; i <= repositories; ++i) repos.push_back(json::object{{"slug", fmt::format("repo-{}", i)}});
  return json::serialize(json::object{
      {"users", json::array{json::object{{"name", "admin"}, {"password", "admin"}, {"admin", true}}}},
      {"projects", json::array{json::object{{"key", "INFRA"}, {"repositories", repos}}}}});
}

std::string Config(const std::string& url, int repositories, int per_repository, const std::string& server_extra) {
  return fmt::format(R"(local bb = bitbucket.server "corp" {{ url = "{}", username = "admin", password = "admin"{} }}
for i = 1, {} do
  local slug = "repo-" .. i
  for h = 1, {} do
    bitbucket.webhook ("INFRA/" .. slug .. (h == 1 and "" or "/" .. h)) {{
      server = bb, project = "INFRA", repository = slug, name = h == 1 and "ci" or "ci-" .. h,
      url = "https://ci.example.com/hook", events = {{ "repo:refs_changed", "pr:merged" }},
    }}
  end
end
)", url, server_extra, repositories, per_repository);
}

Run RunCli(std::vector<std::string> args, const std::string& dir, const std::vector<std::string>& wrapper) {
  // STASHFORM_BENCH_BIN runs another build (say, main's) against the same scenario, for before/after.
  const char* other = std::getenv("STASHFORM_BENCH_BIN");
  args.insert(args.begin(), other && *other ? other : STASHFORM_BIN);
  args.insert(args.begin(), wrapper.begin(), wrapper.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, (dir + "/cli.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, (dir + "/cli.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  Run run;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) return run;
  // Bounded: a run past ten minutes is killed and reported as such.
  auto deadline = start + std::chrono::minutes(10);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() > deadline) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.peak_kib = usage.ru_maxrss;
  run.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return run;
}

std::vector<Logged> RequestsSince(const testing::Emulator& emulator, int64_t& since) {
  auto answer = emulator.Admin("GET", fmt::format("/_emulator/requests?since={}", since));
  std::vector<Logged> out;
  for (const auto& entry : answer.body.at("requests").as_array()) {
    since = std::max(since, entry.at("sequence").to_number<int64_t>());
    Logged logged;
    logged.method = std::string(entry.at("method").as_string());
    if (const auto* status = entry.as_object().if_contains("status")) logged.status = status->to_number<int>();
    if (const auto* time = entry.as_object().if_contains("time")) logged.time_ms = time->to_number<int64_t>();
    out.push_back(std::move(logged));
  }
  return out;
}

std::string ByMethod(const std::vector<Logged>& requests) {
  std::map<std::string, int> counts;
  for (const auto& r : requests) ++counts[r.method];
  std::string text;
  for (const auto& [method, count] : counts) text += fmt::format(" {}={}", method, count);
  return text;
}

int CountStatus(const std::vector<Logged>& requests, int status) {
  return static_cast<int>(std::count_if(requests.begin(), requests.end(), [&](const Logged& r) { return r.status == status; }));
}

std::string InFlightOverTime(const std::vector<Logged>& requests, int latency_ms) {
  if (requests.size() < 2) return "-";
  auto [first, last] = std::minmax_element(requests.begin(), requests.end(),
                                           [](const Logged& a, const Logged& b) { return a.time_ms < b.time_ms; });
  const double span = std::max<int64_t>(1, last->time_ms - first->time_ms + latency_ms);
  std::vector<int> arrivals(10, 0);
  for (const auto& r : requests)
    ++arrivals[std::min<size_t>(9, static_cast<size_t>((r.time_ms - first->time_ms) * 10 / span))];
  std::string text;
  for (int count : arrivals) text += fmt::format(" {:.0f}", count * latency_ms / (span / 10));
  return text;
}

std::vector<std::string> StraceWrapper(const std::string& dir) {
  // seccomp-bpf: only the counted calls stop the process, so the run keeps near its real speed.
  return {"strace", "-f", "-c", "-w", "--seccomp-bpf", "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,futex",
          "-o", dir + "/strace.txt"};
}

SyscallBreakdown ReadStrace(const std::string& dir) {
  SyscallBreakdown b;
  std::ifstream file(dir + "/strace.txt");
  std::string line;
  while (std::getline(file, line)) {
    // "% time     seconds  usecs/call     calls    errors syscall"
    std::istringstream row(line);
    double percent = 0, seconds = 0;
    long per_call = 0, calls = 0;
    if (!(row >> percent >> seconds >> per_call >> calls)) continue;
    std::vector<std::string> rest;
    for (std::string word; row >> word;) rest.push_back(word);
    if (rest.empty()) continue;
    const std::string& name = rest.back();
    b.available = true;
    if (name == "fsync") b.fsyncs += calls, b.fsync_s += seconds;
    else if (name == "fdatasync") b.fdatasyncs += calls, b.fdatasync_s += seconds;
    else if (name == "futex") b.futexes += calls, b.futex_s += seconds;
    else if (name.rfind("rename", 0) == 0) b.renames += calls;
  }
  return b;
}

std::string Describe(const SyscallBreakdown& b) {
  if (!b.available) return "breakdown: strace unavailable";
  return fmt::format("state writes (renames) {}, fsync {} ({:.2f} s), journal fdatasync {} ({:.2f} s), "
                     "futex waits {} ({:.2f} s summed over threads)",
                     b.renames, b.fsyncs, b.fsync_s, b.fdatasyncs, b.fdatasync_s, b.futexes, b.futex_s);
}

}  // namespace stashform::bench
