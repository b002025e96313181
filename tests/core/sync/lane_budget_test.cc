#include <gtest/gtest.h>

#include <algorithm>

#include "core/sync/lane_budget.h"
#include "core/sync/retry_schedule.h"

namespace invsync::sync {
namespace {

using base::Duration;
using base::Instant;

const Instant kT0 = Instant::from_ns(1'000'000'000);

TEST(LaneBudget, TwoPerSecondNeverMoreThanTheBucket) {
  LaneBudget b(2'000'000, 1, kT0);  // Shopify as the case study configured it: 2/s
  EXPECT_TRUE(b.try_take(kT0));
  EXPECT_FALSE(b.try_take(kT0));
  EXPECT_EQ(b.wait(kT0), Duration::milliseconds(500));
  // Over 60 s of asking every millisecond, exactly 120 more requests go.
  int sent = 0;
  for (int ms = 1; ms <= 60'000; ++ms) sent += b.try_take(kT0 + Duration::milliseconds(ms)) ? 1 : 0;
  EXPECT_EQ(sent, 120);
}

TEST(LaneBudget, BurstThenRate) {
  LaneBudget b(2'000'000, 30, kT0);  // Amazon: 2/s burst 30
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(b.try_take(kT0)) << i;
  EXPECT_FALSE(b.try_take(kT0));
  EXPECT_TRUE(b.try_take(kT0 + Duration::milliseconds(500)));
}

TEST(LaneBudget, RetryAfterPausesAndPlatformViewLowersLevel) {
  LaneBudget b(10'000'000, 10, kT0);
  b.apply({.retry_after = Duration::seconds(3)}, kT0);
  EXPECT_FALSE(b.try_take(kT0 + Duration::seconds(2)));
  EXPECT_EQ(b.wait(kT0 + Duration::seconds(2)), Duration::seconds(1));
  EXPECT_TRUE(b.try_take(kT0 + Duration::seconds(3)));
  LaneBudget c(10'000'000, 10, kT0);
  c.apply({.remaining_count = 2}, kT0);
  EXPECT_TRUE(c.try_take(kT0));
  EXPECT_TRUE(c.try_take(kT0));
  EXPECT_FALSE(c.try_take(kT0));
}

// Requests the budget lets through when asked every millisecond for `span` from `from`.
int count_sent(LaneBudget& b, Instant from, Duration span) {
  int sent = 0;
  for (int64_t ms = 1; ms <= span.ms(); ++ms) {
    sent += b.try_take(from + Duration::milliseconds(ms)) ? 1 : 0;
  }
  return sent;
}

TEST(LaneBudget, ReportedBucketAndRestoreRateCapTheConfigurationAndFollowThePlatformBackUp) {
  LaneBudget b(2'000'000, 2, kT0);  // configured: 2/s burst 2
  // The platform halved its limits (Shopify GraphQL: bucket 11 points, 11 points/s, 11 a push).
  b.apply({.limit_count = 1, .restore_rate_micro_per_s = 1'000'000}, kT0);
  EXPECT_EQ(b.rate_micro_per_s(), 1'000'000);
  EXPECT_EQ(b.burst_count(), 1);
  EXPECT_EQ(count_sent(b, kT0, Duration::seconds(60)), 60) << "1/s, burst 1, never 2/s";
  // Its limits come back, higher than ours: the configuration stays the ceiling.
  const Instant later = kT0 + Duration::seconds(61);
  b.apply({.limit_count = 40, .restore_rate_micro_per_s = 50'000'000}, later);
  EXPECT_EQ(b.rate_micro_per_s(), 2'000'000);
  EXPECT_EQ(b.burst_count(), 2);
  EXPECT_EQ(count_sent(b, later, Duration::seconds(60)), 121);  // bucket refills to 2, then 2/s
  // A throttle halves the rate; the next answer that reports the refill rate ends the probing.
  const Instant throttled_at = later + Duration::seconds(61);
  b.apply({.throttled = true}, throttled_at);
  EXPECT_EQ(b.rate_micro_per_s(), 1'000'000);
  b.apply({.restore_rate_micro_per_s = 50'000'000}, throttled_at + Duration::milliseconds(500));
  EXPECT_EQ(b.rate_micro_per_s(), 2'000'000);
  // Nonsense reports cannot stop the lane.
  b.apply({.limit_count = 0, .restore_rate_micro_per_s = 0}, throttled_at + Duration::seconds(1));
  EXPECT_EQ(b.burst_count(), 1);
  EXPECT_GE(b.rate_micro_per_s(), 1);
}

TEST(LaneBudget, ThrottleHalvesTheRateOncePerQuietPeriodAndSuccessesRecoverAdditively) {
  LaneBudget b(10'000'000, 10, kT0);
  b.apply({.throttled = true}, kT0);
  EXPECT_EQ(b.rate_micro_per_s(), 5'000'000);
  // The other answers to requests sent at the old rate do not halve it again.
  b.apply({.throttled = true}, kT0 + Duration::milliseconds(300));
  EXPECT_EQ(b.rate_micro_per_s(), 5'000'000);
  b.apply({.throttled = true}, kT0 + Duration::seconds(1));
  EXPECT_EQ(b.rate_micro_per_s(), 2'500'000);
  // A longer Retry-After lengthens the quiet period; it also pauses the lane.
  b.apply({.retry_after = Duration::seconds(3), .throttled = true}, kT0 + Duration::seconds(2));
  EXPECT_EQ(b.rate_micro_per_s(), 1'250'000);
  b.apply({.throttled = true}, kT0 + Duration::seconds(4));
  EXPECT_EQ(b.rate_micro_per_s(), 1'250'000);
  EXPECT_EQ(b.throttle_count(), 5);
  // Down to the floor (5% of the configured rate), never to zero.
  for (int i = 0; i < 10; ++i) b.apply({.throttled = true}, kT0 + Duration::seconds(5 + i));
  EXPECT_EQ(b.rate_micro_per_s(), 500'000);
  // Each other answer adds 2% of the configured rate back: 48 of them reach 10/s again.
  for (int i = 0; i < 47; ++i) b.apply({}, kT0 + Duration::seconds(20));
  EXPECT_EQ(b.rate_micro_per_s(), 9'900'000);
  b.apply({}, kT0 + Duration::seconds(20));
  EXPECT_EQ(b.rate_micro_per_s(), 10'000'000);
  b.apply({}, kT0 + Duration::seconds(20));
  EXPECT_EQ(b.rate_micro_per_s(), 10'000'000) << "never above the configuration";
  // Reconfiguring starts AIMD over.
  b.apply({.throttled = true}, kT0 + Duration::seconds(30));
  b.reconfigure(4'000'000, 4, kT0 + Duration::seconds(30));
  EXPECT_EQ(b.rate_micro_per_s(), 4'000'000);
  EXPECT_EQ(b.configured_rate_micro_per_s(), 4'000'000);
}

// A platform that halved its limit and says nothing about it (no bucket or rate in its
// answers, only 429 + Retry-After): the lane's 429 share falls from about half to a few percent.
TEST(LaneBudget, AimdFindsAnUnreportedLowerLimit) {
  LaneBudget b(2'000'000, 2, kT0);   // configured for 2/s
  int64_t platform_level_us = 1'000'000;  // the platform's bucket: 1 request, refills 1/s
  Instant platform_last = kT0;
  int64_t sent = 0, throttled = 0;
  for (int64_t ms = 1; ms <= 600'000; ++ms) {
    const Instant now = kT0 + Duration::milliseconds(ms);
    if (!b.try_take(now)) continue;
    platform_level_us =
        std::min<int64_t>(1'000'000, platform_level_us + (now - platform_last).us());
    platform_last = now;
    const bool ok = platform_level_us >= 1'000'000;
    if (ok) platform_level_us -= 1'000'000;
    if (ms > 60'000) {
      ++sent;
      throttled += ok ? 0 : 1;
    }
    connector::LimitFeedback answer;
    if (!ok) answer = {.retry_after = Duration::seconds(1), .throttled = true};
    b.apply(answer, now);
  }
  EXPECT_GT(sent, 380) << "the platform's 1/s is still mostly used";
  EXPECT_LT(throttled * 100, sent * 10) << throttled << " of " << sent << " throttled";
}

TEST(LaneBudget, QuotaPacingSpreadsWhatIsLeftOfADailyQuotaOverTheHorizon) {
  // Etsy-like: 10/s configured, a rolling daily quota reported in x-remaining-today.
  LaneBudget b(10'000'000, 10, kT0);
  b.apply({.quota_remaining_count = 100'000}, kT0);  // lasts > 1 h at 10/s: no cap
  EXPECT_EQ(b.rate_micro_per_s(), 10'000'000);
  b.apply({.quota_remaining_count = 7'200}, kT0);  // 7,200 over an hour: 2/s
  EXPECT_EQ(b.rate_micro_per_s(), 2'000'000);
  b.apply({.quota_remaining_count = 0}, kT0);  // exhausted: the floor, one a minute
  EXPECT_EQ(b.rate_micro_per_s(), LaneBudget::kQuotaRateFloorMicroPerS);
  // Simulate a platform whose quota only drains: it must never run out within the horizon.
  LaneBudget c(10'000'000, 1, kT0);
  int64_t quota = 3'600;
  int64_t sent = 0;
  for (int64_t ms = 0; ms <= 3'600'000; ms += 10) {
    const Instant now = kT0 + Duration::milliseconds(ms);
    if (!c.try_take(now)) continue;
    ASSERT_GT(quota, 0) << "quota exhausted after " << ms << " ms";
    --quota;
    ++sent;
    c.apply({.quota_remaining_count = quota}, now);
  }
  EXPECT_GT(sent, 1'500) << "the quota is still used, not hoarded";
}

TEST(RetrySchedule, CaseStudyDelaysWithBoundedJitterThenPark) {
  RetrySchedule s;
  base::Prng prng(5);
  const Duration expected[] = {Duration::seconds(30), Duration::minutes(2), Duration::minutes(10),
                               Duration::hours(1)};
  for (int attempt = 1; attempt <= 4; ++attempt) {
    for (int i = 0; i < 50; ++i) {
      auto d = s.next_delay(attempt, prng);
      ASSERT_TRUE(d.has_value());
      const Duration e = expected[attempt - 1];
      EXPECT_GE(*d, e - e / 10);
      EXPECT_LE(*d, e + e / 10);
    }
  }
  EXPECT_FALSE(s.next_delay(5, prng).has_value());
  RetrySchedule exact{.delays = {Duration::seconds(1)}, .jitter_percent = 0};
  EXPECT_EQ(exact.next_delay(1, prng), Duration::seconds(1));
}

}  // namespace
}  // namespace invsync::sync
