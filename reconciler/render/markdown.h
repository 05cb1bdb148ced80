#pragma once
// A plan as a pull-request comment: a summary table, the details folded away, drift apart.

#include <string>

#include "reconciler/engine/plan.h"

namespace stashform::render {

std::string RenderPlanMarkdown(const engine::Plan& plan);

}  // namespace stashform::render
