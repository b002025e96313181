// Small shared pieces of the Amazon mock's wire format: the SP-API error list body, the
// x-amzn-RateLimit-Limit value, the "S3" XML error page, ISO-8601 parsing for query parameters,
// and the deterministic ASIN of a SKU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/http.h"
#include "core/base/time.h"

namespace invsync::mocks::amazon {

// {"errors":[{"code":...,"message":...,"details":...}]} as application/json.
base::HttpResponse error_response(int32_t status, std::string_view code, std::string_view message,
                                  std::string_view details = "");
// The 429 every SP-API operation answers when its bucket is empty (no rate header).
base::HttpResponse quota_exceeded();
// 8300 -> "0.0083", 5'000'000 -> "5.0", 16'700 -> "0.0167".
std::string format_rate(int64_t rate_micro_per_s);
// An S3-style <Error> document (application/xml).
base::HttpResponse s3_error(int32_t status, std::string_view code, std::string_view message,
                            std::string_view request_id);
// "2026-11-27T13:16:06Z", "...T13:16:06.123Z", "...T13:16:06+01:00"; nullopt if malformed.
std::optional<base::WallTime> parse_iso8601(std::string_view text);
// "B0" + 8 upper-case alphanumerics derived from the SKU (stable across runs and seeds).
std::string asin_for_sku(std::string_view sku);

}  // namespace invsync::mocks::amazon
