#include "core/runtime/system_clock.h"

#include <chrono>

#include "core/base/assert.h"

namespace invsync::runtime {

base::Instant SystemClock::monotonic_now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
  const base::Instant now = base::Instant::from_ns(ns);
  std::lock_guard lock(mu_);
  INVSYNC_ASSERT(now >= last_);
  last_ = now;
  return now;
}

base::WallTime SystemClock::wall_now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return base::WallTime::from_unix_ns(ns);
}

}  // namespace invsync::runtime
