#pragma once
// The Bitbucket error envelope: {"errors":[{"context","message","exceptionName"}]} (bitbucket-api.md §1.4).

#include "emulators/common/errors.h"
#include "emulators/common/http.h"

#include <optional>
#include <string>

namespace stashform::emulator {

Response ErrorResponse(int status, const std::string& message,
                       const std::optional<std::string>& context = std::nullopt,
                       const std::optional<std::string>& exception_name = std::nullopt);

Response ValidationError(const std::string& context, const std::string& message);
Response NotAuthenticated();
Response BadCredentials();
/// Bitbucket answers 401, not 403, when an authenticated user lacks a permission.
Response NotPermitted();
Response NoSuchProject(const std::string& key);
Response NoSuchRepository(const std::string& key, const std::string& slug);
Response NoSuchUser(const std::string& slug);
Response NoSuchWebhook(const std::string& id);
Response MethodNotAllowed(const std::string& method);
Response NotFoundPath(const std::string& path);
Response MalformedJson(const std::string& detail);

/// BitbucketErrors is the envelope above as the common code's ErrorShape.
class BitbucketErrors : public ErrorShape {
 public:
  Response Error(int status, const std::string& message) const override;
  Response NotFound(const Request& request) const override;
  Response MethodNotAllowed(const Request& request) const override;
  Response MalformedJson(const std::string& detail) const override;
  Response InvalidFaults(const std::string& detail) const override;
  /// A rate limit names Bitbucket's RateLimitedException; Retry-After as the common shape sets it.
  Response Injected(const InjectedError& error) const override;
};
/// The one instance every Bitbucket handler answers through.
const BitbucketErrors& Errors();

}  // namespace stashform::emulator
