// side_by_side: one emulator seeded with 1,000 repositories (20 ms latency); stashform's apply of
// 3 webhooks each and its no-op plan, then, against the same webhooks, two clients written here:
// the refresh pattern of Terraform's community Bitbucket provider (one GET per webhook, 10 at a
// time: its default parallelism) and a hand-written client that lists each repository's webhooks
// once on 32 threads. Prints one table: wall time, requests and the ratio to the bound (the
// fewest requests the job needs × latency ÷ 32). Then, on a fresh emulator behind a token bucket
// (burst 100, 50 requests/s), an apply of 2,000 webhooks: the rate it sustained, 429s, failed
// writes and duplicates. Prints figures; asserts nothing.
//
//   side_by_side_bench [--repositories 1000] [--hooks-per-repository 3] [--latency-ms 20]
//                      [--rate-limit-webhooks 2000]

#include <httplib.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench/cli_bench.h"

namespace {

namespace json = boost::json;
using namespace stashform::bench;
using stashform::testing::Emulator;
using stashform::testing::TempDir;

struct Settings {
  int repositories = 1000;
  int hooks_per_repository = 3;
  int latency_ms = 20;
  int rate_limit_webhooks = 2000;
};

/// A row of the table.
struct Row {
  std::string who;
  double seconds = 0;
  size_t requests = 0;
  double bound = 0;
  std::string note;
};

void PrintRow(const Row& row) {
  fmt::print("{:<44} {:>8.2f} {:>9} {:>8.2f} {:>7.2f}  {}\n", row.who, row.seconds, row.requests, row.bound,
             row.seconds / row.bound, row.note);
}

/// Runs `paths.size()` GETs, `threads` at a time, each thread on its own keep-alive connection.
/// Returns the wall time; `failures` counts answers other than 200.
double GetAll(const std::string& url, const std::vector<std::string>& paths, int threads, int& failures) {
  std::atomic<size_t> next{0};
  std::atomic<int> failed{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      httplib::Client client(url);
      client.set_basic_auth("admin", "admin");
      client.set_keep_alive(true);
      for (size_t i = next++; i < paths.size(); i = next++) {
        auto answer = client.Get(paths[i]);
        if (!answer || answer->status != 200) ++failed;
      }
    });
  for (auto& thread : pool) thread.join();
  failures = failed;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string HooksPath(const std::string& slug) { return "/rest/api/1.0/projects/INFRA/repos/" + slug + "/webhooks"; }

std::string Slug(const json::object& hook) {
  const auto* slug = hook.at("scope").as_object().if_contains("repositorySlug");
  return slug && slug->is_string() ? std::string(slug->as_string()) : "";
}

/// "repo-7" → the ids of its webhooks, from the emulator's dump.
std::map<std::string, std::vector<std::string>> HookIds(const Emulator& emulator) {
  std::map<std::string, std::vector<std::string>> ids;
  for (const auto& hook : emulator.Webhooks()) {
    const auto& object = hook.as_object();
    const auto* id = object.if_contains("id");
    if (!id) continue;
    ids[Slug(object)].push_back(id->is_string() ? std::string(id->as_string()) : json::serialize(*id));
  }
  return ids;
}

void SideBySide(const Settings& s) {
  const int repositories = s.repositories, hooks = repositories * s.hooks_per_repository;
  fmt::print("side by side: {} repositories x {} webhooks, {} ms latency\n", repositories, s.hooks_per_repository,
             s.latency_ms);
  Emulator emulator(Seed(repositories), {"--latency-ms", std::to_string(s.latency_ms), "--threads", "4",
                                         "--request-log-capacity", std::to_string(hooks * 4 + 1000)});
  TempDir work;
  work.Write("main.lua", Config(emulator.url(), repositories, s.hooks_per_repository));
  int64_t since = 0;
  RequestsSince(emulator, since);
  const double latency = s.latency_ms / 1000.0;
  const double list_bound = repositories * latency / 32;  // one listing per repository, 32 at a time
  fmt::print("{:<44} {:>8} {:>9} {:>8} {:>7}\n", "", "wall s", "requests", "bound s", "ratio");
  Run apply = RunCli({"apply", "-auto-approve", "-parallelism", "32", work.path()}, work.path());
  auto applied = RequestsSince(emulator, since);
  PrintRow({"stashform apply (creates " + std::to_string(hooks) + ")", apply.seconds, applied.size(),
            (repositories + hooks) * latency / 32,
            fmt::format("exit {},{}, cpu {:.2f} s", apply.exit_code, ByMethod(applied), apply.cpu_seconds)});
  // At the 32 requests in flight the hand-written client has (plan's own default is 16).
  Run plan = RunCli({"plan", "-detailed-exitcode", "-parallelism", "32", work.path()}, work.path());
  auto planned = RequestsSince(emulator, since);
  PrintRow({"stashform no-op plan", plan.seconds, planned.size(), list_bound,
            fmt::format("exit {} (0: no changes), cpu {:.2f} s", plan.exit_code, plan.cpu_seconds)});
  // Terraform's community provider reads each webhook by id; its default parallelism is 10.
  std::vector<std::string> per_webhook, per_repository;
  for (const auto& [slug, ids] : HookIds(emulator)) {
    per_repository.push_back(HooksPath(slug));
    for (const auto& id : ids) per_webhook.push_back(HooksPath(slug) + "/" + id);
  }
  int failures = 0;
  double tf = GetAll(emulator.url(), per_webhook, 10, failures);
  PrintRow({"per-webhook GET, parallelism 10 (Terraform)", tf, per_webhook.size(), list_bound,
            fmt::format("{} failed", failures)});
  double listed = GetAll(emulator.url(), per_repository, 32, failures);
  PrintRow({"list per repository, 32 threads (by hand)", listed, per_repository.size(), list_bound,
            fmt::format("{} failed", failures)});
  fmt::print("stashform's no-op plan is {:.1f} x faster than per-webhook GETs and {:.2f} x the 32-thread client's time\n",
             tf / plan.seconds, plan.seconds / listed);
}

/// An apply against the emulator's token bucket: how close to its rate, and that nothing failed or
/// was made twice.
void RateLimited(const Settings& s) {
  const int webhooks = s.rate_limit_webhooks, repositories = webhooks / 2;
  const double capacity = 100, fill_rate = 50;
  fmt::print("\nrate limit: apply of {} webhooks ({} repositories x 2) against a token bucket of {:.0f}, {:.0f}/s, "
             "{} ms latency\n", webhooks, repositories, capacity, fill_rate, s.latency_ms);
  Emulator emulator(Seed(repositories), {"--latency-ms", std::to_string(s.latency_ms), "--threads", "4",
                                         "--rate-limit", fmt::format("{}:{}", capacity, fill_rate),
                                         "--request-log-capacity", std::to_string(webhooks * 8 + 1000)});
  TempDir work;
  work.Write("main.lua", Config(emulator.url(), repositories, 2));
  int64_t since = 0;
  RequestsSince(emulator, since);
  Run apply = RunCli({"apply", "-auto-approve", "-parallelism", "32", work.path()}, work.path());
  auto requests = RequestsSince(emulator, since);
  const int limited = CountStatus(requests, 429);
  const double accepted = static_cast<double>(requests.size() - limited);
  // The bucket's best: its burst at once, then fill_rate a second.
  const double best_seconds = std::max(0.0, (accepted - capacity) / fill_rate);
  std::map<std::string, int> per_key;
  for (const auto& hook : emulator.Webhooks()) {
    const auto& object = hook.as_object();
    ++per_key[Slug(object) + "/" + json::serialize(object.at("name"))];
  }
  int duplicates = 0;
  for (const auto& [key, count] : per_key) duplicates += count - 1;
  const int failed_writes = webhooks - static_cast<int>(per_key.size());
  fmt::print("exit {}  wall {:.2f} s  requests {} ({} ) of which 429: {}  accepted {:.0f}\n", apply.exit_code,
             apply.seconds, requests.size(), ByMethod(requests), limited, accepted);
  fmt::print("sustained {:.1f} requests/s beyond the burst = {:.0f} % of the bucket's {:.0f}/s; best possible {:.2f} s\n",
             (accepted - capacity) / apply.seconds, 100 * best_seconds / apply.seconds, fill_rate, best_seconds);
  fmt::print("webhooks on the server {}  failed writes {}  duplicates {}\n", per_key.size(), failed_writes, duplicates);
  fmt::print("in flight by tenth of the run:{}\n", InFlightOverTime(requests, s.latency_ms));
  if (apply.exit_code != 0) fmt::print("note: a non-zero exit; see {}/cli.err (kept only while this runs)\n", work.path());
}

Settings Parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    int value = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repositories")) s.repositories = value;
    else if (!std::strcmp(argv[i], "--hooks-per-repository")) s.hooks_per_repository = std::max(1, value);
    else if (!std::strcmp(argv[i], "--latency-ms")) s.latency_ms = value;
    else if (!std::strcmp(argv[i], "--rate-limit-webhooks")) s.rate_limit_webhooks = value;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s = Parse(argc, argv);
  SideBySide(s);
  if (s.rate_limit_webhooks > 0) RateLimited(s);
  return 0;
}
