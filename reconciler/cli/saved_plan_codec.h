#pragma once
// The engine's plan as a saved plan file carries it: every change with what apply needs, the
// server blocks, the outputs and the state edits, so that `apply PLANFILE` never evaluates the
// config. Secrets are written as digests only; reading the plan back re-reads each from the
// environment variable that held it or from the state, and refuses one that differs or is missing.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "base/status.h"
#include "dsl/config.h"
#include "reconciler/cli/backends.h"
#include "reconciler/engine/plan.h"
#include "state/state.h"

namespace stashform::cli {

/// The name of the environment variable that holds `value` exactly, or "" when none does.
using EnvironmentNameOf = std::function<std::string(const std::string& value)>;

/// The plan and the server blocks as JSON, secrets replaced by their digest and, when an
/// environment variable held one, that variable's name.
boost::json::object EncodeStandalonePlan(const engine::Plan& plan, const std::vector<dsl::ServerBlock>& servers,
                                         const EnvironmentNameOf& env_name_of);

/// SavedPlanReader reads back what EncodeStandalonePlan wrote, in the order apply needs it: the
/// servers (their secrets from the environment), the state edits to replay, then the plan (its
/// secrets from the environment or from the state the edits were replayed on).
class SavedPlanReader {
 public:
  SavedPlanReader(const boost::json::object& encoded, EnvironmentLookup getenv)
      : encoded_(encoded), getenv_(std::move(getenv)) {}

  /// A config that holds the server blocks alone.
  Result<dsl::Config> Servers() const;
  Result<std::vector<engine::StateEdit>> StateEdits() const;
  Result<engine::Plan> Plan(const state::State& state) const;

 private:
  const boost::json::object& encoded_;
  EnvironmentLookup getenv_;
};

}  // namespace stashform::cli
