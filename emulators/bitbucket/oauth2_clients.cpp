#include "emulators/bitbucket/routes.h"

namespace stashform::emulator {

void RegisterOAuth2ClientRoutes(Router&) {}

}  // namespace stashform::emulator
