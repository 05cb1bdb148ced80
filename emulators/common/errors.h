#pragma once
// ErrorShape writes error answers in an emulated API's own envelope. The common parts (router
// misses, bad JSON bodies, injected faults, the shared admin endpoints) answer through it, so each
// emulator keeps its wire format while the decisions live here once.

#include "emulators/common/http.h"

#include <optional>
#include <string>

namespace stashform::emulator {

/// InjectedError is a fault's answer before it is dressed in an API's envelope.
struct InjectedError {
  int status = 500;
  std::string message;
  bool rate_limited = false;                        // the token bucket was empty (429)
  std::optional<long> retry_after_seconds;          // Retry-After, for a rate limit
};

/// ErrorShape is the one thing an emulator must say about errors; the rest have defaults.
class ErrorShape {
 public:
  virtual ~ErrorShape() = default;
  virtual Response Error(int status, const std::string& message) const = 0;
  /// No route has this path.
  virtual Response NotFound(const Request& request) const;
  /// A route has this path, under another method.
  virtual Response MethodNotAllowed(const Request& request) const;
  /// The body is not JSON; detail is the parser's reason.
  virtual Response MalformedJson(const std::string& detail) const;
  /// PUT /_emulator/faults got JSON that is not a fault configuration.
  virtual Response InvalidFaults(const std::string& detail) const;
  /// What an injected error answers: Error(status, message), plus Retry-After when set.
  virtual Response Injected(const InjectedError& error) const;
};

}  // namespace stashform::emulator
