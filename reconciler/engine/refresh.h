#pragma once
// Refresh asks every server what exists now for each object in state; it never writes.

#include <boost/container/flat_map.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "reconciler/engine/servers.h"
#include "modules/provider/provider.h"
#include "state/state.h"

namespace stashform::engine {

struct Refreshed {
  /// A sorted vector rather than std::map: a refresh of 100,000 objects held 4 MiB of tree nodes.
  boost::container::flat_map<ResourceAddress, provider::ReadResponse> by_address;
  /// What a lookup by natural key found for blocks that state does not record and the plan
  /// would create (LookUpPlannedCreates); an entry with no objects means none exists.
  std::map<ResourceAddress, provider::FoundObjects> by_natural_key;
  Diagnostics diagnostics;

  const provider::ReadResponse* Find(const ResourceAddress& address) const;
  const provider::FoundObjects* FoundByKey(const ResourceAddress& address) const;
};

/// One read of a refresh that has ended, as progress reports it; never carries attribute values.
struct RefreshedRead {
  const ResourceAddress& address;
  const std::string& id;  // the remote id recorded in state
  bool ok = true;         // false when the read failed; the refresh's diagnostics say why
  size_t done = 0;        // reads ended so far, this one included
  size_t total = 0;       // reads this refresh makes: one per recorded object
};

/// Called once per recorded object as its read ends, from the thread that read it; calls are
/// serialised (Refresh holds a lock around each), so the receiver needs no lock of its own.
using RefreshProgress = std::function<void(const RefreshedRead&)>;

struct RefreshOptions {
  RefreshProgress progress;  // optional
};

/// Reads every recorded object, batched per server and type so a type can list instead of get.
/// An object whose server the config no longer declares counts as a failed read.
Refreshed Refresh(const state::State& state, const Servers& servers, const RefreshOptions& options = {});

/// Without refresh (-refresh=false), the recorded attributes stand for what exists.
Refreshed FromState(const state::State& state);

}  // namespace stashform::engine
