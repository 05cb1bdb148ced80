#pragma once
// The planner compares the desired config with the refreshed state and yields a Plan with a
// reason for every change; it never writes, locally or remotely.

#include <optional>

#include "dsl/config.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

Plan MakePlan(const dsl::Config& config, const state::State& state, const Refreshed& refreshed,
              const Servers& servers, const PlanOptions& options = {});

/// MakePlan that moves the refreshed attributes into the changes' `before` instead of copying
/// them: a large plan's third copy of every object. Afterwards the answers of `refreshed` keep
/// their gone marks, notes, pending notes and diagnostics but no attributes; ReturnRefreshed
/// gives them back when another plan of the same refresh follows (a natural-key lookup round).
Plan MakePlanTakingRefreshed(const dsl::Config& config, const state::State& state, Refreshed& refreshed,
                             const Servers& servers, const PlanOptions& options = {});

/// Puts back into `refreshed` the attributes MakePlanTakingRefreshed moved into `plan`, normalized
/// as the plan holds them (planning normalizes them again, to the same values).
void ReturnRefreshed(const Plan& plan, Refreshed& refreshed);

/// The config's attributes with the schema's defaults filled in, sensitive marks applied and
/// sets put in a stable order.
Value::Map ProposedAttributes(const ResourceSchema& schema, const Value::Map& written);

/// What a reference to `attribute` of a planned resource resolves to: its current value for a
/// resource that stays, its planned value, or "known after apply" for what only apply can tell.
std::optional<Value> KnownValue(const ResourceChange& change, const state::ResourceState* recorded,
                                const std::string& attribute);

/// Sensitive marks and stable set order applied to attributes read from state or a server.
Value::Map NormalizedAttributes(const ResourceSchema& schema, Value::Map attributes);

}  // namespace stashform::engine
