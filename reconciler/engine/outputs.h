#pragma once
// Outputs: the declared `output` values, resolved against the state after apply.

#include <vector>

#include "reconciler/engine/plan.h"
#include "state/state.h"

namespace stashform::engine {

/// Every output's value with references resolved from the state (private values such as a token
/// included, marked sensitive); an output marked sensitive is sensitive as a whole.
Value::Map ResolveOutputs(const std::vector<DeclaredOutput>& outputs, const state::State& state);

}  // namespace stashform::engine
