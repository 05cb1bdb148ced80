#pragma once
// Workspaces: one config, several states (staging, production). A WorkspaceCatalog lists, makes
// and deletes the workspaces of one place — folders beside a state file, rows in PostgreSQL — and
// says where each workspace's state lives. It never reads a state's content.

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace stashform::state {

constexpr const char* kDefaultWorkspace = "default";

/// Letters, digits, `-` and `_`, up to 63, starting with a letter or digit: safe as a folder name.
bool ValidWorkspaceName(const std::string& name);
/// Why `name` is refused, as an error sentence.
std::string WorkspaceNameRule(const std::string& name);

/// WorkspaceCatalog knows the workspaces of one state place.
class WorkspaceCatalog {
 public:
  virtual ~WorkspaceCatalog() = default;
  /// Every workspace, "default" first, then by name.
  virtual Result<std::vector<std::string>> List() = 0;
  /// Makes an empty workspace; an existing one is an error.
  virtual Status Create(const std::string& name) = 0;
  /// Removes a workspace and everything stored for it (state, backups, journal).
  virtual Status Delete(const std::string& name) = 0;
  /// Where the state of `name` lives, as the store factory takes it: a path or a URL.
  virtual std::string LocationOf(const std::string& name) const = 0;
};

/// The workspaces beside the state file `default_path`: "default" is that file; another
/// workspace W is `<folder>/stashform.state.d/W/<file name>`, as Terraform's terraform.tfstate.d.
std::unique_ptr<WorkspaceCatalog> FileWorkspaces(const std::string& default_path);
/// The path of `workspace`'s state for the default state file `default_path`.
std::string FileStatePathFor(const std::string& default_path, const std::string& workspace);

}  // namespace stashform::state
