#pragma once
// PackagistEmulator runs the built `stashform-emulator packagist` binary on a free loopback port,
// as spacelift_harness.h runs the Spacelift one, and reaches its admin API.

#include <boost/json/value.hpp>

#include <string>
#include <vector>

#include "tests/integration/emulator_process.h"

namespace stashform::testing {

inline constexpr const char* kPackagistApiKey = "packagist_ack_story";
inline constexpr const char* kPackagistApiSecret = "packagist_acs_story-secret-7d31";

/// A seed with the API key above; `extra` (a JSON object's members) is merged in.
std::string PackagistSeed(const std::string& extra_members = "");

/// A running Packagist emulator; stopped with SIGTERM (then SIGKILL) and reaped when it goes.
class PackagistEmulator {
 public:
  explicit PackagistEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args = {});
  PackagistEmulator(const PackagistEmulator&) = delete;
  PackagistEmulator& operator=(const PackagistEmulator&) = delete;

  const std::string& url() const { return process_.url(); }

  using Answer = EmulatorProcess::Answer;
  /// A call to the admin API (paths under /_emulator/).
  Answer Admin(const std::string& method, const std::string& path, const std::string& body = "") const {
    return process_.Admin(method, path, body);
  }
  /// `GET /_emulator/dump`.
  boost::json::value Dump() const;
  /// The request log's entries (`GET /_emulator/requests`).
  std::vector<boost::json::value> Requests() const;

 private:
  EmulatorProcess process_;
};

}  // namespace stashform::testing
