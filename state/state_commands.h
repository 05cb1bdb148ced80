#pragma once
// The state edits behind `state mv`, `state rm` and `state pull`: pure functions on a State; the
// CLI locks, loads, calls one, and saves.

#include <string>
#include <vector>

#include "base/address.h"
#include "base/status.h"
#include "state/state.h"

namespace stashform::state {

/// Renames a resource (e.g. into a module) and the dependencies that name it. Refuses a missing
/// source, an occupied target, and a change of type (a different type is a different object).
Status MoveResource(State& state, const ResourceAddress& from, const ResourceAddress& to);

/// Forgets resources without touching the remote objects; all or nothing when one is missing.
Status RemoveResources(State& state, const std::vector<ResourceAddress>& addresses);

/// The state JSON for `state pull`: secrets masked unless `show_sensitive`.
std::string EncodeStateForPull(const State& state, bool show_sensitive);

}  // namespace stashform::state
