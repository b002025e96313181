#include <gtest/gtest.h>

#include <type_traits>

#include "core/base/clock.h"
#include "core/base/time.h"

namespace invsync::base {
namespace {

// Instant and WallTime are different types that cannot be subtracted from each other.
template <typename A, typename B>
concept Subtractable = requires(A a, B b) { a - b; };
static_assert(Subtractable<Instant, Instant>);
static_assert(Subtractable<WallTime, WallTime>);
static_assert(!Subtractable<Instant, WallTime>);
static_assert(!Subtractable<WallTime, Instant>);
static_assert(!std::is_convertible_v<Instant, WallTime>);
static_assert(!std::is_convertible_v<int64_t, Duration>);

TEST(Duration, UnitsConvertExactly) {
  EXPECT_EQ(Duration::seconds(2).ns(), 2'000'000'000);
  EXPECT_EQ(Duration::minutes(2), Duration::seconds(120));
  EXPECT_EQ(Duration::hours(1).ms(), 3'600'000);
  EXPECT_EQ((Duration::seconds(1) + Duration::milliseconds(500)).ms(), 1500);
  EXPECT_EQ(Duration::seconds(3) / 2, Duration::milliseconds(1500));
}

TEST(Instant, ArithmeticWithDurations) {
  const Instant t0 = Instant::from_ns(100);
  const Instant t1 = t0 + Duration::seconds(1);
  EXPECT_EQ(t1 - t0, Duration::seconds(1));
  EXPECT_LT(t0, t1);
}

TEST(WallTime, FormatsIso8601) {
  EXPECT_EQ(format_iso8601_utc(WallTime::from_unix_s(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(WallTime::from_unix_s(1'795'000'000)), "2026-11-18T11:06:40Z");
  EXPECT_EQ(format_iso8601_utc(WallTime::from_unix_us(1'795'000'000'123'456), true),
            "2026-11-18T11:06:40.123456Z");
  EXPECT_EQ(format_iso8601_offset(WallTime::from_unix_s(1'795'000'000), -300),
            "2026-11-18T06:06:40-05:00");
  EXPECT_EQ(format_iso8601_utc(WallTime::from_unix_s(951'782'400)), "2000-02-29T00:00:00Z");
}

TEST(WallTime, ParsesIso8601WithZonesAndFractions) {
  const WallTime t = WallTime::from_unix_s(1'795'000'000);
  EXPECT_EQ(parse_iso8601("2026-11-18T11:06:40Z"), t);
  EXPECT_EQ(parse_iso8601("2026-11-18t11:06:40z"), t);
  EXPECT_EQ(parse_iso8601("2026-11-18T06:06:40-05:00"), t);
  EXPECT_EQ(parse_iso8601("2026-11-18T12:06:40+01:00"), t);
  EXPECT_EQ(parse_iso8601("2026-11-18T11:06:40.123456Z"), WallTime::from_unix_us(1'795'000'000'123'456));
  EXPECT_FALSE(parse_iso8601("2026-11-18T11:06:40").has_value());
  EXPECT_EQ(parse_iso8601("2026-11-18T11:06:40", /*zone_optional=*/true), t);
  for (const char* bad : {"", "2026-13-01T00:00:00Z", "2026-11-18 11:06:40Z", "2026-11-18T11:06:40.Z",
                          "2026-11-18T11:06:40+5:00", "2026-11-18T11:06:40Zjunk"}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
  EXPECT_EQ(parse_iso8601(format_iso8601_utc(t, true)), t);
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(WallTime::from_unix_s(1000));
  const Instant a = clock.monotonic_now();
  EXPECT_EQ(clock.monotonic_now(), a);
  clock.advance(Duration::seconds(5));
  EXPECT_EQ(clock.monotonic_now() - a, Duration::seconds(5));
  EXPECT_EQ(clock.wall_now(), WallTime::from_unix_s(1005));
}

TEST(ManualClockDeathTest, RefusesToGoBackwards) {
  ManualClock clock;
  clock.advance(Duration::seconds(1));
  EXPECT_DEATH(clock.advance_to(Instant::from_ns(0)), "assertion failed");
}

}  // namespace
}  // namespace invsync::base
