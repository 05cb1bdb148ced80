#include "state/workspaces.h"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace stashform::state {

namespace fs = std::filesystem;

bool ValidWorkspaceName(const std::string& name) {
  static const std::regex kName("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  return std::regex_match(name, kName);
}

std::string WorkspaceNameRule(const std::string& name) {
  return "workspace name \"" + name +
         "\" is not allowed: use letters, digits, - and _ (at most 63, starting with a letter or digit)";
}

namespace {

fs::path WorkspacesFolder(const std::string& default_path) {
  return fs::path(default_path).parent_path() / "stashform.state.d";
}

/// FileWorkspaces: a folder per workspace under stashform.state.d beside the default state file.
class FileWorkspaceCatalog : public WorkspaceCatalog {
 public:
  explicit FileWorkspaceCatalog(std::string default_path) : default_path_(std::move(default_path)) {}

  Result<std::vector<std::string>> List() override {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(WorkspacesFolder(default_path_), ec))
      if (entry.is_directory() && ValidWorkspaceName(entry.path().filename().string()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    names.insert(names.begin(), kDefaultWorkspace);
    return names;
  }

  Status Create(const std::string& name) override {
    fs::path folder = WorkspacesFolder(default_path_) / name;
    std::error_code ec;
    if (name == kDefaultWorkspace || fs::exists(folder, ec))
      return Status::Error(StatusCode::kAlreadyExists, "workspace \"" + name + "\" already exists");
    fs::create_directories(folder, ec);
    if (ec) return Status::Error("cannot create " + folder.string() + ": " + ec.message());
    fs::permissions(folder, fs::perms::owner_all, ec);
    return Status::Ok();
  }

  Status Delete(const std::string& name) override {
    fs::path folder = WorkspacesFolder(default_path_) / name;
    std::error_code ec;
    if (!fs::exists(folder, ec)) return Status::Error(StatusCode::kNotFound, "workspace \"" + name + "\" does not exist");
    fs::remove_all(folder, ec);
    if (ec) return Status::Error("cannot remove " + folder.string() + ": " + ec.message());
    return Status::Ok();
  }

  std::string LocationOf(const std::string& name) const override { return FileStatePathFor(default_path_, name); }

 private:
  std::string default_path_;
};

}  // namespace

std::string FileStatePathFor(const std::string& default_path, const std::string& workspace) {
  if (workspace.empty() || workspace == kDefaultWorkspace) return default_path;
  return (WorkspacesFolder(default_path) / workspace / fs::path(default_path).filename()).string();
}

std::unique_ptr<WorkspaceCatalog> FileWorkspaces(const std::string& default_path) {
  return std::make_unique<FileWorkspaceCatalog>(default_path);
}

}  // namespace stashform::state
