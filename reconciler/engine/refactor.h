#pragma once
// Refactoring blocks, applied to the state before refresh: `moved` renames an address, `import`
// adopts an existing remote object, `removed { destroy = false }` forgets one without deleting it.
// Plan shows each as a note; apply saves the state that results.

#include <string>
#include <vector>

#include "dsl/config.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

/// Changes `state` in memory as the blocks ask and returns one note per change, e.g.
/// `bitbucket.webhook["a"] has moved to bitbucket.webhook["b"]`.
std::vector<std::string> ApplyRefactorings(const dsl::Config& config, state::State& state, const Servers& servers,
                                           Diagnostics& diagnostics);

}  // namespace stashform::engine
