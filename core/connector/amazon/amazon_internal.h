// Internal to the Amazon connector: ISO 8601 timestamps, absolute (presigned) URLs, SP-API error
// bodies, and the classification of one failed HTTP exchange (transport error, LWA failure,
// status code, HTML page, empty body) into a push outcome or a Status. Includes nlohmann/json:
// include this header only from the connector's .cc files.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/http.h"
#include "core/base/json_writer.h"
#include "core/base/result.h"
#include "core/base/time.h"
#include "core/connector/connector.h"

namespace invsync::connector::amazon_detail {

inline constexpr size_t kErrorBytesMax = 512;

// "2026-11-27T03:00:00Z", "...00.123Z", "...+01:00"; nullopt when malformed.
std::optional<base::WallTime> parse_iso8601(std::string_view text);

// "https://host:port/path?query" -> ("https://host:port", "/path?query"); nullopt when the text
// is not an absolute http(s) URL.
std::optional<std::pair<std::string, std::string>> split_absolute_url(std::string_view url);

// The body as a JSON object; nullopt when empty, not JSON or not an object.
std::optional<nlohmann::json> parse_object(std::string_view body);

// "HTTP 404: NOT_FOUND: SKU 'x' not found" from an SP-API error body, or a description of a
// non-JSON body ("HTTP 503 (HTML page)"). Bounded by kErrorBytesMax.
std::string describe_response(const base::HttpResponse& response);

// A 403 that says the access token expired, is invalid or is missing: refresh and retry once.
bool is_token_rejection(const base::HttpResponse& response);

// Retry-After in seconds when the response has one (Amazon's 429s do not), else `fallback`.
base::Duration retry_after_of(const base::HttpResponse& response, base::Duration fallback);

// The "patches" value of a patchListingsItem body or JSON_LISTINGS_FEED PATCH message that sets
// the merchant-fulfilled (DEFAULT) quantity to `units`.
void write_quantity_patches(base::JsonWriter& json, int64_t units);

// Clips `text` to kErrorBytesMax bytes.
std::string clip(std::string text);

// The outcome of an exchange that did not succeed: a transport Status (timeout, refused), an LWA
// failure (kUnauthenticated: permanent; kRateLimited), or a non-2xx response. 429 gives
// kRateLimited with `retry_after_default`, 5xx and other transient statuses kTransient, the rest
// of 4xx kPermanent.
PushItemResult failure_result(const domain::Sku& sku, const base::Result<base::HttpResponse>& r,
                              base::Duration retry_after_default);

// The same exchange as a Status, for reads and polls.
base::Status failure_status(const base::Result<base::HttpResponse>& r,
                            base::Duration retry_after_default);

}  // namespace invsync::connector::amazon_detail
