#pragma once
// The rules every store applies before writing, so that all stores agree on serials and lineage.

#include <optional>
#include <string>

#include "reconciler/base/status.h"
#include "state/state.h"

namespace stashform::state {

/// Decides whether `state` must be written over `stored` (what the store holds now): false when the
/// content is the same; an error when the lineages differ. When a write is due, bumps the serial
/// past both. `where` names the store in messages.
Result<bool> PrepareSave(const std::optional<State>& stored, State& state, const std::string& where);

}  // namespace stashform::state
