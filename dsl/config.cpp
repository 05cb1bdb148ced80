#include "dsl/config.h"

namespace stashform::dsl {

const ServerBlock* Config::FindServer(const std::string& type, const std::string& name) const {
  for (const auto& server : servers)
    if (server.type == type && server.name == name) return &server;
  return nullptr;
}

const ResourceBlock* Config::FindResource(const ResourceAddress& address) const {
  for (const auto& resource : resources)
    if (resource.address == address) return &resource;
  return nullptr;
}

}  // namespace stashform::dsl
