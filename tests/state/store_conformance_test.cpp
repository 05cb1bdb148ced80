// Every StateStore passes this suite; a new store adds one Stores type to kStoreKinds.
#include <gtest/gtest.h>

#include <memory>

#include "state/local_store.h"
#include "state/lock_info.h"
#include "state/memory_store.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using testing::SampleState;
using testing::SampleWebhook;
using testing::Webhook;

/// Opens stores on one shared place, as two runs of stashform would.
struct MemoryStores {
  std::shared_ptr<MemoryStateStore::Backing> backing = std::make_shared<MemoryStateStore::Backing>();
  std::unique_ptr<StateStore> Open() { return std::make_unique<MemoryStateStore>(backing); }
};

struct LocalFileStores {
  testing::TempDir dir;
  std::unique_ptr<StateStore> Open() { return std::make_unique<LocalFileStore>(dir.File("stashform.state.json")); }
};

struct EncryptedLocalFileStores {
  testing::TempDir dir;
  std::unique_ptr<StateStore> Open() {
    StateStoreOptions options;
    options.key = EncryptionKey::Passphrase("conformance", "test passphrase");
    options.pbkdf2_iterations = 1000;  // the suite proves behaviour, not key-stretching cost
    options.enforce_encryption = true;
    return std::make_unique<LocalFileStore>(dir.File("stashform.state.json"), options);
  }
};

template <typename Stores>
class StateStoreConformance : public ::testing::Test {
 protected:
  Stores stores;
};

using kStoreKinds = ::testing::Types<MemoryStores, LocalFileStores, EncryptedLocalFileStores>;
TYPED_TEST_SUITE(StateStoreConformance, kStoreKinds);

TYPED_TEST(StateStoreConformance, LoadsNothingWhenNoStateWasEverSaved) {
  auto loaded = this->stores.Open()->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_FALSE(loaded->has_value());
}

TYPED_TEST(StateStoreConformance, AnotherRunLoadsWhatWasSavedWithItsSecretsMarked) {
  State state = SampleState();
  ASSERT_TRUE(this->stores.Open()->Save(state).ok());
  auto loaded = this->stores.Open()->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_TRUE(loaded->has_value());
  const State& got = **loaded;
  EXPECT_TRUE(got.SameContent(state));
  EXPECT_EQ(got.serial, state.serial);
  EXPECT_TRUE(got.Find(Webhook("INFRA/api"))->attributes.at("secret").sensitive());
  EXPECT_TRUE(got.Find(Webhook("INFRA/api"))->private_data.at("token").sensitive());
  EXPECT_TRUE(got.outputs.at("hook_secret").sensitive());
  EXPECT_EQ(got.intents.size(), 1u);
}

TYPED_TEST(StateStoreConformance, SerialBumpsOnlyWhenTheContentChanges) {
  auto store = this->stores.Open();
  State state = SampleState();
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 1u);
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 1u);
  state.Upsert(SampleWebhook("INFRA/api", "https://ci/other"));
  ASSERT_TRUE(store->Save(state).ok());
  EXPECT_EQ(state.serial, 2u);
  EXPECT_EQ((*this->stores.Open()->Load())->serial, 2u);
}

TYPED_TEST(StateStoreConformance, ALoadedStateSavedUnchangedKeepsItsSerial) {
  State state = SampleState();
  ASSERT_TRUE(this->stores.Open()->Save(state).ok());
  auto store = this->stores.Open();
  State loaded = **store->Load();
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_EQ(loaded.serial, 1u);
  loaded.Remove(Webhook("INFRA/api"));
  ASSERT_TRUE(store->Save(loaded).ok());
  EXPECT_EQ(loaded.serial, 2u);
  EXPECT_TRUE((*this->stores.Open()->Load())->resources.empty());
}

TYPED_TEST(StateStoreConformance, RefusesToOverwriteAStateOfAnotherLineage) {
  State first = SampleState();
  ASSERT_TRUE(this->stores.Open()->Save(first).ok());
  State stranger = SampleState();
  Status saved = this->stores.Open()->Save(stranger);
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("refusing to overwrite a different state"), std::string::npos) << saved.message();
  EXPECT_EQ((*this->stores.Open()->Load())->lineage, first.lineage);
}

TYPED_TEST(StateStoreConformance, ASecondLockerIsToldWhoHoldsTheLock) {
  auto holder = this->stores.Open();
  LockInfo info{"1b2c3d4e-0000-4000-8000-000000000001", "apply", "root@host", "2026-11-23T20:10:00Z", ""};
  ASSERT_TRUE(holder->Lock(info, std::chrono::milliseconds(0)).ok());
  Status second = this->stores.Open()->Lock(NewLockInfo("plan", ""), std::chrono::milliseconds(0));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.message(),
            "state is locked by root@host (apply, since 2026-11-23T20:10:00Z, lock ID "
            "1b2c3d4e-0000-4000-8000-000000000001); wait, or run \"stashform force-unlock "
            "1b2c3d4e-0000-4000-8000-000000000001\" if that run is dead");
  ASSERT_TRUE(holder->Unlock().ok());
  auto next = this->stores.Open();
  EXPECT_TRUE(next->Lock(NewLockInfo("plan", ""), std::chrono::milliseconds(0)).ok());
}

TYPED_TEST(StateStoreConformance, AStoreReleasesItsLockWhenItGoesAway) {
  ASSERT_TRUE(this->stores.Open()->Lock(NewLockInfo("apply", ""), std::chrono::milliseconds(0)).ok());
  EXPECT_TRUE(this->stores.Open()->Lock(NewLockInfo("apply", ""), std::chrono::milliseconds(0)).ok());
}

TYPED_TEST(StateStoreConformance, UnlockingWithoutTheLockIsAnError) {
  auto store = this->stores.Open();
  EXPECT_FALSE(store->Unlock().ok());
  ASSERT_TRUE(store->Lock(NewLockInfo("apply", ""), std::chrono::milliseconds(0)).ok());
  EXPECT_FALSE(store->Lock(NewLockInfo("apply", ""), std::chrono::milliseconds(0)).ok());
  EXPECT_TRUE(store->Unlock().ok());
  EXPECT_FALSE(store->Unlock().ok());
}

}  // namespace
}  // namespace stashform::state
