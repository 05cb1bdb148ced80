// Workspaces on files: Terraform's layout (stashform.state.d/<workspace>/), names that are safe
// as folder names, and a store per workspace.
#include "state/workspaces.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "state/local_store.h"
#include "state/state_location.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

TEST(FileWorkspaces, TheDefaultIsTheStateFileAndOthersLiveInStateD) {
  EXPECT_EQ(FileStatePathFor("/cfg/stashform.state.json", "default"), "/cfg/stashform.state.json");
  EXPECT_EQ(FileStatePathFor("/cfg/stashform.state.json", "staging"), "/cfg/stashform.state.d/staging/stashform.state.json");
  EXPECT_EQ(FileStatePathFor("team.json", "prod"), "stashform.state.d/prod/team.json");
}

TEST(FileWorkspaces, NewListDelete) {
  testing::TempDir dir;
  auto catalog = FileWorkspaces(dir.File("stashform.state.json"));
  EXPECT_EQ(*catalog->List(), (std::vector<std::string>{"default"}));
  ASSERT_TRUE(catalog->Create("staging").ok());
  ASSERT_TRUE(catalog->Create("prod").ok());
  EXPECT_EQ(catalog->Create("prod").message(), "workspace \"prod\" already exists");
  EXPECT_EQ(catalog->Create("default").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*catalog->List(), (std::vector<std::string>{"default", "prod", "staging"}));
  State state = testing::SampleState();
  ASSERT_TRUE(OpenStateStore(catalog->LocationOf("staging"))->Save(state).ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/stashform.state.d/staging/stashform.state.json"));
  EXPECT_FALSE(OpenStateStore(catalog->LocationOf("default"))->Load()->has_value()) << "workspaces never share a state";
  ASSERT_TRUE(catalog->Delete("staging").ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/stashform.state.d/staging"));
  EXPECT_EQ(catalog->Delete("staging").code(), StatusCode::kNotFound);
  EXPECT_EQ(*catalog->List(), (std::vector<std::string>{"default", "prod"}));
}

TEST(FileWorkspaces, NamesMustBeSafeAsFolders) {
  for (const std::string good : {"staging", "prod-eu_1", "0day"}) EXPECT_TRUE(ValidWorkspaceName(good)) << good;
  for (const std::string& bad : std::vector<std::string>{"", "../etc", "a/b", "-x", ".hidden", std::string(64, 'a')})
    EXPECT_FALSE(ValidWorkspaceName(bad)) << bad;
  EXPECT_EQ(WorkspaceNameRule("a/b"),
            "workspace name \"a/b\" is not allowed: use letters, digits, - and _ (at most 63, starting with a letter "
            "or digit)");
}

}  // namespace
}  // namespace stashform::state
