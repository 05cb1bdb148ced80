#include "reconciler/engine/plan_scope.h"

#include <functional>
#include <vector>

namespace stashform::engine {

namespace {

/// The addresses reached from `start` by following `next` (dependencies or dependants).
std::set<ResourceAddress> Closure(const std::vector<ResourceAddress>& start,
                                  const std::function<std::vector<ResourceAddress>(const ResourceAddress&)>& next) {
  std::set<ResourceAddress> seen;
  std::vector<ResourceAddress> todo = start;
  while (!todo.empty()) {
    ResourceAddress address = todo.back();
    todo.pop_back();
    if (!seen.insert(address).second) continue;
    for (const auto& other : next(address)) todo.push_back(other);
  }
  return seen;
}

}  // namespace

PlanScope::PlanScope(const Graph& graph, const PlanOptions& options) : targeted_(!options.targets.empty()) {
  auto dependencies = [&](const ResourceAddress& a) {
    auto it = graph.dependencies.find(a);
    return it == graph.dependencies.end() ? std::vector<ResourceAddress>{}
                                          : std::vector<ResourceAddress>(it->second.begin(), it->second.end());
  };
  auto dependants = [&](const ResourceAddress& a) { return graph.Dependants(a); };
  if (targeted_) keep_ = Closure(options.targets, dependencies);
  if (!options.excludes.empty()) drop_ = Closure(options.excludes, dependants);
}

}  // namespace stashform::engine
