#include "tests/integration/packagist_harness.h"

#include <boost/json.hpp>

namespace stashform::testing {

namespace json = boost::json;

std::string PackagistSeed(const std::string& extra_members) {
  std::string seed = std::string(R"({"apiKeys":[{"key":")") + kPackagistApiKey + R"(","secret":")" + kPackagistApiSecret + R"("}])";
  return seed + (extra_members.empty() ? "" : "," + extra_members) + "}";
}

PackagistEmulator::PackagistEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args)
    : process_(EMULATOR_BIN, "packagist", seed_json, extra_args) {}

json::value PackagistEmulator::Dump() const { return Admin("GET", "/_emulator/dump").body; }

std::vector<json::value> PackagistEmulator::Requests() const {
  return process_.ListAt("/_emulator/requests", "requests");
}

}  // namespace stashform::testing
