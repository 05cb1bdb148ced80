#include "emulators/spacelift/cli.h"

#include "emulators/bitbucket/server.h"
#include "emulators/spacelift/app.h"

#include <boost/json.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace stashform::emulator::spacelift {

struct CliOptions {
  int port = 0;
  int threads = 2;
  std::string seed_path;
  std::string faults_path;
  std::string not_found = "null";
  Settings settings;
  FaultConfig faults;
  std::vector<std::string> error_rates;
  std::vector<std::string> fail_nth;
  std::string rate_limit;
};

namespace {

boost::json::value ReadJsonFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  boost::system::error_code ec;
  auto value = boost::json::parse(text.str(), ec);
  if (ec) throw std::runtime_error(path + ": invalid JSON: " + ec.message());
  return value;
}

FaultConfig BuildFaults(const CliOptions& options) {
  FaultConfig faults = options.faults;
  if (!options.faults_path.empty()) faults = FaultConfigFromJson(ReadJsonFile(options.faults_path));
  for (const auto& spec : options.error_rates) {
    auto eq = spec.find('=');
    if (eq == std::string::npos) throw std::runtime_error("--error-rate wants STATUS=RATE, got " + spec);
    faults.error_rates[std::stoi(spec.substr(0, eq))] = std::stod(spec.substr(eq + 1));
  }
  for (const auto& spec : options.fail_nth) {
    // "N[:STATUS]": the Nth POST /graphql fails once; STATUS 0 drops the connection.
    FailNthRule rule;
    rule.path = "/graphql";
    auto colon = spec.find(':');
    rule.n = std::stol(spec.substr(0, colon));
    if (colon != std::string::npos) rule.status = std::stoi(spec.substr(colon + 1));
    faults.fail_nth.push_back(rule);
  }
  if (!options.rate_limit.empty()) {
    auto colon = options.rate_limit.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--rate-limit wants CAPACITY:FILL_RATE");
    faults.rate_limit = {true, std::stod(options.rate_limit.substr(0, colon)),
                         std::stod(options.rate_limit.substr(colon + 1))};
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
  command->add_option("--latency-ms", options->faults.latency_ms, "fixed latency added to every API answer");
  command->add_option("--jitter-ms", options->faults.jitter_ms, "random extra latency, 0..N ms");
  command->add_option("--error-rate", options->error_rates, "STATUS=RATE, e.g. 503=0.1 (repeatable)");
  command->add_option("--drop-rate", options->faults.drop_rate, "probability of closing a connection unanswered");
  command->add_option("--rate-limit", options->rate_limit, "CAPACITY:FILL_RATE per-API-key token bucket (429)");
  command->add_option("--fail-nth", options->fail_nth, "N[:STATUS] fails the Nth POST /graphql once");
  command->add_option("--fault-seed", options->faults.random_seed, "seed for fault randomness");
  command->add_option("--faults", options->faults_path, "JSON fault configuration (as PUT /_emulator/faults)");
  return command;
}

int RunSpacelift(CliOptions& options) {
  options.settings.not_found_as_error = options.not_found == "error";
  boost::json::value seed = options.seed_path.empty() ? boost::json::value(boost::json::object{}) : ReadJsonFile(options.seed_path);
  App app(std::move(seed), options.settings, BuildFaults(options));

  // Block the stop signals before any worker starts, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  HttpServer server("127.0.0.1", static_cast<std::uint16_t>(options.port), options.threads,
                    [&app](const Request& request) { return app.Handle(request); });
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  app.SetBaseUrl(base);
  server.Start();
  std::cout << "listening on " << base << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  server.Stop();
  return 0;
}

}  // namespace stashform::emulator::spacelift
