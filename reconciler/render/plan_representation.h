#pragma once
// Terraform's JSON plan and state representations (`terraform show -json [PLANFILE]`), written
// one resource at a time to a stream: memory stays flat however many resources the plan holds.
// Secrets never appear: a sensitive leaf is null (or left out) and marked in `*_sensitive`.

#include <ostream>
#include <string>

#include "dsl/config.h"
#include "modules/provider/provider.h"
#include "reconciler/engine/plan.h"
#include "state/state.h"

namespace stashform::render {

/// The plan representation's format_version, as Terraform writes it.
inline constexpr const char* kPlanFormatVersion = "1.2";
/// The state representation's format_version.
inline constexpr const char* kStateFormatVersion = "1.0";

/// What the plan representation is made of; everything is read, nothing is copied.
struct PlanDocument {
  const engine::Plan& plan;
  const state::State& prior;             // the state the plan was made from (empty when none)
  const dsl::Config& config;             // the evaluated config (configuration)
  const provider::Registry& registry;    // schemas: which config attributes are secrets
  const engine::PlanOptions& options;    // -target / -exclude make the plan incomplete
  std::string timestamp;                 // RFC 3339, when the plan was made
};

/// `show -json PLANFILE`: format_version, terraform_version, planned_values, resource_drift,
/// resource_changes, output_changes, prior_state, configuration, relevant_attributes, checks,
/// timestamp, applyable, complete, errored.
void WritePlanRepresentation(std::ostream& out, const PlanDocument& document);

/// `show -json` without a plan file: format_version, terraform_version, values.
void WriteStateRepresentation(std::ostream& out, const state::State& state);

}  // namespace stashform::render
