#pragma once
// One plan with every kind of change (update, create with a reference, delete, replace by
// request in a module, adoption, move), drift, outputs, a prior state and the config behind it,
// each carrying a secret that contains "SECRET": the golden tests of both JSON formats render it.

#include <boost/json.hpp>

#include <memory>
#include <string>

#include "dsl/config.h"
#include "modules/provider/provider.h"
#include "reconciler/engine/plan.h"
#include "state/state.h"
#include "tests/reconciler/fake_provider.h"

namespace stashform::testing {

/// What the plan representation of the sample is made of.
struct JsonFormatsSample {
  engine::Plan plan;
  state::State prior;
  dsl::Config config;
  FakeRemote remote;
  provider::Registry registry;
  engine::PlanOptions options;

  JsonFormatsSample();
};

/// Compares `actual` with the golden file `name` (tests/reconciler/render/golden/), or rewrites
/// the file when STASHFORM_UPDATE_GOLDEN=1 is set: after an intended change of a format, run
///   STASHFORM_UPDATE_GOLDEN=1 build/tests/reconciler/reconciler_tests --gtest_filter='*Golden*'
/// and review `git diff tests/reconciler/render/golden`.
void ExpectGolden(const std::string& name, const std::string& actual);

/// JSON with one member or item a line, indented by two: golden files a reviewer can read.
std::string Pretty(const boost::json::value& value);

}  // namespace stashform::testing
