// The journal beside a state file: each change is durable at once, the next run replays it, a full
// save folds it in, and neither a crash mid-append nor a leftover journal corrupts anything.
#include "state/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "state/local_store.h"
#include "state/store.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using testing::SampleState;
using testing::SampleWebhook;
using testing::Webhook;

using testing::ReadAll;
using testing::WriteRaw;

State LoadOrFail(StateStore& store) {
  auto loaded = store.Load();
  EXPECT_TRUE(loaded.ok()) << loaded.message();
  return loaded.ok() && loaded->has_value() ? std::move(**loaded) : State{};
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state = SampleState();
    ASSERT_TRUE(OpenLocalStore(path)->Save(state).ok());
    store->Load();
  }

  // What a run does for one create: the intent, then the result in place of the intent.
  void AppendCreate(StateStore& into, const std::string& name) {
    auto intent = into.Append({StateChange::AddIntent({Webhook(name), "corp", Value::Map{{"name", name}}, 1})});
    ASSERT_TRUE(intent.ok()) << intent.message();
    auto result = into.Append({StateChange::Upsert(SampleWebhook(name)), StateChange::RemoveIntent(Webhook(name))});
    ASSERT_TRUE(result.ok()) << result.message();
  }

  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
  std::string journal = path + ".journal";
  State state;
  std::unique_ptr<StateStore> store = OpenLocalStore(path);
};

TEST_F(JournalTest, AppendedChangesAreWhatTheNextRunLoads) {
  const std::string file_before = ReadAll(path);
  AppendCreate(*store, "INFRA/new");
  EXPECT_EQ(ReadAll(path), file_before) << "an append must not rewrite the state file";
  auto next = OpenLocalStore(path);
  State loaded = LoadOrFail(*next);
  ASSERT_NE(loaded.Find(Webhook("INFRA/new")), nullptr);
  EXPECT_EQ(loaded.Find(Webhook("INFRA/new"))->attributes.at("secret").as_string(), "hunter2-webhook-secret");
  EXPECT_TRUE(loaded.Find(Webhook("INFRA/new"))->attributes.at("secret").sensitive());
  EXPECT_EQ(loaded.intents.size(), 1u) << "the sample's own intent stays; the new one was resolved";
  EXPECT_EQ(loaded.serial, state.serial + 2) << "one serial per record";
}

TEST_F(JournalTest, AnAppendWritesTheChangeNotTheWholeState) {
  for (int i = 0; i < 500; ++i) state.Upsert(SampleWebhook("INFRA/repo-" + std::to_string(i)));
  auto big = OpenLocalStore(path);
  ASSERT_TRUE(big->Save(state).ok());
  auto appended = big->Append({StateChange::Remove(Webhook("INFRA/repo-7"))});
  ASSERT_TRUE(appended.ok()) << appended.message();
  auto file_bytes = std::filesystem::file_size(path), journal_bytes = std::filesystem::file_size(journal);
  EXPECT_LT(journal_bytes * 100, file_bytes) << journal_bytes << " journal bytes for a " << file_bytes << " byte state";
  struct stat info {};
  ASSERT_EQ(::stat(journal.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(JournalTest, AFullSaveFoldsTheJournalIntoTheFileAndRemovesIt) {
  AppendCreate(*store, "INFRA/new");
  state.Upsert(SampleWebhook("INFRA/new"));
  state.serial += 2;
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_FALSE(std::filesystem::exists(journal));
  auto next = OpenLocalStore(path);
  State loaded = LoadOrFail(*next);
  EXPECT_NE(loaded.Find(Webhook("INFRA/new")), nullptr);
  EXPECT_GT(loaded.serial, state.serial - 1);
}

TEST_F(JournalTest, AFullSaveFromAnOlderCopyStillMovesTheSerialPastTheRecords) {
  AppendCreate(*store, "INFRA/new");  // records at serials +1 and +2
  State older = state;               // a copy taken before the appends
  ASSERT_TRUE(store->Save(older).ok());
  EXPECT_GT(older.serial, state.serial + 2);
}

TEST_F(JournalTest, AFullSaveWritesEvenWhenTheContentMatchesTheFile) {
  // Adding and dropping an intent leaves the content as the file has it; the journal must go anyway.
  ASSERT_TRUE(store->Append({StateChange::AddIntent({Webhook("INFRA/x"), "corp", {}, 1})}).ok());
  ASSERT_TRUE(store->Append({StateChange::RemoveIntent(Webhook("INFRA/x"))}).ok());
  auto next = OpenLocalStore(path);
  State loaded = LoadOrFail(*next);
  ASSERT_TRUE(next->Save(loaded).ok());
  EXPECT_FALSE(std::filesystem::exists(journal));
  auto after = OpenLocalStore(path);
  EXPECT_GE(LoadOrFail(*after).serial, loaded.serial);
}

TEST_F(JournalTest, ALastFrameCutShortIsDroppedAndTheNextAppendContinuesAfterTheGoodOnes) {
  AppendCreate(*store, "INFRA/kept");
  const auto good = std::filesystem::file_size(journal);
  ASSERT_TRUE(store->Append({StateChange::Upsert(SampleWebhook("INFRA/torn"))}).ok());
  // A crash in the middle of the last append: only part of its frame reached the disk.
  std::filesystem::resize_file(journal, good + 40);
  auto next = OpenLocalStore(path);
  State loaded = LoadOrFail(*next);
  EXPECT_NE(loaded.Find(Webhook("INFRA/kept")), nullptr);
  EXPECT_EQ(loaded.Find(Webhook("INFRA/torn")), nullptr);
  AppendCreate(*next, "INFRA/after");
  auto third = OpenLocalStore(path);
  State again = LoadOrFail(*third);
  EXPECT_NE(again.Find(Webhook("INFRA/kept")), nullptr);
  EXPECT_NE(again.Find(Webhook("INFRA/after")), nullptr);
  EXPECT_EQ(again.serial, state.serial + 4);
}

TEST_F(JournalTest, ADamagedFrameBeforeAGoodOneIsAnErrorAndNothingIsOverwritten) {
  AppendCreate(*store, "INFRA/new");
  std::string bytes = ReadAll(journal);
  size_t record = bytes.find("INFRA/new");
  ASSERT_NE(record, std::string::npos);
  bytes[record] = 'X';
  WriteRaw(journal, bytes);
  const std::string file_before = ReadAll(path);
  auto next = OpenLocalStore(path);
  auto loaded = next->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.message().find("stashform.state.json.journal: byte "), std::string::npos) << loaded.message();
  EXPECT_NE(loaded.message().find("checksum"), std::string::npos) << loaded.message();
  State other = SampleState();
  other.lineage = state.lineage;
  EXPECT_FALSE(next->Save(other).ok());
  EXPECT_FALSE(next->CanAppend());
  EXPECT_EQ(ReadAll(path), file_before);
  EXPECT_EQ(ReadAll(journal), bytes);
}

TEST_F(JournalTest, AJournalLeftFromBeforeTheLastFullSaveIsIgnored) {
  AppendCreate(*store, "INFRA/new");
  const std::string old_journal = ReadAll(journal);
  // A full save without INFRA/new (as `state rm` would do), whose journal removal was lost.
  auto next = OpenLocalStore(path);
  State loaded = LoadOrFail(*next);
  loaded.Remove(Webhook("INFRA/new"));
  ASSERT_TRUE(next->Save(loaded).ok());
  WriteRaw(journal, old_journal);
  auto third = OpenLocalStore(path);
  EXPECT_EQ(LoadOrFail(*third).Find(Webhook("INFRA/new")), nullptr);
}

TEST_F(JournalTest, AnEncryptedStateKeepsItsJournalEncryptedToo) {
  StateStoreOptions options;
  options.key = EncryptionKey::Passphrase("correct horse battery staple", "STASHFORM_STATE_PASSPHRASE");
  options.pbkdf2_iterations = 1000;
  auto sealed = OpenLocalStore(path, options);
  State plain = SampleState();
  plain.lineage = state.lineage;
  plain.serial = state.serial;
  ASSERT_TRUE(sealed->Save(plain).ok());
  AppendCreate(*sealed, "INFRA/secret-bearing");
  const std::string bytes = ReadAll(journal);
  EXPECT_EQ(bytes.find("hunter2-webhook-secret"), std::string::npos);
  EXPECT_EQ(bytes.find("private-token-value"), std::string::npos) << "a create answer's token is sealed too";
  EXPECT_EQ(bytes.find("INFRA/secret-bearing"), std::string::npos);
  auto with_key = OpenLocalStore(path, options);
  EXPECT_NE(LoadOrFail(*with_key).Find(Webhook("INFRA/secret-bearing")), nullptr);
  auto without_key = OpenLocalStore(path);
  EXPECT_FALSE(without_key->Load().ok());
}

TEST(JournalFrames, ParseSplitsFramesAndReportsATornTail) {
  std::string bytes = JournalFrame(EncodeJournalHeader({"lineage-1", 4})) + JournalFrame("{\"serial\":5}");
  auto whole = ParseJournal(bytes, "j");
  ASSERT_TRUE(whole.ok()) << whole.message();
  ASSERT_TRUE(whole->header.has_value());
  EXPECT_EQ(whole->header->lineage, "lineage-1");
  EXPECT_EQ(whole->header->base_serial, 4u);
  EXPECT_EQ(whole->records, std::vector<std::string>{"{\"serial\":5}"});
  EXPECT_FALSE(whole->torn_tail);
  auto torn = ParseJournal(std::string_view(bytes).substr(0, bytes.size() - 3), "j");
  ASSERT_TRUE(torn.ok()) << torn.message();
  EXPECT_TRUE(torn->records.empty());
  EXPECT_TRUE(torn->torn_tail);
  EXPECT_EQ(torn->intact_bytes, JournalFrame(EncodeJournalHeader({"lineage-1", 4})).size());
}

}  // namespace
}  // namespace stashform::state
