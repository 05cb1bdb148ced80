#pragma once
// Machine-readable plans in the shape of `terraform show -json`, so that policy tools (OPA,
// conftest, tfcmt, Atlantis) read them as they read Terraform's. Sensitive values are null in
// `before`/`after` and marked in `*_sensitive`; they never appear, not even as digests.

#include <string>

#include <boost/json/value.hpp>

#include <vector>

#include "reconciler/engine/discovery.h"
#include "reconciler/engine/plan.h"

namespace stashform::render {

boost::json::value PlanJson(const engine::Plan& plan);
/// The same, serialised on one line.
std::string RenderPlanJson(const engine::Plan& plan);
/// `stashform drift -format json`: resource_drift as in a plan, plus the objects no config declares.
/// The report of `stashform drift -json`: drifted attributes, unmanaged objects, detached stacks and
/// pending verifications, in one document.
std::string RenderDriftJson(const engine::Plan& plan, const engine::Discovery& discovery);

/// Terraform's change.actions for an action: ["create"], ["delete","create"], ["no-op"], ...
boost::json::array ActionsJson(const engine::ResourceChange& change);

}  // namespace stashform::render
