#include "reconciler/cli/module_search.h"

#include <algorithm>
#include <system_error>

namespace stashform::cli {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> SplitPathList(const std::string& list) {
  std::vector<fs::path> entries;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    // An empty entry (a leading, trailing or doubled ':') means nothing here, unlike PATH's ".".
    if (end > start) entries.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return entries;
}

bool IsFolder(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// A platform folder of the source tree also holds C++ (modules/http has no recipe at all).
bool HoldsRecipes(const fs::path& folder) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".lua") return true;
  return false;
}

}  // namespace

fs::path InstalledModuleRoot(const fs::path& executable) {
  return (executable.parent_path() / ".." / "share" / "stashform" / "modules").lexically_normal();
}

std::vector<fs::path> ModuleRoots(const ModuleSearch& search) {
  std::vector<fs::path> roots = SplitPathList(search.module_path);
  const fs::path installed = search.executable.empty() ? fs::path() : InstalledModuleRoot(search.executable);
  if (!installed.empty() && IsFolder(installed))
    roots.push_back(installed);
  else if (!search.build_tree_modules.empty())
    roots.push_back(search.build_tree_modules);
  return roots;
}

std::vector<std::string> ModuleFolders(const std::vector<fs::path>& roots) {
  std::vector<std::string> folders;
  for (const auto& root : roots) {
    folders.push_back(root.string());
    std::vector<std::string> platforms;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec))
      if (entry.is_directory(ec) && HoldsRecipes(entry.path())) platforms.push_back(entry.path().string());
    std::sort(platforms.begin(), platforms.end());
    folders.insert(folders.end(), platforms.begin(), platforms.end());
  }
  return folders;
}

fs::path RunningExecutable() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self;
}

}  // namespace stashform::cli
