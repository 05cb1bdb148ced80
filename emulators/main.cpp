// stashform-emulator: runs a local emulator as a real HTTP server on loopback.
//   stashform-emulator bitbucket --port 0 --seed seed.json [--context-path /bitbucket] ...
//   stashform-emulator spacelift --port 0 --seed seed.json ...
//   stashform-emulator gitpod --port 0 --seed seed.json ...
//   stashform-emulator packagist --port 0 --seed seed.json ...
// Prints "listening on http://127.0.0.1:PORT" once ready, then serves until SIGTERM or SIGINT.

#include "emulators/bitbucket/app.h"
#include "emulators/common/cli.h"
#include "emulators/packagist/cli.h"
#include "emulators/spacelift/cli.h"
#include "emulators/gitpod/cli.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <iostream>
#include <stdexcept>

namespace {

using stashform::emulator::BuildFaults;
using stashform::emulator::FaultConfig;
using stashform::emulator::FailNthRule;
using stashform::emulator::FaultFlags;
using stashform::emulator::Request;
using stashform::emulator::ReadJsonFile;
using stashform::emulator::ServeUntilStopped;
using stashform::emulator::Settings;

struct BitbucketOptions {
  int port = 0;
  std::string seed_path;
  int threads = 2;
  Settings settings;
  FaultFlags fault_flags;
  std::vector<std::string> fail_nth;
};

boost::json::value DefaultSeed() {
  return boost::json::parse(R"({"users":[{"name":"admin","password":"admin","admin":true}],"projects":[]})");
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

int RunBitbucket(BitbucketOptions& options) {
  if (!options.settings.context_path.empty() && options.settings.context_path.front() != '/')
    options.settings.context_path = "/" + options.settings.context_path;
  while (options.settings.context_path.size() > 1 && options.settings.context_path.back() == '/')
    options.settings.context_path.pop_back();
  boost::json::value seed = options.seed_path.empty() ? DefaultSeed() : ReadJsonFile(options.seed_path);
  FaultConfig faults = BuildFaults(options.fault_flags);
  for (const auto& spec : options.fail_nth) ApplyFailNth(faults, spec);
  stashform::emulator::App app(std::move(seed), options.settings, std::move(faults));
  return ServeUntilStopped(
      options.port, options.threads, [&app](const Request& request) { return app.Handle(request); },
      [&app](const std::string& base) { app.SetBaseUrl(base); });
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
  stashform::emulator::AddFaultOptions(*bitbucket, options.fault_flags, "per-user");
  bitbucket->add_option("--lost-answer-rate", options.fault_flags.faults.lost_answer_rate,
                        "probability of running a request, then closing without answering");
  bitbucket->add_option("--fail-nth", options.fail_nth,
                        "[METHOD ]PATH=N[:STATUS] fails the Nth request once (STATUS 0 drops, -1 loses the answer)");
  std::shared_ptr<stashform::emulator::spacelift::CliOptions> spacelift_options;
  auto* spacelift = stashform::emulator::spacelift::AddSpaceliftCommand(cli, spacelift_options);
  std::shared_ptr<stashform::emulator::gitpod::CliOptions> gitpod_options;
  auto* gitpod = stashform::emulator::gitpod::AddGitpodCommand(cli, gitpod_options);
  std::shared_ptr<stashform::emulator::packagist::CliOptions> packagist_options;
  auto* packagist = stashform::emulator::packagist::AddPackagistCommand(cli, packagist_options);
  CLI11_PARSE(cli, argc, argv);
  try {
    if (gitpod->parsed()) return stashform::emulator::gitpod::RunGitpod(*gitpod_options);
    if (spacelift->parsed()) return stashform::emulator::spacelift::RunSpacelift(*spacelift_options);
    if (packagist->parsed()) return stashform::emulator::packagist::RunPackagist(*packagist_options);
    return RunBitbucket(options);
  } catch (const std::exception& error) {
    std::cerr << "stashform-emulator: " << error.what() << std::endl;
    return 1;
  }
}
