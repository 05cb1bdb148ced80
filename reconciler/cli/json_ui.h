#pragma once
// The CLI's side of `-json` (Terraform's machine-readable UI) and of the plan representation: it
// hooks the engine's refresh and apply progress to a render::UiStream and gathers what the plan
// representation is made of from a session. The formats themselves live in reconciler/render.

#include <memory>
#include <ostream>
#include <vector>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/session.h"
#include "reconciler/engine/applier.h"
#include "reconciler/engine/discovery.h"
#include "reconciler/engine/plan.h"
#include "reconciler/engine/refresh.h"
#include "reconciler/render/ui_stream.h"

namespace stashform::cli {

/// The UI stream of a command run with -json, on stdout, its @timestamp from the backends' clock.
std::unique_ptr<render::UiStream> MakeUiStream(Io& io);

/// RFC 3339 now, from the backends' clock.
std::string WallNow(const Io& io);

/// Refresh progress as refresh_start and refresh_complete, both written as each read ends (the
/// engine reports reads as they end; a refresh lists a type at once rather than reading objects).
engine::RefreshProgress UiRefreshProgress(render::UiStream& ui);

/// Sets `options.starting` and `options.progress` to write apply_start, then apply_complete or
/// apply_errored with the seconds the operation took.
void HookApplyToUi(render::UiStream& ui, const Io& io, engine::ApplyOptions& options);

/// What waits on a person, one stashform_pending_verification message each.
void WritePendingToUi(const std::vector<engine::PendingNote>& pending, render::UiStream& ui);

/// What a successful apply ends with: its diagnostics, the change_summary, what waits on a person,
/// the outputs.
void ReportAppliedToUi(const engine::ApplyReport& report, const std::vector<engine::PendingNote>& pending,
                       const Value::Map& outputs, render::UiStream& ui);

/// `drift -json`: the drift, stashform's own messages (pending verifications, unmanaged objects,
/// detached stacks), then the drift report of `drift -format=json` as the last message.
void WriteDriftStream(render::UiStream& ui, const engine::Plan& plan, const engine::Discovery& discovery);

/// The plan representation (`show -json PLANFILE`) of a plan the session just made.
void WritePlanRepresentation(std::ostream& out, Session& session, const engine::Plan& plan,
                             const engine::PlanOptions& options, const Io& io);

}  // namespace stashform::cli
