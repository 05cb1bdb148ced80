#pragma once
// The state store conformance suite: every byte backend and locker, composed into a LayeredStore,
// passes it. A backend's test file defines a Place and instantiates the suite in one line:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StateStoreConformance, PostgresPlace);
//
// A Place is where one state lives, reached the way separate runs reach it:
//   std::unique_ptr<StateBackend> NewBackend();  // a new handle on the place, as another run opens it
//   std::unique_ptr<Locker> NewLocker();         // likewise
//   StateStoreOptions options;                   // the encryption every store of the suite uses
// Include this header in one file per test binary: it defines the tests.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "state/layered_store.h"
#include "state/state.h"
#include "state/lock_info.h"
#include "tests/state/test_support.h"

namespace stashform::state {

template <typename Place>
class StateStoreConformance : public ::testing::Test {
 protected:
  /// A store as one run of stashform opens it.
  std::unique_ptr<StateStore> Open() { return Open(place.options); }
  std::unique_ptr<StateStore> Open(StateStoreOptions options) {
    return std::make_unique<LayeredStore>(place.NewBackend(), place.NewLocker(), std::move(options));
  }
  /// The bytes stored now, read past every layer.
  std::optional<std::string> StoredBytes() { return *place.NewBackend()->Read(); }

  // What a run does for one create: the intent, then the result in place of the intent.
  static void AppendCreate(StateStore& store, const std::string& name) {
    auto intent = store.Append({StateChange::AddIntent({testing::Webhook(name), "corp", Value::Map{{"name", name}}, 1})});
    ASSERT_TRUE(intent.ok()) << intent.message();
    auto result = store.Append(
        {StateChange::Upsert(testing::SampleWebhook(name)), StateChange::RemoveIntent(testing::Webhook(name))});
    ASSERT_TRUE(result.ok()) << result.message();
  }

  static State LoadOrFail(StateStore& store) {
    auto loaded = store.Load();
    EXPECT_TRUE(loaded.ok()) << loaded.message();
    return loaded.ok() && loaded->has_value() ? std::move(**loaded) : State{};
  }

  Place place;
};

TYPED_TEST_SUITE_P(StateStoreConformance);

using namespace std::chrono_literals;

TYPED_TEST_P(StateStoreConformance, LoadsNothingWhenNoStateWasEverSaved) {
  auto loaded = this->Open()->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_FALSE(loaded->has_value());
}

TYPED_TEST_P(StateStoreConformance, AnotherRunLoadsWhatWasSavedWithItsSecretsMarked) {
  State state = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(state).ok());
  auto loaded = this->Open()->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_TRUE(loaded->has_value());
  const State& got = **loaded;
  EXPECT_TRUE(got.SameContent(state));
  EXPECT_EQ(got.serial, state.serial);
  EXPECT_TRUE(got.Find(testing::Webhook("INFRA/api"))->attributes.at("secret").sensitive());
  EXPECT_TRUE(got.Find(testing::Webhook("INFRA/api"))->private_data.at("token").sensitive());
  EXPECT_TRUE(got.outputs.at("hook_secret").sensitive());
  EXPECT_EQ(got.intents.size(), 1u);
}

TYPED_TEST_P(StateStoreConformance, ASaveReplacesTheWholeStateAtOnce) {
  State big = testing::SampleState();
  for (int i = 0; i < 300; ++i) big.Upsert(testing::SampleWebhook("INFRA/repo-" + std::to_string(i)));
  ASSERT_TRUE(this->Open()->Save(big).ok());
  auto run = this->Open();
  State small = this->LoadOrFail(*run);
  small.resources.erase(std::next(small.resources.begin()), small.resources.end());
  ASSERT_TRUE(run->Save(small).ok());
  State loaded = this->LoadOrFail(*this->Open());
  EXPECT_EQ(loaded.resources.size(), 1u) << "nothing of the larger version may remain";
  EXPECT_EQ(loaded.serial, small.serial);
}

TYPED_TEST_P(StateStoreConformance, SerialBumpsOnlyWhenTheContentChanges) {
  auto store = this->Open();
  State state = testing::SampleState();
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 1u);
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 1u);
  state.Upsert(testing::SampleWebhook("INFRA/api", "https://ci/other"));
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 2u);
  EXPECT_EQ(this->LoadOrFail(*this->Open()).serial, 2u);
}

TYPED_TEST_P(StateStoreConformance, ALoadedStateSavedUnchangedKeepsItsSerial) {
  State state = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(state).ok());
  auto store = this->Open();
  State loaded = this->LoadOrFail(*store);
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_EQ(loaded.serial, 1u);
  loaded.Remove(testing::Webhook("INFRA/api"));
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_EQ(loaded.serial, 2u);
  EXPECT_TRUE(this->LoadOrFail(*this->Open()).resources.empty());
}

TYPED_TEST_P(StateStoreConformance, RefusesToOverwriteAStateOfAnotherLineage) {
  State first = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(first).ok());
  State stranger = testing::SampleState();
  Status saved = this->Open()->Save(stranger);
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("refusing to overwrite a different state (point -state at the state this "
                                 "configuration belongs to, or move that one aside to start anew)"),
            std::string::npos)
      << saved.message();
  EXPECT_EQ(this->LoadOrFail(*this->Open()).lineage, first.lineage);
  EXPECT_EQ(this->LoadOrFail(*this->Open()).resources.size(), first.resources.size());
}

TYPED_TEST_P(StateStoreConformance, AWriteFromAVersionNoLongerStoredIsRefusedAndChangesNothing) {
  State state = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(state).ok());
  auto slow = this->Open(), fast = this->Open();
  State slow_copy = this->LoadOrFail(*slow), fast_copy = this->LoadOrFail(*fast);
  fast_copy.Upsert(testing::SampleWebhook("INFRA/fast"));
  ASSERT_TRUE(fast->Save(fast_copy).ok());
  const auto stored = this->StoredBytes();
  slow_copy.Upsert(testing::SampleWebhook("INFRA/slow"));
  Status stale = slow->Save(slow_copy);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition) << stale.message();
  EXPECT_EQ(stale.message().rfind(slow->Describe() + " changed since this run read it (", 0), 0u) << stale.message();
  EXPECT_NE(stale.message().find("nothing was written: run the command again"), std::string::npos) << stale.message();
  EXPECT_EQ(this->StoredBytes(), stored);
  // The way out: load what is stored now, then the write goes through.
  State again = this->LoadOrFail(*slow);
  again.Upsert(testing::SampleWebhook("INFRA/slow"));
  ASSERT_TRUE(slow->Save(again).ok());
  State loaded = this->LoadOrFail(*this->Open());
  EXPECT_NE(loaded.Find(testing::Webhook("INFRA/fast")), nullptr);
  EXPECT_NE(loaded.Find(testing::Webhook("INFRA/slow")), nullptr);
}

TYPED_TEST_P(StateStoreConformance, AStateCreatedMeanwhileByAnotherRunIsNotOverwritten) {
  auto late = this->Open();
  ASSERT_FALSE(late->Load()->has_value());
  State first = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(first).ok());
  State second = State::New("0.1.0");
  EXPECT_FALSE(late->Save(second).ok());
  EXPECT_EQ(this->LoadOrFail(*this->Open()).lineage, first.lineage);
}

TYPED_TEST_P(StateStoreConformance, ACorruptStateIsReportedAndNeverOverwritten) {
  const std::string corrupt = "{\n  \"format\": \"stashform-state\",\n  \"lin";
  ASSERT_TRUE(this->place.NewBackend()->Write(corrupt, StateVersion{"", 0}, std::nullopt).ok());
  auto store = this->Open();
  EXPECT_FALSE(store->Load().ok());
  State fresh = testing::SampleState();
  Status saved = store->Save(fresh);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.message().rfind("refusing to overwrite " + store->Describe() + ": it could not be read (", 0), 0u)
      << saved.message();
  EXPECT_NE(saved.message().find("); repair it or restore "), std::string::npos) << saved.message();
  EXPECT_FALSE(this->Open()->Save(fresh).ok()) << "nor by a run that saves without loading first";
  EXPECT_EQ(this->StoredBytes(), corrupt);
}

// issue 22 §4: a state cut short, not JSON at all, or written by a newer stashform: each is
// refused with what to do, by a run that loaded it and by one that did not, and stays as it was.
TYPED_TEST_P(StateStoreConformance, EveryUnreadableStateIsRefusedWithAWayOutAndNeverOverwritten) {
  State sample = testing::SampleState();
  const std::string whole = EncodeState(sample);
  const std::vector<std::string> unreadable = {
      whole.substr(0, whole.size() / 2),  // truncated
      "this is not JSON\n",
      R"({"format": "stashform-state", "version": 99, "lineage": "L", "serial": 1})",  // a future version
  };
  for (const auto& bytes : unreadable) {
    TypeParam place;  // a place of its own for each: nothing readable was ever stored there
    auto open = [&] { return std::make_unique<LayeredStore>(place.NewBackend(), place.NewLocker(), place.options); };
    ASSERT_TRUE(place.NewBackend()->Write(bytes, StateVersion{"", 0}, std::nullopt).ok());
    auto store = open();
    EXPECT_FALSE(store->Load().ok()) << bytes;
    State fresh = testing::SampleState();
    Status saved = store->Save(fresh);
    ASSERT_FALSE(saved.ok()) << bytes;
    EXPECT_NE(saved.message().find("refusing to overwrite " + store->Describe() + ": it could not be read ("),
              std::string::npos) << saved.message();
    EXPECT_NE(saved.message().find("); repair it or restore "), std::string::npos) << saved.message();
    EXPECT_FALSE(open()->Save(fresh).ok()) << "nor by a run that saves without loading first";
    EXPECT_EQ(*place.NewBackend()->Read(), bytes);
  }
}

TYPED_TEST_P(StateStoreConformance, TheFirstWriteOfARunKeepsTheVersionItFoundAsTheBackup) {
  State state = testing::SampleState();
  ASSERT_TRUE(this->Open()->Save(state).ok());
  EXPECT_FALSE(this->place.NewBackend()->ReadBackup()->has_value()) << "nothing was there to keep";
  const auto found = this->StoredBytes();
  auto run = this->Open();
  State loaded = this->LoadOrFail(*run);
  loaded.Upsert(testing::SampleWebhook("INFRA/web"));
  ASSERT_TRUE(run->Save(loaded).ok());
  EXPECT_EQ(*this->place.NewBackend()->ReadBackup(), found);
  loaded.Upsert(testing::SampleWebhook("INFRA/docs"));
  ASSERT_TRUE(run->Save(loaded).ok());
  EXPECT_EQ(*this->place.NewBackend()->ReadBackup(), found) << "later saves of the same run keep the first backup";
}

TYPED_TEST_P(StateStoreConformance, AppendedChangesSurviveACrashAndTheNextRunReplaysThem) {
  State state = testing::SampleState();
  {
    auto run = this->Open();
    ASSERT_TRUE(run->Save(state).ok());
    ASSERT_TRUE(run->CanAppend());
    this->AppendCreate(*run, "INFRA/new");
    // The run dies here: no full save follows.
  }
  auto next = this->Open();
  State loaded = this->LoadOrFail(*next);
  ASSERT_NE(loaded.Find(testing::Webhook("INFRA/new")), nullptr);
  EXPECT_TRUE(loaded.Find(testing::Webhook("INFRA/new"))->attributes.at("secret").sensitive());
  EXPECT_EQ(loaded.intents.size(), 1u) << "the sample's own intent stays; the new one was resolved";
  EXPECT_EQ(loaded.serial, state.serial + 2) << "one serial per record";
}

TYPED_TEST_P(StateStoreConformance, ARecordCutShortByACrashIsDroppedAndAppendsContinueAfterTheGoodOnes) {
  State state = testing::SampleState();
  auto run = this->Open();
  ASSERT_TRUE(run->Save(state).ok());
  this->AppendCreate(*run, "INFRA/kept");
  ASSERT_TRUE(run->Append({StateChange::Upsert(testing::SampleWebhook("INFRA/torn"))}).ok());
  run.reset();
  // Only part of the last record reached the journal.
  auto backend = this->place.NewBackend();
  auto journal = backend->journal().Read();
  ASSERT_TRUE(journal.ok() && journal->has_value());
  ASSERT_TRUE(backend->journal().Open((*journal)->size() - 20).ok());
  backend.reset();
  auto next = this->Open();
  State loaded = this->LoadOrFail(*next);
  EXPECT_NE(loaded.Find(testing::Webhook("INFRA/kept")), nullptr);
  EXPECT_EQ(loaded.Find(testing::Webhook("INFRA/torn")), nullptr);
  this->AppendCreate(*next, "INFRA/after");
  State again = this->LoadOrFail(*this->Open());
  EXPECT_NE(again.Find(testing::Webhook("INFRA/kept")), nullptr);
  EXPECT_NE(again.Find(testing::Webhook("INFRA/after")), nullptr);
  EXPECT_EQ(again.serial, state.serial + 4);
}

TYPED_TEST_P(StateStoreConformance, AFullSaveFoldsTheJournalIn) {
  State state = testing::SampleState();
  auto run = this->Open();
  ASSERT_TRUE(run->Save(state).ok());
  this->AppendCreate(*run, "INFRA/new");
  State loaded = this->LoadOrFail(*run);
  ASSERT_TRUE(run->Save(loaded).ok());
  EXPECT_FALSE(this->place.NewBackend()->journal().Read()->has_value());
  State after = this->LoadOrFail(*this->Open());
  EXPECT_NE(after.Find(testing::Webhook("INFRA/new")), nullptr);
  EXPECT_EQ(after.serial, loaded.serial);
}

TYPED_TEST_P(StateStoreConformance, AnEncryptedStateRoundTripsAndAWrongKeyOverwritesNothing) {
  StateStoreOptions key, wrong;
  key.key = EncryptionKey::Passphrase("correct horse", "STASHFORM_STATE_PASSPHRASE");
  wrong.key = EncryptionKey::Passphrase("wrong horse", "STASHFORM_STATE_PASSPHRASE");
  key.pbkdf2_iterations = wrong.pbkdf2_iterations = 1000;  // the suite proves behaviour, not cost
  State state = testing::SampleState();
  auto run = this->Open(key);
  ASSERT_TRUE(run->Save(state).ok());
  this->AppendCreate(*run, "INFRA/journaled");
  for (const auto& bytes : {*this->StoredBytes(), **this->place.NewBackend()->journal().Read()})
    for (const std::string secret : {"hunter2-webhook-secret", "private-token-value", "out-secret", "INFRA/"})
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  State loaded = this->LoadOrFail(*this->Open(key));
  EXPECT_TRUE(loaded.Find(testing::Webhook("INFRA/api"))->attributes.at("secret").sensitive());
  EXPECT_NE(loaded.Find(testing::Webhook("INFRA/journaled")), nullptr);

  const auto stored = this->StoredBytes();
  auto with_wrong_key = this->Open(wrong);
  auto refused = with_wrong_key->Load();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("cannot be decrypted with STASHFORM_STATE_PASSPHRASE"), std::string::npos)
      << refused.message();
  EXPECT_FALSE(with_wrong_key->Save(state).ok());
  EXPECT_EQ(this->StoredBytes(), stored);
}

TYPED_TEST_P(StateStoreConformance, ASecondLockerWaitsThenFailsNamingTheHolder) {
  auto holder = this->place.NewLocker();
  LockInfo info{"1b2c3d4e-0000-4000-8000-000000000001", "apply", "root@host", "2026-11-23T20:10:00Z", ""};
  ASSERT_TRUE(holder->Acquire(info, 0ms).ok());
  auto waiter = this->place.NewLocker();
  auto started = std::chrono::steady_clock::now();
  Status second = waiter->Acquire(NewLockInfo("plan", ""), 60ms);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 60ms) << "it gives up only once the timeout has passed";
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.message(),
            "state is locked by root@host (apply, since 2026-11-23T20:10:00Z, lock ID "
            "1b2c3d4e-0000-4000-8000-000000000001); wait, or run \"stashform force-unlock "
            "1b2c3d4e-0000-4000-8000-000000000001\" if that run is dead");
  ASSERT_TRUE(holder->Release().ok());
  EXPECT_TRUE(waiter->Acquire(NewLockInfo("plan", ""), 0ms).ok());
}

TYPED_TEST_P(StateStoreConformance, TheHolderIsDescribedWithWhatIsLocked) {
  auto locker = this->place.NewLocker();
  EXPECT_FALSE(locker->Holder().has_value());
  ASSERT_TRUE(locker->Acquire(LockInfo{"", "apply", "", "", ""}, 0ms).ok());
  auto holder = this->place.NewLocker()->Holder();
  ASSERT_TRUE(holder.has_value());
  EXPECT_EQ(holder->id, locker->held()->id);
  EXPECT_EQ(holder->id.size(), 36u);
  EXPECT_EQ(holder->operation, "apply");
  EXPECT_NE(holder->who.find('@'), std::string::npos);
  EXPECT_EQ(holder->created.size(), 20u);
  EXPECT_EQ(holder->what, locker->Describe());
}

TYPED_TEST_P(StateStoreConformance, ForceUnlockNeedsTheHoldersIdAndFreesTheLock) {
  auto stuck = this->place.NewLocker();
  LockInfo info{"1b2c3d4e-0000-4000-8000-00000000beef", "apply", "root@host", "2026-11-23T20:10:00Z", ""};
  ASSERT_TRUE(stuck->Acquire(info, 0ms).ok());
  auto admin = this->place.NewLocker();
  Status wrong = admin->ForceUnlock("not-the-id");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "lock ID \"not-the-id\" does not match the lock on " + admin->Describe() +
                                 " (lock ID " + info.id + ", held by root@host)");
  ASSERT_TRUE(admin->ForceUnlock(info.id).ok());
  auto next = this->place.NewLocker();
  ASSERT_TRUE(next->Acquire(NewLockInfo("apply", ""), 0ms).ok());
  // The stuck run releasing late must not free the next run's lock.
  ASSERT_TRUE(stuck->Release().ok());
  EXPECT_FALSE(this->place.NewLocker()->Acquire(NewLockInfo("plan", ""), 0ms).ok());
}

TYPED_TEST_P(StateStoreConformance, ForceUnlockOfAnUnlockedStateSaysSo) {
  auto locker = this->place.NewLocker();
  Status status = locker->ForceUnlock("1b2c3d4e-0000-4000-8000-00000000beef");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), locker->Describe() + " is not locked");
}

TYPED_TEST_P(StateStoreConformance, AStoreReleasesItsLockWhenItGoesAway) {
  ASSERT_TRUE(this->Open()->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok());
  EXPECT_TRUE(this->Open()->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok());
}

TYPED_TEST_P(StateStoreConformance, ReleasingWithoutTheLockIsAnError) {
  auto store = this->Open();
  EXPECT_FALSE(store->locker().Release().ok());
  ASSERT_TRUE(store->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok());
  EXPECT_FALSE(store->locker().Acquire(NewLockInfo("apply", ""), 0ms).ok());
  EXPECT_TRUE(store->locker().Release().ok());
  EXPECT_FALSE(store->locker().Release().ok());
}

REGISTER_TYPED_TEST_SUITE_P(StateStoreConformance, LoadsNothingWhenNoStateWasEverSaved,
                            AnotherRunLoadsWhatWasSavedWithItsSecretsMarked, ASaveReplacesTheWholeStateAtOnce,
                            SerialBumpsOnlyWhenTheContentChanges, ALoadedStateSavedUnchangedKeepsItsSerial,
                            RefusesToOverwriteAStateOfAnotherLineage,
                            AWriteFromAVersionNoLongerStoredIsRefusedAndChangesNothing,
                            AStateCreatedMeanwhileByAnotherRunIsNotOverwritten,
                            ACorruptStateIsReportedAndNeverOverwritten,
                            EveryUnreadableStateIsRefusedWithAWayOutAndNeverOverwritten,
                            TheFirstWriteOfARunKeepsTheVersionItFoundAsTheBackup,
                            AppendedChangesSurviveACrashAndTheNextRunReplaysThem,
                            ARecordCutShortByACrashIsDroppedAndAppendsContinueAfterTheGoodOnes,
                            AFullSaveFoldsTheJournalIn, AnEncryptedStateRoundTripsAndAWrongKeyOverwritesNothing,
                            ASecondLockerWaitsThenFailsNamingTheHolder, TheHolderIsDescribedWithWhatIsLocked,
                            ForceUnlockNeedsTheHoldersIdAndFreesTheLock, ForceUnlockOfAnUnlockedStateSaysSo,
                            AStoreReleasesItsLockWhenItGoesAway, ReleasingWithoutTheLockIsAnError);

}  // namespace stashform::state
