#include "mocks/common/rate_limits.h"

#include <algorithm>

#include "core/base/assert.h"

namespace {
// 128-bit intermediates: elapsed ns x micro-units per second overflows int64 after ~2.5 h at 1/s.
__extension__ typedef __int128 int128;
}  // namespace

namespace invsync::mocks {

TokenBucket::TokenBucket(int64_t capacity_units, int64_t rate_micro_per_s, base::Instant start)
    : capacity_micro_(capacity_units * kMicroUnits),
      rate_micro_per_s_(rate_micro_per_s),
      level_micro_(capacity_units * kMicroUnits),
      last_(start) {
  INVSYNC_ASSERT(capacity_units >= 0);
  INVSYNC_ASSERT(rate_micro_per_s >= 0);
}

void TokenBucket::refill(base::Instant now) {
  if (now <= last_) return;
  const int128 elapsed_ns = (now - last_).ns();
  const int128 gained = elapsed_ns * rate_micro_per_s_ / 1'000'000'000;
  if (gained > 0) {
    level_micro_ = static_cast<int64_t>(
        std::min<int128>(capacity_micro_, static_cast<int128>(level_micro_) + gained));
    // Advance `last_` only by the time that produced whole micro-units, so no refill is lost.
    const int128 used_ns =
        rate_micro_per_s_ == 0 ? elapsed_ns : gained * 1'000'000'000 / rate_micro_per_s_;
    last_ = level_micro_ == capacity_micro_ ? now : last_ + base::Duration::nanoseconds(static_cast<int64_t>(used_ns));
  } else if (rate_micro_per_s_ == 0 || level_micro_ == capacity_micro_) {
    last_ = now;
  }
}

bool TokenBucket::try_take(int64_t cost_units, base::Instant now) {
  INVSYNC_ASSERT(cost_units >= 0);
  refill(now);
  const int64_t cost = cost_units * kMicroUnits;
  if (level_micro_ < cost) return false;
  level_micro_ -= cost;
  return true;
}

int64_t TokenBucket::available(base::Instant now) { return available_micro(now) / kMicroUnits; }

int64_t TokenBucket::available_micro(base::Instant now) {
  refill(now);
  return level_micro_;
}

base::Duration TokenBucket::time_until(int64_t cost_units, base::Instant now) {
  refill(now);
  const int64_t missing = cost_units * kMicroUnits - level_micro_;
  if (missing <= 0) return base::Duration::zero();
  if (rate_micro_per_s_ == 0) return base::Duration::hours(24 * 365);
  const int128 ns = (static_cast<int128>(missing) * 1'000'000'000 + rate_micro_per_s_ - 1) /
                      rate_micro_per_s_;
  return base::Duration::nanoseconds(static_cast<int64_t>(ns));
}

void TokenBucket::reconfigure(int64_t capacity_units, int64_t rate_micro_per_s, base::Instant now) {
  refill(now);
  capacity_micro_ = capacity_units * kMicroUnits;
  rate_micro_per_s_ = rate_micro_per_s;
  level_micro_ = std::min(level_micro_, capacity_micro_);
  last_ = now;
}

void TokenBucket::refund(int64_t units, base::Instant now) {
  refill(now);
  level_micro_ = std::min(capacity_micro_, level_micro_ + units * kMicroUnits);
}

WindowCounter::WindowCounter(int64_t limit, base::Duration window, int32_t bucket_count)
    : limit_(limit), window_(window), bucket_count_(bucket_count) {
  INVSYNC_ASSERT(bucket_count >= 1);
  INVSYNC_ASSERT(window.ns() % bucket_count == 0);
}

int64_t WindowCounter::bucket_index(base::Instant now) const {
  return now.ns_since_origin() / (window_.ns() / bucket_count_);
}

void WindowCounter::expire(base::Instant now) {
  const int64_t current = bucket_index(now);
  while (!buckets_.empty() && buckets_.front().first <= current - bucket_count_) {
    total_ -= buckets_.front().second;
    buckets_.pop_front();
  }
}

bool WindowCounter::try_take(base::Instant now) {
  expire(now);
  if (total_ >= limit_) return false;
  const int64_t current = bucket_index(now);
  if (buckets_.empty() || buckets_.back().first != current) buckets_.emplace_back(current, 0);
  buckets_.back().second += 1;
  total_ += 1;
  return true;
}

int64_t WindowCounter::remaining(base::Instant now) {
  expire(now);
  return std::max<int64_t>(0, limit_ - total_);
}

base::Duration WindowCounter::retry_after(base::Instant now) {
  expire(now);
  if (total_ < limit_ || buckets_.empty()) return base::Duration::zero();
  const int64_t width = window_.ns() / bucket_count_;
  // The oldest bucket leaves the window when the current index reaches oldest + bucket_count.
  const int64_t frees_at_ns = (buckets_.front().first + bucket_count_) * width;
  return base::Duration::nanoseconds(frees_at_ns - now.ns_since_origin());
}

}  // namespace invsync::mocks
