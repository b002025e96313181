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

// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of civil_from_unix_s).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<int64_t> digits_at(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

bool char_at(std::string_view text, size_t pos, char c) { return pos < text.size() && text[pos] == c; }

}  // namespace

std::optional<WallTime> parse_iso8601(std::string_view text, bool zone_optional) {
  const auto y = digits_at(text, 0, 4), mo = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
  const auto h = digits_at(text, 11, 2), mi = digits_at(text, 14, 2), s = digits_at(text, 17, 2);
  const bool separators = char_at(text, 4, '-') && char_at(text, 7, '-') &&
                          (char_at(text, 10, 'T') || char_at(text, 10, 't')) &&
                          char_at(text, 13, ':') && char_at(text, 16, ':');
  if (!y || !mo || !d || !h || !mi || !s || !separators) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t fraction_ns = 0;
  if (char_at(text, pos, '.')) {
    int64_t scale = 100'000'000;
    const size_t start = ++pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  const std::string_view zone = text.substr(pos);
  if (zone.empty()) {
    if (!zone_optional) return std::nullopt;
  } else if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else {
    const auto hh = digits_at(zone, 1, 2), mm = digits_at(zone, 4, 2);
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !char_at(zone, 3, ':') || !hh ||
        !mm || *hh > 23 || *mm > 59) {
      return std::nullopt;
    }
    offset_s = (*hh * 3600 + *mm * 60) * (zone[0] == '-' ? -1 : 1);
  }
  const int64_t unix_s = days_from_civil(*y, *mo, *d) * 86'400 + *h * 3600 + *mi * 60 + *s - offset_s;
  return WallTime::from_unix_ns(unix_s * 1'000'000'000 + fraction_ns);
}

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
