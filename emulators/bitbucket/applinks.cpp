#include "emulators/bitbucket/routes.h"

namespace stashform::emulator {

void RegisterApplinkRoutes(Router&) {}

}  // namespace stashform::emulator
