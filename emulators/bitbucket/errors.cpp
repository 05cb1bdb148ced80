#include "emulators/bitbucket/errors.h"

namespace stashform::emulator {

namespace {
boost::json::value NullOr(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return boost::json::value(*text);
}
}  // namespace

Response ErrorResponse(int status, const std::string& message, const std::optional<std::string>& context,
                       const std::optional<std::string>& exception_name) {
  boost::json::object error;
  error["context"] = NullOr(context);
  error["message"] = message;
  error["exceptionName"] = NullOr(exception_name);
  boost::json::object body;
  body["errors"] = boost::json::array{error};
  Response response = JsonResponse(status, body);
  // Error bodies carry the bare media type in the spec.
  response.SetHeader("Content-Type", "application/json");
  return response;
}

Response ValidationError(const std::string& context, const std::string& message) {
  return ErrorResponse(400, message, context);
}

Response NotAuthenticated() {
  return ErrorResponse(401, "You are not permitted to access this resource", std::nullopt,
                       "com.atlassian.bitbucket.AuthorisationException");
}

Response BadCredentials() {
  return ErrorResponse(401, "Authentication failed. Please check your credentials and try again.", std::nullopt,
                       "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException");
}

Response NotPermitted() {
  return ErrorResponse(401, "You are not permitted to access this resource", std::nullopt,
                       "com.atlassian.bitbucket.AuthorisationException");
}

Response NoSuchProject(const std::string& key) {
  return ErrorResponse(404, "Project " + key + " does not exist.", std::nullopt,
                       "com.atlassian.bitbucket.project.NoSuchProjectException");
}

Response NoSuchRepository(const std::string& key, const std::string& slug) {
  return ErrorResponse(404, "Repository " + key + "/" + slug + " does not exist.", std::nullopt,
                       "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
}

Response NoSuchUser(const std::string& slug) {
  return ErrorResponse(404, "User " + slug + " does not exist.", std::nullopt,
                       "com.atlassian.bitbucket.user.NoSuchUserException");
}

Response NoSuchWebhook(const std::string& id) {
  return ErrorResponse(404, "No webhook with id " + id + " exists.", std::nullopt,
                       "com.atlassian.webhooks.NoSuchWebhookException");
}

Response MethodNotAllowed(const std::string& method) {
  return ErrorResponse(405, "Method " + method + " is not supported by this resource.");
}

Response NotFoundPath(const std::string& path) {
  return ErrorResponse(404, "No resource matches " + path + ".");
}

Response MalformedJson(const std::string& detail) {
  return ErrorResponse(400, "The request body is not valid JSON: " + detail, std::nullopt,
                       "com.fasterxml.jackson.core.JsonParseException");
}

Response BitbucketErrors::Error(int status, const std::string& message) const { return ErrorResponse(status, message); }

Response BitbucketErrors::NotFound(const Request& request) const { return NotFoundPath(request.path); }

Response BitbucketErrors::MethodNotAllowed(const Request& request) const {
  return emulator::MethodNotAllowed(request.method);
}

Response BitbucketErrors::MalformedJson(const std::string& detail) const { return emulator::MalformedJson(detail); }

Response BitbucketErrors::InvalidFaults(const std::string& detail) const {
  return ErrorResponse(400, "Invalid fault configuration: " + detail);
}

Response BitbucketErrors::Injected(const InjectedError& error) const {
  Response response = ErrorResponse(error.status, error.message, std::nullopt,
                                    error.rate_limited ? std::optional<std::string>(
                                                             "com.atlassian.bitbucket.throttle.RateLimitedException")
                                                       : std::nullopt);
  if (error.retry_after_seconds) response.SetHeader("Retry-After", std::to_string(*error.retry_after_seconds));
  return response;
}

const BitbucketErrors& Errors() {
  static const BitbucketErrors kErrors;
  return kErrors;
}

}  // namespace stashform::emulator
