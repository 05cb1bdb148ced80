#pragma once
// What a saved plan file carries besides the state envelope: where the config and state are, the
// narrowing options, each change as address + actions + a digest of its planned attributes, and
// renderings for `show`. Secrets are only ever in it as digests; apply re-reads them.

#include <string>
#include <vector>

#include "dsl/config.h"
#include "base/status.h"
#include "reconciler/engine/plan.h"

namespace stashform::cli {

struct PlannedChange {
  std::string address;
  std::string actions;       // "create", "delete,create", ...
  std::string after_digest;  // digest of the planned attributes, secrets included
  bool operator==(const PlannedChange&) const = default;
};

struct PlanPayload {
  std::string config_folder;  // absolute
  std::string state_path;     // absolute
  engine::PlanOptions options;
  std::vector<PlannedChange> changes;  // only real changes, in plan order
  std::string text;                    // the plan as `plan` printed it, without colour
  std::string json;                    // the terraform-show-json rendering
};

std::vector<PlannedChange> PlannedChanges(const engine::Plan& plan);
std::string EncodePayload(const PlanPayload& payload);
Result<PlanPayload> DecodePayload(const std::string& text);

/// Digest of the evaluated config: every block and server with its values, secrets included, so
/// a changed variable or environment secret makes a saved plan inapplicable.
std::string ConfigDigest(const dsl::Config& config);

/// "" when the fresh plan does what the saved one said, else what differs.
std::string CompareChanges(const std::vector<PlannedChange>& saved, const std::vector<PlannedChange>& fresh);

}  // namespace stashform::cli
