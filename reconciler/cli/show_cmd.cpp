// `stashform show [-json] [PLANFILE]`: a saved plan as `plan` printed it, or as Terraform's plan
// representation; without a plan file, the state as Terraform's state representation.

#include <fmt/format.h>

#include <ostream>

#include "reconciler/cli/saved_plan_payload.h"
#include "reconciler/cli/session.h"
#include "reconciler/cli/state_location.h"
#include "reconciler/render/plan_representation.h"
#include "state/saved_plan.h"
#include "state/store_options.h"

namespace stashform::cli {

namespace {

int ShowPlanFile(const std::string& path, bool json, Io& io) {
  auto store_options = state::StateStoreOptionsFromEnvironment(io.backends.getenv);
  auto saved = store_options.ok() ? state::ReadSavedPlan(path, *store_options) : Result<state::SavedPlan>(store_options.status());
  auto payload = saved.ok() ? DecodePayload(saved->plan) : Result<PlanPayload>(saved.status());
  if (!payload.ok()) {
    io.err << "Error: " << payload.message() << "\n";
    return 1;
  }
  io.out << (json ? payload->json + "\n" : payload->text);
  return 0;
}

/// The state without a lock, as `state pull` reads it; no state yet is an empty one, as Terraform
/// shows it.
int ShowState(const CommonOptions& options, Io& io) {
  auto location = ResolveStateLocation(options, io);
  if (location.ok() && !io.backends.state_exists(location->where)) {
    render::WriteStateRepresentation(io.out, state::State::New(STASHFORM_VERSION));
    io.out << "\n";
    return 0;
  }
  Session session;
  if (!session.OpenState(options, "show", io)) return 1;
  render::WriteStateRepresentation(io.out, session.state());
  io.out << "\n";
  return 0;
}

}  // namespace

int RunShow(const Args& args, Io& io) {
  CLI::App app("Show a saved plan, or the state", "stashform show");
  std::string path;
  bool json = false;
  CommonOptions options;
  options.lock = false;
  app.add_option("planfile", path, "A file written by plan -out (else: the state)");
  app.add_flag("--json", json, "Terraform's plan representation (or state representation without a plan)");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: stashform.state.json)");
  app.add_option("--state-url", options.state_url, "State place: postgres://... or a file (else STASHFORM_STATE_URL)");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  if (!path.empty()) return ShowPlanFile(path, json, io);
  if (!json) {
    io.err << "Error: show without a plan file needs -json (stashform state show prints one resource as text)\n";
    return 1;
  }
  return ShowState(options, io);
}

}  // namespace stashform::cli
