// LaneBudget: one lane's request budget, a token bucket on the Clock seam, corrected by what the
// platform reports. Configured from the channel's rate and burst (e.g. Shopify 2/s, Amazon 2/s
// burst 30); the bucket actually used never exceeds the configured limits nor the platform's
// reported ones:
//   * level: LimitFeedback lowers it when the platform says fewer requests remain than we think
//     (another app shares the bucket, or the platform lowered its limits);
//   * size and rate: the platform's reported bucket size (limit_count) and refill rate
//     (restore_rate_micro_per_s) cap the configured burst and rate, and follow the platform back
//     up when it reports higher values again (never above the configuration);
//   * AIMD: a throttled response halves the rate (at most once per quiet period, floor
//     kRateFloorPercent of the configured rate); every other response adds kRateIncreasePercent
//     of the configured rate back, up to the configured rate. This finds a lowered limit that
//     the platform does not report (WooCommerce, Shopify REST's leak rate). A response that is
//     not throttled and reports the refill rate ends the probing: the reported rate rules;
//   * quota pacing: when the platform reports what is left of a long quota (Etsy's rolling
//     24 h), the rate is capped so that what is left lasts at least kQuotaPaceHorizon. Pushes
//     coalesce more as the quota runs low instead of the lane hitting zero and being locked out
//     for hours (Etsy answers an exhausted day with Retry-After: 86400);
//   * Retry-After pauses the lane until then.
// Exact integer arithmetic in micro-requests; never sleeps, only answers "how long until a
// request may go". Single-threaded (the core's Scheduler).
#pragma once

#include <cstdint>
#include <optional>

#include "core/base/time.h"
#include "core/connector/connector.h"

namespace invsync::sync {

class LaneBudget {
 public:
  static constexpr int64_t kRateDecreasePercent = 50;  // a throttle keeps this much of the rate
  static constexpr int64_t kRateFloorPercent = 5;      // of the configured rate
  static constexpr int64_t kRateIncreasePercent = 2;   // of the configured rate, per response
  // After a decrease, further throttles within this time (or the Retry-After, if longer) are
  // answers to requests sent at the old rate: they do not halve again.
  static constexpr base::Duration kDecreaseQuiet = base::Duration::seconds(1);
  // What is left of a long quota is spread over at least this long; never slower than the floor.
  static constexpr base::Duration kQuotaPaceHorizon = base::Duration::hours(1);
  static constexpr int64_t kQuotaRateFloorMicroPerS = 1'000'000 / 60;  // one request a minute
  static_assert(kRateDecreasePercent > 0 && kRateDecreasePercent < 100);
  static_assert(kRateFloorPercent > 0 && kRateFloorPercent <= 100);
  static_assert(kRateIncreasePercent > 0 && kRateIncreasePercent <= 100);

  LaneBudget(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now);

  // Takes one request's worth if the lane may send at `now`.
  bool try_take(base::Instant now);
  // Zero when a request may go now, else how long until one may.
  base::Duration wait(base::Instant now);
  // Applies what a response said: reported limits cap the bucket, a throttle halves the rate and
  // anything else lets it recover (AIMD), fewer remaining than we hold lowers our level, and
  // retry_after pauses the lane until now + retry_after.
  void apply(const connector::LimitFeedback& feedback, base::Instant now);
  // Pauses the lane (a 429 without Retry-After uses a default pause chosen by the caller).
  void pause_until(base::Instant until);
  // New configured limits (the level is kept, clamped to the new burst; AIMD starts over).
  void reconfigure(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now);

  // The rate and burst in force now (configured, capped by reports and AIMD).
  int64_t rate_micro_per_s() const { return rate_micro_per_s_; }
  int64_t burst_count() const { return capacity_micro_ / 1'000'000; }
  int64_t configured_rate_micro_per_s() const { return configured_rate_micro_per_s_; }
  int64_t configured_burst_count() const { return configured_burst_count_; }
  int64_t throttle_count() const { return throttle_count_; }  // throttled responses seen

 private:
  void refill(base::Instant now);
  // Recomputes the rate and capacity in force from configuration, reports and AIMD.
  void recompute_limits();
  void on_throttled(const connector::LimitFeedback& feedback, base::Instant now);

  int64_t configured_rate_micro_per_s_ = 0;
  int64_t configured_burst_count_ = 0;
  std::optional<int64_t> reported_rate_micro_per_s_;
  std::optional<int64_t> reported_burst_count_;
  std::optional<int64_t> quota_rate_micro_per_s_;
  int64_t aimd_rate_micro_per_s_ = 0;
  base::Instant decrease_quiet_until_;
  int64_t throttle_count_ = 0;

  int64_t rate_micro_per_s_ = 0;  // in force
  int64_t capacity_micro_ = 0;    // in force
  int64_t level_micro_ = 0;
  base::Instant last_;
  base::Instant paused_until_;
};

}  // namespace invsync::sync
