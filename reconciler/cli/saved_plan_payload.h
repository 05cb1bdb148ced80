#pragma once
// What a saved plan file carries besides the state envelope: where the config and state were, the
// narrowing options, the plan itself as apply needs it (saved_plan_codec.h) and renderings for
// `show`. Secrets are only ever in it as digests; apply re-reads them.

#include <boost/json.hpp>

#include <string>

#include "base/status.h"
#include "dsl/config.h"
#include "reconciler/engine/plan.h"

namespace stashform::cli {

struct PlanPayload {
  std::string config_folder;  // absolute; for the record, apply does not read it
  std::string state_path;     // absolute
  engine::PlanOptions options;
  boost::json::object plan;   // EncodeStandalonePlan
  std::string text;           // the plan as `plan` printed it, without colour
  std::string json;           // the terraform-show-json rendering
};

std::string EncodePayload(const PlanPayload& payload);
Result<PlanPayload> DecodePayload(const std::string& text);

/// Digest of the evaluated config: every block and server with its values, secrets included; the
/// envelope records it, apply checks each secret by its own digest instead.
std::string ConfigDigest(const dsl::Config& config);

}  // namespace stashform::cli
