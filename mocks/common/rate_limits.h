// Rate-limit algorithms the platforms use, in exact integer arithmetic over the simulated clock:
//   TokenBucket   - refills `rate` units per second up to `capacity`; a request takes `cost`.
//                   Amazon SP-API (per operation), Shopify GraphQL cost points, and Shopify REST's
//                   leaky bucket (a leaky bucket of size C leaking r/s is a token bucket with
//                   capacity C refilled at r/s: used = C - available).
//   WindowCounter - at most `limit` requests in the trailing `window`, counted in `bucket_count`
//                   equal buckets (Etsy's rolling 24 h quota; with one bucket of 1 s, a fixed
//                   per-second window).
// Rates are in micro-units per second so 0.0083 req/s (Amazon createFeed) is exact: 8300.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

#include "core/base/time.h"

namespace invsync::mocks {

inline constexpr int64_t kMicroUnits = 1'000'000;

class TokenBucket {
 public:
  TokenBucket(int64_t capacity_units, int64_t rate_micro_per_s, base::Instant start);

  // Takes `cost` units if available at `now`.
  bool try_take(int64_t cost_units, base::Instant now);
  // Whole units available at `now` (floor).
  int64_t available(base::Instant now);
  // Available in micro-units (for fractional displays such as Shopify's used count).
  int64_t available_micro(base::Instant now);
  // How long until `cost` units are available (zero if they are now).
  base::Duration time_until(int64_t cost_units, base::Instant now);
  int64_t capacity() const { return capacity_micro_ / kMicroUnits; }
  int64_t rate_micro_per_s() const { return rate_micro_per_s_; }
  // Changes the limits (e.g. a 429 storm lowers them); the current level is clamped.
  void reconfigure(int64_t capacity_units, int64_t rate_micro_per_s, base::Instant now);
  // Gives back units (Shopify refunds requested-minus-actual GraphQL cost).
  void refund(int64_t units, base::Instant now);

 private:
  void refill(base::Instant now);
  int64_t capacity_micro_ = 0;
  int64_t rate_micro_per_s_ = 0;
  int64_t level_micro_ = 0;
  base::Instant last_;
};

class WindowCounter {
 public:
  WindowCounter(int64_t limit, base::Duration window, int32_t bucket_count);

  bool try_take(base::Instant now);
  int64_t remaining(base::Instant now);
  // How long until one more request would be admitted (zero if now).
  base::Duration retry_after(base::Instant now);
  int64_t limit() const { return limit_; }
  void set_limit(int64_t limit) { limit_ = limit; }

 private:
  void expire(base::Instant now);
  int64_t bucket_index(base::Instant now) const;
  int64_t limit_ = 0;
  base::Duration window_;
  int32_t bucket_count_ = 1;
  std::deque<std::pair<int64_t, int64_t>> buckets_;  // (bucket index, count), oldest first
  int64_t total_ = 0;
};

}  // namespace invsync::mocks
