// LocalFileLocker: locking the local state file across processes: a holder's details for the waiter, release when
// the holder dies, force-unlock.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "state/file_locker.h"
#include "state/lock_info.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using namespace std::chrono_literals;

/// A child process that takes the lock and reports through a pipe; it is always killed and reaped.
class LockHolderProcess {
 public:
  /// The child holds the lock until killed, or releases it after `hold_for` when that is set.
  LockHolderProcess(const std::string& path, const LockInfo& info, std::optional<std::chrono::milliseconds> hold_for = {}) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      RunChild(path, info, hold_for, fds[1]);
    }
    ::close(fds[1]);
    char answer = 0;
    locked_ = pid_ > 0 && ::read(fds[0], &answer, 1) == 1 && answer == '1';
    ::close(fds[0]);
  }
  ~LockHolderProcess() { Kill(); }
  LockHolderProcess(const LockHolderProcess&) = delete;
  LockHolderProcess& operator=(const LockHolderProcess&) = delete;

  bool locked() const { return locked_; }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  [[noreturn]] static void RunChild(const std::string& path, const LockInfo& info,
                                    std::optional<std::chrono::milliseconds> hold_for, int report) {
    LocalFileLocker locker(path);
    bool ok = locker.Acquire(info, 0ms).ok();
    char answer = ok ? '1' : '0';
    (void)!::write(report, &answer, 1);
    if (ok && hold_for) {
      ::usleep(static_cast<useconds_t>(hold_for->count() * 1000));
      locker.Release();
      ::_exit(0);
    }
    for (;;) ::pause();
  }

  pid_t pid_ = -1;
  bool locked_ = false;
};

class LocalFileLockTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
  LockInfo holder{"1b2c3d4e-0000-4000-8000-00000000beef", "apply", "root@host", "2026-11-23T20:10:00Z", ""};
};

TEST_F(LocalFileLockTest, AWaiterGivesUpWithTheHoldersDetailsAndGetsTheLockOnceTheHolderDies) {
  LockHolderProcess child(path, holder);
  ASSERT_TRUE(child.locked());
  LocalFileLocker locker(path);
  Status waited = locker.Acquire(NewLockInfo("apply", path), 50ms);
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.message(), LockedMessage(LockInfo{holder.id, "apply", "root@host", "2026-11-23T20:10:00Z", path}));
  child.Kill();  // SIGKILL: no chance to unlock; the kernel drops the flock
  EXPECT_TRUE(locker.Acquire(NewLockInfo("apply", path), 0ms).ok());
}

TEST_F(LocalFileLockTest, AWaiterGetsTheLockWhenTheHolderReleasesIt) {
  LockHolderProcess child(path, holder, 100ms);
  ASSERT_TRUE(child.locked());
  LocalFileLocker locker(path);
  // Generous timeout: the test proves waiting works, not how fast.
  Status waited = locker.Acquire(NewLockInfo("apply", path), 60s);
  EXPECT_TRUE(waited.ok()) << waited.message();
}

TEST_F(LocalFileLockTest, TheLockFileRecordsTheHolder) {
  LocalFileLocker locker(path);
  ASSERT_TRUE(locker.Acquire(holder, 0ms).ok());
  std::optional<LockInfo> recorded = LocalFileLocker(path).Holder();
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->id, holder.id);
  EXPECT_EQ(recorded->operation, "apply");
  EXPECT_EQ(recorded->who, "root@host");
  EXPECT_EQ(recorded->created, "2026-11-23T20:10:00Z");
  EXPECT_EQ(recorded->what, path);
  ASSERT_TRUE(locker.Release().ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));
}

TEST_F(LocalFileLockTest, LockFillsInTheHolderWhenNotGiven) {
  LocalFileLocker locker(path);
  ASSERT_TRUE(locker.Acquire(LockInfo{"", "plan", "", "", ""}, 0ms).ok());
  ASSERT_TRUE(locker.held().has_value());
  EXPECT_EQ(locker.held()->id.size(), 36u);
  EXPECT_NE(locker.held()->who.find('@'), std::string::npos);
  EXPECT_EQ(locker.held()->created.size(), 20u);
  EXPECT_EQ(locker.held()->what, path);
}

TEST_F(LocalFileLockTest, ForceUnlockNeedsTheMatchingId) {
  LocalFileLocker stuck(path);
  ASSERT_TRUE(stuck.Acquire(holder, 0ms).ok());
  Status wrong = LocalFileLocker(path).ForceUnlock("not-the-id");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "lock ID \"not-the-id\" does not match the lock on " + path + " (lock ID " + holder.id +
                                 ", held by root@host)");
  ASSERT_TRUE(LocalFileLocker(path).ForceUnlock(holder.id).ok());

  LocalFileLocker next(path);
  ASSERT_TRUE(next.Acquire(NewLockInfo("apply", path), 0ms).ok());
  // The stuck run unlocking late must not remove the next run's lock.
  ASSERT_TRUE(stuck.Release().ok());
  EXPECT_FALSE(LocalFileLocker(path).Acquire(NewLockInfo("plan", path), 0ms).ok());
}

TEST_F(LocalFileLockTest, ALockFileOfAnEarlierVersionIsReadAndCanBeForceUnlocked) {
  // Exactly what earlier versions wrote: "path" names what is locked.
  testing::WriteRaw(path + ".lock", "{\n  \"id\": \"" + holder.id +
                                        "\",\n  \"operation\": \"apply\",\n  \"who\": \"root@host\",\n"
                                        "  \"created\": \"2026-11-23T20:10:00Z\",\n  \"path\": \"" + path + "\"\n}\n");
  std::optional<LockInfo> recorded = LocalFileLocker(path).Holder();
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->id, holder.id);
  EXPECT_EQ(recorded->who, "root@host");
  EXPECT_EQ(recorded->what, path);
  EXPECT_TRUE(LocalFileLocker(path).ForceUnlock(holder.id).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".lock"));
}

TEST_F(LocalFileLockTest, TheLockFileKeepsTheFormatEarlierVersionsRead) {
  LocalFileLocker locker(path);
  ASSERT_TRUE(locker.Acquire(holder, 0ms).ok());
  EXPECT_EQ(testing::ReadAll(path + ".lock"), EncodeLockInfo(LockInfo{holder.id, "apply", "root@host",
                                                                      "2026-11-23T20:10:00Z", path}));
  EXPECT_NE(testing::ReadAll(path + ".lock").find("\"path\": \"" + path + "\""), std::string::npos);
}

TEST_F(LocalFileLockTest, ForceUnlockOfAnUnlockedStateSaysSo) {
  Status status = LocalFileLocker(path).ForceUnlock(holder.id);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), path + " is not locked");
}

}  // namespace
}  // namespace stashform::state
