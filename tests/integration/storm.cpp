#include "tests/integration/storm.h"

#include <boost/json.hpp>

#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "tests/integration/harness.h"

namespace stashform::testing {

namespace {

namespace json = boost::json;

std::vector<std::string> Slugs(int count) {
  std::vector<std::string> slugs;
  for (int i = 0; i < count; ++i) slugs.push_back("repo-" + std::to_string(i));
  return slugs;
}

std::string StormConfig(int repositories, int per_repository) {
  std::ostringstream lua;
  lua << "local bb = bitbucket.server \"corp\" {\n"
         "  url = env \"BITBUCKET_URL\", username = \"admin\", password = \"admin\",\n"
         "}\n"
         "for r = 0, " << repositories - 1 << " do\n"
         "  for i = 1, " << per_repository << " do\n"
         "    local slug = \"repo-\" .. r\n"
         "    bitbucket.webhook (\"INFRA/\" .. slug .. \"-hook\" .. i) {\n"
         "      server = bb, project = \"INFRA\", repository = slug,\n"
         "      name = \"hook-\" .. i, url = \"https://ci.example.com/hook/\" .. i,\n"
         "      events = { \"repo:refs_changed\", \"pr:opened\" },\n"
         "    }\n"
         "  end\n"
         "end\n";
  return lua.str();
}

bool InjectedFault(const json::object& request) {
  const int64_t status = request.at("status").to_number<int64_t>();
  const bool lost_answer = request.at("dropped").as_bool();
  return status == 0 || lost_answer || status == 500 || status == 502 || status == 503 || status == 429;
}

/// Counts the emulator's webhooks against the declared ones.
void Census(const Emulator& emulator, const StormSettings& s, StormResult& result) {
  std::map<std::pair<std::string, std::string>, int> count;
  for (const auto& hook : emulator.Webhooks()) {
    const auto* slug = hook.at("scope").as_object().if_contains("repositorySlug");
    std::string repository = slug && slug->is_string() ? std::string(slug->as_string()) : "<project>";
    ++count[{repository, std::string(hook.at("name").as_string())}];
  }
  for (const auto& [key, n] : count) result.duplicates += n - 1;
  for (const auto& slug : Slugs(s.repositories))
    for (int i = 1; i <= s.webhooks_per_repository; ++i)
      if (!count.count({slug, "hook-" + std::to_string(i)})) ++result.missing;
}

}  // namespace

std::string StormFaults(int seed) {
  return json::serialize(json::object{
      {"errorRates", json::object{{"500", 0.04}, {"502", 0.03}, {"503", 0.03}, {"429", 0.05}}},
      {"dropRate", 0.02},
      {"lostAnswerRate", 0.02},
      {"seed", seed}});
}

StormResult RunStorm(const StormSettings& s) {
  StormResult result;
  const int capacity = s.repositories * s.webhooks_per_repository * 20 + 1000;
  Emulator emulator(SeedWithRepositories(Slugs(s.repositories)),
                    {"--request-log-capacity", std::to_string(capacity)});
  TempDir work;
  work.Write("main.lua", StormConfig(s.repositories, s.webhooks_per_repository));
  const std::map<std::string, std::string> env = {{"BITBUCKET_URL", emulator.url()}};
  if (emulator.Admin("PUT", "/_emulator/faults", StormFaults(s.seed)).status != 200) return result;
  bool applied = false;
  while (!applied && result.applies < s.max_applies) {
    ++result.applies;
    CliRun apply = RunStashform({"apply", "-auto-approve", "-parallelism", std::to_string(s.parallelism),
                                 work.path()}, env, work.path());
    applied = apply.exit_code == 0;
    if (!applied) result.transcript += "apply " + std::to_string(result.applies) + ":\n" + apply.all() + "\n";
  }
  if (!applied) result.applies = s.max_applies + 1;
  const Emulator::Answer log = emulator.Admin("GET", "/_emulator/requests");
  for (const auto& entry : log.body.at("requests").as_array()) {
    ++result.requests;
    if (InjectedFault(entry.as_object())) ++result.faults;
  }
  // After the storm: exactly the declared webhooks, and nothing left to do.
  emulator.Admin("DELETE", "/_emulator/faults");
  Census(emulator, s, result);
  CliRun plan = RunStashform({"plan", "-detailed-exitcode", work.path()}, env, work.path());
  if (plan.exit_code != 0) result.transcript += "plan after the storm:\n" + plan.all() + "\n";
  result.converged = applied && plan.exit_code == 0;
  return result;
}

}  // namespace stashform::testing
