// Helpers shared by the WooCommerce mock's .cc files: the JSON conventions of the WordPress REST
// API (wp_json_encode escaping, WP_Error bodies, money and date formats). Includes nlohmann/json:
// include only from .cc files.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/base/http.h"
#include "core/base/time.h"

namespace invsync::mocks::woo {

using Json = nlohmann::ordered_json;

// wp_json_encode without JSON_UNESCAPED_SLASHES/UNICODE: "/" as "\/", non-ASCII as \uXXXX.
std::string encode(const Json& value);
// A WP_Error body {"code","message","data":{"status",...extra}}.
Json error_json(int32_t status, std::string_view code, std::string_view message,
                const Json& extra = Json::object());
base::HttpResponse error_response(int32_t status, std::string_view code, std::string_view message,
                                  const Json& extra = Json::object());
base::HttpResponse json_response(int32_t status, const Json& body);
// "12.50" (money is a 2-decimal string).
std::string money(int64_t cents);
// Order line item price: a number (12.5, or 10 when whole).
Json price_number(int64_t cents);
// "YYYY-MM-DDTHH:MM:SS" at the site offset, and the UTC twin.
std::string local_date(base::WallTime t, int32_t offset_minutes);
std::string gmt_date(base::WallTime t);
// rest_invalid_param with data.params {name: reason}.
base::HttpResponse invalid_param(std::string_view name, std::string_view reason);
// Parses a whole-number id path segment; nullopt when not digits.
std::optional<int64_t> parse_id(std::string_view s);

}  // namespace invsync::mocks::woo
