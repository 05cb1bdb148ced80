// LocalConfigFiles on a real folder: an atomic replace with mode 0600 and no temp file left over.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "modules/backstage/config_files.h"

namespace stashform::backstage {
namespace {

namespace fs = std::filesystem;

class LocalConfigFilesTest : public ::testing::Test {
 protected:
  LocalConfigFilesTest() {
    folder_ = fs::temp_directory_path() / ("stashform-config-files-" + std::to_string(::getpid()));
    fs::create_directories(folder_);
  }
  ~LocalConfigFilesTest() override { fs::remove_all(folder_); }
  fs::path folder_;
  LocalConfigFiles files_;
};

TEST_F(LocalConfigFilesTest, WriteReplacesTheFileWithMode0600AndLeavesNoTempFile) {
  const std::string path = (folder_ / "app-config.yaml").string();
  std::ofstream(path) << "old\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  ASSERT_TRUE(files_.Write(path, "new: true\n").ok());
  auto text = files_.Read(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(**text, "new: true\n");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(fs::directory_iterator(folder_), fs::directory_iterator()), 1);
}

TEST_F(LocalConfigFilesTest, AMissingFileReadsAsNoneAndRemovingItTwiceIsFine) {
  const std::string path = (folder_ / "absent.yaml").string();
  auto text = files_.Read(path);
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE(text->has_value());
  EXPECT_TRUE(files_.Remove(path).ok());
}

TEST_F(LocalConfigFilesTest, AWriteIntoAMissingFolderIsAnErrorNamingIt) {
  Status status = files_.Write((folder_ / "no-such-folder" / "x.yaml").string(), "x");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-folder"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace stashform::backstage
