#include "core/sync/lane_budget.h"

#include <algorithm>

#include "core/base/assert.h"

namespace invsync::sync {
namespace {
constexpr int64_t kMicro = 1'000'000;
__extension__ typedef __int128 int128;  // ns x micro-requests/s overflows int64 after hours
}  // namespace

LaneBudget::LaneBudget(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now)
    : configured_rate_micro_per_s_(rate_micro_per_s),
      configured_burst_count_(burst_count),
      aimd_rate_micro_per_s_(rate_micro_per_s),
      decrease_quiet_until_(now),
      rate_micro_per_s_(rate_micro_per_s),
      capacity_micro_(burst_count * kMicro),
      level_micro_(burst_count * kMicro),
      last_(now),
      paused_until_(now) {
  INVSYNC_ASSERT(rate_micro_per_s > 0);
  INVSYNC_ASSERT(burst_count >= 1);
}

void LaneBudget::refill(base::Instant now) {
  if (now <= last_) return;
  const int128 gained = static_cast<int128>((now - last_).ns()) * rate_micro_per_s_ / 1'000'000'000;
  if (gained <= 0) return;
  const int128 level = std::min<int128>(capacity_micro_, level_micro_ + gained);
  // Keep the sub-micro remainder: advance `last_` only by the time that produced `gained`.
  const int128 used_ns = gained * 1'000'000'000 / rate_micro_per_s_;
  last_ = level == capacity_micro_ ? now : last_ + base::Duration::nanoseconds(static_cast<int64_t>(used_ns));
  level_micro_ = static_cast<int64_t>(level);
}

void LaneBudget::recompute_limits() {
  int64_t rate = std::min(configured_rate_micro_per_s_, aimd_rate_micro_per_s_);
  if (reported_rate_micro_per_s_) rate = std::min(rate, *reported_rate_micro_per_s_);
  if (quota_rate_micro_per_s_) rate = std::min(rate, *quota_rate_micro_per_s_);
  int64_t burst = configured_burst_count_;
  if (reported_burst_count_) burst = std::min(burst, *reported_burst_count_);
  rate_micro_per_s_ = std::max<int64_t>(1, rate);
  capacity_micro_ = std::max<int64_t>(1, burst) * kMicro;
  level_micro_ = std::min(level_micro_, capacity_micro_);
  INVSYNC_ASSERT(rate_micro_per_s_ <= configured_rate_micro_per_s_);
  INVSYNC_ASSERT(capacity_micro_ <= configured_burst_count_ * kMicro);
}

bool LaneBudget::try_take(base::Instant now) {
  if (now < paused_until_) return false;
  refill(now);
  if (level_micro_ < kMicro) return false;
  level_micro_ -= kMicro;
  return true;
}

base::Duration LaneBudget::wait(base::Instant now) {
  base::Duration pause = now < paused_until_ ? paused_until_ - now : base::Duration::zero();
  refill(now);
  const int64_t missing = kMicro - level_micro_;
  base::Duration refill_wait;
  if (missing > 0) {
    const int128 ns = (static_cast<int128>(missing) * 1'000'000'000 + rate_micro_per_s_ - 1) /
                      rate_micro_per_s_;
    refill_wait = base::Duration::nanoseconds(static_cast<int64_t>(ns));
  }
  return std::max(pause, refill_wait);
}

void LaneBudget::on_throttled(const connector::LimitFeedback& feedback, base::Instant now) {
  ++throttle_count_;
  if (now < decrease_quiet_until_) return;  // an answer to a request sent before the decrease
  const int64_t floor =
      std::max<int64_t>(1, configured_rate_micro_per_s_ * kRateFloorPercent / 100);
  // Halve the rate the throttled request was sent at (what was in force), not a stale AIMD value
  // above a reported limit.
  aimd_rate_micro_per_s_ = std::max(floor, rate_micro_per_s_ * kRateDecreasePercent / 100);
  base::Duration quiet = kDecreaseQuiet;
  if (feedback.retry_after) quiet = std::max(quiet, *feedback.retry_after);
  decrease_quiet_until_ = now + quiet;
}

void LaneBudget::apply(const connector::LimitFeedback& feedback, base::Instant now) {
  refill(now);  // what accrued so far accrued at the old rate
  if (feedback.limit_count) reported_burst_count_ = std::max<int64_t>(1, *feedback.limit_count);
  if (feedback.restore_rate_micro_per_s) {
    reported_rate_micro_per_s_ = std::max<int64_t>(1, *feedback.restore_rate_micro_per_s);
  }
  if (feedback.throttled) {
    on_throttled(feedback, now);
  } else if (feedback.restore_rate_micro_per_s) {
    // The platform took the request and said what it refills: no need to probe for its limit.
    aimd_rate_micro_per_s_ = configured_rate_micro_per_s_;
  } else if (aimd_rate_micro_per_s_ < configured_rate_micro_per_s_) {
    const int64_t step =
        std::max<int64_t>(1, configured_rate_micro_per_s_ * kRateIncreasePercent / 100);
    aimd_rate_micro_per_s_ = std::min(configured_rate_micro_per_s_, aimd_rate_micro_per_s_ + step);
  }
  if (feedback.quota_remaining_count) {
    const int128 paced = static_cast<int128>(std::max<int64_t>(0, *feedback.quota_remaining_count)) *
                         kMicro / kQuotaPaceHorizon.s();
    quota_rate_micro_per_s_ = static_cast<int64_t>(std::min<int128>(
        std::max<int128>(paced, kQuotaRateFloorMicroPerS), configured_rate_micro_per_s_));
  }
  recompute_limits();
  if (feedback.remaining_count) {
    // The platform's view wins when it is lower: never spend budget it says we do not have.
    const int64_t remaining_micro = std::max<int64_t>(0, *feedback.remaining_count) * kMicro;
    level_micro_ = std::min(level_micro_, remaining_micro);
  }
  if (feedback.retry_after && *feedback.retry_after > base::Duration::zero()) {
    pause_until(now + *feedback.retry_after);
    level_micro_ = 0;
  }
}

void LaneBudget::pause_until(base::Instant until) { paused_until_ = std::max(paused_until_, until); }

void LaneBudget::reconfigure(int64_t rate_micro_per_s, int64_t burst_count, base::Instant now) {
  INVSYNC_ASSERT(rate_micro_per_s > 0);
  INVSYNC_ASSERT(burst_count >= 1);
  refill(now);
  configured_rate_micro_per_s_ = rate_micro_per_s;
  configured_burst_count_ = burst_count;
  aimd_rate_micro_per_s_ = rate_micro_per_s;
  recompute_limits();
  last_ = now;
}

}  // namespace invsync::sync
