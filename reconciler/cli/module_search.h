#pragma once
// Where `import "name"` looks for the recipes shipped with stashform (modules/<platform>/*.lua) and
// for the user's own: STASHFORM_MODULE_PATH, the installed share folder next to the executable,
// then the source tree the build came from.

#include <filesystem>
#include <string>
#include <vector>

namespace stashform::cli {

/// What decides the recipe folders; it is read once per command and never looked at again.
struct ModuleSearch {
  std::string module_path;                    // STASHFORM_MODULE_PATH: folders separated by ':'
  std::filesystem::path executable;           // the running stashform (/proc/self/exe)
  std::filesystem::path build_tree_modules;   // the source tree's modules/, compiled in
};

/// `<exe dir>/../share/stashform/modules`: where `cmake --install` and the .deb put the recipes.
std::filesystem::path InstalledModuleRoot(const std::filesystem::path& executable);

/// The recipe roots in search order: every STASHFORM_MODULE_PATH entry, then the installed root,
/// then the build tree's modules/ — the last only when no installed root exists, so that an
/// installed stashform never reads recipes from a source checkout that happens to be on the disk.
std::vector<std::filesystem::path> ModuleRoots(const ModuleSearch& search);

/// The folders `import` reads, in order: each root, then each of its subfolders that holds a
/// recipe (a root is laid out as <platform>/*.lua; a user's own root may hold recipes directly).
/// Roots that do not exist are kept so that "module not found" names every place it looked.
std::vector<std::string> ModuleFolders(const std::vector<std::filesystem::path>& roots);

/// The path of the running executable, or "" when the system does not say.
std::filesystem::path RunningExecutable();

}  // namespace stashform::cli
