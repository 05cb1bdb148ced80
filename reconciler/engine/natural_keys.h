#pragma once
// Lookups by natural key: before the plan creates an object that no state records, the engine asks
// whether one with that identity exists already (a lost or second state), so that the plan adopts
// it, or refuses, instead of making a duplicate. Providers only answer; the planner decides.

#include "dsl/config.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

/// Looks up, batched per server and type (FindMany: one listing per container), the natural key of
/// every create in `plan` at an address that state does not record, that was not looked up before
/// and whose key is known now. Answers go to refreshed.by_natural_key, failures to its diagnostics.
/// Returns whether any lookup found an object: the plan must then be made again. A plan with no
/// create makes no call.
bool LookUpPlannedCreates(const Plan& plan, const state::State& state, const Servers& servers, Refreshed& refreshed);

/// "name", or "project, repository, name and url": the key an adoption's reason names.
std::string KeyWords(const ResourceSchema& schema);

/// The values a create would yield that only its answer carries (a generated private key), which
/// an adopted object lacks: each is said once, with what replacing the object breaks.
void WarnUnknownCreateAnswerValues(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                                   provider::ResourceType& type, const Value::Map& proposed, Plan& plan);

/// The refusal for an object that cannot be adopted (a token): named, with its two ways out.
void RefuseConflict(const dsl::ResourceBlock& block, const ResourceSchema& schema,
                    const provider::ImportResponse& found, Plan& plan);

}  // namespace stashform::engine
