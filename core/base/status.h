// Status: the outcome of an operation that can fail for operational reasons (bad input, a store
// that is down, a platform that rate-limits us). OK is cheap; errors carry a code that drives
// policy (retry, park, reject) and a message for humans. kRateLimited may carry a retry-after.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/time.h"

namespace invsync::base {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,    // the caller's input is wrong; retrying will not help
  kNotFound,           // the thing named does not exist (e.g. unknown SKU)
  kAlreadyExists,
  kConflict,           // compare-and-set lost: re-read and try again
  kFailedPrecondition, // state does not allow the operation now
  kRateLimited,        // slow down; retry_after says for how long when known
  kUnavailable,        // a dependency is down or refused; retrying later may work
  kTimeout,            // no answer in time; the outcome is unknown
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // a bound was hit (body too large, batch too big)
  kCorruption,         // a peer answered something we cannot make sense of
  kInternal,           // a bug or an unexpected library failure
};

std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status ok_status() { return Status(); }
  static Status invalid_argument(std::string message) { return {StatusCode::kInvalidArgument, std::move(message)}; }
  static Status not_found(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
  static Status already_exists(std::string message) { return {StatusCode::kAlreadyExists, std::move(message)}; }
  static Status conflict(std::string message) { return {StatusCode::kConflict, std::move(message)}; }
  static Status failed_precondition(std::string message) { return {StatusCode::kFailedPrecondition, std::move(message)}; }
  static Status rate_limited(std::string message, Duration retry_after) {
    Status s(StatusCode::kRateLimited, std::move(message));
    s.retry_after_ = retry_after;
    return s;
  }
  static Status unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }
  static Status timeout(std::string message) { return {StatusCode::kTimeout, std::move(message)}; }
  static Status unauthenticated(std::string message) { return {StatusCode::kUnauthenticated, std::move(message)}; }
  static Status permission_denied(std::string message) { return {StatusCode::kPermissionDenied, std::move(message)}; }
  static Status resource_exhausted(std::string message) { return {StatusCode::kResourceExhausted, std::move(message)}; }
  static Status corruption(std::string message) { return {StatusCode::kCorruption, std::move(message)}; }
  static Status internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Only meaningful for kRateLimited; zero when the platform did not say.
  Duration retry_after() const { return retry_after_; }

  bool is_invalid_argument() const { return code_ == StatusCode::kInvalidArgument; }
  bool is_not_found() const { return code_ == StatusCode::kNotFound; }
  bool is_unavailable() const { return code_ == StatusCode::kUnavailable; }
  bool is_rate_limited() const { return code_ == StatusCode::kRateLimited; }

  // "INVALID_ARGUMENT: sku is empty", or "OK".
  std::string to_string() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  Duration retry_after_;
};

}  // namespace invsync::base
