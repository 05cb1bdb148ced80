#pragma once
// Human-readable plan text, in the manner of Terraform's: symbols, attribute diffs, reasons,
// secrets as (sensitive), and the summary line.

#include <string>

#include "reconciler/engine/plan.h"

namespace stashform::render {

struct TextOptions {
  bool color = false;    // ANSI colours; the CLI turns them on only on a terminal without NO_COLOR
  bool explain = false;  // print every change's reasons
};

/// The whole plan: drift notes, then changes, then `Plan: A to add, C to change, D to destroy.`
/// or `No changes.`.
std::string RenderPlanText(const engine::Plan& plan, const TextOptions& options);

/// `Plan: 1 to add, 2 to change, 0 to destroy.`
std::string SummaryLine(const engine::Plan& plan);

}  // namespace stashform::render
