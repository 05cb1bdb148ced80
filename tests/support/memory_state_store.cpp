#include "tests/support/memory_state_store.h"

namespace stashform::state {

MemoryStateStore::MemoryStateStore() : MemoryStateStore(std::make_shared<Backing>()) {}

MemoryStateStore::MemoryStateStore(std::shared_ptr<Backing> backing, StateStoreOptions options)
    : LayeredStore(std::make_unique<MemoryBackend>(backing), std::make_unique<MemoryLocker>(backing),
                   std::move(options)),
      backing_(std::move(backing)) {}

StateStoreFactory MemoryStateStoreFactory(std::shared_ptr<MemoryBacking> backing) {
  return [backing](const std::string&, StateStoreOptions options) -> std::unique_ptr<StateStore> {
    return std::make_unique<MemoryStateStore>(backing, std::move(options));
  };
}

}  // namespace stashform::state
