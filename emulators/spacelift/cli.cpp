#include "emulators/spacelift/cli.h"

#include "emulators/common/cli.h"
#include "emulators/spacelift/app.h"

#include <boost/json.hpp>

#include <stdexcept>

namespace stashform::emulator::spacelift {

struct CliOptions {
  int port = 0;
  int threads = 2;
  std::string seed_path;
  std::string not_found = "null";
  Settings settings;
  FaultFlags fault_flags;
  std::vector<std::string> fail_nth;
};

namespace {

FaultConfig BuildSpaceliftFaults(const CliOptions& options) {
  FaultConfig faults = BuildFaults(options.fault_flags);
  for (const auto& spec : options.fail_nth) {
    // "N[:STATUS]": the Nth POST /graphql fails once; STATUS 0 drops the connection.
    FailNthRule rule;
    rule.path = "/graphql";
    auto colon = spec.find(':');
    rule.n = std::stol(spec.substr(0, colon));
    if (colon != std::string::npos) rule.status = std::stoi(spec.substr(colon + 1));
    faults.fail_nth.push_back(rule);
  }
  return faults;
}

}  // namespace

CLI::App* AddSpaceliftCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options) {
  options = std::make_shared<CliOptions>();
  auto* command = cli.add_subcommand("spacelift", "Spacelift GraphQL API (Bitbucket Data Center integrations, stacks)");
  command->add_option("--port", options->port, "TCP port on 127.0.0.1; 0 picks a free one")->default_val(0);
  command->add_option("--seed", options->seed_path, "JSON seed file (apiKeys, integrations, stacks)");
  command->add_option("--threads", options->threads, "worker threads")->default_val(2);
  command->add_option("--account", options->settings.account, "account name used in webhook URLs");
  command->add_option("--not-found", options->not_found, "how a missing object is answered: null or error")
      ->check(CLI::IsMember({"null", "error"}));
  command->add_option("--jwt-ttl-seconds", options->settings.jwt_ttl_seconds, "lifetime of issued JWTs");
  command->add_option("--request-log-capacity", options->settings.request_log_capacity, "entries kept in the log");
  AddFaultOptions(*command, options->fault_flags, "per-API-key");
  command->add_option("--fail-nth", options->fail_nth, "N[:STATUS] fails the Nth POST /graphql once");
  return command;
}

int RunSpacelift(CliOptions& options) {
  options.settings.not_found_as_error = options.not_found == "error";
  boost::json::value seed = options.seed_path.empty() ? boost::json::value(boost::json::object{}) : ReadJsonFile(options.seed_path);
  App app(std::move(seed), options.settings, BuildSpaceliftFaults(options));
  return ServeUntilStopped(
      options.port, options.threads, [&app](const Request& request) { return app.Handle(request); },
      [&app](const std::string& base) { app.SetBaseUrl(base); });
}

}  // namespace stashform::emulator::spacelift
