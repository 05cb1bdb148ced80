#include "reconciler/cli/json_ui.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <mutex>

#include "base/clock.h"
#include "base/time.h"
#include "reconciler/cli/backends.h"
#include "reconciler/render/json.h"
#include "reconciler/render/plan_representation.h"

namespace stashform::cli {

namespace json = boost::json;

std::string WallNow(const Io& io) {
  return io.backends.clock ? FormatRfc3339(io.backends.clock->WallNow()) : NowRfc3339();
}

std::unique_ptr<render::UiStream> MakeUiStream(Io& io) {
  return std::make_unique<render::UiStream>(io.out, [&io] { return WallNow(io); });
}

engine::RefreshProgress UiRefreshProgress(render::UiStream& ui) {
  return [&ui](const engine::RefreshedRead& read) {
    ui.RefreshStart(read.address, read.id);
    if (read.ok) ui.RefreshComplete(read.address, read.id);
  };
}

namespace {

/// When each operation started, by address: a replacement's second step keeps the first's time.
class ApplyTimes {
 public:
  explicit ApplyTimes(Clock* clock) : clock_(clock) {}

  /// True when this is the operation's first step.
  bool Start(const ResourceAddress& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_.try_emplace(address, Now()).second;
  }
  std::chrono::duration<double> Elapsed(const ResourceAddress& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = started_.find(address);
    return it == started_.end() ? std::chrono::duration<double>(0) : Now() - it->second;
  }

 private:
  std::chrono::steady_clock::time_point Now() const {
    return clock_ ? clock_->Now() : std::chrono::steady_clock::now();
  }
  Clock* clock_;
  std::mutex mutex_;
  std::map<ResourceAddress, std::chrono::steady_clock::time_point> started_;
};

}  // namespace

void HookApplyToUi(render::UiStream& ui, const Io& io, engine::ApplyOptions& options) {
  auto times = std::make_shared<ApplyTimes>(io.backends.clock);
  options.starting = [&ui, times](const engine::ResourceChange& change) {
    if (times->Start(change.address)) ui.ApplyStart(change);
  };
  options.progress = [&ui, times](const engine::ResourceChange& change, const engine::OperationResult& result) {
    if (result.status == engine::OperationStatus::kFailed) ui.ApplyErrored(change, times->Elapsed(change.address));
    else ui.ApplyComplete(change, times->Elapsed(change.address));
  };
}

void WritePendingToUi(const std::vector<engine::PendingNote>& pending, render::UiStream& ui) {
  for (const auto& entry : pending)
    ui.Own("pending_verification", fmt::format("{}: {}", entry.address.ToString(), entry.note),
           {{"address", entry.address.ToString()}, {"note", entry.note}});
}

void ReportAppliedToUi(const engine::ApplyReport& report, const std::vector<engine::PendingNote>& pending,
                       const Value::Map& outputs, render::UiStream& ui) {
  ui.Diagnostics(report.diagnostics);
  ui.ChangeSummary({report.added, report.changed, 0, report.destroyed}, "apply");
  WritePendingToUi(pending, ui);
  ui.Outputs(outputs);
}

void WriteDriftStream(render::UiStream& ui, const engine::Plan& plan, const engine::Discovery& discovery) {
  for (const auto& entry : plan.drift) ui.ResourceDrift(entry);
  WritePendingToUi(plan.pending, ui);
  for (const auto& object : discovery.objects) {
    const char* kind = object.detached_stack ? "detached_stack" : "unmanaged";
    ui.Own(kind, fmt::format("{} {} {} on server \"{}\": {}", object.detached_stack ? "detached" : "unmanaged",
                             object.type, object.id, object.server, object.description),
           {{"object", json::object{{"server", object.server}, {"type", object.type}, {"id", object.id},
                                    {"description", object.description}}}});
  }
  ui.Diagnostics(discovery.diagnostics);
  json::value report = json::parse(render::RenderDriftJson(plan, discovery));
  const bool drifted = report.at("drifted").as_bool();
  ui.Own("drift_report", drifted ? "Drift detected." : "No drift.", {{"report", std::move(report)}});
}

void WritePlanRepresentation(std::ostream& out, Session& session, const engine::Plan& plan,
                             const engine::PlanOptions& options, const Io& io) {
  render::WritePlanRepresentation(out, {plan, session.state(), session.config(), session.registry(), options, WallNow(io)});
}

}  // namespace stashform::cli
