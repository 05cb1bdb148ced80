#pragma once
// Servers configures every server block of a config through its provider and finds the resource
// type that serves an address.

#include <map>
#include <memory>
#include <string>

#include "dsl/config.h"
#include "base/diagnostics.h"
#include "reconciler/engine/references.h"
#include "modules/provider/provider.h"

namespace stashform::engine {

class Servers {
 public:
  explicit Servers(const provider::Registry& registry) : registry_(registry) {}

  /// Configures each server block; problems are reported with the block's file:line. A block that
  /// refers to resources (`token = ci_token.token`) is configured with their values from
  /// `lookup`; while one is known only after apply, the server waits (see Unavailable).
  Diagnostics Configure(const dsl::Config& config, const ReferenceLookup& lookup = {});
  /// Verifies every configured server (reachable, credentials accepted); one line per failure.
  Diagnostics Verify(const dsl::Config& config) const;
  /// The resource type of `type` on server `server`, or null when the server is not configured.
  provider::ResourceType* Type(const std::string& server, const std::string& type) const;
  /// Why Type finds nothing for `type` on `server`, as a sentence; empty when no block declares it.
  std::string Unavailable(const std::string& server, const std::string& type) const;
  const provider::Registry& registry() const { return registry_; }

 private:
  const provider::Registry& registry_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<provider::Server>> servers_;  // (type, name)
  std::map<std::pair<std::string, std::string>, std::string> waiting_;  // servers left unconfigured, and why
};

}  // namespace stashform::engine
