#pragma once
// Discovery finds objects beside the managed ones that no config declares, for `stashform drift`.

#include <string>
#include <vector>

#include "reconciler/engine/servers.h"
#include "state/state.h"

namespace stashform::engine {

struct UnmanagedFound {
  std::string server;
  std::string type;
  std::string id;
  std::string description;
};

struct Discovery {
  std::vector<UnmanagedFound> objects;
  Diagnostics diagnostics;
};

Discovery DiscoverUnmanaged(const state::State& state, const Servers& servers);

}  // namespace stashform::engine
