// Prints what sharing state on PostgreSQL costs beside a local file: taking and giving back the
// lock, saving a whole state (a run's first write), one journal record (a run's write after each
// create), and a run's load + one change + save, for 1,000 and 100,000 resources. Printed, never
// asserted.
//
//   state_backends_bench [postgres://URL]   (default: STASHFORM_BENCH_PG_URL, else a server it
//                                            starts with tests/support/pg_server.sh, fsync on)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "base/digest.h"
#include "state/lock_info.h"
#include "state/state_location.h"

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
  return r;
}

State Sample(int count) {
  State state = State::New("bench");
  for (int i = 0; i < count; ++i) state.resources.push_back(Webhook(i));
  return state;
}

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// Lock acquire and release, each the median of `rounds` on a fresh store as separate runs do.
void MeasureLock(const std::string& where, const std::string& label) {
  std::vector<double> acquire, release;
  for (int round = 0; round < 30; ++round) {
    auto store = OpenStateStore(where);
    store->locker().Holder();  // connect first: a run connects once, whatever it locks
    auto start = std::chrono::steady_clock::now();
    if (!store->locker().Acquire(NewLockInfo("bench", ""), std::chrono::milliseconds(0)).ok()) return;
    acquire.push_back(Ms(start));
    start = std::chrono::steady_clock::now();
    store->locker().Release();
    release.push_back(Ms(start));
  }
  std::printf("  %-10s lock acquire %7.2f ms   release %7.2f ms   (median of 30)\n", label.c_str(), Median(acquire),
              Median(release));
}

/// A full save of `count` resources, a journal record, then a run's load + one change + save.
bool MeasureSaves(const std::string& where, const std::string& label, int count) {
  State state = Sample(count);
  auto first = OpenStateStore(where);
  auto start = std::chrono::steady_clock::now();
  Status saved = first->Save(state);
  double full_ms = Ms(start);
  if (!saved.ok()) return std::fprintf(stderr, "%s\n", saved.message().c_str()), false;
  start = std::chrono::steady_clock::now();
  auto appended = first->Append({StateChange::Upsert(Webhook(count + 1))});
  double append_ms = Ms(start);
  if (!appended.ok()) return std::fprintf(stderr, "%s\n", appended.message().c_str()), false;
  auto run = OpenStateStore(where);
  start = std::chrono::steady_clock::now();
  auto loaded = run->Load();
  double load_ms = Ms(start);
  if (!loaded.ok() || !loaded->has_value()) return false;
  State again = std::move(**loaded);
  again.resources.front().attributes["active"] = false;
  start = std::chrono::steady_clock::now();
  saved = run->Save(again);
  double resave_ms = Ms(start);
  if (!saved.ok()) return std::fprintf(stderr, "%s\n", saved.message().c_str()), false;
  std::printf("  %-10s save %9.1f ms   journal record %6.2f ms   load %8.1f ms   load+change+save %8.1f ms\n",
              label.c_str(), full_ms, append_ms, load_ms, load_ms + resave_ms);
  return true;
}

int RunScript(const std::string& action, const std::string& dir) {
  return std::system(("STASHFORM_PG_FSYNC=on " + std::string(PG_SERVER_SCRIPT) + " " + action + " " + dir).c_str());
}

}  // namespace
}  // namespace stashform::state

int main(int argc, char** argv) {
  using namespace stashform::state;
  std::string url = argc > 1 ? argv[1] : (std::getenv("STASHFORM_BENCH_PG_URL") ? std::getenv("STASHFORM_BENCH_PG_URL") : "");
  std::string server_dir;
  if (url.empty()) {
    server_dir = (std::filesystem::temp_directory_path() / ("stashform-bench-pg-" + std::to_string(getpid()))).string();
    if (RunScript("start", server_dir) != 0) return 1;
    std::getline(std::ifstream(server_dir + "/url"), url);
  }
  std::string folder = (std::filesystem::temp_directory_path() / "stashform-bench-XXXXXX").string();
  bool ok = mkdtemp(folder.data()) != nullptr;
  const std::string schema = "bench_" + std::to_string(getpid());
  std::printf("state_backends_bench: PostgreSQL at %s (schema %s) beside files in %s\n",
              DescribeLocation(url).c_str(), schema.c_str(), folder.c_str());
  for (int count : {1000, 100000}) {
    if (!ok) break;
    std::printf("%d resources\n", count);
    const std::string file = folder + "/state-" + std::to_string(count) + ".json";
    const std::string pg = url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema +
                           "&workspace=w" + std::to_string(count);
    MeasureLock(file, "file");
    MeasureLock(pg, "postgres");
    ok = MeasureSaves(file, "file", count) && MeasureSaves(pg, "postgres", count);
  }
  std::filesystem::remove_all(folder);
  if (!server_dir.empty()) RunScript("stop", server_dir);
  return ok ? 0 : 1;
}
