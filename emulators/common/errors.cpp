#include "emulators/common/errors.h"

namespace stashform::emulator {

Response ErrorShape::NotFound(const Request& request) const {
  return Error(404, "no route " + request.method + " " + request.path);
}

Response ErrorShape::MethodNotAllowed(const Request& request) const {
  return Error(405, "method " + request.method + " is not allowed on " + request.path);
}

Response ErrorShape::MalformedJson(const std::string& detail) const { return Error(400, "malformed JSON: " + detail); }

Response ErrorShape::InvalidFaults(const std::string& detail) const { return Error(400, detail); }

Response ErrorShape::Injected(const InjectedError& error) const {
  Response response = Error(error.status, error.message);
  if (error.retry_after_seconds) response.SetHeader("Retry-After", std::to_string(*error.retry_after_seconds));
  return response;
}

}  // namespace stashform::emulator
