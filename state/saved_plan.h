#pragma once
// The saved plan file's envelope: which state and config a plan was made from, so that applying it
// later is refused once either moved on. The plan itself is the engine's text, opaque here.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "state/state.h"
#include "state/store_options.h"

namespace stashform::state {

struct SavedPlan {
  static constexpr const char* kFormatName = "stashform-plan";
  /// 2: the plan stands alone (every change with what apply needs, servers, outputs); apply
  /// reads no config. A version 1 plan needed the config and is refused.
  static constexpr int kFormatVersion = 2;

  std::string lineage;        // of the state the plan was made from; "" when there was none
  uint64_t serial = 0;        // that state's serial
  std::string config_digest;  // digest of config and variables, e.g. SecretDigest(canonical text)
  std::string tool_version;
  std::string plan;           // the engine's own encoding of the plan
};

std::string EncodeSavedPlan(const SavedPlan& plan);
Result<SavedPlan> DecodeSavedPlan(std::string_view text, const std::string& file_name);

/// Refuses a plan from another lineage, one whose state has since changed ("saved plan is stale"),
/// or one made from other config or variables. `current` is null when no state was ever stored.
Status CheckSavedPlanApplies(const SavedPlan& plan, const State* current, const std::string& config_digest);

/// Writes the plan file atomically with mode 0600, encrypted like state when the options hold a key.
Status WriteSavedPlan(const std::string& path, const SavedPlan& plan, const StateStoreOptions& options);
Result<SavedPlan> ReadSavedPlan(const std::string& path, const StateStoreOptions& options);

}  // namespace stashform::state
