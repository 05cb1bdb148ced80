#pragma once
// SpaceliftEmulator runs the built `stashform-emulator spacelift` binary on a free loopback port,
// as tests/integration/harness.h runs the Bitbucket one, and reaches its admin API.

#include <boost/json/value.hpp>

#include <string>
#include <vector>

#include "tests/integration/emulator_process.h"

namespace stashform::testing {

/// A seed with API key "stashform-key" / "stashform-secret" and the given stacks, each with
/// namespace INFRA, its id as repository, branch main, and no integration.
std::string SpaceliftSeed(const std::vector<std::string>& stacks);

/// A running Spacelift emulator; stopped with SIGTERM (then SIGKILL) and reaped when the object goes.
class SpaceliftEmulator {
 public:
  explicit SpaceliftEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args = {});
  SpaceliftEmulator(const SpaceliftEmulator&) = delete;
  SpaceliftEmulator& operator=(const SpaceliftEmulator&) = delete;

  const std::string& url() const { return process_.url(); }

  using Answer = EmulatorProcess::Answer;
  /// A call to the admin API (paths under /_emulator/).
  Answer Admin(const std::string& method, const std::string& path, const std::string& body = "") const {
    return process_.Admin(method, path, body);
  }
  /// `GET /_emulator/dump`.
  boost::json::value Dump() const;
  /// The stack as the dump shows it (null when absent).
  boost::json::value Stack(const std::string& id) const;
  /// The integration as the dump shows it (null when absent).
  boost::json::value Integration(const std::string& id) const;
  /// The request log's entries (`GET /_emulator/requests`).
  std::vector<boost::json::value> Requests() const;

 private:
  EmulatorProcess process_;
};

}  // namespace stashform::testing
