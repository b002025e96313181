#include <gtest/gtest.h>

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
