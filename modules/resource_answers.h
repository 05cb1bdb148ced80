#pragma once
// The plain answers every platform module's resource types give when an object is gone or a call
// failed, so that each provider (modules/bitbucket, modules/spacelift) words them the same way.
// No provider-specific wording or wire mapping here.

#include <string>
#include <utility>

#include "modules/provider/provider.h"

namespace stashform::modules {

/// A Read answer: the object no longer exists.
inline provider::ReadResponse GoneResponse() {
  provider::ReadResponse response;
  response.gone = true;
  return response;
}

/// An Import or Find answer: the object `id`, with `attributes`.
inline provider::ImportResponse FoundResponse(std::string id, Value::Map attributes) {
  provider::ImportResponse response;
  response.found = true;
  response.id = std::move(id);
  response.attributes = std::move(attributes);
  return response;
}

/// Read, apply and import answers carrying one error.
inline provider::ReadResponse FailedRead(const std::string& message) {
  provider::ReadResponse response;
  response.diagnostics.Error({}, "", message);
  return response;
}

inline provider::ApplyResponse FailedApply(const std::string& message) {
  provider::ApplyResponse response;
  response.diagnostics.Error({}, "", message);
  return response;
}

inline provider::ImportResponse FailedImport(const std::string& message) {
  provider::ImportResponse response;
  response.diagnostics.Error({}, "", message);
  return response;
}

}  // namespace stashform::modules
