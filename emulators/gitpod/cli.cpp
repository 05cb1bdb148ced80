#include "emulators/gitpod/cli.h"

#include "emulators/common/cli.h"
#include "emulators/gitpod/app.h"

#include <boost/json.hpp>

#include <stdexcept>

namespace stashform::emulator::gitpod {

struct CliOptions {
  int port = 0;
  int threads = 2;
  std::string seed_path;
  Settings settings;
  FaultFlags fault_flags;
  std::vector<std::string> fail_nth;
};

namespace {

/// "PROCEDURE=N[:STATUS]": the Nth call of that procedure fails once; STATUS 0 drops the
/// connection, -1 makes the change and loses the answer.
FaultConfig BuildGitpodFaults(const CliOptions& options) {
  FaultConfig faults = BuildFaults(options.fault_flags);
  for (const auto& spec : options.fail_nth) {
    auto eq = spec.rfind('=');
    if (eq == std::string::npos) throw std::runtime_error("--fail-nth wants PROCEDURE=N[:STATUS], got " + spec);
    FailNthRule rule;
    rule.method = "POST";
    rule.path = "/public-api/gitpod.v1.AuthProviderService/" + spec.substr(0, eq);
    std::string count = spec.substr(eq + 1);
    auto colon = count.find(':');
    rule.n = std::stol(count.substr(0, colon));
    if (colon != std::string::npos) rule.status = std::stoi(count.substr(colon + 1));
    faults.fail_nth.push_back(rule);
  }
  return faults;
}

}  // namespace

CLI::App* AddGitpodCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options) {
  options = std::make_shared<CliOptions>();
  auto* command = cli.add_subcommand("gitpod", "Gitpod public API (gitpod.v1.AuthProviderService over Connect)");
  command->add_option("--port", options->port, "TCP port on 127.0.0.1; 0 picks a free one")->default_val(0);
  command->add_option("--seed", options->seed_path, "JSON seed file (users, organizations, unreachableHosts, authProviders)");
  command->add_option("--threads", options->threads, "worker threads")->default_val(2);
  command->add_option("--request-log-capacity", options->settings.request_log_capacity, "entries kept in the log");
  AddFaultOptions(*command, options->fault_flags, "per-user");
  command->add_option("--lost-answer-rate", options->fault_flags.faults.lost_answer_rate,
                      "probability of running a request, then closing without answering");
  command->add_option("--fail-nth", options->fail_nth,
                      "PROCEDURE=N[:STATUS] fails the Nth call once (STATUS 0 drops, -1 loses the answer)");
  return command;
}

int RunGitpod(CliOptions& options) {
  boost::json::value seed = options.seed_path.empty() ? boost::json::value(boost::json::object{}) : ReadJsonFile(options.seed_path);
  App app(std::move(seed), options.settings, BuildGitpodFaults(options));
  return ServeUntilStopped(
      options.port, options.threads, [&app](const Request& request) { return app.Handle(request); },
      [&app](const std::string& base) { app.SetBaseUrl(base); });
}

}  // namespace stashform::emulator::gitpod
