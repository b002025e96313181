// Internal to the Shopify connector: Shopify ids (numeric and gid forms), ISO 8601 timestamps,
// Retry-After and throttle arithmetic, and the classification of one HTTP exchange (transport
// error, status, HTML page, GraphQL top-level errors) into an outcome. Includes simdjson and
// nlohmann/json (shopify_json.h): include this header only from the connector's .cc files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/http.h"
#include "core/base/result.h"
#include "core/base/time.h"
#include "core/connector/connector.h"
#include "core/connector/shopify/shopify_json.h"

namespace invsync::connector::shopify_detail {

// "gid://shopify/<type>/<n>" (an optional "?..." suffix is ignored), "<n>" or a JSON integer;
// nullopt unless n is a positive 64-bit integer (and, for a gid, the type matches).
std::optional<int64_t> parse_id(const JsonValue& value, std::string_view type);
std::optional<int64_t> parse_id_text(std::string_view text, std::string_view type);
std::string make_gid(std::string_view type, int64_t id);

// "2026-11-27T03:00:00-05:00", "...Z", optional fraction; nullopt when malformed.
std::optional<base::WallTime> parse_iso8601(std::string_view text);

// Retry-After as (possibly fractional) seconds; nullopt when absent or malformed.
std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers);

// From a GraphQL body's extensions.cost: how long until `requestedQueryCost` points are back.
std::optional<base::Duration> throttle_wait(const JsonValue& body);

// The human part of a Shopify error body ({"errors": "..."|[...]|{...}}), bounded; never echoes
// request headers, so it holds no secret.
std::string error_message(int32_t status, std::string_view body);

// An id or value from a JSON integer or numeric string.
std::optional<int64_t> json_int(const JsonValue& value);
// A JSON number (integer, or float rounded to nearest) such as GraphQL cost points.
std::optional<int64_t> json_points(const JsonValue& value);

// The inventory_item_id of a listing's external ids ({"inventory_item_id": ...}), if valid.
std::optional<int64_t> inventory_item_id(std::string_view external_ids_json);

// What one exchange says before its payload is looked at.
struct Exchange {
  bool usable = false;  // a 2xx JSON object (for GraphQL: without top-level errors)
  PushOutcome outcome = PushOutcome::kTransient;  // when !usable
  base::Duration retry_after;
  int32_t http_status = 0;
  std::string error;
  std::optional<base::StatusCode> transport;  // the transport Status code, if no response
  // The body, when a JSON object: a document of `parser` below, valid until its next parse.
  JsonValue body;
};
// Reads the body with `parser` (a body observe_limits() just read is not read again).
Exchange classify_exchange(const base::Result<base::HttpResponse>& result, bool graphql,
                           BodyParser& parser);

// The Status a failed exchange gives read() and poll_orders().
base::Status exchange_status(const Exchange& exchange);

}  // namespace invsync::connector::shopify_detail
