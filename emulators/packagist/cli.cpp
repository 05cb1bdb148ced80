#include "emulators/packagist/cli.h"

#include "emulators/common/cli.h"
#include "emulators/packagist/app.h"

#include <boost/json.hpp>

namespace stashform::emulator::packagist {

struct CliOptions {
  int port = 0;
  int threads = 2;
  std::string seed_path;
  Settings settings;
  FaultFlags fault_flags;
  std::vector<std::string> fail_nth;
};

namespace {

FaultConfig BuildPackagistFaults(const CliOptions& options) {
  FaultConfig faults = BuildFaults(options.fault_flags);
  for (const auto& spec : options.fail_nth) {
    // "[METHOD ]PATH=N[:STATUS]": the Nth such request fails once; STATUS 0 drops the connection.
    FailNthRule rule;
    auto eq = spec.rfind('=');
    if (eq == std::string::npos) throw std::runtime_error("--fail-nth wants [METHOD ]PATH=N[:STATUS], got " + spec);
    std::string target = spec.substr(0, eq), count = spec.substr(eq + 1);
    if (auto space = target.find(' '); space != std::string::npos) {
      rule.method = target.substr(0, space);
      target = target.substr(space + 1);
    }
    rule.path = target;
    auto colon = count.find(':');
    rule.n = std::stol(count.substr(0, colon));
    if (colon != std::string::npos) rule.status = std::stoi(count.substr(colon + 1));
    faults.fail_nth.push_back(rule);
  }
  return faults;
}

}  // namespace

CLI::App* AddPackagistCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options) {
  options = std::make_shared<CliOptions>();
  auto* command = cli.add_subcommand("packagist", "Private Packagist REST API (credentials, VCS packages, jobs, synchronizations)");
  command->add_option("--port", options->port, "TCP port on 127.0.0.1; 0 picks a free one")->default_val(0);
  command->add_option("--seed", options->seed_path, "JSON seed file (apiKeys, credentials, packages, synchronizations, jobFailures)");
  command->add_option("--threads", options->threads, "worker threads")->default_val(2);
  command->add_option("--page-size", options->settings.page_size, "items per page of a list")->default_val(100);
  command->add_option("--job-polls", options->settings.job_polls, "polls a job stays pending before its outcome")->default_val(2);
  command->add_option("--timestamp-window", options->settings.timestamp_window, "seconds a signature's timestamp may be off")
      ->default_val(15);
  command->add_option("--request-log-capacity", options->settings.request_log_capacity, "entries kept in the log");
  AddFaultOptions(*command, options->fault_flags, "per-API-key");
  command->add_option("--fail-nth", options->fail_nth, "[METHOD ]PATH=N[:STATUS] fails the Nth request once (STATUS 0 drops)");
  return command;
}

int RunPackagist(CliOptions& options) {
  boost::json::value seed = options.seed_path.empty() ? boost::json::value(boost::json::object{}) : ReadJsonFile(options.seed_path);
  App app(std::move(seed), options.settings, BuildPackagistFaults(options));
  return ServeUntilStopped(
      options.port, options.threads, [&app](const Request& request) { return app.Handle(request); },
      [&app](const std::string& base) { app.SetBaseUrl(base); });
}

}  // namespace stashform::emulator::packagist
