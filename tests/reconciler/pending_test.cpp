// Pending states: what waits on a person is noted on the plan for objects it keeps, rendered apart
// from the changes, and never counted as one.

#include <gtest/gtest.h>

#include "reconciler/engine/pending.h"
#include "reconciler/render/markdown.h"
#include "reconciler/render/text.h"

namespace stashform::engine {
namespace {

ResourceAddress Address(const std::string& text) { return *ResourceAddress::Parse(text); }

ResourceChange Change(const std::string& address, Action action) {
  ResourceChange change;
  change.address = Address(address);
  change.action = action;
  return change;
}

provider::ReadResponse PendingRead(const std::string& note) {
  provider::ReadResponse read;
  read.pending = note;
  return read;
}

TEST(Pending, NotedForKeptObjectsRenderedApartAndNeverAChange) {
  Plan plan;
  plan.changes = {Change("gitpod.auth_provider[\"kept\"]", Action::kNoOp), Change("gitpod.auth_provider[\"replaced\"]", Action::kReplace)};
  Refreshed refreshed;
  refreshed.by_address[Address("gitpod.auth_provider[\"kept\"]")] = PendingRead("pending verification — an owner must connect at https://g/settings/git");
  refreshed.by_address[Address("gitpod.auth_provider[\"replaced\"]")] = PendingRead("pending verification — old object");
  NotePending(refreshed, plan);
  ASSERT_EQ(plan.pending.size(), 1u);
  plan.changes.pop_back();  // only the kept object: the plan has nothing to do
  EXPECT_FALSE(plan.HasChanges());
  std::string text = render::RenderPlanText(plan, {});
  EXPECT_NE(text.find("  # gitpod.auth_provider[\"kept\"]: pending verification — an owner must connect at https://g/settings/git\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("No changes."), std::string::npos) << text;
  EXPECT_NE(render::RenderPlanMarkdown(plan).find("- `gitpod.auth_provider[\"kept\"]`: pending verification"), std::string::npos);
}

TEST(Pending, AfterApplyAWritesAnswerWinsOverThePlansNote) {
  Plan plan;
  plan.changes = {Change("gitpod.auth_provider[\"written\"]", Action::kUpdate), Change("gitpod.auth_provider[\"kept\"]", Action::kNoOp)};
  plan.pending = {{Address("gitpod.auth_provider[\"written\"]"), "old note"}, {Address("gitpod.auth_provider[\"kept\"]"), "kept note"}};
  ApplyReport report;
  report.operations = {{Address("gitpod.auth_provider[\"written\"]"), Action::kUpdate, OperationStatus::kDone, ""},
                       {Address("gitpod.auth_provider[\"kept\"]"), Action::kNoOp, OperationStatus::kNothingToDo, ""}};
  report.pending = {{Address("gitpod.auth_provider[\"written\"]"), "new note"}};
  auto after = PendingAfterApply(plan, report);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].note, "new note");
  EXPECT_EQ(after[1].note, "kept note");
}

}  // namespace
}  // namespace stashform::engine
