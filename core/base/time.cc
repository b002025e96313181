#include "core/base/time.h"

#include <cstdio>

namespace invsync::base {
namespace {

struct CivilTime {
  int64_t year = 1970;
  uint32_t month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's published algorithm).
CivilTime civil_from_unix_s(int64_t unix_s) {
  int64_t days = unix_s / 86400;
  int64_t rem = unix_s % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<uint32_t>(days - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  CivilTime c;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<uint32_t>(rem / 3600);
  c.minute = static_cast<uint32_t>((rem % 3600) / 60);
  c.second = static_cast<uint32_t>(rem % 60);
  return c;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string format_iso8601_utc(WallTime t, bool fractional_us) {
  const int64_t s = floor_div(t.unix_ns(), 1'000'000'000);
  const CivilTime c = civil_from_unix_s(s);
  char buf[48];
  if (fractional_us) {
    const int64_t us = (t.unix_ns() - s * 1'000'000'000) / 1'000;
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%06lldZ",
                  static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second,
                  static_cast<long long>(us));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ",
                  static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
  }
  return buf;
}

std::string format_iso8601_offset(WallTime t, int32_t offset_minutes) {
  const int64_t s = floor_div(t.unix_ns(), 1'000'000'000) + int64_t{offset_minutes} * 60;
  const CivilTime c = civil_from_unix_s(s);
  const int32_t abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u%c%02d:%02d",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second,
                offset_minutes < 0 ? '-' : '+', abs_offset / 60, abs_offset % 60);
  return buf;
}

}  // namespace invsync::base
