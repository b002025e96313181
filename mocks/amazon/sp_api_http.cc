#include "mocks/amazon/sp_api_http.h"

#include "core/base/json_writer.h"

namespace invsync::mocks::amazon {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Reads `n` digits at `pos`; nullopt if any is not a digit.
std::optional<int64_t> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

base::HttpResponse error_response(int32_t status, std::string_view code, std::string_view message,
                                  std::string_view details) {
  std::string body;
  base::JsonWriter json(body);
  json.begin_object().key("errors").begin_array().begin_object();
  json.field("code", code).field("message", message).field("details", details);
  json.end_object().end_array().end_object();
  return base::HttpResponse::text(status, "application/json", std::move(body));
}

base::HttpResponse quota_exceeded() {
  return error_response(429, "QuotaExceeded",
                        "You exceeded your quota for the requested resource.");
}

std::string format_rate(int64_t rate_micro_per_s) {
  std::string frac = std::to_string(rate_micro_per_s % 1'000'000);
  frac.insert(0, 6 - frac.size(), '0');
  while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
  return std::to_string(rate_micro_per_s / 1'000'000) + "." + frac;
}

base::HttpResponse s3_error(int32_t status, std::string_view code, std::string_view message,
                            std::string_view request_id) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>";
  body.append(code).append("</Code><Message>").append(message).append("</Message><RequestId>");
  body.append(request_id).append("</RequestId><HostId>invsync-mock-s3</HostId></Error>");
  return base::HttpResponse::text(status, "application/xml", std::move(body));
}

std::optional<base::WallTime> parse_iso8601(std::string_view s) {
  const auto year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const auto hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':' || *month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    int64_t scale = 100'000'000;
    ++pos;
    const size_t start = pos;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      frac_ns += (s[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    pos = s.size();
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size()) {
    const auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || s[pos + 3] != ':') return std::nullopt;
    offset_s = (*oh * 3600 + *om * 60) * (s[pos] == '-' ? -1 : 1);
    pos = s.size();
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t secs = days_from_civil(*year, *month, *day) * 86'400 + *hour * 3600 + *minute * 60 +
                       *second - offset_s;
  return base::WallTime::from_unix_ns(secs * 1'000'000'000 + frac_ns);
}

std::string asin_for_sku(std::string_view sku) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (const char c : sku) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string asin = "B0";
  for (int i = 0; i < 8; ++i) {
    asin.push_back(kAlphabet[h % 36]);
    h /= 36;
  }
  return asin;
}

}  // namespace invsync::mocks::amazon
