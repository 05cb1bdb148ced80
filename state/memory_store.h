#pragma once
// MemoryStateStore is the StateStore fake for tests of other layers; it never touches the disk.

#include <memory>
#include <optional>
#include <string>

#include "state/store.h"

namespace stashform::state {

/// MemoryStateStore keeps the encoded state text in memory, so what it returns went through the
/// same codec as a file. Stores made on one Backing share content and lock, like two runs on one
/// file.
class MemoryStateStore : public StateStore {
 public:
  struct Backing {
    std::optional<std::string> text;  // the state JSON as a file would hold it; nothing = no state
    std::optional<LockInfo> lock;
    int writes = 0;                           // successful saves that wrote
    int appends = 0;                          // successful appends
    std::optional<std::string> fail_writes;   // when set, every save that would write fails so
  };

  MemoryStateStore();
  explicit MemoryStateStore(std::shared_ptr<Backing> backing);
  ~MemoryStateStore() override;  // releases a lock still held

  Result<std::optional<State>> Load() override;
  Status Save(State& state) override;
  /// Appends by rewriting the stored text: a fake has no journal, but counts what a store with
  /// one would have appended.
  bool CanAppend() const override { return backing_->text.has_value(); }
  Result<uint64_t> Append(const std::vector<StateChange>& changes) override;
  /// Never waits: a test runs one thread, so a held lock is reported at once.
  Status Lock(const LockInfo& info, std::chrono::milliseconds timeout) override;
  Status Unlock() override;
  std::string Describe() const override { return "memory"; }

  const std::shared_ptr<Backing>& backing() const { return backing_; }
  const std::optional<std::string>& text() const { return backing_->text; }
  int writes() const { return backing_->writes; }
  /// Makes every later write fail with `message` (nothing: writes work again).
  void FailWritesWith(std::optional<std::string> message) { backing_->fail_writes = std::move(message); }

 private:
  std::shared_ptr<Backing> backing_;
  std::optional<std::string> held_id_;
};

}  // namespace stashform::state
