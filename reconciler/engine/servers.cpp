#include "reconciler/engine/servers.h"

#include "reconciler/engine/graph.h"

namespace stashform::engine {

Diagnostics Servers::Configure(const dsl::Config& config, const ReferenceLookup& lookup) {
  Diagnostics diagnostics;
  for (const auto& block : config.servers) {
    provider::Provider* provider = registry_.ProviderFor(block.type);
    std::string subject = block.type + " \"" + block.name + "\"";
    if (!provider) {
      diagnostics.Error(block.pos, subject, "no provider serves this type");
      continue;
    }
    Value::Map attributes = block.attributes;
    if (auto references = ServerReferences(block); !references.empty()) {
      ReferenceLookup unknown = [](const std::string&, const std::string&) { return Value::UnknownValue(); };
      attributes = Resolve(block.attributes, lookup ? lookup : unknown);
      bool known = true;
      for (const auto& [name, value] : attributes) known = known && !value.ContainsUnknown();
      if (!known) {
        std::string names;
        for (const auto& address : references) names += (names.empty() ? "" : ", ") + address.ToString();
        waiting_[{block.type, block.name}] = subject + " is configured from " + names +
                                             ", which is known only after apply; apply with -target " +
                                             references.front().ToString() + " first, then apply again";
        continue;
      }
    }
    auto server = provider->Configure(block.name, attributes);
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

std::string Servers::Unavailable(const std::string& server, const std::string& type) const {
  const ResourceSchema* schema = registry_.FindSchema(type);
  if (!schema) return "no provider serves " + type;
  if (auto it = waiting_.find({schema->server_type, server}); it != waiting_.end()) return it->second;
  return "";
}

provider::ResourceType* Servers::Type(const std::string& server, const std::string& type) const {
  // Server names are per server type: bitbucket.server "corp" and spacelift.account "corp" coexist.
  const ResourceSchema* schema = registry_.FindSchema(type);
  if (!schema) return nullptr;
  auto it = servers_.find({schema->server_type, server});
  return it == servers_.end() ? nullptr : it->second->Resource(type);
}

}  // namespace stashform::engine
