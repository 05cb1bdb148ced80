#pragma once
// Status and Result carry failures across module lines instead of exceptions (leveldb style).
// A failed Status carries a code, so that callers decide "gone", "already exists" or "may pass if
// tried again" from the code and never from the wording of the message.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace stashform {

/// What kind of failure a Status is; decisions read this, the message is for people.
enum class StatusCode {
  kOk,
  kNotFound,            // the object (or its container) does not exist: HTTP 404, 410
  kAlreadyExists,       // an object with that key exists: HTTP 409 on Bitbucket
  kUnauthenticated,     // credentials missing or refused: HTTP 401
  kPermissionDenied,    // credentials accepted, action refused: HTTP 403
  kInvalidArgument,     // the request itself is wrong: HTTP 400, 422
  kFailedPrecondition,  // the request is right but the target is not in a state to take it: 412
  kRateLimited,         // HTTP 429
  kUnavailable,         // no answer (refused, reset, DNS, TLS) or HTTP 502, 503, 504
  kDeadlineExceeded,    // no answer in time
  kInternal,            // anything else: other 5xx, a misunderstood answer, a failure of our own
};

/// "not found", "rate limited", … — for tests and debug logs.
const char* CodeName(StatusCode code);

/// Status says whether an operation succeeded and, if not, a one-line message that names the place,
/// the code of the failure and, when it came from an HTTP call, the HTTP status and the call
/// ("GET /rest/api/1.0/projects": method and URL path only, never a query, header or body).
class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  /// A failure without a more precise code: kInternal. Most of stashform's own failures (a config
  /// mistake, an answer that is not understood) are of this kind, and none of them may pass.
  static Status Error(std::string message) { return Status(StatusCode::kInternal, std::move(message)); }
  /// A failure of the given code; kOk is not a failure and becomes kInternal.
  static Status Error(StatusCode code, std::string message) {
    return Status(code == StatusCode::kOk ? StatusCode::kInternal : code, std::move(message));
  }
  static Status NotFound(std::string message) { return Error(StatusCode::kNotFound, std::move(message)); }
  static Status AlreadyExists(std::string message) { return Error(StatusCode::kAlreadyExists, std::move(message)); }

  bool ok() const { return failure_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : failure_->code; }
  const std::string& message() const;
  /// The HTTP status of the answer this failure came from; 0 when there was none.
  long http_status() const { return ok() ? 0 : failure_->http_status; }
  /// "METHOD /path" of the HTTP call this failure came from; "" when there was none.
  const std::string& call() const;

  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  /// Whether the same request, sent again later, may succeed: rate limited, unavailable, deadline
  /// exceeded, or an internal error the server reported (HTTP 5xx). Our own internal errors and
  /// every answer that judged the request (4xx) do not pass.
  bool MayPass() const;

  /// The same failure, with the HTTP status and call it came from (an ok Status stays ok).
  Status WithHttp(long http_status, std::string call) const;
  /// The same failure, its message behind `prefix` (e.g. "spacelift StackRead: ").
  Status Prefixed(const std::string& prefix) const;

 private:
  /// What a failed Status says; shared and never changed, so that a Status copies cheaply.
  struct Failure {
    StatusCode code;
    std::string message;
    long http_status = 0;
    std::string call;
  };
  Status(StatusCode code, std::string message)
      : failure_(std::make_shared<const Failure>(Failure{code, std::move(message), 0, ""})) {}
  explicit Status(Failure failure) : failure_(std::make_shared<const Failure>(std::move(failure))) {}
  std::shared_ptr<const Failure> failure_;  // null when ok
};

/// Result holds either a value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : data_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  const std::string& message() const { return status().message(); }
  StatusCode code() const { return status().code(); }
  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace stashform
