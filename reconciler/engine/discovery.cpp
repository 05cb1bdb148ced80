#include "reconciler/engine/discovery.h"

#include <map>

namespace stashform::engine {

Discovery DiscoverUnmanaged(const state::State& state, const Servers& servers) {
  Discovery discovery;
  std::map<std::pair<std::string, std::string>, std::vector<provider::ReadRequest>> groups;
  for (const auto& resource : state.resources)
    groups[{resource.server, resource.address.type}].push_back({resource.id, resource.attributes});
  for (const auto& [key, managed] : groups) {
    provider::ResourceType* type = servers.Type(key.first, key.second);
    if (!type) continue;
    for (auto& object : type->ListUnmanaged(managed, discovery.diagnostics))
      discovery.objects.push_back({key.first, key.second, object.id, object.description});
  }
  return discovery;
}

}  // namespace stashform::engine
