#include "tests/integration/spacelift_harness.h"

#include <boost/json.hpp>

#include <stdexcept>

// integration_tests defines EMULATOR_BIN; other test binaries may name the emulator themselves.
#ifndef SPACELIFT_EMULATOR_BIN
#define SPACELIFT_EMULATOR_BIN EMULATOR_BIN
#endif

namespace stashform::testing {

namespace json = boost::json;

namespace {

json::value FindById(const json::value& list, const std::string& id) {
  for (const auto& item : list.as_array())
    if (item.at("id") == json::value(id)) return item;
  return nullptr;
}

}  // namespace

std::string SpaceliftSeed(const std::vector<std::string>& stacks) {
  json::array list;
  for (const auto& id : stacks)
    list.push_back(json::object{{"id", id}, {"namespace", "INFRA"}, {"repository", id}, {"branch", "main"}});
  return json::serialize(json::object{
      {"apiKeys", json::array{json::object{{"id", "stashform-key"}, {"secret", "stashform-secret"}, {"name", "stashform"}}}},
      {"stacks", list}});
}

SpaceliftEmulator::SpaceliftEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args)
    : process_(SPACELIFT_EMULATOR_BIN, "spacelift", seed_json, extra_args) {}

json::value SpaceliftEmulator::Dump() const { return Admin("GET", "/_emulator/dump").body; }

json::value SpaceliftEmulator::Stack(const std::string& id) const { return FindById(Dump().at("stacks"), id); }

json::value SpaceliftEmulator::Integration(const std::string& id) const {
  return FindById(Dump().at("integrations"), id);
}

std::vector<json::value> SpaceliftEmulator::Requests() const {
  return process_.ListAt("/_emulator/requests", "requests");
}

}  // namespace stashform::testing
