#pragma once
// The rules every store applies before writing, so that all stores agree on serials and lineage.

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "state/state.h"

namespace stashform::state {

/// Refuses to overwrite a state of another lineage: that would silently orphan its resources.
Status CheckSameLineage(const std::string& stored_lineage, const State& state, const std::string& where);

/// The serial a write carries: past both the caller's and the stored one.
uint64_t NextSerial(std::optional<uint64_t> stored_serial, const State& state);

}  // namespace stashform::state
