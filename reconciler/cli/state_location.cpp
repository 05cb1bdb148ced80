#include "reconciler/cli/state_location.h"

#include <filesystem>
#include <fstream>

#include "reconciler/cli/backends.h"
#include "reconciler/cli/session.h"
#include "state/postgres_connection.h"
#include "state/state_location.h"
#include "state/workspaces.h"

namespace stashform::cli {

namespace {

std::string EnvOr(const Io& io, const char* name, const std::string& fallback) {
  const char* value = io.backends.getenv(name);
  return value && *value ? value : fallback;
}

/// The state of `workspace` in the place whose default workspace is `base`.
Result<std::string> InWorkspace(const std::string& base, const std::string& workspace) {
  if (!state::IsPostgresUrl(base)) return state::FileStatePathFor(base, workspace);
  auto location = state::ParsePostgresUrl(base);
  if (!location.ok()) return location.status();
  return location->WithWorkspace(workspace);
}

}  // namespace

std::string StateLocation::Shown() const { return state::DescribeLocation(where); }

std::string WorkspaceFile(const CommonOptions& options) { return options.ConfigFolder() + "/.stashform/workspace"; }

Result<std::string> CurrentWorkspace(const CommonOptions& options, const Io& io) {
  std::string name = EnvOr(io, "STASHFORM_WORKSPACE", "");
  std::string origin = "STASHFORM_WORKSPACE";
  if (name.empty()) {
    std::ifstream in(WorkspaceFile(options));
    std::getline(in, name);
    origin = WorkspaceFile(options);
  }
  if (name.empty()) return std::string(state::kDefaultWorkspace);
  if (!state::ValidWorkspaceName(name))
    return Status::Error(StatusCode::kInvalidArgument, origin + ": " + state::WorkspaceNameRule(name));
  return name;
}

Result<StateLocation> ResolveStateLocation(const CommonOptions& options, const Io& io) {
  auto workspace = CurrentWorkspace(options, io);
  if (!workspace.ok()) return workspace.status();
  StateLocation location;
  location.workspace = *workspace;
  location.default_where =
      !options.state_url.empty() ? options.state_url : EnvOr(io, "STASHFORM_STATE_URL", options.StatePath());
  auto where = InWorkspace(location.default_where, *workspace);
  if (!where.ok()) return where.status();
  location.where = *where;
  if (options.state_path.empty()) return location;
  // -state names one state exactly. A saved plan's URL has no password: the one given by
  // -state-url or the environment is used when it names the same place.
  if (state::DescribeLocation(options.state_path) != state::DescribeLocation(location.where)) {
    location.where = options.state_path;
    location.default_where = options.state_path;
    if (state::IsPostgresUrl(options.state_path))
      if (auto parsed = state::ParsePostgresUrl(options.state_path); parsed.ok()) location.workspace = parsed->workspace;
  }
  return location;
}

std::string WorkspaceLine(const StateLocation& location) {
  if (location.workspace == state::kDefaultWorkspace) return "";
  return "Workspace: " + location.workspace + " (state: " + location.Shown() + ")\n\n";
}

std::string SavedStateLocation(const std::string& where) {
  if (state::IsPostgresUrl(where)) return state::DescribeLocation(where);
  return std::filesystem::absolute(where).lexically_normal().string();
}

}  // namespace stashform::cli
