#pragma once
// MemoryStateStore is the StateStore fake for tests of other layers: the real layers over the
// memory backend and locker, so what it returns went through the same codec as a file.

#include <memory>
#include <optional>
#include <string>

#include "state/layered_store.h"
#include "state/store.h"
#include "tests/support/memory_backend.h"

namespace stashform::state {

/// MemoryStateStore composes MemoryBackend and MemoryLocker on one backing; stores made on the
/// same backing share content and lock, like two runs on one file.
class MemoryStateStore : public LayeredStore {
 public:
  using Backing = MemoryBacking;

  MemoryStateStore();
  explicit MemoryStateStore(std::shared_ptr<Backing> backing, StateStoreOptions options = {});

  const std::shared_ptr<Backing>& backing() const { return backing_; }
  /// The stored bytes: the state JSON as a file would hold it (sealed when encrypting).
  const std::optional<std::string>& text() const { return backing_->bytes; }
  int writes() const { return backing_->writes; }
  /// Makes every later write and append fail with `message` (nothing: they work again).
  void FailWritesWith(std::optional<std::string> message) { backing_->fail_writes = std::move(message); }

 private:
  std::shared_ptr<Backing> backing_;
};

/// A StateStoreFactory that opens every store on `backing`, whatever location it is asked for.
StateStoreFactory MemoryStateStoreFactory(std::shared_ptr<MemoryBacking> backing);

}  // namespace stashform::state
