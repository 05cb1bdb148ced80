#include "state/save_rules.h"

#include <algorithm>

namespace stashform::state {

Result<bool> PrepareSave(const std::optional<State>& stored, State& state, const std::string& where) {
  if (!stored) {
    state.serial += 1;
    return true;
  }
  // A different lineage is a different state: overwriting it would silently orphan its resources.
  if (stored->lineage != state.lineage)
    return Status::Error(where + " holds state lineage " + stored->lineage + ", not " + state.lineage +
                         "; refusing to overwrite a different state");
  if (stored->SameContent(state)) return false;
  state.serial = std::max(state.serial, stored->serial) + 1;
  return true;
}

}  // namespace stashform::state
