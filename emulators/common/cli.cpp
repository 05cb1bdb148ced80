#include "emulators/common/cli.h"

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace stashform::emulator {

namespace {
// "503=0.1"
void ApplyErrorRate(FaultConfig& faults, const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos) throw std::runtime_error("--error-rate wants STATUS=RATE, got " + spec);
  faults.error_rates[std::stoi(spec.substr(0, eq))] = std::stod(spec.substr(eq + 1));
}
}  // namespace

void AddFaultOptions(CLI::App& command, FaultFlags& flags, const std::string& bucket_owner) {
  command.add_option("--latency-ms", flags.faults.latency_ms, "fixed latency added to every API answer");
  command.add_option("--jitter-ms", flags.faults.jitter_ms, "random extra latency, 0..N ms");
  command.add_option("--error-rate", flags.error_rates, "STATUS=RATE, e.g. 503=0.1 (repeatable)");
  command.add_option("--drop-rate", flags.faults.drop_rate, "probability of closing a connection unanswered");
  command.add_option("--rate-limit", flags.rate_limit, "CAPACITY:FILL_RATE " + bucket_owner + " token bucket (429)");
  command.add_option("--fault-seed", flags.faults.random_seed, "seed for fault randomness");
  command.add_option("--faults", flags.faults_path, "JSON fault configuration (as PUT /_emulator/faults)");
}

FaultConfig BuildFaults(const FaultFlags& flags) {
  FaultConfig faults = flags.faults;
  if (!flags.faults_path.empty()) faults = FaultConfigFromJson(ReadJsonFile(flags.faults_path));
  for (const auto& spec : flags.error_rates) ApplyErrorRate(faults, spec);
  if (!flags.rate_limit.empty()) {
    auto colon = flags.rate_limit.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--rate-limit wants CAPACITY:FILL_RATE");
    faults.rate_limit = {true, std::stod(flags.rate_limit.substr(0, colon)), std::stod(flags.rate_limit.substr(colon + 1))};
  }
  return faults;
}

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

int ServeUntilStopped(int port, int threads, HttpServer::Handler handler,
                      const std::function<void(const std::string&)>& on_base_url) {
  // Block the stop signals before any worker starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  HttpServer server("127.0.0.1", static_cast<std::uint16_t>(port), threads, std::move(handler));
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  on_base_url(base);
  server.Start();
  std::cout << "listening on " << base << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  server.Stop();
  return 0;
}

}  // namespace stashform::emulator
