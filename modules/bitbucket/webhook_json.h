#pragma once
// The webhook wire mapping shared by repository and project webhooks: schema attributes of the
// body, JSON → attributes (secrets as digests) and attributes → the whole PUT/POST body.

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "base/schema.h"

namespace stashform::bitbucket {

/// Where a webhook lives: a project, or one repository of it.
enum class WebhookScope { kRepository, kProject };

/// The attributes that locate a webhook of that scope: {"project"} or {"project", "repository"}.
const std::vector<std::string>& WebhookScopeKeys(WebhookScope scope);

/// A webhook schema: the scope's keys (force_new) then name, url, events, active, secret,
/// credentials, ssl_verification_required and the computed id.
ResourceSchema MakeWebhookSchema(WebhookScope scope, std::string type, std::string description);

/// /rest/api/1.0/projects/{project}[/repos/{repository}]/webhooks for the scope keys in `attributes`.
std::string WebhooksPath(WebhookScope scope, const Value::Map& attributes);

/// The webhook's attributes as stashform records them, from the server's JSON. The scope keys are
/// copied from `scope`; the secret becomes a digest (a redacted one keeps the digest in `prior`);
/// the credentials password, which no read returns, keeps the prior digest while a username is set.
/// The note a read gives when the server answers configuration.secret as ******** (hidden).
inline constexpr const char* kHiddenSecretNote =
    "secret: hidden by the server (********), so a change made by hand cannot be seen; -replace the webhook to rotate it";

/// Whether the answer's configuration.secret is hidden (all asterisks).
bool SecretHidden(const boost::json::value& json);

Value::Map WebhookFromJson(WebhookScope scope, const Value::Map& where, const boost::json::value& json,
                           const Value::Map& prior);

/// The request body for POST and PUT: the whole object, so that a PUT clears nothing by accident.
/// Credentials with a username but no password keep the password the server stores.
boost::json::value WebhookToJson(const Value::Map& planned);

/// The write-only attributes (secret, credentials_password) as state keeps them after a write,
/// taken from what was sent since the create answer does not reliably echo them.
void RecordSentSecrets(const ResourceSchema& schema, const Value::Map& planned, const Value::Map& prior,
                       Value::Map& attributes);

}  // namespace stashform::bitbucket
