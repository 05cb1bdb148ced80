#include "reconciler/render/text.h"

#include <fmt/format.h>

#include <algorithm>

namespace stashform::render {

namespace {

using engine::Action;

struct Palette {
  bool on;
  std::string Paint(const std::string& code, const std::string& text) const {
    return on ? "\x1b[" + code + "m" + text + "\x1b[0m" : text;
  }
  std::string Add(const std::string& t) const { return Paint("32", t); }
  std::string Change(const std::string& t) const { return Paint("33", t); }
  std::string Remove(const std::string& t) const { return Paint("31", t); }
  std::string Bold(const std::string& t) const { return Paint("1", t); }
};

std::string Symbol(const engine::ResourceChange& change, const Palette& p) {
  switch (change.action) {
    case Action::kCreate: return p.Add("+");
    case Action::kUpdate: return p.Change("~");
    case Action::kReplace: return change.create_before_destroy ? p.Add("+") + "/" + p.Remove("-")
                                                               : p.Remove("-") + "/" + p.Add("+");
    case Action::kDelete: return p.Remove("-");
    case Action::kNoOp: return " ";
  }
  return " ";
}

size_t NameWidth(const std::vector<engine::AttributeDiff>& diffs) {
  size_t width = 0;
  for (const auto& d : diffs) width = std::max(width, d.name.size());
  return width;
}

std::string RenderDiff(const engine::AttributeDiff& diff, Action action, size_t width, const Palette& p) {
  std::string name = diff.name + std::string(width - diff.name.size(), ' ');
  if (action == Action::kCreate) return fmt::format("      {} {} = {}\n", p.Add("+"), name, diff.after.Render());
  if (action == Action::kDelete) return fmt::format("      {} {} = {}\n", p.Remove("-"), name, diff.before.Render());
  std::string line = fmt::format("      {} {} = {} -> {}", p.Change("~"), name, diff.before.Render(), diff.after.Render());
  if (diff.forces_replacement) line += " " + p.Remove("# forces replacement");
  return line + "\n";
}

std::string Header(const engine::ResourceChange& change, const TextOptions& options) {
  const bool adopted_as_is = change.adopt && change.action == Action::kNoOp;
  std::string header = fmt::format("  # {} will be {}", change.address.ToString(),
                                   adopted_as_is ? "adopted" : ActionVerb(change.action));
  if (adopted_as_is) return header + "\n";
  // A replacement no attribute diff explains (a lost token value, a due rotation) says why.
  const bool unexplained = change.action == Action::kReplace && change.diffs.empty();
  if (change.action == Action::kCreate || change.action == Action::kDelete || unexplained || options.explain) {
    if (!change.reasons.empty()) header += " (" + fmt::format("{}", fmt::join(change.reasons, "; ")) + ")";
  }
  return header + "\n";
}

std::string RenderChange(const engine::ResourceChange& change, const TextOptions& options, const Palette& p) {
  std::string out = Header(change, options);
  // Ordering that differs from what the config asked for is shown even without -explain.
  for (const auto& reason : change.reasons)
    if (reason.rfind(engine::kDeleteFirstReason, 0) == 0 || reason.rfind(engine::kAdoptedReason, 0) == 0)
      out += fmt::format("  # {}\n", reason);
  out += fmt::format("  {} {} {{\n", Symbol(change, p), p.Bold(change.address.ToString()));
  std::vector<engine::AttributeDiff> diffs = change.diffs;
  if (change.action == Action::kDelete)
    for (const auto& [name, value] : change.before)
      if (!value.is_null()) diffs.push_back({name, value, Value(), false});
  size_t width = NameWidth(diffs);
  if (!change.id.empty() && change.action != Action::kDelete)
    out += fmt::format("        {}{} = \"{}\"\n", "id", std::string(width > 2 ? width - 2 : 0, ' '), change.id);
  for (const auto& diff : diffs) out += RenderDiff(diff, change.action, std::max<size_t>(width, 2), p);
  return out + "    }\n";
}

std::string RenderDrift(const engine::Plan& plan, const Palette& p) {
  if (plan.drift.empty()) return "";
  std::string out = p.Bold("Objects have changed outside of stashform") + "\n\n";
  for (const auto& entry : plan.drift) {
    if (entry.deleted) {
      out += fmt::format("  # {} has been deleted\n", entry.address.ToString());
      continue;
    }
    out += fmt::format("  # {} has changed\n", entry.address.ToString());
    size_t width = NameWidth(entry.diffs);
    for (const auto& diff : entry.diffs) out += RenderDiff(diff, Action::kUpdate, width, p);
  }
  return out + "\n";
}

/// Objects waiting on a person: said on every plan, apart from the changes, which they are not.
std::string RenderPending(const engine::Plan& plan, const Palette& p) {
  if (plan.pending.empty()) return "";
  std::string out = p.Bold("Waiting on a person (a state, not a change)") + "\n\n";
  for (const auto& entry : plan.pending) out += fmt::format("  # {}: {}\n", entry.address.ToString(), entry.note);
  return out + "\n";
}

std::string RenderOutputs(const engine::Plan& plan, const Palette& p) {
  size_t width = 0;
  for (const auto& output : plan.output_changes)
    if (output.action != Action::kNoOp) width = std::max(width, output.name.size());
  std::string out = p.Bold("Changes to Outputs:") + "\n";
  for (const auto& output : plan.output_changes) {
    if (output.action == Action::kNoOp) continue;  // the width counts changed outputs only
    std::string name = output.name + std::string(width - output.name.size(), ' ');
    if (output.action == Action::kCreate)
      out += fmt::format("  {} {} = {}\n", p.Add("+"), name, output.after.Render());
    else if (output.action == Action::kUpdate)
      out += fmt::format("  {} {} = {} -> {}\n", p.Change("~"), name, output.before.Render(), output.after.Render());
    else if (output.action == Action::kDelete)
      out += fmt::format("  {} {} = {} -> null\n", p.Remove("-"), name, output.before.Render());
  }
  return out;
}

}  // namespace

std::string SummaryLine(const engine::Plan& plan) {
  // As Terraform's "Plan: 1 to import, ...": the count comes first and only when there is one.
  if (plan.ToAdopt() > 0)
    return fmt::format("Plan: {} to adopt, {} to add, {} to change, {} to destroy.", plan.ToAdopt(), plan.ToAdd(),
                       plan.ToChange(), plan.ToDestroy());
  return fmt::format("Plan: {} to add, {} to change, {} to destroy.", plan.ToAdd(), plan.ToChange(),
                     plan.ToDestroy());
}

std::string RenderPlanText(const engine::Plan& plan, const TextOptions& options) {
  Palette p{options.color};
  std::string out = RenderDrift(plan, p) + RenderPending(plan, p);
  if (!plan.HasChanges()) {
    out += p.Bold("No changes.") + " Your infrastructure matches the configuration.\n";
    return out;
  }
  if (!plan.state_notes.empty()) {
    out += "stashform will change the state:\n\n";
    for (const auto& note : plan.state_notes) out += "  # " + note + "\n";
    out += "\n";
  }
  const bool outputs_only =
      plan.ToAdd() + plan.ToChange() + plan.ToDestroy() + plan.ToAdopt() == 0 && plan.state_notes.empty();
  if (!outputs_only) {
    out += "stashform will perform the following actions:\n\n";
    for (const auto& change : plan.changes) {
      if (change.action == Action::kNoOp && !change.adopt) continue;
      out += RenderChange(change, options, p) + "\n";
    }
    out += p.Bold(SummaryLine(plan)) + "\n";
  }
  if (plan.OutputsChange()) out += (outputs_only ? "" : "\n") + RenderOutputs(plan, p);
  if (outputs_only)
    out += "\nYou can apply this plan to save these new output values to the stashform state, without changing "
           "any real infrastructure.\n";
  return out;
}

}  // namespace stashform::render
