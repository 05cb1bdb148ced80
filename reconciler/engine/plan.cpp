#include "reconciler/engine/plan.h"

namespace stashform::engine {

std::string ActionVerb(Action action) {
  switch (action) {
    case Action::kNoOp: return "left unchanged";
    case Action::kCreate: return "created";
    case Action::kUpdate: return "updated in-place";
    case Action::kReplace: return "replaced";
    case Action::kDelete: return "destroyed";
  }
  return "";
}

static int Count(const Plan& plan, Action a, Action b) {
  int n = 0;
  for (const auto& change : plan.changes) n += change.action == a || change.action == b;
  return n;
}

int Plan::ToAdd() const { return Count(*this, Action::kCreate, Action::kReplace); }
int Plan::ToChange() const { return Count(*this, Action::kUpdate, Action::kUpdate); }
int Plan::ToDestroy() const { return Count(*this, Action::kDelete, Action::kReplace); }

int Plan::ToAdopt() const {
  int n = 0;
  for (const auto& change : changes) n += change.adopt;
  return n;
}

bool Plan::OutputsChange() const {
  for (const auto& output : output_changes)
    if (output.action != Action::kNoOp) return true;
  return false;
}

}  // namespace stashform::engine
