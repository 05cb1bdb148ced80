#pragma once
// Pending states: objects that wait on a person (an owner's OAuth consent in a browser), which no
// apply can end. The engine carries them from the providers' answers into the plan and the apply
// report as notes; they are never changes, so a plan with only pending objects has none.

#include <vector>

#include "reconciler/engine/applier.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"

namespace stashform::engine {

/// Adds to plan.pending every object that refresh found pending and that the plan keeps (a no-op
/// or an update in place): a create, replacement or deletion concerns another object, whose state
/// apply tells.
void NotePending(const Refreshed& refreshed, Plan& plan);

/// What waits on a person once `report`'s apply is done: what the writes answered, and what the
/// plan noted for objects it did not write; in plan order.
std::vector<PendingNote> PendingAfterApply(const Plan& plan, const ApplyReport& report);

}  // namespace stashform::engine
