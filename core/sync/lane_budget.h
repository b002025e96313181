// LaneBudget: one lane's request budget, a token bucket on the Clock seam, corrected by what the
// platform reports. Configured from the channel's rate and burst (e.g. Shopify 2/s, Amazon 2/s
// burst 30); LimitFeedback lowers the level when the platform says fewer requests remain than we
// think (another app shares the bucket, or the platform lowered its limits); Retry-After pauses
// the lane until then. Exact integer arithmetic in micro-requests; never sleeps, only answers
// "how long until a request may go".
#pragma once

#include <cstdint>

#include "core/base/time.h"
#include "core/connector/connector.h"

namespace invsync::sync {

class LaneBudget {
 public:
  LaneBudget(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now);

  // Takes one request's worth if the lane may send at `now`.
  bool try_take(base::Instant now);
  // Zero when a request may go now, else how long until one may.
  base::Duration wait(base::Instant now);
  // Applies what a response said: fewer remaining than we hold lowers our level; retry_after
  // pauses the lane until now + retry_after.
  void apply(const connector::LimitFeedback& feedback, base::Instant now);
  // Pauses the lane (a 429 without Retry-After uses a default pause chosen by the caller).
  void pause_until(base::Instant until);
  // New configured limits (the level is kept, clamped to the new burst).
  void reconfigure(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now);

  int64_t rate_micro_per_s() const { return rate_micro_per_s_; }
  int64_t burst_count() const { return capacity_micro_ / 1'000'000; }

 private:
  void refill(base::Instant now);
  int64_t rate_micro_per_s_ = 0;
  int64_t capacity_micro_ = 0;
  int64_t level_micro_ = 0;
  base::Instant last_;
  base::Instant paused_until_;
};

}  // namespace invsync::sync
