// Result<T>: a value or the Status that explains why there is none (C++20 has no std::expected).
// Accessing the value of an error Result is a programmer error and asserts.
#pragma once

#include <utility>
#include <variant>

#include "core/base/assert.h"
#include "core/base/status.h"

namespace invsync::base {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    INVSYNC_ASSERT(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & {
    INVSYNC_ASSERT(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    INVSYNC_ASSERT(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    INVSYNC_ASSERT(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace invsync::base

// Propagates an error Status from an expression returning Status.
#define INVSYNC_RETURN_IF_ERROR(expr)           \
  do {                                          \
    ::invsync::base::Status _st = (expr);       \
    if (!_st.ok()) return _st;                  \
  } while (false)
