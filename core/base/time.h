// Time as integer nanoseconds, in three types that cannot be mixed:
//   Duration  - a span of time;
//   Instant   - a point on the monotonic clock (only differences mean anything);
//   WallTime  - a point on the wall clock, nanoseconds since the Unix epoch (UTC), used for
//               platform timestamps, database rows and display.
// Instant - Instant and WallTime - WallTime give a Duration; Instant and WallTime never meet.
// No double seconds anywhere: conversions to floating point exist only for display.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invsync::base {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }
  static constexpr Duration microseconds(int64_t n) { return Duration(n * 1'000); }
  static constexpr Duration milliseconds(int64_t n) { return Duration(n * 1'000'000); }
  static constexpr Duration seconds(int64_t n) { return Duration(n * 1'000'000'000); }
  static constexpr Duration minutes(int64_t n) { return seconds(n * 60); }
  static constexpr Duration hours(int64_t n) { return seconds(n * 3600); }
  static constexpr Duration zero() { return Duration(); }

  constexpr int64_t ns() const { return ns_; }
  constexpr int64_t us() const { return ns_ / 1'000; }
  constexpr int64_t ms() const { return ns_ / 1'000'000; }
  constexpr int64_t s() const { return ns_ / 1'000'000'000; }
  double seconds_for_display() const { return static_cast<double>(ns_) / 1e9; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_ns(int64_t ns) { return Instant(ns); }
  constexpr int64_t ns_since_origin() const { return ns_; }

  constexpr Instant operator+(Duration d) const { return Instant(ns_ + d.ns()); }
  constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.ns()); }
  constexpr Duration operator-(Instant o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr Instant& operator+=(Duration d) { ns_ += d.ns(); return *this; }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class WallTime {
 public:
  constexpr WallTime() = default;
  static constexpr WallTime from_unix_ns(int64_t ns) { return WallTime(ns); }
  static constexpr WallTime from_unix_us(int64_t us) { return WallTime(us * 1'000); }
  static constexpr WallTime from_unix_s(int64_t s) { return WallTime(s * 1'000'000'000); }
  constexpr int64_t unix_ns() const { return ns_; }
  constexpr int64_t unix_us() const { return ns_ / 1'000; }
  constexpr int64_t unix_s() const { return ns_ / 1'000'000'000; }
  // Truncated to whole microseconds (the precision PostgreSQL keeps).
  constexpr WallTime truncated_to_us() const { return WallTime((ns_ / 1'000) * 1'000); }

  constexpr WallTime operator+(Duration d) const { return WallTime(ns_ + d.ns()); }
  constexpr WallTime operator-(Duration d) const { return WallTime(ns_ - d.ns()); }
  constexpr Duration operator-(WallTime o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr auto operator<=>(const WallTime&) const = default;

 private:
  constexpr explicit WallTime(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// "2026-11-27T13:16:06Z" (seconds precision) or with ".123456" when fractional_us is true.
std::string format_iso8601_utc(WallTime t, bool fractional_us = false);
// "2026-11-27T13:16:06-05:00" style: the same instant shown at a fixed UTC offset (minutes).
std::string format_iso8601_offset(WallTime t, int32_t offset_minutes);
// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" (the platforms' timestamps). Without a zone
// the text is read as UTC when zone_optional (WooCommerce's *_gmt fields), else rejected.
std::optional<WallTime> parse_iso8601(std::string_view text, bool zone_optional = false);

}  // namespace invsync::base
