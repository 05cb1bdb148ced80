#include "reconciler/engine/pending.h"

#include <map>

namespace stashform::engine {

void NotePending(const Refreshed& refreshed, Plan& plan) {
  for (const auto& change : plan.changes) {
    if (change.forget || (change.action != Action::kNoOp && change.action != Action::kUpdate)) continue;
    const provider::ReadResponse* found = refreshed.Find(change.address);
    if (found && !found->gone && !found->pending.empty()) plan.pending.push_back({change.address, found->pending});
  }
}

std::vector<PendingNote> PendingAfterApply(const Plan& plan, const ApplyReport& report) {
  std::map<ResourceAddress, std::string> written;
  for (const auto& note : report.pending) written[note.address] = note.note;
  std::map<ResourceAddress, std::string> noted;
  for (const auto& note : plan.pending) noted[note.address] = note.note;
  std::vector<PendingNote> out;
  for (const auto& op : report.operations) {
    // A write's answer is the newer word; an object the apply did not write keeps the plan's.
    if (auto it = written.find(op.address); it != written.end()) out.push_back({op.address, it->second});
    else if (op.status == OperationStatus::kNothingToDo && noted.count(op.address))
      out.push_back({op.address, noted[op.address]});
  }
  return out;
}

}  // namespace stashform::engine
