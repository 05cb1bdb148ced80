#pragma once
// What every emulator's subcommand shares: the fault flags of docs/emulator.md, reading a JSON
// file, and serving on 127.0.0.1 until SIGINT/SIGTERM after one "listening on" line.

#include "emulators/common/faults.h"
#include "emulators/common/server.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stashform::emulator {

/// FaultFlags collects the fault flags as given; BuildFaults turns them into a FaultConfig.
struct FaultFlags {
  FaultConfig faults;  // --latency-ms, --jitter-ms, --drop-rate, --fault-seed land here directly
  std::string faults_path;
  std::vector<std::string> error_rates;
  std::string rate_limit;
};

/// Adds --latency-ms, --jitter-ms, --error-rate, --drop-rate, --rate-limit, --fault-seed and
/// --faults; bucket_owner says whose token bucket --rate-limit fills ("per-user").
void AddFaultOptions(CLI::App& command, FaultFlags& flags, const std::string& bucket_owner);
/// The --faults file first, then the flags on top; throws std::runtime_error on a malformed one.
FaultConfig BuildFaults(const FaultFlags& flags);

/// The whole file as JSON; throws std::runtime_error naming the file when it cannot.
boost::json::value ReadJsonFile(const std::string& path);

/// Serves handler on 127.0.0.1:port with `threads` workers; once bound, on_base_url gets
/// "http://127.0.0.1:PORT" and stdout the line "listening on <it>". Returns 0 on SIGINT/SIGTERM.
int ServeUntilStopped(int port, int threads, HttpServer::Handler handler,
                      const std::function<void(const std::string&)>& on_base_url);

}  // namespace stashform::emulator
