#pragma once
// The local file store: one state file on this machine, composed from its backend and locker.

#include <memory>
#include <string>

#include "state/store.h"
#include "state/store_options.h"

namespace stashform::state {

/// The store on `path`: LocalFileBackend (`path`, `<path>.backup`, `<path>.journal`) and
/// LocalFileLocker (`<path>.lock`) under the codec, encryption (with a key in `options`) and
/// journal layers. Opening touches nothing on disk.
std::unique_ptr<StateStore> OpenLocalStore(const std::string& path, StateStoreOptions options = {});

}  // namespace stashform::state
