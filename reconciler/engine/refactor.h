#pragma once
// Refactoring blocks, applied to the state before refresh: `moved` renames an address, `import`
// adopts an existing remote object, `removed { destroy = false }` forgets one without deleting it.
// Plan shows each as a note; apply saves the state that results.

#include <string>
#include <vector>

#include "dsl/config.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

/// Changes `state` in memory as the blocks ask and returns one note per change, e.g.
/// `bitbucket.webhook["a"] has moved to bitbucket.webhook["b"]`. The edits made go to `edits`, for a
/// saved plan to replay.
std::vector<std::string> ApplyRefactorings(const dsl::Config& config, state::State& state, const Servers& servers,
                                           Diagnostics& diagnostics, std::vector<StateEdit>* edits = nullptr);

/// Makes the same edits again on a state loaded without the config (apply of a saved plan); an
/// import reads its object from the server again.
void ReplayStateEdits(const std::vector<StateEdit>& edits, state::State& state, const Servers& servers,
                      Diagnostics& diagnostics);

}  // namespace stashform::engine
