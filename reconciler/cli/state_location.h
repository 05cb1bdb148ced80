#pragma once
// Which state a command works on: `-state` as given; else `-state-url` or STASHFORM_STATE_URL (a
// postgres:// URL or a file path), else DIR/stashform.state.json — in the current workspace
// (STASHFORM_WORKSPACE, else the one `workspace select` recorded in DIR/.stashform/workspace).

#include <string>

#include "base/status.h"
#include "reconciler/cli/commands.h"

namespace stashform::cli {

struct CommonOptions;

/// Where the state is, as resolved for one run.
struct StateLocation {
  std::string where;          // what the store factory opens: a path or a URL (may hold a password)
  std::string workspace;      // the current workspace
  std::string default_where;  // the place's default workspace: the workspace catalog opens it
  /// `where` as it may be printed: a URL's password never shows.
  std::string Shown() const;
};

/// The workspace this run uses; an invalid name is an error saying where it came from.
Result<std::string> CurrentWorkspace(const CommonOptions& options, const Io& io);
Result<StateLocation> ResolveStateLocation(const CommonOptions& options, const Io& io);
/// The file `workspace select` writes: DIR/.stashform/workspace.
std::string WorkspaceFile(const CommonOptions& options);

/// "Workspace: staging (state: ...)" and a newline above a plan; "" in the default workspace, so
/// that plans of a config without workspaces read as before.
std::string WorkspaceLine(const StateLocation& location);

/// `where` as a saved plan records it: an absolute path, or a URL without its password (apply
/// takes the password again from -state-url or STASHFORM_STATE_URL when they name the same place).
std::string SavedStateLocation(const std::string& where);

}  // namespace stashform::cli
