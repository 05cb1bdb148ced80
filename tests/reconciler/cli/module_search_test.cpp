// Where import finds recipes: STASHFORM_MODULE_PATH first, then the installed share folder next to
// the executable, then the source tree the build came from — each case in a throwaway folder tree.

#include "reconciler/cli/module_search.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace stashform::cli {
namespace {

namespace fs = std::filesystem;

/// A fresh folder under the system temp folder, removed when the test ends.
class TempTree {
 public:
  TempTree() {
    std::string pattern = (fs::temp_directory_path() / "stashform-modules-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path Folder(const std::string& relative) const {
    fs::create_directories(root_ / relative);
    return root_ / relative;
  }
  fs::path File(const std::string& relative) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << "-- test\n";
    return root_ / relative;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

TEST(ModuleSearch, AnInstalledExecutableReadsTheShareFolderBesideItAndNotTheSourceTree) {
  TempTree tree;
  const fs::path installed = tree.Folder("usr/share/stashform/modules");
  const fs::path source = tree.Folder("src/modules");
  EXPECT_EQ(ModuleRoots({"", tree.root() / "usr/bin/stashform", source}), std::vector<fs::path>{installed});
}

TEST(ModuleSearch, AnExecutableWithoutAShareFolderFallsBackToTheBuildTree) {
  TempTree tree;
  const fs::path source = tree.Folder("src/modules");
  EXPECT_EQ(ModuleRoots({"", tree.root() / "src/build/stashform", source}), std::vector<fs::path>{source});
}

TEST(ModuleSearch, ModulePathEntriesComeFirstInTheirOrderAndEmptyEntriesAreSkipped) {
  TempTree tree;
  const fs::path installed = tree.Folder("opt/share/stashform/modules");
  const std::string module_path = ":/srv/recipes::/home/ci/recipes:";
  EXPECT_EQ(ModuleRoots({module_path, tree.root() / "opt/bin/stashform", "/src/modules"}),
            (std::vector<fs::path>{"/srv/recipes", "/home/ci/recipes", installed}));
}

TEST(ModuleSearch, EachRootIsReadItselfThenItsPlatformFoldersInNameOrder) {
  TempTree tree;
  tree.File("mods/spacelift/spacelift.lua");
  tree.File("mods/bitbucket/bitbucket.lua");
  tree.File("mods/README.md");
  tree.File("mods/http/client.cpp");  // a C++ folder of the source tree: no recipe, not searched
  const fs::path own = tree.Folder("own");
  const fs::path mods = tree.root() / "mods";
  EXPECT_EQ(ModuleFolders({own, mods}),
            (std::vector<std::string>{own.string(), mods.string(), (mods / "bitbucket").string(),
                                      (mods / "spacelift").string()}));
}

TEST(ModuleSearch, AMissingRootIsStillListedSoThatModuleNotFoundNamesIt) {
  EXPECT_EQ(ModuleFolders({"/nonexistent/stashform/modules"}),
            std::vector<std::string>{"/nonexistent/stashform/modules"});
}

TEST(ModuleSearch, TheInstalledRootIsTheShareFolderOneLevelAboveTheExecutablesFolder) {
  EXPECT_EQ(InstalledModuleRoot("/usr/bin/stashform"), fs::path("/usr/share/stashform/modules"));
  EXPECT_EQ(InstalledModuleRoot("/opt/stashform/bin/stashform"), fs::path("/opt/stashform/share/stashform/modules"));
}

TEST(ModuleSearch, TheRunningExecutableIsThisTestBinary) {
  EXPECT_EQ(RunningExecutable().filename(), "cli_tests");
}

}  // namespace
}  // namespace stashform::cli
