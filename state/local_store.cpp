#include "state/local_store.h"

#include "state/file_backend.h"
#include "state/file_locker.h"
#include "state/layered_store.h"

namespace stashform::state {

std::unique_ptr<StateStore> OpenLocalStore(const std::string& path, StateStoreOptions options) {
  return std::make_unique<LayeredStore>(std::make_unique<LocalFileBackend>(path), std::make_unique<LocalFileLocker>(path),
                                        std::move(options));
}

}  // namespace stashform::state
