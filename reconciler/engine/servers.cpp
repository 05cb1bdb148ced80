#include "reconciler/engine/servers.h"

namespace stashform::engine {

Diagnostics Servers::Configure(const dsl::Config& config) {
  Diagnostics diagnostics;
  for (const auto& block : config.servers) {
    provider::Provider* provider = registry_.ProviderFor(block.type);
    std::string subject = block.type + " \"" + block.name + "\"";
    if (!provider) {
      diagnostics.Error(block.pos, subject, "no provider serves this type");
      continue;
    }
    auto server = provider->Configure(block.name, block.attributes);
    if (!server.ok()) {
      diagnostics.Error(block.pos, "", server.message());
      continue;
    }
    servers_[{block.type, block.name}] = std::move(*server);
  }
  return diagnostics;
}

Diagnostics Servers::Verify(const dsl::Config& config) const {
  Diagnostics diagnostics;
  for (const auto& block : config.servers) {
    auto it = servers_.find({block.type, block.name});
    if (it == servers_.end()) continue;
    Status status = it->second->Verify();
    if (!status.ok()) diagnostics.Error({}, block.type + " \"" + block.name + "\"", status.message());
  }
  return diagnostics;
}

provider::ResourceType* Servers::Type(const std::string& server, const std::string& type) const {
  // Server names are per server type: bitbucket.server "corp" and spacelift.account "corp" coexist.
  const ResourceSchema* schema = registry_.FindSchema(type);
  if (!schema) return nullptr;
  auto it = servers_.find({schema->server_type, server});
  return it == servers_.end() ? nullptr : it->second->Resource(type);
}

}  // namespace stashform::engine
