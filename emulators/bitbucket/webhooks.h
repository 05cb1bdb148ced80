#pragma once
// Webhook parsing and rendering, shared by the REST family, the seed loader and the admin API.

#include "emulators/common/http.h"
#include "emulators/bitbucket/model.h"

#include <boost/json.hpp>

#include <string>
#include <variant>
#include <vector>

namespace stashform::emulator {

/// The live-verified subscribable set (bitbucket-api.md §2.4).
const std::vector<std::string>& SubscribableEvents();

/// Reads a RestWebhook body as a full replacement of previous (if any): a missing configuration
/// clears the secret, credentials with a username only keep the stored password. Identity, scope
/// and dates are left to the caller. Answers a 400 envelope when the body is invalid.
std::variant<Webhook, Response> ParseWebhookBody(const boost::json::value& body, const Webhook* previous);

struct WebhookView {
  bool redact_secret = false;     // the UNCONFIRMED "secret redacted on GET" switch
  bool reveal_password = false;   // only the admin dump shows credentials.password
  bool scope_details = false;     // the admin dump names project and repository
};
boost::json::object WebhookJson(const Webhook& webhook, const WebhookView& view);

}  // namespace stashform::emulator
