#pragma once
// Machine-readable plans in the shape of `terraform show -json`, so that policy tools (OPA,
// conftest, tfcmt, Atlantis) read them as they read Terraform's. Sensitive values are null in
// `before`/`after` and marked in `*_sensitive`; they never appear, not even as digests.

#include <iosfwd>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "reconciler/engine/discovery.h"
#include "reconciler/engine/plan.h"

namespace stashform::render {

boost::json::value PlanJson(const engine::Plan& plan);
/// The same, serialised on one line.
std::string RenderPlanJson(const engine::Plan& plan);
/// The same text written to `out` as it is made, one resource at a time.
void WritePlanJson(std::ostream& out, const engine::Plan& plan);
/// `stashform drift -format json`: resource_drift as in a plan, plus the objects no config declares.
/// The report of `stashform drift -json`: drifted attributes, unmanaged objects, detached stacks and
/// pending verifications, in one document.
std::string RenderDriftJson(const engine::Plan& plan, const engine::Discovery& discovery);

/// Terraform's change.actions for an action: ["create"], ["delete","create"], ["no-op"], ...
boost::json::array ActionsJson(const engine::ResourceChange& change);

// The parts of the plan representation (plan_representation.h) and of the UI stream (ui_stream.h).

/// A value with secrets and unknowns as null; their marks go to the companion objects.
boost::json::value Redacted(const Value& value);
/// `true` at each sensitive leaf of each attribute that has one: Terraform's `*_sensitive`.
boost::json::object SensitiveJson(const Value::Map& attributes);
/// Terraform's action_reason ("replace_by_request", ...), or "" when none fits.
std::string ActionReason(const engine::ResourceChange& change);
/// The attributes an object will have once the change is applied, with every key it has now.
Value::Map PlannedAttributes(const engine::ResourceChange& change);
/// One entry of resource_changes, with stashform's own reasons beside Terraform's keys.
boost::json::object ResourceJson(const engine::ResourceChange& change);
/// One entry of resource_drift.
boost::json::object DriftJson(const engine::DriftEntry& entry);
/// output_changes: every output by name.
boost::json::object OutputChangesJson(const engine::Plan& plan);

}  // namespace stashform::render
