#include "state/backend.h"

namespace stashform::state {

Status StaleWriteError(const std::string& where, const std::string& found) {
  return Status::Error(StatusCode::kFailedPrecondition, where + " changed since this run read it (" + found +
                       "); nothing was written: run the command again to start from the state as it is now, "
                       "and keep locking on so that runs wait for each other");
}

}  // namespace stashform::state
