#include "dsl/config.h"

namespace stashform::dsl {

const ServerBlock* Config::FindServer(const std::string& type, const std::string& name) const {
  for (const auto& server : servers)
    if (server.type == type && server.name == name) return &server;
  return nullptr;
}

const ResourceBlock* Config::FindResource(const ResourceAddress& address) const {
  std::lock_guard<std::mutex> lock(index_.mutex);
  auto& positions = index_.positions;
  auto lookup = [&]() -> const ResourceBlock* {
    auto it = positions.find(address);
    if (it == positions.end() || it->second >= resources.size() || resources[it->second].address != address)
      return nullptr;
    return &resources[it->second];
  };
  if (positions.size() == resources.size()) {
    if (const ResourceBlock* found = lookup()) return found;
    auto it = positions.find(address);
    if (it == positions.end()) return nullptr;  // not declared
  }
  // Planning looks up every block; a scan each time made plans quadratic in the config's size.
  positions.clear();
  for (size_t i = 0; i < resources.size(); ++i) positions.emplace(resources[i].address, i);
  return lookup();
}

}  // namespace stashform::dsl
