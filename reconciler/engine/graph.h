#pragma once
// The resource graph: an edge for every reference and depends_on from one block to another. It
// orders planning and applying, and reports cycles with their path and places.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dsl/config.h"
#include "base/diagnostics.h"
#include "modules/provider/provider.h"

namespace stashform::engine {

struct Graph {
  std::vector<ResourceAddress> nodes;                                  // config order
  std::map<ResourceAddress, std::set<ResourceAddress>> dependencies;  // node -> what it needs first
  std::vector<ResourceAddress> order;                                 // dependencies before dependants
  Diagnostics diagnostics;                                            // unknown targets, cycles

  std::vector<ResourceAddress> Dependants(const ResourceAddress& address) const;
};

/// The resources a server block's configuration refers to (`token = ci_token.token`).
std::vector<ResourceAddress> ServerReferences(const dsl::ServerBlock& server);

/// Edges from every Value::Ref inside a block's attributes, from its depends_on, and from what
/// its server's configuration refers to. A reference to
/// an undeclared resource or to an attribute its schema lacks is an error at the block's place.
Graph BuildGraph(const dsl::Config& config, const provider::Registry& registry);

/// `stashform graph`: DOT, or one "address -> dependency" line per edge with `list`.
std::string GraphDot(const Graph& graph);
std::string GraphList(const Graph& graph);

}  // namespace stashform::engine
