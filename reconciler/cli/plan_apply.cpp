// `stashform plan` and `stashform apply`: refresh, plan, render, and (for apply) carry out.

#include <fmt/format.h>

#include <csignal>
#include <atomic>
#include <istream>
#include <ostream>

#include "reconciler/cli/session.h"
#include "reconciler/engine/applier.h"
#include "reconciler/engine/planner.h"
#include "reconciler/render/text.h"

namespace stashform::cli {

namespace {

/// The shared first half of plan and apply: verify servers, adopt pending creates, refresh, plan.
struct Planned {
  engine::Refreshed refreshed;
  engine::Plan plan;
};

bool MakePlan(Session& session, const CommonOptions& options, bool persist_intents, Io& io, Planned& out) {
  // Verify: every server answers and accepts our credentials.
  Diagnostics verified = session.servers().Verify(session.config());
  if (verified.HasErrors()) {
    PrintDiagnostics(verified, io);
    return false;
  }
  // Intents: creates that a previous run may have sent without recording them.
  if (!session.state().intents.empty()) {
    Diagnostics diagnostics;
    bool changed = engine::ResolvePendingIntents(session.state(), session.servers(), diagnostics);
    if (diagnostics.HasErrors()) {
      PrintDiagnostics(diagnostics, io);
      return false;
    }
    if (changed && persist_intents) {
      Status saved = session.store().Save(session.state());
      if (!saved.ok()) {
        io.err << "Error: " << saved.message() << "\n";
        return false;
      }
    }
  }
  // Refresh: ask every server what exists.
  out.refreshed = options.refresh ? engine::Refresh(session.state(), session.servers())
                                  : engine::FromState(session.state());
  if (out.refreshed.diagnostics.HasErrors()) {
    PrintDiagnostics(out.refreshed.diagnostics, io);
    return false;
  }
  // Diff.
  out.plan = engine::MakePlan(session.config(), session.state(), out.refreshed, session.servers());
  if (out.plan.diagnostics.HasErrors()) {
    PrintDiagnostics(out.plan.diagnostics, io);
    return false;
  }
  PrintDiagnostics(out.plan.diagnostics, io);
  return true;
}

bool Confirm(Io& io) {
  io.out << "\nDo you want to perform these actions?\n"
            "  stashform will perform the actions described above.\n"
            "  Only 'yes' will be accepted to approve.\n\n"
            "  Enter a value: ";
  io.out.flush();
  std::string answer;
  std::getline(io.in, answer);
  io.out << "\n";
  return answer == "yes";
}

/// While alive, SIGINT and SIGTERM ask the apply to start nothing new instead of killing it;
/// operations in flight finish and their results are saved.
class InterruptGuard {
 public:
  InterruptGuard() {
    Flag().store(false);
    struct sigaction action {};
    action.sa_handler = [](int) { Flag().store(true); };
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  const std::atomic<bool>& flag() const { return Flag(); }

 private:
  static std::atomic<bool>& Flag() {
    static std::atomic<bool> interrupted{false};
    return interrupted;
  }
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string Done(const engine::ResourceChange& change) {
  switch (change.action) {
    case engine::Action::kCreate: return "Creation complete";
    case engine::Action::kUpdate: return "Modifications complete";
    case engine::Action::kReplace: return "Replacement complete";
    case engine::Action::kDelete: return "Destruction complete";
    case engine::Action::kNoOp: return "";
  }
  return "";
}

}  // namespace

int RunPlan(const Args& args, Io& io) {
  CLI::App app("Show changes required by the current configuration", "stashform plan");
  CommonOptions options;
  bool detailed_exitcode = false;
  AddCommonOptions(app, options);
  app.add_flag("--detailed-exitcode", detailed_exitcode, "Exit 2 when there are changes");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Session session;
  if (!session.Open(options, "plan", io)) return 1;
  Planned planned;
  if (!MakePlan(session, options, /*persist_intents=*/false, io, planned)) return 1;
  io.out << render::RenderPlanText(planned.plan, {UseColor(options, io), options.explain});
  return detailed_exitcode && planned.plan.HasChanges() ? 2 : 0;
}

int RunApply(const Args& args, Io& io) {
  CLI::App app("Create or update remote objects to match the configuration", "stashform apply");
  CommonOptions options;
  bool auto_approve = false;
  int parallelism = 16;
  AddCommonOptions(app, options);
  app.add_flag("--auto-approve", auto_approve, "Apply without asking for confirmation");
  app.add_option("--parallelism", parallelism, "Operations in flight at once (default 16)")
      ->check(CLI::Range(1, 256));
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Session session;
  if (!session.Open(options, "apply", io)) return 1;
  Planned planned;
  if (!MakePlan(session, options, /*persist_intents=*/true, io, planned)) return 1;
  io.out << render::RenderPlanText(planned.plan, {UseColor(options, io), options.explain});
  if (planned.plan.HasChanges() && !auto_approve) {
    if (!io.in_is_terminal) {
      io.err << "Error: apply needs confirmation, but standard input is not a terminal; "
                "pass -auto-approve to apply without asking\n";
      return 1;
    }
    if (!Confirm(io)) {
      io.err << "Error: apply cancelled; only 'yes' approves\n";
      return 1;
    }
  }
  // Apply: in dependency order, -parallelism at a time, state persisted after every write.
  InterruptGuard interrupt;
  engine::ApplyOptions apply_options;
  apply_options.parallelism = parallelism;
  apply_options.interrupted = &interrupt.flag();
  apply_options.progress = [&](const engine::ResourceChange& change, const engine::OperationResult& result) {
    if (result.status == engine::OperationStatus::kDone)
      io.out << fmt::format("{}: {}\n", change.address.ToString(), Done(change));
    else if (result.status == engine::OperationStatus::kNothingToDo)
      io.out << fmt::format("{}: nothing to change after all\n", change.address.ToString());
    io.out.flush();
  };
  auto report = engine::ApplyPlan(planned.plan, session.config(), planned.refreshed, session.state(),
                                  session.store(), session.servers(), apply_options);
  if (report.diagnostics.HasErrors() || !report.NotDone().empty()) {
    PrintDiagnostics(report.diagnostics, io);
    for (const auto& op : report.NotDone())
      if (op.status != engine::OperationStatus::kFailed)
        io.err << fmt::format("Warning: {}: {}\n", op.address.ToString(), op.message);
    io.out << fmt::format("\nApply {}. Resources: {} added, {} changed, {} destroyed; {} not done.\n",
                          interrupt.flag().load() ? "interrupted" : "failed", report.added, report.changed,
                          report.destroyed, report.NotDone().size());
    return 1;
  }
  io.out << fmt::format("\nApply complete! Resources: {} added, {} changed, {} destroyed.\n", report.added,
                        report.changed, report.destroyed);
  return 0;
}

int RunVersion(const Args&, Io& io) {
  io.out << "stashform v" << STASHFORM_VERSION << "\n";
  return 0;
}

}  // namespace stashform::cli
