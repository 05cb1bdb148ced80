// The conformance suite (tests/state/store_conformance.h) on the memory and local file backends,
// plain and encrypted. A new backend adds its Place and one INSTANTIATE line.
#include "tests/state/store_conformance.h"

#include "state/file_backend.h"
#include "state/file_locker.h"
#include "tests/support/memory_backend.h"

namespace stashform::state {
namespace {

struct MemoryPlace {
  std::shared_ptr<MemoryBacking> backing = std::make_shared<MemoryBacking>();
  StateStoreOptions options;
  std::unique_ptr<StateBackend> NewBackend() { return std::make_unique<MemoryBackend>(backing); }
  std::unique_ptr<Locker> NewLocker() { return std::make_unique<MemoryLocker>(backing); }
};

struct LocalFilePlace {
  testing::TempDir dir;
  std::string path = dir.File("stashform.state.json");
  StateStoreOptions options;
  std::unique_ptr<StateBackend> NewBackend() { return std::make_unique<LocalFileBackend>(path); }
  std::unique_ptr<Locker> NewLocker() { return std::make_unique<LocalFileLocker>(path); }
};

/// The same place with every store encrypting, and plaintext refused.
template <typename Place>
struct Encrypted : Place {
  Encrypted() {
    this->options.key = EncryptionKey::Passphrase("conformance", "test passphrase");
    this->options.pbkdf2_iterations = 1000;  // the suite proves behaviour, not key-stretching cost
    this->options.enforce_encryption = true;
  }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, StateStoreConformance, MemoryPlace);
INSTANTIATE_TYPED_TEST_SUITE_P(LocalFile, StateStoreConformance, LocalFilePlace);
INSTANTIATE_TYPED_TEST_SUITE_P(EncryptedMemory, StateStoreConformance, Encrypted<MemoryPlace>);
INSTANTIATE_TYPED_TEST_SUITE_P(EncryptedLocalFile, StateStoreConformance, Encrypted<LocalFilePlace>);

}  // namespace stashform::state
