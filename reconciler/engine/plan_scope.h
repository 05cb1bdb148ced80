#pragma once
// PlanScope tells which blocks -target and -exclude leave out of a plan; it plans nothing.

#include <set>

#include "base/address.h"
#include "reconciler/engine/graph.h"
#include "reconciler/engine/plan.h"

namespace stashform::engine {

/// What -target and -exclude leave out: -target keeps the named resources and what they depend
/// on; -exclude drops the named ones and what depends on them. Reads the graph only when made.
class PlanScope {
 public:
  PlanScope(const Graph& graph, const PlanOptions& options);
  bool LeavesOut(const ResourceAddress& address) const {
    return (targeted_ && !keep_.count(address)) || drop_.count(address);
  }

 private:
  bool targeted_;
  std::set<ResourceAddress> keep_, drop_;
};

}  // namespace stashform::engine
