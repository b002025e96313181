// Internal helpers of the WooCommerce connector: defensive decoding of responses from hostile
// shared hosting, classification of HTTP results, WooCommerce dates, and the order-to-events rule
// shared by polling and webhooks. Not part of the connector's public interface.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "core/base/result.h"
#include "core/base/status.h"
#include "core/base/time.h"
#include "core/connector/connector.h"
#include "core/connector/woocommerce/woocommerce_connector.h"
#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"

namespace invsync::connector::woo {

using Json = nlohmann::json;

// The first JSON document in `body` that starts at a '{' or '[' and runs to the end (PHP warnings
// or notices printed before the JSON are skipped). nullopt when there is none (an HTML page).
std::optional<Json> extract_json(std::string_view body);

// What one exchange gave: a usable JSON body, or why not (as a push outcome and as a Status).
struct Reply {
  bool ok = false;
  Json body;                 // when ok
  int32_t http_status = 0;   // 0 when no response arrived
  int64_t total_pages = 0;   // X-WP-TotalPages, 0 when absent
  PushOutcome outcome = PushOutcome::kTransient;  // when !ok
  base::Duration retry_after;
  std::string error;    // never holds secrets
  base::Status status;  // the same verdict for reads and polls; OK when ok
};

enum class Shape : uint8_t { kObject, kArray };
// Classifies a transport result: 2xx with a JSON body of `shape` is ok; HTML, 5xx, 501, timeouts
// are kTransient; 429 kRateLimited; 401/403/413 and other 4xx kPermanent.
Reply decode_reply(const base::Result<base::HttpResponse>& result, Shape shape);

// Retry-After in whole (or decimal) seconds; nullopt when absent or not a number.
std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers);

// "2026-01-01T00:05:00" (optionally with fractional seconds and "Z"), read as UTC.
std::optional<base::WallTime> parse_gmt_datetime(std::string_view text);
// "2026-01-01T00:05:00": the form WooCommerce takes with dates_are_gmt=true.
std::string format_gmt_datetime(base::WallTime t);

// An integer id from a JSON number or a string of digits; nullopt otherwise.
std::optional<int64_t> json_id(const Json& value);

// A listing's stock as a product or variation JSON shows it: nullopt when stock is not managed
// or the quantity is null.
std::optional<domain::Quantity> stock_of(const Json& product);

// Appends the events an order JSON implies: processing/on-hold/completed/refunded give kSale per
// line, cancelled gives kSale and kCancel, every other status (drafts, pending, failed) nothing.
// kInvalidArgument when a field the rule needs is missing or invalid (id, status, line ids,
// quantities, SKUs). With skip_bad_lines (polling) a malformed line is skipped and counted in
// *skipped_lines instead, so the order's good lines still count; nothing is appended on error.
base::Status append_order_events(const Json& order, const domain::ChannelId& channel,
                                 std::vector<domain::OrderEvent>* events,
                                 bool skip_bad_lines = false, int64_t* skipped_lines = nullptr);

// The platform's ids as a product or variation JSON names them (variations carry parent_id).
std::optional<WooCommerceIds> ids_of(const Json& product);

// SKUs travel in a comma-separated ?sku= list, so a SKU with a comma cannot be looked up.
bool sku_lookupable(const std::string& sku);
// "/products?sku=A,B&per_page=100" (each SKU percent-encoded): exact match, variations included.
std::string sku_query(const std::vector<std::string>& skus);

}  // namespace invsync::connector::woo

namespace invsync::connector {

// Every item of a paginated list, or the reply that stopped the walk.
struct WooCommerceConnector::Pages {
  bool ok = true;
  woo::Reply failure;  // when !ok
  std::vector<woo::Json> items;
};

}  // namespace invsync::connector
