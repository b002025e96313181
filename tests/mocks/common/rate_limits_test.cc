#include <gtest/gtest.h>

#include "mocks/common/rate_limits.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::Instant;

const Instant kT0 = Instant::from_ns(1'000'000'000'000);

TEST(TokenBucket, BurstThenRefillAtRate) {
  TokenBucket b(40, 2 * kMicroUnits, kT0);  // Shopify REST Standard: 40 bucket, 2/s leak
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(b.try_take(1, kT0)) << i;
  EXPECT_FALSE(b.try_take(1, kT0));  // the 41st immediate request
  EXPECT_EQ(b.time_until(1, kT0), Duration::milliseconds(500));
  EXPECT_FALSE(b.try_take(1, kT0 + Duration::milliseconds(499)));
  EXPECT_TRUE(b.try_take(1, kT0 + Duration::milliseconds(500)));
  EXPECT_EQ(b.available(kT0 + Duration::seconds(100)), 40);  // never above capacity
}

TEST(TokenBucket, FractionalRatesAreExact) {
  TokenBucket b(15, 8'300, kT0);  // Amazon createFeed: 0.0083/s, burst 15
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(b.try_take(1, kT0));
  EXPECT_FALSE(b.try_take(1, kT0));
  // 1 / 0.0083 s = 120.48... s
  const Duration wait = b.time_until(1, kT0);
  EXPECT_GT(wait, Duration::seconds(120));
  EXPECT_LT(wait, Duration::seconds(121));
  EXPECT_FALSE(b.try_take(1, kT0 + wait - Duration::milliseconds(1)));
  EXPECT_TRUE(b.try_take(1, kT0 + wait));
}

TEST(TokenBucket, ManySmallStepsLoseNothing) {
  TokenBucket b(10, 3 * kMicroUnits, kT0);
  ASSERT_TRUE(b.try_take(10, kT0));
  // Looking every millisecond must refill exactly as fast as one look after 3 s.
  Instant t = kT0;
  for (int step = 0; step < 3000; ++step) {
    t += Duration::milliseconds(1);
    (void)b.available(t);
  }
  EXPECT_EQ(b.available(t), 9);
  EXPECT_EQ(b.available_micro(t), 9 * kMicroUnits);
}

TEST(TokenBucket, ReconfigureLowersLimitsAndRefund) {
  TokenBucket b(1000, 50 * kMicroUnits, kT0);
  ASSERT_TRUE(b.try_take(900, kT0));
  b.refund(100, kT0);
  EXPECT_EQ(b.available(kT0), 200);
  b.reconfigure(100, 5 * kMicroUnits, kT0);
  EXPECT_EQ(b.available(kT0), 100);
  EXPECT_EQ(b.capacity(), 100);
}

TEST(WindowCounter, PerSecondFixedWindow) {
  WindowCounter w(10, Duration::seconds(1), 1);
  const Instant t = Instant::from_ns(5'000'000'000);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(w.try_take(t));
  EXPECT_FALSE(w.try_take(t + Duration::milliseconds(999)));
  EXPECT_EQ(w.remaining(t), 0);
  EXPECT_EQ(w.retry_after(t + Duration::milliseconds(250)), Duration::milliseconds(750));
  EXPECT_TRUE(w.try_take(t + Duration::seconds(1)));
}

TEST(WindowCounter, RollingDayReleasesOldestBucketFirst) {
  WindowCounter w(3, Duration::hours(24), 12);  // 12 two-hour buckets
  const Instant day = Instant::from_ns(0);
  ASSERT_TRUE(w.try_take(day + Duration::hours(1)));
  ASSERT_TRUE(w.try_take(day + Duration::hours(5)));
  ASSERT_TRUE(w.try_take(day + Duration::hours(9)));
  EXPECT_FALSE(w.try_take(day + Duration::hours(20)));
  // The first bucket [0h, 2h) leaves the window at 24h: the rolling reset, not midnight-to-midnight.
  EXPECT_EQ(w.retry_after(day + Duration::hours(20)), Duration::hours(4));
  EXPECT_FALSE(w.try_take(day + Duration::hours(24) - Duration::nanoseconds(1)));
  EXPECT_TRUE(w.try_take(day + Duration::hours(24)));
  EXPECT_FALSE(w.try_take(day + Duration::hours(25)));
  EXPECT_EQ(w.remaining(day + Duration::hours(28)), 1);
}

}  // namespace
}  // namespace invsync::mocks
