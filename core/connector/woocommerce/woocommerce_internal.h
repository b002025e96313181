// Internal helpers of the WooCommerce connector: defensive decoding of responses from hostile
// shared hosting, classification of HTTP results, WooCommerce dates, and the order-to-events rule
// shared by polling and webhooks. Not part of the connector's public interface.
//
// JSON bodies are read once, by woocommerce_json.cc (simdjson, with the meaning nlohmann gave
// them before: every document nlohmann accepts is read, the last of duplicate keys wins), into
// the plain *Facts structs below: only the fields the connector looks at, already typed.
#pragma once

#include <cstdint>
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

// A product or variation object of a list reply. An "integer id" is a JSON integer within int64
// or a string holding one ("-" and digits); a "whole number" is any JSON integer (one above
// INT64_MAX wraps to negative, as nlohmann's get<int64_t> read it).
struct ProductFacts {
  std::optional<int64_t> id;              // "id" as an integer id
  std::optional<int64_t> parent_id;       // "parent_id" as an integer id
  std::optional<std::string> type;        // "type" when a string
  std::optional<std::string> sku;         // "sku" when a string
  bool stock_managed = true;              // "manage_stock" absent, true or "parent"
  std::optional<int64_t> stock_quantity;  // "stock_quantity" when a whole number
};

// An object of a batch reply's "update" list: the item as saved, or its per-item WP_Error.
struct UpdateFacts {
  std::optional<int64_t> id;              // "id" as an integer id
  bool error = false;                     // "error" is an object; then:
  std::string error_code;                 //   its "code" when a string
  int64_t error_status = 0;               //   its data.status as an integer id, 0 when none
  std::optional<int64_t> stock_quantity;  // "stock_quantity" when a whole number
};

// A line item of an order.
struct LineFacts {
  bool is_object = false;
  std::optional<int64_t> id;        // "id" as an integer id
  std::optional<int64_t> quantity;  // "quantity" when a whole number
  std::optional<std::string> sku;   // "sku" when a string
};

// An order object (of a poll page or a webhook body).
struct OrderFacts {
  std::optional<int64_t> id;                     // "id" as an integer id
  std::optional<std::string> status;             // "status" when a string
  std::optional<std::vector<LineFacts>> lines;   // "line_items" when an array
  std::optional<std::string> date_modified_gmt;  // when a string
};

// What a 2xx reply must hold, and what is read from it.
enum class Shape : uint8_t {
  kProducts,  // an array: Reply::products (its objects)
  kBatch,     // an object: Reply::updates (the objects of its "update" array)
  kOrders,    // an array: Reply::orders (its objects)
};

// What one exchange gave: a usable JSON body, or why not (as a push outcome and as a Status).
struct Reply {
  bool ok = false;
  std::vector<ProductFacts> products;               // when ok, Shape::kProducts
  std::optional<std::vector<UpdateFacts>> updates;  // when ok, Shape::kBatch; nullopt: no array
  std::vector<OrderFacts> orders;                   // when ok, Shape::kOrders
  int32_t http_status = 0;   // 0 when no response arrived
  int64_t total_pages = 0;   // X-WP-TotalPages, 0 when absent
  PushOutcome outcome = PushOutcome::kTransient;  // when !ok
  base::Duration retry_after;
  std::string error;    // never holds secrets
  base::Status status;  // the same verdict for reads and polls; OK when ok
};

// Classifies a transport result: 2xx with a JSON body of `shape` is ok; HTML, 5xx, 501, timeouts
// are kTransient; 429 kRateLimited; 401/403/413 and other 4xx kPermanent.
Reply decode_reply(const base::Result<base::HttpResponse>& result, Shape shape);

// --- JSON reading (woocommerce_json.cc) ---

// Reads the JSON document of a 2xx reply `body` into *reply's facts for `shape`: the first
// document that starts at a '{' or '[' and runs to the end (PHP warnings or notices printed before
// the JSON are skipped). False when there is none (an HTML page) or it is not of `shape`.
bool read_reply_body(std::string_view body, Shape shape, Reply* reply);
// "code: message" of a WP_Error body found the same way (cut to `max_bytes`); "" when none.
std::string read_error_detail(std::string_view body, size_t max_bytes);
// The whole of `body` as an order object (a webhook payload); nullopt when it is not a JSON object.
std::optional<OrderFacts> read_order_object(std::string_view body);
// The ids a listing's external_ids_json names: {"product_id": n, "variation_id": m} with m null,
// absent or >= 0 (0 for a simple product) and n > 0. nullopt otherwise.
std::optional<WooCommerceIds> read_external_ids(std::string_view json);

// Retry-After in whole (or decimal) seconds; nullopt when absent or not a number.
std::optional<base::Duration> parse_retry_after(const base::HttpHeaders& headers);

// "2026-01-01T00:05:00" (optionally with fractional seconds and "Z"), read as UTC.
std::optional<base::WallTime> parse_gmt_datetime(std::string_view text);
// "2026-01-01T00:05:00": the form WooCommerce takes with dates_are_gmt=true.
std::string format_gmt_datetime(base::WallTime t);

// A listing's stock as a product or variation JSON shows it: nullopt when stock is not managed
// or the quantity is null.
std::optional<domain::Quantity> stock_of(const ProductFacts& product);

// Appends the events an order JSON implies: processing/on-hold/completed/refunded give kSale per
// line, cancelled gives kSale and kCancel, every other status (drafts, pending, failed) nothing.
// kInvalidArgument when a field the rule needs is missing or invalid (id, status, line ids,
// quantities, SKUs). With skip_bad_lines (polling) a malformed line is skipped and counted in
// *skipped_lines instead, so the order's good lines still count; nothing is appended on error.
base::Status append_order_events(const OrderFacts& order, const domain::ChannelId& channel,
                                 std::vector<domain::OrderEvent>* events,
                                 bool skip_bad_lines = false, int64_t* skipped_lines = nullptr);

// The platform's ids as a product or variation JSON names them (variations carry parent_id).
std::optional<WooCommerceIds> ids_of(const ProductFacts& product);

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
  std::vector<woo::ProductFacts> items;
};

}  // namespace invsync::connector
