#include "tests/integration/crash_points.h"

#include <signal.h>
#include <sys/wait.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include "base/digest.h"
#include "tests/integration/harness.h"
#include "tests/integration/spacelift_harness.h"

namespace stashform::testing {

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr int kLatencyMs = 80;  // every answer held this long: the window a "held" kill lands in
const std::vector<std::string> kRepositories = {"tf-network", "tf-dns", "tf-iam", "tf-vpc",
                                                "tf-eks",     "tf-rds", "tf-s3",  "tf-kms"};

// A token for the Spacelift bot, the integration made with it, its webhook on three
// repositories (URL and secret from the integration), an application link with a generated key
// pair and four more webhooks: each kind the issue names, in one apply with dependencies, and
// enough requests (25) for 50 distinct points.
const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url      = env.plain "BITBUCKET_URL",
  username = env.plain "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}
local acct = spacelift.account "spl" {
  api_url        = env.plain "SPACELIFT_API_URL",
  api_key_id     = env "SPACELIFT_API_KEY_ID",
  api_key_secret = env "SPACELIFT_API_KEY_SECRET",
}
local bot = bitbucket.access_token "spacelift-bot" {
  server = bb, project = "INFRA", name = "spacelift-bot", permissions = { "REPO_READ", "REPO_WRITE" },
}
local integration = spacelift.bitbucket_datacenter_integration "corp" {
  server = acct, name = "corp-bitbucket", username = "admin", access_token = bot.token,
  api_host = env.plain "BITBUCKET_URL", user_facing_host = env.plain "BITBUCKET_URL",
}
for _, slug in ipairs({ "tf-network", "tf-dns", "tf-iam", "tf-vpc", "tf-eks", "tf-rds", "tf-s3", "tf-kms" }) do
  bitbucket.webhook ("INFRA/" .. slug .. "/spacelift") {
    server = bb, project = "INFRA", repository = slug, name = "spacelift",
    url = integration.webhook_url, secret = integration.webhook_secret,
    events = { "repo:refs_changed", "pr:opened" },
  }
end
bitbucket.application_link "ci" {
  server = bb, name = "CI", rpc_url = "https://ci.example.com", consumer_key = "ci-consumer",
  generate_key_pair = true,
}
for _, slug in ipairs({ "tf-network", "tf-dns", "tf-iam", "tf-vpc" }) do
  bitbucket.webhook ("INFRA/" .. slug .. "/ci") {
    server = bb, project = "INFRA", repository = slug, name = "ci",
    url = "https://ci.example.com/hook", events = { "repo:refs_changed" },
  }
end
)";

/// Both emulators with every answer held back, a config folder and the environment for it.
struct Servers {
  Servers()
      : bitbucket(SeedWithRepositories(kRepositories), {"--latency-ms", std::to_string(kLatencyMs)}),
        spacelift(SpaceliftSeed({}), {"--latency-ms", std::to_string(kLatencyMs)}) {
    work.Write("main.lua", kConfig);
    env = {{"BITBUCKET_URL", bitbucket.url()},        {"BITBUCKET_USER", "admin"},
           {"BITBUCKET_PASSWORD", "admin"},           {"SPACELIFT_API_URL", spacelift.url()},
           {"SPACELIFT_API_KEY_ID", "stashform-key"}, {"SPACELIFT_API_KEY_SECRET", "stashform-secret"}};
  }

  CliRun Stashform(std::vector<std::string> args) {
    args.push_back(work.path());
    return RunStashform(args, env, work.path());
  }

  int StartApply() {
    std::vector<std::string> args = {"apply", "-auto-approve", "-parallelism=1", work.path()};
    return StartStashform(args, env, work.path(), work.path() + "/killed.out", work.path() + "/killed.err");
  }

  /// Every request both servers logged, oldest first: (time, description).
  std::vector<std::pair<int64_t, std::string>> Logged() const {
    std::vector<std::pair<int64_t, std::string>> out;
    // Each answer is held in a local: a range-for over a temporary's member would dangle.
    const json::value bitbucket_log = bitbucket.Admin("GET", "/_emulator/requests").body;
    for (const auto& entry : bitbucket_log.at("requests").as_array()) {
      const auto& o = entry.as_object();
      out.emplace_back(o.at("time").to_number<int64_t>(),
                       std::string(o.at("method").as_string()) + " " + std::string(o.at("path").as_string()));
    }
    for (const auto& entry : spacelift.Requests()) {
      const auto& o = entry.as_object();
      out.emplace_back(o.at("time").to_number<int64_t>(), "graphql " + std::string(o.at("fields").as_string()));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }

  void NoLatency() {
    bitbucket.Admin("PUT", "/_emulator/faults", R"({"latency_ms": 0})");
    spacelift.Admin("PUT", "/_emulator/faults", R"({"latency_ms": 0})");
  }

  Emulator bitbucket;
  SpaceliftEmulator spacelift;
  TempDir work;
  std::map<std::string, std::string> env;
};

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

/// Counts objects beyond the first of each natural key on both servers.
void Census(const Servers& servers, CrashPointResult& result) {
  std::map<std::string, int> count;
  const json::value dump = servers.bitbucket.Admin("GET", "/_emulator/dump").body;
  for (const auto& hook : dump.at("webhooks").as_array()) {
    const auto& scope = hook.at("scope").as_object();
    ++count["webhook " + Text(scope, "repositorySlug") + "/" + Text(hook.as_object(), "name")];
  }
  for (const auto& token : dump.at("accessTokens").as_array()) ++count["token " + Text(token.as_object(), "name")];
  for (const auto& link : dump.at("applicationLinks").as_array()) ++count["link " + Text(link.as_object(), "name")];
  const json::value spacelift_dump = servers.spacelift.Dump();
  for (const auto& integration : spacelift_dump.at("integrations").as_array())
    ++count["integration " + Text(integration.as_object(), "name")];
  for (const auto& [key, n] : count)
    if (n > 1) {
      result.duplicates += n - 1;
      result.duplicate_list += key + " x" + std::to_string(n) + "; ";
    }
}

std::string Sha256OfLive(const json::object& integration) { return Text(integration, "accessTokenSha256"); }

/// One live token; the state holds its value (private data); the integration was given it; no
/// run printed it.
bool TokenKept(const Servers& servers, const std::string& state_text, const std::string& printed) {
  const json::value dump = servers.bitbucket.Admin("GET", "/_emulator/dump").body;
  const auto& tokens = dump.at("accessTokens").as_array();
  if (tokens.size() != 1) return false;
  const std::string live = Text(tokens[0].as_object(), "token");
  std::string recorded;
  const json::value state = json::parse(state_text);
  for (const auto& resource : state.at("resources").as_array())
    if (resource.at("type") == "bitbucket.access_token")
      if (const auto* priv = resource.as_object().if_contains("private"); priv && priv->is_object())
        recorded = Text(priv->as_object(), "token");
  if (live.empty() || recorded != live || printed.find(live) != std::string::npos) return false;
  const json::value spacelift_dump = servers.spacelift.Dump();
  const auto& integrations = spacelift_dump.at("integrations").as_array();
  if (integrations.size() != 1) return false;
  // The emulator keeps the integration's token only as its SHA-256: compare digests.
  return Sha256OfLive(integrations[0].as_object()) == Sha256Hex(live);
}

/// Waits for the point, then kills and reaps; what was in flight is read from the logs then.
void KillAt(Servers& servers, int pid, const CrashPoint& point, CrashPointResult& result) {
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::vector<std::pair<int64_t, std::string>> logged;
  while (Clock::now() < deadline) {
    logged = servers.Logged();
    if (static_cast<int>(logged.size()) >= point.request) break;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      result.in_flight = "(the apply ended before request " + std::to_string(point.request) + ")";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Just past the held answer: stashform reads it and writes its state before the next request.
  if (point.answered) std::this_thread::sleep_for(std::chrono::milliseconds(kLatencyMs + 3));
  result.killed = kill(pid, SIGKILL) == 0;
  result.killed = WaitStashform(pid, std::chrono::milliseconds(10000)) == 128 + SIGKILL;
  logged = servers.Logged();
  if (logged.empty()) return;
  const bool later = static_cast<int>(logged.size()) > point.request;
  const auto& last = logged[std::min<size_t>(logged.size(), point.request) - 1];
  result.in_flight = last.second + (point.answered ? (later ? " (answered; next one sent)" : " (answered)") : " (answer held)");
}

}  // namespace

int RequestsOfACleanApply() {
  Servers servers;
  servers.NoLatency();
  CliRun apply = servers.Stashform({"apply", "-auto-approve", "-parallelism=1"});
  return apply.exit_code == 0 ? static_cast<int>(servers.Logged().size()) : -1;
}

std::vector<CrashPoint> SpreadCrashPoints(int total_requests, int count) {
  std::vector<CrashPoint> points;
  const int slots = 2 * total_requests;
  for (int i = 0; i < count && i < slots; ++i) {
    const int slot = static_cast<int>(static_cast<long>(i) * slots / std::min(count, slots));
    points.push_back({slot / 2 + 1, slot % 2 == 1});
  }
  return points;
}

CrashPointResult RunCrashPoint(const CrashPoint& point) {
  CrashPointResult result;
  result.point = point;
  Servers servers;
  // Kill the apply at the point.
  const int pid = servers.StartApply();
  KillAt(servers, pid, point, result);
  // Converge: applies at full speed until one succeeds (bounded), then a plan with nothing to do.
  servers.NoLatency();
  for (int apply = 1; apply <= 3 && !result.converged; ++apply) {
    CliRun run = servers.Stashform({"apply", "-auto-approve"});
    result.transcript += run.all();
    result.applies_to_converge = apply;
    if (run.exit_code != 0) continue;
    CliRun plan = servers.Stashform({"plan", "-detailed-exitcode"});
    result.transcript += plan.all();
    result.converged = plan.exit_code == 0;
  }
  Census(servers, result);
  const std::string printed =
      servers.work.Read("killed.out") + servers.work.Read("killed.err") + result.transcript;
  result.token_kept = result.converged && TokenKept(servers, servers.work.Read("stashform.state.json"), printed);
  return result;
}

}  // namespace stashform::testing
