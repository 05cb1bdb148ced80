#pragma once
// Masking for commands that print state (`state pull`, `state show`): secrets become a placeholder.

#include "base/value.h"
#include "state/state.h"

namespace stashform::state {

/// What a masked secret reads as.
constexpr const char* kMaskedValue = "(sensitive)";

/// The map with every sensitive value replaced by kMaskedValue (still marked sensitive).
Value::Map MaskSensitive(const Value::Map& map);

/// The state with sensitive attributes, all private data and sensitive outputs masked.
State MaskSensitive(State state);

}  // namespace stashform::state
