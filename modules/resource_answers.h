#pragma once
// The plain answers every platform module's resource types give when an object is gone or a call
// failed, so that each provider (modules/bitbucket, modules/spacelift) words them the same way.
// Whether an object is gone is read from the failure's StatusCode, never from its message.
// No provider-specific wording or wire mapping here.

#include <string>
#include <utility>

#include "base/status.h"
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

/// A failed read: the object is gone when the failure's code says not found, else the error.
inline provider::ReadResponse GoneOrFailedRead(const Status& failure) {
  return failure.IsNotFound() ? GoneResponse() : FailedRead(failure.message());
}

/// A delete's answer for object `id`: done, also when the object was not found (already gone is
/// what a delete wants); any other failure is the error.
inline provider::ApplyResponse DeleteAnswer(const Status& status, std::string id) {
  provider::ApplyResponse response;
  if (!status.ok() && !status.IsNotFound()) response.diagnostics.Error({}, "", status.message());
  response.id = std::move(id);
  return response;
}

/// A failed create's answer; the engine may send it again when the failure may pass
/// (Status::MayPass: a 5xx, a 429, no answer) and a lookup proves nothing was made.
inline provider::ApplyResponse FailedCreate(const Status& status) {
  provider::ApplyResponse response = FailedApply(status.message());
  response.may_resend = status.MayPass();
  response.already_exists = status.IsAlreadyExists();
  return response;
}

}  // namespace stashform::modules
