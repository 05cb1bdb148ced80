#include "reconciler/engine/refresh.h"

#include <utility>

namespace stashform::engine {

const provider::ReadResponse* Refreshed::Find(const ResourceAddress& address) const {
  auto it = by_address.find(address);
  return it == by_address.end() ? nullptr : &it->second;
}

Refreshed Refresh(const state::State& state, const Servers& servers) {
  Refreshed refreshed;
  std::map<std::pair<std::string, std::string>, std::vector<const state::ResourceState*>> groups;
  for (const auto& resource : state.resources) groups[{resource.server, resource.address.type}].push_back(&resource);
  for (const auto& [key, resources] : groups) {
    provider::ResourceType* type = servers.Type(key.first, key.second);
    if (!type) {
      for (const auto* resource : resources)
        refreshed.diagnostics.Error({}, resource->address.ToString(),
                                    "recorded on server \"" + key.first +
                                        "\", which the config no longer declares",
                                    "declare the server again, or run \"stashform state rm\" to forget it");
      continue;
    }
    std::vector<provider::ReadRequest> requests;
    for (const auto* resource : resources) requests.push_back({resource->id, resource->attributes});
    auto responses = type->ReadMany(requests);
    for (size_t i = 0; i < resources.size(); ++i) {
      for (auto d : responses[i].diagnostics.items()) {
        if (d.subject.empty()) d.subject = resources[i]->address.ToString();
        refreshed.diagnostics.Add(std::move(d));
      }
      refreshed.by_address[resources[i]->address] = std::move(responses[i]);
    }
  }
  return refreshed;
}

Refreshed FromState(const state::State& state) {
  Refreshed refreshed;
  for (const auto& resource : state.resources) {
    provider::ReadResponse response;
    response.attributes = resource.attributes;
    refreshed.by_address[resource.address] = std::move(response);
  }
  return refreshed;
}

}  // namespace stashform::engine
