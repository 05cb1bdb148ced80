#include "base/status.h"

namespace stashform {

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission denied";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kRateLimited: return "rate limited";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kDeadlineExceeded: return "deadline exceeded";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return ok() ? kEmpty : failure_->message;
}

const std::string& Status::call() const {
  static const std::string kEmpty;
  return ok() ? kEmpty : failure_->call;
}

bool Status::MayPass() const {
  switch (code()) {
    case StatusCode::kRateLimited:
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded: return true;
    case StatusCode::kInternal: return http_status() >= 500;
    default: return false;
  }
}

Status Status::WithHttp(long http_status, std::string call) const {
  if (ok()) return *this;
  Failure failure = *failure_;
  failure.http_status = http_status;
  failure.call = std::move(call);
  return Status(std::move(failure));
}

Status Status::Prefixed(const std::string& prefix) const {
  if (ok()) return *this;
  Failure failure = *failure_;
  failure.message = prefix + failure.message;
  return Status(std::move(failure));
}

}  // namespace stashform
