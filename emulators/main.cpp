// stashform-emulator: runs a local emulator as a real HTTP server on loopback.
//   stashform-emulator bitbucket --port 0 --seed seed.json [--context-path /bitbucket] ...
//   stashform-emulator spacelift --port 0 --seed seed.json ...
// Prints "listening on http://127.0.0.1:PORT" once ready, then serves until SIGTERM or SIGINT.

#include "emulators/bitbucket/app.h"
#include "emulators/bitbucket/server.h"
#include "emulators/spacelift/cli.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace {

using stashform::emulator::FaultConfig;
using stashform::emulator::FailNthRule;
using stashform::emulator::Settings;

struct BitbucketOptions {
  int port = 0;
  std::string seed_path;
  std::string faults_path;
  int threads = 2;
  Settings settings;
  FaultConfig faults;
  std::vector<std::string> error_rates;
  std::vector<std::string> fail_nth;
  std::string rate_limit;
};

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

boost::json::value DefaultSeed() {
  return boost::json::parse(R"({"users":[{"name":"admin","password":"admin","admin":true}],"projects":[]})");
}

// "500=0.1"
void ApplyErrorRate(FaultConfig& faults, const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos) throw std::runtime_error("--error-rate wants STATUS=RATE, got " + spec);
  faults.error_rates[std::stoi(spec.substr(0, eq))] = std::stod(spec.substr(eq + 1));
}

// "[METHOD ]PATH=N[:STATUS]"; STATUS 0 drops the connection, -1 runs the request and drops the answer.
void ApplyFailNth(FaultConfig& faults, const std::string& spec) {
  FailNthRule rule;
  auto eq = spec.rfind('=');
  if (eq == std::string::npos) throw std::runtime_error("--fail-nth wants [METHOD ]PATH=N[:STATUS], got " + spec);
  std::string target = spec.substr(0, eq);
  std::string count = spec.substr(eq + 1);
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

FaultConfig BuildFaults(BitbucketOptions& options) {
  FaultConfig faults = options.faults;
  if (!options.faults_path.empty()) faults = stashform::emulator::FaultConfigFromJson(ReadJsonFile(options.faults_path));
  for (const auto& spec : options.error_rates) ApplyErrorRate(faults, spec);
  for (const auto& spec : options.fail_nth) ApplyFailNth(faults, spec);
  if (!options.rate_limit.empty()) {
    auto colon = options.rate_limit.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--rate-limit wants CAPACITY:FILL_RATE");
    faults.rate_limit = {true, std::stod(options.rate_limit.substr(0, colon)),
                         std::stod(options.rate_limit.substr(colon + 1))};
  }
  return faults;
}

int RunBitbucket(BitbucketOptions& options) {
  // Block the stop signals first, before any thread exists, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (!options.settings.context_path.empty() && options.settings.context_path.front() != '/')
    options.settings.context_path = "/" + options.settings.context_path;
  while (options.settings.context_path.size() > 1 && options.settings.context_path.back() == '/')
    options.settings.context_path.pop_back();
  boost::json::value seed = options.seed_path.empty() ? DefaultSeed() : ReadJsonFile(options.seed_path);
  stashform::emulator::App app(std::move(seed), options.settings, BuildFaults(options));

  stashform::emulator::HttpServer server("127.0.0.1", static_cast<std::uint16_t>(options.port), options.threads,
                                         [&app](const stashform::emulator::Request& request) {
                                           return app.Handle(request);
                                         });
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  app.SetBaseUrl(base);
  server.Start();
  std::cout << "listening on " << base << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  server.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"stashform-emulator: local, spec-faithful emulators for stashform's tests and demos"};
  cli.require_subcommand(1);
  BitbucketOptions options;
  auto* bitbucket = cli.add_subcommand("bitbucket", "Bitbucket Data Center REST API");
  bitbucket->add_option("--port", options.port, "TCP port on 127.0.0.1; 0 picks a free one")
      ->default_val(0)
      ->check(CLI::Range(0, 65535));
  bitbucket->add_option("--seed", options.seed_path, "JSON seed file (users, projects, repositories)");
  bitbucket->add_option("--context-path", options.settings.context_path, "serve under a context path, e.g. /bitbucket");
  bitbucket->add_option("--threads", options.threads, "worker threads")->default_val(2);
  bitbucket->add_option("--webhook-create-status", options.settings.webhook_create_status,
                        "status of a webhook create: 201 (default) or 200")
      ->check(CLI::IsMember({200, 201}));
  bitbucket->add_flag("--redact-webhook-secret", options.settings.redact_webhook_secret,
                      "answer configuration.secret as ******** on reads");
  bitbucket->add_option("--page-limit-cap", options.settings.page_limit_cap, "hard cap on ?limit=")->default_val(1000);
  bitbucket->add_option("--bitbucket-version", options.settings.version, "version in application-properties");
  bitbucket->add_option("--request-log-capacity", options.settings.request_log_capacity, "entries kept in the log");
  bitbucket->add_option("--latency-ms", options.faults.latency_ms, "fixed latency added to every API answer");
  bitbucket->add_option("--jitter-ms", options.faults.jitter_ms, "random extra latency, 0..N ms");
  bitbucket->add_option("--error-rate", options.error_rates, "STATUS=RATE, e.g. 503=0.1 (repeatable)");
  bitbucket->add_option("--drop-rate", options.faults.drop_rate, "probability of closing a connection unanswered");
  bitbucket->add_option("--lost-answer-rate", options.faults.lost_answer_rate,
                        "probability of running a request, then closing without answering");
  bitbucket->add_option("--rate-limit", options.rate_limit, "CAPACITY:FILL_RATE per-user token bucket (429)");
  bitbucket->add_option("--fail-nth", options.fail_nth,
                        "[METHOD ]PATH=N[:STATUS] fails the Nth request once (STATUS 0 drops, -1 loses the answer)");
  bitbucket->add_option("--fault-seed", options.faults.random_seed, "seed for fault randomness");
  bitbucket->add_option("--faults", options.faults_path, "JSON fault configuration (as PUT /_emulator/faults)");
  std::shared_ptr<stashform::emulator::spacelift::CliOptions> spacelift_options;
  auto* spacelift = stashform::emulator::spacelift::AddSpaceliftCommand(cli, spacelift_options);
  CLI11_PARSE(cli, argc, argv);
  try {
    if (spacelift->parsed()) return stashform::emulator::spacelift::RunSpacelift(*spacelift_options);
    return RunBitbucket(options);
  } catch (const std::exception& error) {
    std::cerr << "stashform-emulator: " << error.what() << std::endl;
    return 1;
  }
}
