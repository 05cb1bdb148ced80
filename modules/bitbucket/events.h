#pragma once
// Webhook event keys a Bitbucket Data Center repository or project webhook may subscribe to.

#include <string>
#include <vector>

namespace stashform::bitbucket {

/// The subscribable set verified against live servers (reference/bitbucket-api.md §2.4).
const std::vector<std::string>& WebhookEventKeys();

}  // namespace stashform::bitbucket
