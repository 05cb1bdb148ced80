// LocalFileStore's own guarantees: file mode, backup, atomic replace, corrupt files, locking across
// processes.
#include "state/local_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "state/lock_info.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using namespace std::chrono_literals;
using testing::SampleState;
using testing::SampleWebhook;

using testing::ReadAll;
using testing::WriteRaw;

std::set<std::string> FolderEntries(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.insert(entry.path().filename());
  return names;
}

class LocalFileStoreTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
};

TEST_F(LocalFileStoreTest, WritesTheFileReadableOnlyByItsOwner) {
  mode_t previous_umask = ::umask(0);  // the mode must not depend on a careful umask
  State state = SampleState();
  Status saved = OpenLocalStore(path)->Save(state);
  ::umask(previous_umask);
  ASSERT_TRUE(saved.ok()) << saved.message();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(LocalFileStoreTest, ReplacingAWorldReadableFileLeavesMode0600) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  ::chmod(path.c_str(), 0644);
  state.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(LocalFileStoreTest, KeepsTheVersionARunFoundAsTheBackup) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".backup"));  // nothing was there to keep
  std::string found = ReadAll(path);

  auto run = OpenLocalStore(path);
  State loaded = **run->Load();
  loaded.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(run->Save(loaded).ok());
  EXPECT_EQ(ReadAll(path + ".backup"), found);
  loaded.Upsert(SampleWebhook("INFRA/docs"));
  ASSERT_TRUE(run->Save(loaded).ok());
  EXPECT_EQ(ReadAll(path + ".backup"), found) << "later saves of the same run keep the first backup";
  struct stat info {};
  ASSERT_EQ(::stat((path + ".backup").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(LocalFileStoreTest, TheBackupIsTheFileFoundUnderASecondNameNotACopy) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  struct stat found {};
  ASSERT_EQ(::stat(path.c_str(), &found), 0);
  const std::string found_text = ReadAll(path);

  auto run = OpenLocalStore(path);
  State loaded = **run->Load();
  loaded.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(run->Save(loaded).ok());

  // A large state is neither read nor written again to keep its backup.
  struct stat backup {};
  ASSERT_EQ(::stat((path + ".backup").c_str(), &backup), 0);
  EXPECT_EQ(backup.st_ino, found.st_ino);
  EXPECT_EQ(ReadAll(path + ".backup"), found_text);
  EXPECT_NE(ReadAll(path), found_text);
}

TEST_F(LocalFileStoreTest, AFoundFileOthersCanReadIsBackedUpAsAPrivateCopy) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const std::string found_text = ReadAll(path);

  auto run = OpenLocalStore(path);
  State loaded = **run->Load();
  loaded.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(run->Save(loaded).ok());

  struct stat backup {};
  ASSERT_EQ(::stat((path + ".backup").c_str(), &backup), 0);
  EXPECT_EQ(backup.st_mode & 0777, 0600u);
  EXPECT_EQ(backup.st_nlink, 1u);
  EXPECT_EQ(ReadAll(path + ".backup"), found_text);
}

TEST_F(LocalFileStoreTest, LeavesNoTemporaryFileBehind) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  auto store = OpenLocalStore(path);
  state.Upsert(SampleWebhook("INFRA/web"));
  ASSERT_TRUE(store->Save(state).ok());
  state.Upsert(SampleWebhook("INFRA/docs"));
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(FolderEntries(dir.path()), (std::set<std::string>{"stashform.state.json", "stashform.state.json.backup"}));
}

TEST_F(LocalFileStoreTest, WritesWhatTheCodecEncodes) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  EXPECT_EQ(ReadAll(path), EncodeState(state));
}

TEST_F(LocalFileStoreTest, TakingTheLockRemovesTempFilesOfRunsThatDiedMidSave) {
  WriteRaw(path + ".tmp.Ab12Cd", "{\"half\": ");
  WriteRaw(dir.File("other.json.tmp.Ab12Cd"), "not ours");
  auto store = OpenLocalStore(path);
  ASSERT_TRUE(store->locker().Acquire(NewLockInfo("apply", path), 0ms).ok());
  EXPECT_EQ(FolderEntries(dir.path()), (std::set<std::string>{"stashform.state.json.lock", "other.json.tmp.Ab12Cd"}));
}

struct Unreadable {
  std::string bytes;
  std::string error;
};

class LocalFileStoreUnreadable : public LocalFileStoreTest, public ::testing::WithParamInterface<Unreadable> {};

TEST_P(LocalFileStoreUnreadable, IsReportedWithItsPlaceAndNeverOverwritten) {
  WriteRaw(path, GetParam().bytes);
  auto store = OpenLocalStore(path);
  auto loaded = store->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message(), GetParam().error);
  State fresh = SampleState();
  Status saved = store->Save(fresh);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.message(), "refusing to overwrite " + path + ": it could not be read (" + GetParam().error +
                                 "); repair it or restore " + path + ".backup");
  EXPECT_EQ(ReadAll(path), GetParam().bytes);
}

TEST_P(LocalFileStoreUnreadable, IsNeverOverwrittenEvenWithoutALoadFirst) {
  WriteRaw(path, GetParam().bytes);
  State fresh = SampleState();
  EXPECT_FALSE(OpenLocalStore(path)->Save(fresh).ok());
  EXPECT_EQ(ReadAll(path), GetParam().bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LocalFileStoreUnreadable,
    ::testing::Values(
        Unreadable{"{\n  \"format\": \"stashform-state\",\n  \"version\": 1,\n  \"lineage\" \"x\"\n}\n",
                   "stashform.state.json:4:13: syntax error"},
        Unreadable{"{\n  \"format\": \"stashform-state\",\n  \"version\": 1,\n  \"lin",
                   "stashform.state.json:4:7: incomplete JSON"},
        Unreadable{"", "stashform.state.json:1:1: incomplete JSON"},
        Unreadable{R"({"format": "stashform-state", "version": 2, "lineage": "L", "serial": 9})",
                   "stashform.state.json: state format version 2 is newer than this stashform understands (1); "
                   "upgrade stashform"}));

TEST_F(LocalFileStoreTest, ATruncatedStateIsNeverOverwritten) {
  State state = SampleState();
  ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
  std::string text = ReadAll(path);
  WriteRaw(path, text.substr(0, text.size() - 40));
  auto store = OpenLocalStore(path);
  auto loaded = store->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.message().rfind("stashform.state.json:", 0), 0u) << loaded.message();
  EXPECT_NE(loaded.message().find(": incomplete JSON"), std::string::npos) << loaded.message();
  EXPECT_FALSE(store->Save(state).ok());
  EXPECT_EQ(ReadAll(path), text.substr(0, text.size() - 40));
}

}  // namespace
}  // namespace stashform::state
