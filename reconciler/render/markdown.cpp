#include "reconciler/render/markdown.h"

#include <fmt/format.h>

#include "reconciler/render/text.h"

namespace stashform::render {

namespace {

using engine::Action;

std::string ActionCell(Action action, bool create_before_destroy = false) {
  switch (action) {
    case Action::kCreate: return "+ create";
    case Action::kUpdate: return "~ update";
    case Action::kDelete: return "- destroy";
    case Action::kReplace: return create_before_destroy ? "+/- replace" : "-/+ replace";
    case Action::kNoOp: return "";
  }
  return "";
}

/// Table cells may not hold a pipe or a line break.
std::string Cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string Reasons(const engine::ResourceChange& change) {
  return Cell(fmt::format("{}", fmt::join(change.reasons, "; ")));
}

}  // namespace

std::string RenderPlanMarkdown(const engine::Plan& plan) {
  std::string out;
  if (!plan.HasChanges()) {
    out += "### stashform plan: no changes\n\nThe servers match the configuration.\n";
  } else {
    out += fmt::format("### stashform plan: {} to add, {} to change, {} to destroy\n\n", plan.ToAdd(),
                       plan.ToChange(), plan.ToDestroy());
    out += "| action | resource | why |\n|---|---|---|\n";
    for (const auto& change : plan.changes)
      if (change.action != Action::kNoOp || change.adopt)
        out += fmt::format("| `{}` | `{}` | {} |\n",
                           change.action == Action::kNoOp ? "adopt" : ActionCell(change.action, change.create_before_destroy),
                           Cell(change.address.ToString()), Reasons(change));
    for (const auto& output : plan.output_changes)
      if (output.action != Action::kNoOp)
        out += fmt::format("| `{}` | `output.{}` | output value |\n", ActionCell(output.action),
                           Cell(output.name));
  }
  if (!plan.drift.empty()) {
    out += fmt::format("\n#### Drift: {} object{} changed outside stashform\n\n", plan.drift.size(),
                       plan.drift.size() == 1 ? "" : "s");
    for (const auto& entry : plan.drift) {
      std::string what = entry.deleted ? "deleted" : "";
      for (const auto& diff : entry.diffs) what += (what.empty() ? "" : ", ") + diff.name;
      out += fmt::format("- `{}`: {}\n", entry.address.ToString(), Cell(what));
    }
  }
  if (!plan.pending.empty()) {
    out += "\n#### Waiting on a person (a state, not a change)\n\n";
    for (const auto& entry : plan.pending)
      out += fmt::format("- `{}`: {}\n", entry.address.ToString(), Cell(entry.note));
  }
  if (plan.HasChanges()) {
    engine::Plan details = plan;
    details.drift.clear();
    details.pending.clear();
    out += "\n<details><summary>Show the full plan</summary>\n\n```diff\n";
    out += RenderPlanText(details, {false, true});
    out += "```\n\n</details>\n";
  }
  return out;
}

}  // namespace stashform::render
