// Prints how long a run takes to load a state of many resources and save it after one change,
// and that run's peak memory. Targets (issue 5): load + save under one second, under 500 MiB.
// First, the CPU time of recording that many creates in the state, as an apply does. Printed,
// never asserted. Each measured run is a fresh process so that building the sample state does not
// count towards its peak memory.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "base/digest.h"
#include "state/local_store.h"

namespace stashform::state {
namespace {

ResourceState Webhook(int i) {
  ResourceState r;
  std::string project = "PROJ" + std::to_string(i % 100);
  r.address = {"", "bitbucket.webhook", project + "/repo-" + std::to_string(i)};
  r.server = "corp";
  r.id = std::to_string(i);
  r.attributes = Value::Map{
      {"project", project},
      {"repository", "repo-" + std::to_string(i)},
      {"name", "ci"},
      {"url", "https://ci.example.com/hooks/" + std::to_string(i)},
      {"events", Value::StringList({"repo:refs_changed", "pr:opened", "pr:merged"})},
      {"active", true},
      {"secret", Value::Sensitive(SecretDigest("secret-" + std::to_string(i)))},
  };
  r.dependencies = {"bitbucket.server[\"corp\"]"};
  return r;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long PeakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // Linux reports KiB
}

Status WriteSample(const std::string& path, int count, const StateStoreOptions& options) {
  State state = State::New("bench");
  state.resources.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) state.resources.push_back(Webhook(i));
  return OpenLocalStore(path, options)->Save(state);
}

// One run as stashform does it: load, change one resource, save.
int MeasureRun(const std::string& label, const std::string& path) {
  auto options = StateStoreOptionsFromEnvironment();
  if (!options.ok()) return std::fprintf(stderr, "%s\n", options.message().c_str()), 1;
  auto store = OpenLocalStore(path, *options);
  double cpu = CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto loaded = store->Load();
  double load_s = Seconds(start);
  double load_cpu = CpuSeconds() - cpu;
  if (!loaded.ok() || !loaded->has_value()) return std::fprintf(stderr, "%s\n", loaded.message().c_str()), 1;
  State state = std::move(**loaded);
  state.resources.front().attributes["active"] = false;
  start = std::chrono::steady_clock::now();
  cpu = CpuSeconds();
  Status saved = store->Save(state);
  double save_s = Seconds(start);
  double save_cpu = CpuSeconds() - cpu;
  if (!saved.ok()) return std::fprintf(stderr, "%s\n", saved.message().c_str()), 1;
  // CPU time beside wall time: on a loaded machine the wall figures mostly measure the others.
  std::printf("%-22s load %.3f s (cpu %.3f)  save %.3f s (cpu %.3f)  total %.3f s (cpu %.3f)  file %.1f MiB  peak RSS %ld MiB\n",
              label.c_str(), load_s, load_cpu, save_s, save_cpu, load_s + save_s, load_cpu + save_cpu,
              double(std::filesystem::file_size(path)) / (1 << 20), PeakMiB());
  return 0;
}

// An apply's edits as the state writer makes them: each create recorded with its intent added and
// dropped, in the order the config lists them (repo-1, repo-2, ...), which is not address order.
void MeasureEdits(int count) {
  State state = State::New("bench");
  double cpu = CpuSeconds();
  for (int i = 0; i < count; ++i) {
    ResourceState created = Webhook(i);
    state.AddIntent({created.address, "corp", {}, i});
    ResourceAddress address = created.address;
    state.Upsert(std::move(created));
    state.RemoveIntent(address);
  }
  std::printf("%-22s %d creates recorded: cpu %.3f s\n", "state edits", count, CpuSeconds() - cpu);
}

// Runs this program again in measuring mode; the key travels in the environment, as in real use.
bool SpawnRun(const char* self, const std::string& label, const std::string& path) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/proc/self/exe", self, "--measure", label.c_str(), path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace
}  // namespace stashform::state

int main(int argc, char** argv) {
  using namespace stashform::state;
  if (argc == 4 && std::strcmp(argv[1], "--measure") == 0) return MeasureRun(argv[2], argv[3]);
  int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  std::string folder = (std::filesystem::temp_directory_path() / "stashform-bench-XXXXXX").string();
  if (!mkdtemp(folder.data())) return 1;
  std::printf("state_io_bench: %d resources\n", count);
  MeasureEdits(count);
  const std::string key(64, 'a');
  StateStoreOptions encrypted;
  encrypted.key = *ParseRawKey(key, "bench key");
  bool ok = WriteSample(folder + "/plain.json", count, {}).ok() &&
            WriteSample(folder + "/encrypted.json", count, encrypted).ok();
  unsetenv("STASHFORM_STATE_PASSPHRASE");
  unsetenv("STASHFORM_STATE_KEY_FILE");
  unsetenv("STASHFORM_STATE_KEY");
  ok = ok && SpawnRun(argv[0], "plaintext", folder + "/plain.json");
  setenv("STASHFORM_STATE_KEY", key.c_str(), 1);
  ok = ok && SpawnRun(argv[0], "AES-256-GCM (raw key)", folder + "/encrypted.json");
  std::filesystem::remove_all(folder);
  return ok ? 0 : 1;
}
