// `stashform workspace list|show|new|select|delete`: one config, several states (staging,
// production). Files keep a workspace W in stashform.state.d/W/ beside the state file; PostgreSQL
// keeps a row per workspace. The current one is recorded in DIR/.stashform/workspace, and
// STASHFORM_WORKSPACE overrides it.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "base/did_you_mean.h"
#include "base/time.h"
#include "base/who.h"
#include "reconciler/cli/session.h"
#include "reconciler/cli/subcommands.h"
#include "state/lock_info.h"
#include "state/state_location.h"
#include "state/store_options.h"

namespace stashform::cli {

namespace {

/// Options every workspace subcommand shares.
void AddWorkspaceOptions(CLI::App& app, CommonOptions& options) {
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state-url", options.state_url, "State place: postgres://... or a file (else STASHFORM_STATE_URL)");
}

/// The workspaces of the place this folder's state lives in; prints why not.
std::unique_ptr<state::WorkspaceCatalog> OpenCatalog(const StateLocation& location, Io& io) {
  if (!io.backends.open_workspaces) {
    io.err << "Error: workspaces are not available here\n";
    return nullptr;
  }
  auto catalog = io.backends.open_workspaces(location.default_where);
  if (!catalog.ok()) {
    io.err << "Error: " << catalog.message() << "\n";
    return nullptr;
  }
  return std::move(*catalog);
}

/// Parses, resolves the location and opens the catalog: what every subcommand starts with.
bool Prepare(CLI::App& app, const Args& args, CommonOptions& options, StateLocation& location,
             std::unique_ptr<state::WorkspaceCatalog>& catalog, Io& io, int& exit_code) {
  if (!ParseArgs(app, args, io, exit_code)) return false;
  exit_code = 1;
  auto resolved = ResolveStateLocation(options, io);
  if (!resolved.ok()) {
    io.err << "Error: " << resolved.message() << "\n";
    return false;
  }
  location = *resolved;
  catalog = OpenCatalog(location, io);
  return catalog != nullptr;
}

bool Select(const CommonOptions& options, const std::string& name, Io& io) {
  const std::string file = WorkspaceFile(options);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  std::ofstream out(file, std::ios::trunc);
  out << name << "\n";
  if (!out.flush()) {
    io.err << fmt::format("Error: cannot write {}\n", file);
    return false;
  }
  if (const char* forced = io.backends.getenv("STASHFORM_WORKSPACE"); forced && *forced && name != forced)
    io.err << fmt::format("Warning: STASHFORM_WORKSPACE={} is set and overrides the selected workspace\n", forced);
  return true;
}

/// The names of the catalog, or nothing after printing why.
std::optional<std::vector<std::string>> Names(state::WorkspaceCatalog& catalog, Io& io) {
  auto names = catalog.List();
  if (!names.ok()) {
    io.err << "Error: " << names.message() << "\n";
    return std::nullopt;
  }
  return *names;
}

int RunWorkspaceList(const Args& args, Io& io) {
  CLI::App app("List the workspaces; * marks the current one", "stashform workspace list");
  CommonOptions options;
  AddWorkspaceOptions(app, options);
  StateLocation location;
  std::unique_ptr<state::WorkspaceCatalog> catalog;
  int exit_code = 0;
  if (!Prepare(app, args, options, location, catalog, io, exit_code)) return exit_code;
  auto names = Names(*catalog, io);
  if (!names) return 1;
  if (std::find(names->begin(), names->end(), location.workspace) == names->end()) names->push_back(location.workspace);
  for (const auto& name : *names) io.out << (name == location.workspace ? "* " : "  ") << name << "\n";
  return 0;
}

int RunWorkspaceShow(const Args& args, Io& io) {
  CLI::App app("Print the current workspace", "stashform workspace show");
  CommonOptions options;
  AddWorkspaceOptions(app, options);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  auto current = CurrentWorkspace(options, io);
  if (!current.ok()) {
    io.err << "Error: " << current.message() << "\n";
    return 1;
  }
  io.out << *current << "\n";
  return 0;
}

int RunWorkspaceNew(const Args& args, Io& io) {
  CLI::App app("Make a workspace and switch to it", "stashform workspace new");
  CommonOptions options;
  std::string name;
  AddWorkspaceOptions(app, options);
  app.add_option("name", name, "The new workspace")->required();
  StateLocation location;
  std::unique_ptr<state::WorkspaceCatalog> catalog;
  int exit_code = 0;
  if (!Prepare(app, args, options, location, catalog, io, exit_code)) return exit_code;
  if (!state::ValidWorkspaceName(name)) {
    io.err << "Error: " << state::WorkspaceNameRule(name) << "\n";
    return 1;
  }
  if (Status created = catalog->Create(name); !created.ok()) {
    io.err << "Error: " << created.message() << (created.code() == StatusCode::kAlreadyExists
                                                     ? "; switch to it with \"stashform workspace select " + name + "\""
                                                     : "") << "\n";
    return 1;
  }
  if (!Select(options, name, io)) return 1;
  io.out << fmt::format("Created and switched to workspace \"{}\": its state is empty, at {}.\n", name,
                        state::DescribeLocation(catalog->LocationOf(name)));
  return 0;
}

int RunWorkspaceSelect(const Args& args, Io& io) {
  CLI::App app("Switch to another workspace", "stashform workspace select");
  CommonOptions options;
  std::string name;
  AddWorkspaceOptions(app, options);
  app.add_option("name", name, "The workspace")->required();
  StateLocation location;
  std::unique_ptr<state::WorkspaceCatalog> catalog;
  int exit_code = 0;
  if (!Prepare(app, args, options, location, catalog, io, exit_code)) return exit_code;
  auto names = Names(*catalog, io);
  if (!names) return 1;
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    std::string hint = DidYouMean(name, *names);
    io.err << fmt::format("Error: workspace \"{}\" does not exist{}; make it with \"stashform workspace new {}\"\n", name,
                          hint.empty() ? "" : " (" + hint + ")", name);
    return 1;
  }
  if (!Select(options, name, io)) return 1;
  io.out << fmt::format("Switched to workspace \"{}\".\n", name);
  return 0;
}

/// How many resources the state of a workspace holds, under its lock; prints why it cannot tell.
std::optional<size_t> ResourcesIn(const std::string& where, const std::string& timeout, Io& io,
                                  std::unique_ptr<state::StateStore>& store) {
  auto store_options = state::StateStoreOptionsFromEnvironment(io.backends.getenv);
  if (!store_options.ok()) {
    io.err << "Error: " << store_options.message() << "\n";
    return std::nullopt;
  }
  store = io.backends.open_state_store(where, *store_options);
  state::LockInfo info{state::NewUuid(), "workspace delete", WhoRunsThis(), FormatRfc3339(io.backends.clock->WallNow()),
                       store->Describe()};
  if (Status locked = store->locker().Acquire(info, ParseDuration(timeout).value_or(std::chrono::milliseconds(0))); !locked.ok()) {
    io.err << "Error: " << locked.message() << "\n";
    return std::nullopt;
  }
  auto loaded = store->Load();
  if (!loaded.ok()) {
    io.err << "Error: " << loaded.message() << "\n";
    return std::nullopt;
  }
  return loaded->has_value() ? (*loaded)->resources.size() : 0;
}

int RunWorkspaceDelete(const Args& args, Io& io) {
  CLI::App app("Delete a workspace and its state (not the remote objects)", "stashform workspace delete");
  CommonOptions options;
  std::string name, timeout = "0s";
  bool force = false;
  AddWorkspaceOptions(app, options);
  app.add_option("name", name, "The workspace")->required();
  app.add_flag("--force", force, "Delete even when its state still records resources");
  app.add_option("--lock-timeout", timeout, "How long to wait for the workspace's lock, e.g. 30s");
  StateLocation location;
  std::unique_ptr<state::WorkspaceCatalog> catalog;
  int exit_code = 0;
  if (!Prepare(app, args, options, location, catalog, io, exit_code)) return exit_code;
  if (name == state::kDefaultWorkspace || name == location.workspace) {
    io.err << fmt::format("Error: cannot delete the {} workspace \"{}\"; select another one first\n",
                          name == state::kDefaultWorkspace ? "default" : "current", name);
    return 1;
  }
  auto names = Names(*catalog, io);
  if (!names) return 1;
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    io.err << fmt::format("Error: workspace \"{}\" does not exist\n", name);
    return 1;
  }
  std::unique_ptr<state::StateStore> store;  // holds the lock until the workspace is gone
  auto resources = ResourcesIn(catalog->LocationOf(name), timeout, io, store);
  if (!resources) return 1;
  if (*resources > 0 && !force) {
    io.err << fmt::format("Error: workspace \"{}\" still records {} resource(s); deleting it would leave them "
                          "unmanaged. Destroy them first, or pass -force to forget them\n", name, *resources);
    return 1;
  }
  if (Status deleted = catalog->Delete(name); !deleted.ok()) {
    io.err << "Error: " << deleted.message() << "\n";
    return 1;
  }
  io.out << fmt::format("Deleted workspace \"{}\".\n", name);
  return 0;
}

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"list", "List the workspaces; * marks the current one", &RunWorkspaceList},
      {"show", "Print the current workspace", &RunWorkspaceShow},
      {"new", "Make a workspace and switch to it", &RunWorkspaceNew},
      {"select", "Switch to another workspace", &RunWorkspaceSelect},
      {"delete", "Delete a workspace and its state", &RunWorkspaceDelete},
  };
  return kSubcommands;
}

}  // namespace

int RunWorkspace(const Args& args, Io& io) {
  return RunSubcommand("workspace", "Usage: stashform workspace <subcommand> [options] [NAME]", Subcommands(), args, io);
}

}  // namespace stashform::cli
