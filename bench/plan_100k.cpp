// Prints how long refresh and plan take for a config of many resources against a fake provider that
// makes each answer from the object's id (no network, no objects held), the peak memory after each
// phase, and the time to render the plan as JSON and text. Target (issue 6): plan 100,000 resources
// in under one second and 500 MiB.
// Printed, never asserted. Usage: plan_100k [N] (default 100000) [--copy-refreshed]. The plan takes
// the refreshed attributes into its changes as the commands do (MakePlanTakingRefreshed);
// --copy-refreshed plans with MakePlan, which copies them and leaves the refresh as it was.
// plan_100k --scaling runs N = 1,000, 10,000 and 100,000, each in a fresh process, and prints the
// time and memory per resource of each (cost should grow linearly: the figures stay close).
//
// The sample: resources fake.thing "t<i>"; every odd one refers to the id of the one before it
// (half the config holds a reference). Nine in ten exist already (in state and remotely); of those
// one in ten has a size that differs from config (an update); the tenth of each ten (i % 10 == 8)
// is new (a create), so its odd neighbour's reference is "known after apply" (an update too).
#include <unistd.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>

#include "dsl/config.h"
#include "reconciler/engine/planner.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/engine/servers.h"
#include "reconciler/render/json.h"
#include "reconciler/render/plan_representation.h"
#include "reconciler/render/text.h"
#include "state/state.h"
#include "tests/reconciler/fake_provider.h"

namespace stashform {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

long PeakKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // Linux reports KiB
}
long PeakMiB() { return PeakKiB() / 1024; }

/// The resident pages that map files (the program's and its libraries' code and data), in KiB:
/// they are paged in as code runs for the first time, so a run's growth past its start holds
/// them whatever its N.
long FileBackedKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("RssFile:", 0) == 0) return std::atol(line.c_str() + 8);
  return 0;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// An output that counts what is written to it and keeps none of it.
struct ByteCounter : std::streambuf {
  size_t bytes = 0;
  int overflow(int c) override { return ++bytes, traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return bytes += static_cast<size_t>(n), n; }
};

ResourceAddress Address(int i) { return {"", "fake.thing", "t" + std::to_string(i)}; }
std::string Id(int i) { return std::to_string(1000000 + i); }
bool IsNew(int i) { return i % 10 == 8; }
bool SizeDiffers(int i) { return i % 10 == 3; }

// Object i as the remote holds it (and state recorded it at the last apply).
Value::Map RemoteObject(int i) {
  Value::Map attributes{{"id", Value(Id(i))},
                        {"name", Value("thing-" + std::to_string(i))},
                        {"size", Value(SizeDiffers(i) ? 1 : 2)},
                        {"secret", Value::Sensitive(Value(""))}};
  if (i % 2 == 1 && !IsNew(i - 1)) attributes["peer"] = Value(Id(i - 1));
  return attributes;
}

// The remote makes each object as it is read, from its id: like a real server's, its objects take
// no memory in this process, so the peak is stashform's own.
std::optional<Value::Map> ReadRemote(const std::string& id, int count) {
  int i = std::atoi(id.c_str()) - 1000000;
  if (i < 0 || i >= count || IsNew(i)) return std::nullopt;
  return RemoteObject(i);
}

int Run(int count, bool copy_refreshed) {
  const long start_kib = PeakKiB();
  const long start_file_kib = FileBackedKiB();
  testing::FakeRemote remote;
  remote.made_on_read = [count](const std::string& id) { return ReadRemote(id, count); };
  provider::Registry registry;
  registry.Add(std::make_unique<testing::FakeProvider>(remote));
  engine::Servers servers(registry);
  dsl::Config config;
  config.servers.push_back({"fake.server", "main", {}, {"main.lua", 1}});
  if (auto d = servers.Configure(config); d.HasErrors()) return std::fprintf(stderr, "%s\n", d.ToString().c_str()), 1;

  auto start = Clock::now();
  config.resources.reserve(static_cast<size_t>(count));
  state::State state = state::State::New("bench");
  state.resources.reserve(static_cast<size_t>(count));
  int references = 0;
  for (int i = 0; i < count; ++i) {
    dsl::ResourceBlock block;
    block.address = Address(i);
    block.server = "main";
    block.attributes = Value::Map{{"name", Value("thing-" + std::to_string(i))}, {"size", Value(2)}};
    if (i % 2 == 1) {
      block.attributes["peer"] = Value::Ref(Address(i - 1).ToString(), "id");
      ++references;
    }
    block.pos = {"main.lua", 10 + i};
    config.resources.push_back(std::move(block));
    if (IsNew(i)) continue;
    state::ResourceState r;
    r.address = Address(i);
    r.server = "main";
    r.id = Id(i);
    r.attributes = RemoteObject(i);
    if (i % 2 == 1) r.dependencies = {Address(i - 1).ToString()};
    state.resources.push_back(std::move(r));
  }
  double build_s = Seconds(start);
  std::printf("sample: %d resources in config (%d with a reference), %zu in state; built in %.3f s, peak RSS %ld MiB\n",
              count, references, state.resources.size(), build_s, PeakMiB());
  std::printf("the fake remote makes each of its %zu objects as it is read (a server holds them, not this process)\n",
              state.resources.size());

  const double cpu_before = CpuSeconds();
  start = Clock::now();
  engine::Refreshed refreshed = engine::Refresh(state, servers);
  double refresh_s = Seconds(start);
  std::printf("refresh     %8.3f s  peak RSS %5ld MiB  (%zu read, %d reads, %d read_many calls)\n", refresh_s,
              PeakMiB(), refreshed.by_address.size(), remote.reads, remote.read_many_calls);
  if (refreshed.diagnostics.HasErrors()) return std::fprintf(stderr, "%s\n", refreshed.diagnostics.ToString().c_str()), 1;

  start = Clock::now();
  // As the commands plan, or (--copy-refreshed) with a copy of the refreshed attributes.
  engine::Plan plan = copy_refreshed ? engine::MakePlan(config, state, refreshed, servers)
                                     : engine::MakePlanTakingRefreshed(config, state, refreshed, servers);
  double plan_s = Seconds(start);
  std::printf("plan%-8s%8.3f s  peak RSS %5ld MiB  (%zu changes: %d to add, %d to change, %d to destroy; %zu drift)\n",
              copy_refreshed ? " copying" : "", plan_s, PeakMiB(), plan.changes.size(), plan.ToAdd(), plan.ToChange(),
              plan.ToDestroy(), plan.drift.size());
  if (plan.diagnostics.HasErrors()) {
    std::string text = plan.diagnostics.ToString();
    return std::fprintf(stderr, "%s\n", text.substr(0, 2000).c_str()), 1;
  }
  std::printf("refresh + plan %5.3f s  peak RSS %5ld MiB  (target: under 1 s and 500 MiB)\n", refresh_s + plan_s,
              PeakMiB());

  { std::ofstream out("/dev/null"); start = Clock::now(); render::WritePlanRepresentation(out, {plan, state, config, registry, {}, "2026-01-01T00:00:00Z"}); std::printf("show -json  %8.3f s  peak RSS %5ld MiB  (the plan representation, streamed to /dev/null)\n", Seconds(start), PeakMiB()); }
  // As a command writes it: to its output as it is made (RenderPlanJson would hold the whole text).
  ByteCounter json;
  std::ostream json_out(&json);
  start = Clock::now();
  render::WritePlanJson(json_out, plan);
  double json_s = Seconds(start);
  std::printf("render json %8.3f s  peak RSS %5ld MiB  (%.1f MiB, streamed)\n", json_s, PeakMiB(),
              double(json.bytes) / (1 << 20));
  start = Clock::now();
  std::string text = render::RenderPlanText(plan, {});
  double text_s = Seconds(start);
  std::printf("render text %8.3f s  peak RSS %5ld MiB  (%.1f MiB)\n", text_s, PeakMiB(), double(text.size()) / (1 << 20));
  const double total_s = refresh_s + plan_s + json_s + text_s;
  std::printf("total       %8.3f s  cpu %.3f s  peak RSS %5ld MiB  (refresh, plan and both renderings; sample build excluded)\n",
              total_s, CpuSeconds() - cpu_before, PeakMiB());
  const long code_kib = FileBackedKiB() - start_file_kib;
  std::printf("of the growth past the start, %.1f MiB are the program's and libraries' pages first used in this run\n",
              code_kib / 1024.0);
  // For --scaling: wall, CPU, peak, the RSS the process started with, and the file pages paged in.
  std::printf("FIGURES %d %.6f %.6f %ld %ld %ld\n", count, total_s, CpuSeconds() - cpu_before, PeakKiB(), start_kib,
              code_kib);
  return 0;
}

// Runs this program for each N in a fresh process (so each peak is its own) and prints per resource.
int Scaling() {
  std::printf("scaling (fake provider, no network): refresh + plan + JSON and text rendering, a fresh process per N\n");
  std::printf("%8s %9s %9s %9s %12s %12s %14s %16s %9s %14s\n", "N", "wall s", "cpu s", "peak MiB", "wall us/res",
              "cpu us/res", "KiB/res (peak)", "KiB/added res", "code MiB", "KiB/res (data)");
  int previous_count = 0;
  long previous_growth = 0;
  for (int count : {1000, 10000, 100000}) {
    std::string command = "/proc/" + std::to_string(getpid()) + "/exe " + std::to_string(count);
    FILE* child = popen(command.c_str(), "r");
    if (!child) return 1;
    char line[512];
    int n = 0;
    double wall = 0, cpu = 0;
    long peak = 0, start = 0, code = 0;
    while (std::fgets(line, sizeof line, child))
      std::sscanf(line, "FIGURES %d %lf %lf %ld %ld %ld", &n, &wall, &cpu, &peak, &start, &code);
    if (pclose(child) != 0 || n != count) return std::fprintf(stderr, "the run of N = %d failed\n", count), 1;
    // Memory per resource: what the run grew by past its starting RSS (sample, state, plan, texts).
    // Per added resource: the growth between this N and the one before, which leaves out what every
    // run pays once (the code paged in, the allocator's first arenas).
    const long growth = peak - start;
    char added[32] = "-";
    if (previous_count)
      std::snprintf(added, sizeof added, "%.2f", double(growth - previous_growth) / (count - previous_count));
    // Per resource without the code paged in (the same few MiB at any N): the data's own growth.
    std::printf("%8d %9.3f %9.3f %9.1f %12.1f %12.1f %14.2f %16s %9.1f %14.2f\n", count, wall, cpu, peak / 1024.0,
                wall * 1e6 / count, cpu * 1e6 / count, double(growth) / count, added, code / 1024.0,
                double(growth - code) / count);
    previous_count = count;
    previous_growth = growth;
  }
  return 0;
}

}  // namespace
}  // namespace stashform

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--scaling") return stashform::Scaling();
  int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  bool copy_refreshed = argc > 2 && std::string(argv[2]) == "--copy-refreshed";
  if (count < 2 || (argc > 2 && !copy_refreshed))
    return std::fprintf(stderr, "usage: %s [N >= 2 [--copy-refreshed]]\n", argv[0]), 2;
  return stashform::Run(count, copy_refreshed);
}
