// The state writer's group commit: many threads change state and wait until their change is stored.

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/engine/state_writer.h"
#include "tests/support/memory_state_store.h"

namespace stashform {
namespace {

/// A memory store that notes which intents each finished write holds, and takes a millisecond per
/// append, so that commits made meanwhile wait for the next write.
class RecordingStore : public state::MemoryStateStore {
 public:
  Result<uint64_t> Append(const std::vector<state::StateChange>& changes) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto serial = MemoryStateStore::Append(changes);
    std::lock_guard<std::mutex> lock(mutex_);
    ++appends_;
    if (serial.ok())
      for (const auto& change : changes)
        if (change.kind == state::StateChange::Kind::kAddIntent) stored_.insert(change.intent.address.name);
    return serial;
  }
  Status Save(state::State& state) override {
    Status saved = MemoryStateStore::Save(state);
    std::lock_guard<std::mutex> lock(mutex_);
    if (saved.ok())
      for (const auto& intent : state.intents) stored_.insert(intent.address.name);
    return saved;
  }
  bool Stored(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    return stored_.count(name) > 0;
  }
  int appends() {
    std::lock_guard<std::mutex> lock(mutex_);
    return appends_;
  }

 private:
  std::mutex mutex_;
  std::set<std::string> stored_;
  int appends_ = 0;
};

state::StateChange IntentFor(const std::string& name) {
  return state::StateChange::AddIntent({{"", "fake.thing", name}, "main", {}, 0});
}

TEST(StateWriter, EachCommitReturnsOnlyOnceAWriteHoldingItsChangeHasEnded) {
  RecordingStore store;
  state::State state = state::State::New("test");
  ASSERT_TRUE(store.Save(state).ok());  // a stored state, so that later writes are appends
  engine::StateWriter writer(state, store);
  constexpr int kThreads = 16, kEach = 20;
  std::vector<std::string> not_stored_on_return;
  std::mutex failures_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = std::to_string(t) + "/" + std::to_string(i);
        writer.Change(IntentFor(name));
        Status committed = writer.Commit();
        if (!committed.ok() || !store.Stored(name)) {
          std::lock_guard<std::mutex> lock(failures_mutex);
          not_stored_on_return.push_back(name);
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(not_stored_on_return.empty()) << not_stored_on_return.front();
  EXPECT_LT(store.appends(), kThreads * kEach) << "commits made while a write ran share the next one";
  ASSERT_TRUE(writer.Flush().ok());
  state::MemoryStateStore reader(store.backing());
  auto loaded = reader.Load();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->intents.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(StateWriter, AFailedWriteFailsTheCommitsItHeldAndTheNextOneWritesInFull) {
  RecordingStore store;
  state::State state = state::State::New("test");
  ASSERT_TRUE(store.Save(state).ok());
  engine::StateWriter writer(state, store);
  store.FailWritesWith("disk full");
  writer.Change(IntentFor("lost"));
  EXPECT_FALSE(writer.Commit().ok());
  store.FailWritesWith(std::nullopt);
  writer.Change(IntentFor("next"));
  ASSERT_TRUE(writer.Commit().ok());
  EXPECT_TRUE(store.Stored("lost")) << "the write after a failure holds what the failed one took";
  EXPECT_TRUE(store.Stored("next"));
}

}  // namespace
}  // namespace stashform
