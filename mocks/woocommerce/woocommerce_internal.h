// Helpers shared by the WooCommerce mock's .cc files: the JSON conventions of the WordPress REST
// API (wp_json_encode escaping, WP_Error bodies, money formats). Response bodies are written as
// text with base::JsonWriter; request bodies are read with nlohmann/json, which this header
// includes: include it only from .cc files.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/http.h"
#include "core/base/json_writer.h"
#include "core/base/time.h"

namespace invsync::mocks::woo {

using Json = nlohmann::ordered_json;

// wp_json_encode without JSON_UNESCAPED_SLASHES/UNICODE, applied to compact UTF-8 JSON text as
// base::JsonWriter writes it: "/" as "\/", DEL and non-ASCII as \uXXXX (UTF-16 pairs above the
// BMP; a byte that is not valid UTF-8 as \ufffd).
std::string wp_escape(std::string json);
// A WP_Error body {"code","message","data":{"status"}}.
std::string error_json(int32_t status, std::string_view code, std::string_view message);
// rest_invalid_param's WP_Error body: data carries params {name: reason}.
std::string invalid_param_json(std::string_view name, std::string_view reason);
base::HttpResponse error_response(int32_t status, std::string_view code, std::string_view message);
// A JSON reply; `json` is compact UTF-8 JSON text, sent wp_json_encode-escaped.
base::HttpResponse json_response(int32_t status, std::string json);
// "12.50" (money is a 2-decimal string).
std::string money(int64_t cents);
// Order line item price: a number (12.5, or 10 when whole).
void write_price_number(base::JsonWriter& w, int64_t cents);
// rest_invalid_param with data.params {name: reason}.
base::HttpResponse invalid_param(std::string_view name, std::string_view reason);
// Parses a whole-number id path segment; nullopt when not digits.
std::optional<int64_t> parse_id(std::string_view s);

}  // namespace invsync::mocks::woo
