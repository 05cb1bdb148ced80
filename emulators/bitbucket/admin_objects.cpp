// Admin out-of-band changes to tokens, application links and OAuth 2.0 clients.
#include "emulators/bitbucket/routes.h"

namespace stashform::emulator {

void RegisterAdminObjectRoutes(Router&) {}

}  // namespace stashform::emulator
