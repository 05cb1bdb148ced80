#include "state/save_rules.h"

#include <algorithm>

namespace stashform::state {

Status CheckSameLineage(const std::string& stored_lineage, const State& state, const std::string& where) {
  if (stored_lineage == state.lineage) return Status::Ok();
  return Status::Error(where + " holds state lineage " + stored_lineage + ", not " + state.lineage +
                       "; refusing to overwrite a different state (point -state at the state this "
                       "configuration belongs to, or move that one aside to start anew)");
}

uint64_t NextSerial(std::optional<uint64_t> stored_serial, const State& state) {
  return std::max(state.serial, stored_serial.value_or(0)) + 1;
}

}  // namespace stashform::state
