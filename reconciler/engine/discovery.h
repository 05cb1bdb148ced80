#pragma once
// Discovery finds objects beside the managed ones that no config declares, for `stashform drift`.

#include <string>
#include <vector>

#include "dsl/config.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

struct UnmanagedFound {
  std::string server;
  std::string type;
  std::string id;
  std::string description;
  bool detached_stack = false;  // a stack a deleted integration left detached
};

struct Discovery {
  std::vector<UnmanagedFound> objects;
  int ignored = 0;  // objects an `unmanaged { ignore = ... }` rule left out
  Diagnostics diagnostics;
};

/// Objects beside the managed ones that state does not record, less those an ignore rule matches.
Discovery DiscoverUnmanaged(const state::State& state, const Servers& servers,
                            const std::vector<dsl::UnmanagedIgnore>& ignore = {});

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace stashform::engine
