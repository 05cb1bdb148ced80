// A run killed at any moment of a save leaves a state that loads: the atomic replace in action.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <vector>

#include "state/local_store.h"
#include "state/lock_info.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

/// A child process running `work` until it is killed; always reaped.
class ChildProcess {
 public:
  explicit ChildProcess(const std::function<void()>& work) {
    pid_ = ::fork();
    if (pid_ == 0) {
      work();
      ::_exit(0);
    }
  }
  ~ChildProcess() { Kill(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

/// Saves a growing state in a loop.
[[noreturn]] void SaveForever(const std::string& path) {
  auto store = OpenLocalStore(path);
  auto loaded = store->Load();
  if (!loaded.ok()) ::_exit(1);
  State state = loaded->has_value() ? std::move(**loaded) : State::New("crash-test");
  for (int i = 0;; ++i) {
    state.Upsert(testing::SampleWebhook("PROJ/repo-" + std::to_string(getpid()) + "-" + std::to_string(i)));
    if (!store->Save(state).ok()) ::_exit(1);
  }
}

TEST(LocalFileStoreCrash, AKillAtAnyMomentOfASaveLeavesAStateThatLoads) {
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
  uint64_t last_serial = 0;
  for (int round = 0; round < 20; ++round) {
    ChildProcess child([&] { SaveForever(path); });
    ASSERT_TRUE(child.started());
    // Wait for this child's first save; the loop bound only guards against a child that died.
    for (int polls = 0; polls < 10000; ++polls) {
      auto current = OpenLocalStore(path)->Load();
      if (current.ok() && current->has_value() && (*current)->serial > last_serial) break;
      ::usleep(1000);
    }
    ::usleep(static_cast<useconds_t>((round * 7919) % 20000));  // kill at a different moment each round
    child.Kill();
    auto loaded = OpenLocalStore(path)->Load();
    ASSERT_TRUE(loaded.ok()) << "round " << round << ": " << loaded.message();
    ASSERT_TRUE(loaded->has_value());
    EXPECT_GT((*loaded)->serial, last_serial) << "round " << round;
    last_serial = (*loaded)->serial;
    if (std::filesystem::exists(path + ".backup")) {
      EXPECT_TRUE(OpenLocalStore(path + ".backup")->Load().ok()) << "round " << round;
    }
  }
  // The next run to take the lock clears whatever temp files the killed runs left.
  auto next = OpenLocalStore(path);
  ASSERT_TRUE(next->locker().Acquire(NewLockInfo("apply", path), std::chrono::milliseconds(0)).ok());
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

std::string Appended(int index) { return "PROJ/appended-" + std::to_string(index); }

/// Journals one new resource at a time, saving in full now and then, and writes to `out` each
/// index whose append returned.
[[noreturn]] void AppendForever(const std::string& path, int out) {
  auto store = OpenLocalStore(path);
  auto loaded = store->Load();
  if (!loaded.ok() || !loaded->has_value()) ::_exit(1);
  State state = std::move(**loaded);
  for (int i = 0;; ++i) {
    StateChange change = StateChange::Upsert(testing::SampleWebhook(Appended(i)));
    state.Apply(change);
    if (i % 40 == 39) {
      if (!store->Save(state).ok()) ::_exit(1);  // a full save now and then, as a run's end does
    } else {
      auto serial = store->Append({change});
      if (!serial.ok()) ::_exit(1);
      state.serial = *serial;
    }
    if (::write(out, &i, sizeof i) != ssize_t(sizeof i)) ::_exit(1);
  }
}

TEST(LocalFileStoreCrash, AKillAtAnyMomentOfAnAppendKeepsEveryAcknowledgedChange) {
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
  size_t checked = 0;
  for (int round = 0; round < 20; ++round) {
    for (const char* suffix : {"", ".journal", ".backup"}) std::filesystem::remove(path + suffix);
    State fresh = State::New("crash-test");
    ASSERT_TRUE(OpenLocalStore(path)->Save(fresh).ok());
    int pipe_ends[2];
    ASSERT_EQ(::pipe(pipe_ends), 0);
    ChildProcess child([&] {
      ::close(pipe_ends[0]);
      AppendForever(path, pipe_ends[1]);
    });
    ::close(pipe_ends[1]);
    ASSERT_TRUE(child.started());
    // Wait for the first acknowledged append (a read that ends only if the child died), so that
    // even a loaded machine gives each round something to check; then kill at a different moment.
    std::vector<int> acknowledged;
    if (int first = 0; ::read(pipe_ends[0], &first, sizeof first) == ssize_t(sizeof first)) acknowledged.push_back(first);
    ::usleep(static_cast<useconds_t>((round * 7919) % 30000));
    child.Kill();
    for (int index = 0; ::read(pipe_ends[0], &index, sizeof index) == ssize_t(sizeof index);)
      acknowledged.push_back(index);
    ::close(pipe_ends[0]);
    auto loaded = OpenLocalStore(path)->Load();
    ASSERT_TRUE(loaded.ok()) << "round " << round << ": " << loaded.message();
    ASSERT_TRUE(loaded->has_value());
    for (int index : acknowledged)
      ASSERT_NE((*loaded)->Find(testing::Webhook(Appended(index))), nullptr)
          << "round " << round << ": change " << index << " was acknowledged but is lost";
    checked += acknowledged.size();
  }
  EXPECT_GT(checked, 20u) << "the children acknowledged too few appends for the test to mean much";
}

}  // namespace
}  // namespace stashform::state
