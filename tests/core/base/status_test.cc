#include <gtest/gtest.h>

#include "core/base/result.h"
#include "core/base/status.h"

namespace invsync::base {
namespace {

TEST(Status, OkIsDefaultAndCheap) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.to_string(), "OK");
}

TEST(Status, NamedFactoriesCarryCodeAndMessage) {
  Status s = Status::invalid_argument("sku is empty");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.to_string(), "INVALID_ARGUMENT: sku is empty");
  EXPECT_TRUE(Status::unavailable("down").is_unavailable());
  EXPECT_TRUE(Status::not_found("x").is_not_found());
}

TEST(Status, RateLimitedCarriesRetryAfter) {
  Status s = Status::rate_limited("slow down", Duration::milliseconds(2500));
  EXPECT_TRUE(s.is_rate_limited());
  EXPECT_EQ(s.retry_after(), Duration::milliseconds(2500));
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  EXPECT_TRUE(good.status().ok());
  Result<int> bad = Status::not_found("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().is_not_found());
}

TEST(ResultDeathTest, ValueOfErrorAsserts) {
  Result<int> bad = Status::internal("boom");
  EXPECT_DEATH((void)bad.value(), "assertion failed");
}

TEST(AssertDeathTest, StaysOnAndPrintsContext) {
  set_assert_context("seed=42 reproduce: invsync-sim x --seed 42");
  EXPECT_DEATH(INVSYNC_ASSERT(1 + 1 == 3), "seed=42 reproduce");
  set_assert_context("");
}

}  // namespace
}  // namespace invsync::base
