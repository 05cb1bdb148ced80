#include "emulators/bitbucket/routes.h"

namespace stashform::emulator {

void RegisterTokenRoutes(Router&) {}

}  // namespace stashform::emulator
