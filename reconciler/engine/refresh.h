#pragma once
// Refresh asks every server what exists now for each object in state; it never writes.

#include <map>

#include "reconciler/engine/servers.h"
#include "reconciler/provider/provider.h"
#include "state/state.h"

namespace stashform::engine {

struct Refreshed {
  std::map<ResourceAddress, provider::ReadResponse> by_address;
  Diagnostics diagnostics;

  const provider::ReadResponse* Find(const ResourceAddress& address) const;
};

/// Reads every recorded object, batched per server and type so a type can list instead of get.
Refreshed Refresh(const state::State& state, const Servers& servers);

/// Without refresh (-refresh=false), the recorded attributes stand for what exists.
Refreshed FromState(const state::State& state);

}  // namespace stashform::engine
