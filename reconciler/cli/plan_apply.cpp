// `stashform plan`, `apply`, `show` and `drift`: refresh, plan, render, and carry out.

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string_view>

#include <unistd.h>

#include "reconciler/cli/json_ui.h"
#include "reconciler/cli/refresh_progress.h"
#include "reconciler/cli/saved_plan_codec.h"
#include "reconciler/cli/saved_plan_payload.h"
#include "reconciler/cli/session.h"
#include "reconciler/engine/applier.h"
#include "reconciler/engine/natural_keys.h"
#include "reconciler/engine/outputs.h"
#include "reconciler/engine/pending.h"
#include "reconciler/engine/planner.h"
#include "reconciler/engine/refactor.h"
#include "reconciler/render/json.h"
#include "reconciler/render/markdown.h"
#include "reconciler/render/text.h"
#include "state/saved_plan.h"
#include "state/store_options.h"

namespace stashform::cli {

namespace {

/// Options of plan (and of apply without a saved plan) that shape the plan itself.
struct PlanFlags {
  std::vector<std::string> targets, excludes, replace;
  bool refresh_only = false;
  std::string format = "text";
  bool json = false;

  void Add(CLI::App& app) {
    app.add_option("--target", targets, "Plan only this resource and what it depends on (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--exclude", excludes, "Leave out this resource and what depends on it (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--replace", replace, "Replace this resource even if nothing changed (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_flag("--refresh-only", refresh_only, "Only bring the state up to date with what the servers have");
    app.add_option("--format", format, "text, markdown or json (Terraform's plan representation)")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    app.add_flag("--json", json, "Terraform's machine-readable UI: one JSON message a line");
  }

  /// The engine's options, or an error naming the address that does not parse.
  bool ToOptions(engine::PlanOptions& out, Io& io) const {
    out.refresh_only = refresh_only;
    for (auto [from, to] : {std::pair{&targets, &out.targets}, std::pair{&excludes, &out.excludes},
                            std::pair{&replace, &out.replace}})
      for (const auto& text : *from) {
        auto address = ResourceAddress::Parse(text);
        if (!address) {
          io.err << fmt::format("Error: \"{}\" is not a resource address; expected e.g. bitbucket.webhook[\"INFRA/api\"]\n", text);
          return false;
        }
        to->push_back(*address);
      }
    return true;
  }
  std::string Format() const { return json ? "ui" : format; }
};

struct Planned {
  engine::Refreshed refreshed;
  engine::Plan plan;
};

const char* const kNoLockWarning =
    "Warning: -lock=false: another run may change the same state and servers at once. Each create is checked "
    "by natural key right before and after it is sent, so no object is made twice, but the state may miss "
    "what the other run did; run stashform plan afterwards\n";

/// Adoption can make further natural keys known (dependants of an adopted object); the chain is
/// as long as the config's longest reference path, and this bounds it.
constexpr int kMaxLookupRounds = 8;

/// Diff, then look up by natural key what the plan would create where no state records an object:
/// an existing one is adopted (or refused), and the plan is made again with it. Each round can make
/// more keys known (a webhook's URL from an adopted integration); a plan without creates makes no
/// lookup.
bool PlanWithLookups(Session& session, const engine::PlanOptions& plan_options, Io& io, Planned& out) {
  for (int round = 0;; ++round) {
    // The plan takes the refreshed attributes into its changes instead of copying them (a large
    // plan's third copy of every object); what reads the refresh afterwards (pending, -explain's
    // notes) reads its marks and notes, not the attributes. A lookup round plans again: the
    // attributes go back first.
    if (round > 0) engine::ReturnRefreshed(out.plan, out.refreshed);
    out.plan = engine::MakePlanTakingRefreshed(session.config(), session.state(), out.refreshed, session.servers(),
                                               plan_options);
    if (out.plan.diagnostics.HasErrors() || round == kMaxLookupRounds) break;
    if (!engine::LookUpPlannedCreates(out.plan, session.state(), session.servers(), out.refreshed)) break;
  }
  if (!out.refreshed.diagnostics.HasErrors()) return true;
  PrintDiagnostics(out.refreshed.diagnostics, io);
  return false;
}

/// Verify servers, adopt pending creates, refresh, plan. With `ui` (-json), refresh progress and
/// the plan's diagnostics go to the stream too.
bool MakePlan(Session& session, const CommonOptions& options, const engine::PlanOptions& plan_options,
              bool persist_intents, Io& io, Planned& out, render::UiStream* ui = nullptr) {
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
  // Refactor: moved, import and removed blocks, in the state held in memory.
  Diagnostics refactoring;
  std::vector<engine::StateEdit> edits;
  std::vector<std::string> notes =
      engine::ApplyRefactorings(session.config(), session.state(), session.servers(), refactoring, &edits);
  if (refactoring.HasErrors()) {
    PrintDiagnostics(refactoring, io);
    return false;
  }
  // Refresh: ask every server what exists.
  engine::RefreshProgress progress = ui ? UiRefreshProgress(*ui) : ShowRefreshProgress(io);
  out.refreshed = options.refresh ? engine::Refresh(session.state(), session.servers(), {progress})
                                  : engine::FromState(session.state());
  if (out.refreshed.diagnostics.HasErrors()) {
    if (ui) ui->Diagnostics(out.refreshed.diagnostics);
    PrintDiagnostics(out.refreshed.diagnostics, io);
    return false;
  }
  // Diff, with what exists already by natural key.
  if (!PlanWithLookups(session, plan_options, io, out)) return false;
  engine::NotePending(out.refreshed, out.plan);
  // Moves and imports first, then what the plan itself forgets.
  out.plan.state_notes.insert(out.plan.state_notes.begin(), notes.begin(), notes.end());
  out.plan.state_edits = std::move(edits);
  if (ui) ui->Diagnostics(out.plan.diagnostics);
  PrintDiagnostics(out.plan.diagnostics, io);
  return !out.plan.diagnostics.HasErrors();
}

std::string Render(const engine::Plan& plan, const std::string& format, const CommonOptions& options, const Io& io) {
  if (format == "markdown") return render::RenderPlanMarkdown(plan);
  std::string text = render::RenderPlanText(plan, {UseColor(options, io), options.explain});
  if (plan.refresh_only)
    text += "\nThis is a refresh-only plan: apply records what the servers have in the state and changes nothing remote.\n";
  return text;
}

/// With -explain: what refresh noticed about objects the plan leaves alone, e.g. a secret the
/// server hides, so that a change made by hand cannot be seen.
std::string RefreshNotes(const engine::Plan& plan, const engine::Refreshed& refreshed) {
  std::string out;
  for (const auto& change : plan.changes) {
    if (change.action != engine::Action::kNoOp || change.forget) continue;
    const auto* found = refreshed.Find(change.address);
    if (!found) continue;
    for (const auto& note : found->notes) out += fmt::format("  # {}: {}\n", change.address.ToString(), note);
  }
  return out.empty() ? "" : "\nNoticed by the refresh, for objects left unchanged:\n" + out;
}

Result<state::StateStoreOptions> StoreOptions(const Io& io) {
  return state::StateStoreOptionsFromEnvironment(io.backends.getenv);
}

/// Of the environment variables the config read, the one that holds `value` (the first by name
/// when several do): a saved plan names it so that apply re-reads the secret from there. Only
/// those the config read count, so a CI variable that happens to hold the same value is never named.
EnvironmentNameOf EnvironmentNameAmong(const std::set<std::string>& read, const Io& io) {
  return [&read, &io](const std::string& value) -> std::string {
    for (const std::string& name : read) {
      const char* held = io.backends.getenv(name.c_str());
      if (held && value == held) return name;
    }
    return "";
  };
}

std::string Absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

bool SavePlan(const std::string& path, Session& session, const CommonOptions& options,
              const engine::PlanOptions& plan_options, const engine::Plan& plan, Io& io, render::UiStream* ui) {
  // `show -json PLANFILE` prints the plan representation as it was when the plan was made.
  std::ostringstream representation;
  WritePlanRepresentation(representation, session, plan, plan_options, io);
  PlanPayload payload{Absolute(options.ConfigFolder()), SavedStateLocation(session.state_location().where), plan_options,
                      EncodeStandalonePlan(plan, session.config().servers, EnvironmentNameAmong(session.environment_read(), io)),
                      render::RenderPlanText(plan, {false, true}), representation.str()};
  state::SavedPlan saved;
  saved.lineage = session.state_existed() ? session.state().lineage : "";
  saved.serial = session.state_existed() ? session.state().serial : 0;
  saved.config_digest = ConfigDigest(session.config());
  saved.tool_version = STASHFORM_VERSION;
  saved.plan = EncodePayload(payload);
  auto store_options = StoreOptions(io);
  Status written = store_options.ok() ? state::WriteSavedPlan(path, saved, *store_options) : store_options.status();
  if (!written.ok()) {
    io.err << "Error: " << written.message() << "\n";
    return false;
  }
  if (ui) ui->Own("saved_plan", fmt::format("Saved the plan to {}", path), {{"path", path}});
  else io.out << fmt::format("\nSaved the plan to {}. Apply exactly this plan with: stashform apply {}\n", path, path);
  return true;
}

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

/// Reports each operation as it ends: on a terminal one line that rewrites itself, elsewhere one
/// line per operation.
engine::ApplyProgress ShowApplyProgress(const engine::Plan& plan, Io& io) {
  const size_t total = plan.ToAdd() + plan.ToChange() + plan.ToDestroy();
  auto finished = std::make_shared<size_t>(0);
  const auto started = std::chrono::steady_clock::now();
  return [&io, total, finished, started](const engine::ResourceChange& change, const engine::OperationResult& result) {
    size_t done = ++*finished;
    const bool live = io.err_is_terminal && io.out_is_terminal;
    if (live) {
      // On a terminal a progress line that rewrites itself: done / total, rate, time left.
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      double rate = seconds > 0 ? done / seconds : 0;
      double left = rate > 0 ? (total > done ? total - done : 0) / rate : 0;
      io.err << fmt::format("\r[{}/{}] {:.1f} ops/s, about {:.0f}s left   ", done, total, rate, left);
      if (done >= total) io.err << "\n";
      io.err.flush();
      return;
    }
    // Off a terminal (CI logs) one line per completed operation.
    if (result.status == engine::OperationStatus::kDone)
      io.out << fmt::format("{}: {} ({}/{})\n", change.address.ToString(), Done(change), done, total);
    else if (result.status == engine::OperationStatus::kNothingToDo)
      io.out << fmt::format("{}: nothing to change after all ({}/{})\n", change.address.ToString(), done, total);
    io.out.flush();
  };
}

/// What waits on a person after an apply; it needs no apply, so it says what will end it.
void PrintPending(const std::vector<engine::PendingNote>& pending, Io& io) {
  for (const auto& entry : pending) io.out << fmt::format("\n{}: {}", entry.address.ToString(), entry.note);
  if (!pending.empty()) io.out << "\n(a state, not a change: no apply can end it; plan shows it until it ends)\n";
}

/// Carries the plan out and prints one line per operation and the summary (with `ui`, -json:
/// writes them to the stream instead).
int Execute(Session& session, const engine::Servers& servers, const engine::Plan& plan, int parallelism,
            bool recheck_natural_keys, Io& io, render::UiStream* ui = nullptr) {
  // While it lives, SIGINT and SIGTERM ask the apply to start nothing new instead of killing it;
  // operations in flight finish and their results are saved.
  InterruptGuard interrupt(*io.backends.interrupts);
  engine::ApplyOptions apply_options;
  apply_options.parallelism = parallelism;
  apply_options.interrupted = &interrupt.flag();
  if (ui) HookApplyToUi(*ui, io, apply_options);
  else apply_options.progress = ShowApplyProgress(plan, io);
  apply_options.recheck_natural_keys = recheck_natural_keys;
  auto report = engine::ApplyPlan(plan, session.state(), session.store(), servers, apply_options);
  if (report.diagnostics.HasErrors() || !report.NotDone().empty()) {
    PrintDiagnostics(report.diagnostics, io);
    if (ui) ui->Diagnostics(report.diagnostics);
    for (const auto& op : report.NotDone())
      if (op.status != engine::OperationStatus::kFailed)
        io.err << fmt::format("Warning: {}: {}\n", op.address.ToString(), op.message);
    std::string summary = fmt::format("Apply {}. Resources: {} added, {} changed, {} destroyed; {} not done.",
                                      interrupt.flag().load() ? "interrupted" : "failed", report.added, report.changed,
                                      report.destroyed, report.NotDone().size());
    if (ui) ui->Own("apply_failed", summary, {{"not_done", report.NotDone().size()}}, "error");
    else io.out << "\n" << summary << "\n";
    return 1;
  }
  // Outputs: resolved against what now exists, and recorded for `stashform output`.
  session.state().outputs = engine::ResolveOutputs(plan.outputs, session.state());
  Status saved = session.store().Save(session.state());
  if (!saved.ok()) {
    io.err << "Error: " << saved.message() << "\n";
    return 1;
  }
  if (!report.diagnostics.items().empty()) PrintDiagnostics(report.diagnostics, io);
  if (ui) {
    ReportAppliedToUi(report, engine::PendingAfterApply(plan, report), session.state().outputs, *ui);
    return 0;
  }
  io.out << fmt::format("\nApply complete! Resources: {} added, {} changed, {} destroyed.\n", report.added,
                        report.changed, report.destroyed);
  PrintPending(engine::PendingAfterApply(plan, report), io);
  for (const auto& [name, value] : session.state().outputs)
    io.out << fmt::format("{}{} = {}\n", name == session.state().outputs.begin()->first ? "\nOutputs:\n\n" : "",
                          name, value.Render());
  return 0;
}

bool IsFile(const std::string& path) { return !path.empty() && std::filesystem::is_regular_file(path); }

/// A plan file read back: its envelope and what it carries.
struct PlanFile {
  state::SavedPlan envelope;
  PlanPayload payload;
};

Result<PlanFile> ReadPlanFile(const std::string& path, const Io& io) {
  auto store_options = StoreOptions(io);
  if (!store_options.ok()) return store_options.status();
  auto saved = state::ReadSavedPlan(path, *store_options);
  if (!saved.ok()) return saved.status();
  auto payload = DecodePayload(saved->plan);
  if (!payload.ok()) return Status::Error(path + ": " + payload.message());
  return PlanFile{std::move(*saved), std::move(*payload)};
}

/// The plan's server blocks, their secrets re-read from the environment, configured and verified.
bool ConfigureServers(const SavedPlanReader& reader, Session& session, dsl::Config& blocks, engine::Servers& servers,
                      Io& io) {
  auto decoded = reader.Servers();
  if (!decoded.ok()) {
    io.err << "Error: " << decoded.message() << "\n";
    return false;
  }
  blocks = std::move(*decoded);
  Diagnostics configured = servers.Configure(blocks, engine::RecordedLookup(session.state(), Value::UnknownValue()));
  if (!configured.HasErrors()) configured.Append(servers.Verify(blocks));
  PrintDiagnostics(configured, io);
  return !configured.HasErrors();
}

/// The state made as the plan saw it: creates a crash left unrecorded are adopted, and the moves,
/// imports and forgets of the config are replayed. An adopted object the plan would create again
/// makes the plan stale.
bool PrepareState(const SavedPlanReader& reader, Session& session, const engine::Servers& servers, Io& io,
                  std::set<ResourceAddress>& adopted) {
  Diagnostics diagnostics;
  for (const auto& intent : session.state().intents)
    if (!session.state().Find(intent.address)) adopted.insert(intent.address);
  engine::ResolvePendingIntents(session.state(), servers, diagnostics);
  for (auto it = adopted.begin(); it != adopted.end();)
    it = session.state().Find(*it) ? std::next(it) : adopted.erase(it);
  auto edits = reader.StateEdits();
  if (!edits.ok()) diagnostics.Error({}, "saved plan", edits.message());
  else engine::ReplayStateEdits(*edits, session.state(), servers, diagnostics);
  PrintDiagnostics(diagnostics, io);
  return !diagnostics.HasErrors();
}

/// "" when refresh finds every object the plan saw as the plan saw it, else the first that differs.
std::string ChangedSincePlan(const engine::Plan& plan, const engine::Refreshed& refreshed,
                             const provider::Registry& registry) {
  for (const auto& change : plan.changes) {
    const auto* found = refreshed.Find(change.address);
    const auto* schema = registry.FindSchema(change.address.type);
    if (!found || !schema || change.before.empty()) continue;
    if (found->gone) return change.address.ToString() + " was deleted outside stashform";
    Value::Map now = engine::NormalizedAttributes(*schema, found->attributes);
    for (const auto& attr : schema->attributes) {
      auto was = change.before.find(attr.name);
      auto is = now.find(attr.name);
      if (!AttributeValuesEqual(attr, was == change.before.end() ? Value() : was->second,
                                is == now.end() ? Value() : is->second))
        return change.address.ToString() + " was changed outside stashform";
    }
  }
  return "";
}

/// The plan, its secrets re-read and checked; with refresh, refused when the servers moved on.
bool ReadPlan(const SavedPlanReader& reader, Session& session, const engine::Servers& servers,
              const CommonOptions& options, const std::set<ResourceAddress>& adopted, Io& io, engine::Plan& plan) {
  auto decoded = reader.Plan(session.state());
  if (!decoded.ok()) {
    io.err << "Error: " << decoded.message() << "\n";
    return false;
  }
  plan = std::move(*decoded);
  for (const auto& change : plan.changes)
    if (adopted.count(change.address) && change.action == engine::Action::kCreate) {
      io.err << "Error: saved plan is stale: " << change.address.ToString()
             << " was created by an interrupted apply and is now recorded; run stashform plan again\n";
      return false;
    }
  if (!options.refresh) return true;
  engine::Refreshed refreshed = engine::Refresh(session.state(), servers, {ShowRefreshProgress(io)});
  if (refreshed.diagnostics.HasErrors()) {
    PrintDiagnostics(refreshed.diagnostics, io);
    return false;
  }
  std::string changed = ChangedSincePlan(plan, refreshed, servers.registry());
  if (changed.empty()) return true;
  io.err << "Error: saved plan is stale: the servers changed since it was made (" << changed
         << "); run stashform plan again\n";
  return false;
}

/// `apply PLANFILE`: the saved plan is applied as it is, without the config. It is refused when the
/// state moved on, a secret it names changed or is missing, or the servers changed since.
int ApplySavedPlan(const std::string& path, CommonOptions options, int parallelism, Io& io, render::UiStream* ui) {
  // Read: the plan file, in the format this stashform writes.
  auto file = ReadPlanFile(path, io);
  if (!file.ok()) {
    io.err << "Error: " << file.message() << "\n";
    return 1;
  }
  options.dir = file->payload.config_folder;
  options.chdir.clear();
  if (options.state_path.empty()) options.state_path = file->payload.state_path;
  // State: locked and loaded; refused when it is not the one the plan was made from. The config is
  // not read, so its digest is not compared: each secret is checked by its own digest below.
  Session session;
  if (!session.OpenState(options, "apply", io)) return 1;
  Status fits = state::CheckSavedPlanApplies(file->envelope, session.state_existed() ? &session.state() : nullptr,
                                             file->envelope.config_digest);
  if (!fits.ok()) {
    io.err << "Error: " << fits.message() << "\n";
    return 1;
  }
  // Servers, then the state as the plan saw it, then the plan with its secrets.
  SavedPlanReader reader(file->payload.plan, LookupIn(io.backends.getenv));
  dsl::Config server_blocks;
  engine::Servers servers(session.registry());
  if (!ConfigureServers(reader, session, server_blocks, servers, io)) return 1;
  std::set<ResourceAddress> adopted;
  if (!PrepareState(reader, session, servers, io, adopted)) return 1;
  engine::Plan plan;
  if (!ReadPlan(reader, session, servers, options, adopted, io, plan)) return 1;
  // Apply: exactly what was reviewed. Its lookups by natural key are as old as the plan (hours, in
  // a pull request), and another state may have made the same objects since: each create looks
  // again right before it is sent.
  if (!ui) io.out << file->payload.text;
  return Execute(session, servers, plan, parallelism, /*recheck_natural_keys=*/true, io, ui);
}

}  // namespace

int RunPlan(const Args& args, Io& io) {
  CLI::App app("Show changes required by the current configuration", "stashform plan");
  CommonOptions options;
  PlanFlags flags;
  bool detailed_exitcode = false;
  std::string out_path;
  AddCommonOptions(app, options);
  flags.Add(app);
  app.add_flag("--detailed-exitcode", detailed_exitcode, "Exit 2 when there are changes");
  app.add_option("--out", out_path, "Save the plan to this file for `stashform apply FILE`");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  engine::PlanOptions plan_options;
  if (!flags.ToOptions(plan_options, io)) return 1;

  const std::string format = flags.Format();
  std::unique_ptr<render::UiStream> ui = format == "ui" ? MakeUiStream(io) : nullptr;
  if (ui) ui->Version();
  Session session;
  if (!session.Open(options, "plan", io)) return 1;
  Planned planned;
  if (!MakePlan(session, options, plan_options, /*persist_intents=*/false, io, planned, ui.get())) return 1;
  if (format == "text") io.out << WorkspaceLine(session.state_location());
  if (ui) {
    ui->Plan(planned.plan);
    WritePendingToUi(planned.plan.pending, *ui);
  } else if (format == "json") {
    WritePlanRepresentation(io.out, session, planned.plan, plan_options, io);
    io.out << "\n";
  } else {
    io.out << Render(planned.plan, format, options, io);
  }
  if (options.explain && format == "text") io.out << RefreshNotes(planned.plan, planned.refreshed);
  if (!out_path.empty() && !SavePlan(out_path, session, options, plan_options, planned.plan, io, ui.get())) return 1;
  bool changes = planned.plan.HasChanges() || (plan_options.refresh_only && !planned.plan.drift.empty());
  return detailed_exitcode && changes ? 2 : 0;
}

int RunApply(const Args& args, Io& io) {
  CLI::App app("Create or update remote objects to match the configuration", "stashform apply");
  CommonOptions options;
  PlanFlags flags;
  bool auto_approve = false;
  AddCommonOptions(app, options);
  flags.Add(app);
  app.add_flag("--auto-approve", auto_approve, "Apply without asking for confirmation");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  if (!options.lock) io.err << kNoLockWarning;
  std::unique_ptr<render::UiStream> ui = flags.json ? MakeUiStream(io) : nullptr;
  // A saved plan was reviewed already: it needs no confirmation.
  if (IsFile(options.dir)) {
    if (ui) ui->Version();
    return ApplySavedPlan(options.dir, options, options.parallelism, io, ui.get());
  }
  if (ui && !auto_approve) {
    // As Terraform: a stream for machines has no place for a question.
    io.err << "Error: apply -json needs -auto-approve (or a plan file made by plan -out)\n";
    return 1;
  }
  engine::PlanOptions plan_options;
  if (!flags.ToOptions(plan_options, io)) return 1;

  if (ui) ui->Version();
  Session session;
  if (!session.Open(options, "apply", io)) return 1;
  Planned planned;
  if (!MakePlan(session, options, plan_options, /*persist_intents=*/true, io, planned, ui.get())) return 1;
  if (ui) ui->Plan(planned.plan);
  else io.out << WorkspaceLine(session.state_location()) << Render(planned.plan, "text", options, io);
  if ((planned.plan.HasChanges() || planned.plan.refresh_only) && !auto_approve) {
    if (!MayAsk(options, io)) {
      io.err << "Error: apply needs confirmation, but -input=false (or TF_INPUT=0) forbids asking; "
                "pass -auto-approve, or apply a reviewed plan with stashform apply PLANFILE\n";
      return 1;
    }
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
  return Execute(session, session.servers(), planned.plan, options.parallelism, /*recheck_natural_keys=*/!options.lock, io,
                 ui.get());
}

namespace {

/// drift's text report: the drift as a plan shows it, then the objects nobody declared.
void PrintDriftText(const engine::Plan& plan, const engine::Discovery& unmanaged, bool color, Io& io) {
  io.out << render::RenderPlanText(plan, {color, true});
  for (const auto& object : unmanaged.objects)
    io.out << fmt::format("  # {} {} {} on server \"{}\": {}\n", object.detached_stack ? "detached" : "unmanaged",
                          object.type, object.id, object.server, object.description);
  if (unmanaged.ignored > 0)
    io.out << fmt::format("  ({} unmanaged object{} left out by unmanaged {{ ignore = ... }})\n", unmanaged.ignored,
                          unmanaged.ignored == 1 ? "" : "s");
  if (plan.drift.empty() && unmanaged.objects.empty()) io.out << "No drift.\n";
}

}  // namespace

int RunDrift(const Args& args, Io& io) {
  CLI::App app("Report what changed outside stashform (exit 2 when anything did)", "stashform drift");
  CommonOptions options;
  std::string format = "text";
  bool json = false;
  AddCommonOptions(app, options);
  app.add_option("--format", format, "text or json (one report document for a cron job)")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--json", json, "Terraform's machine-readable UI; the last message carries the report");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  std::unique_ptr<render::UiStream> ui = json ? MakeUiStream(io) : nullptr;
  if (ui) ui->Version();

  // The lock (or a wait for it, -lock-timeout): an apply in flight has created objects that its
  // state does not record yet, and they would show as unmanaged.
  Session session;
  if (!session.Open(options, "drift", io)) return 1;
  engine::PlanOptions plan_options;
  plan_options.refresh_only = true;
  Planned planned;
  if (!MakePlan(session, options, plan_options, /*persist_intents=*/false, io, planned, ui.get())) return 1;
  auto unmanaged = engine::DiscoverUnmanaged(session.state(), session.servers(), session.config().unmanaged_ignore);
  PrintDiagnostics(unmanaged.diagnostics, io);
  if (ui) WriteDriftStream(*ui, planned.plan, unmanaged);
  else if (format == "json") io.out << render::RenderDriftJson(planned.plan, unmanaged) << "\n";
  else PrintDriftText(planned.plan, unmanaged, UseColor(options, io), io);
  if (unmanaged.diagnostics.HasErrors()) return 1;
  return planned.plan.drift.empty() && unmanaged.objects.empty() ? 0 : 2;
}

}  // namespace stashform::cli
