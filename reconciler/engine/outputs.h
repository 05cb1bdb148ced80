#pragma once
// Outputs: the config's `output` values, resolved against the state after apply.

#include "dsl/config.h"
#include "state/state.h"

namespace stashform::engine {

/// Every output's value with references resolved from the state (private values such as a token
/// included, marked sensitive); an output marked sensitive is sensitive as a whole.
Value::Map ResolveOutputs(const dsl::Config& config, const state::State& state);

}  // namespace stashform::engine
