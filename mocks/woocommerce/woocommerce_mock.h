// WooCommerceMock: a WooCommerce store's REST API v3 (/wp-json/wc/v3/) on flaky shared hosting,
// as a deterministic MockPlatform. It serves products and variations (manage_stock rules, SKU
// lookup, batch), orders (status transitions that reduce and restore stock like the real store),
// consumer-key auth (query string, Basic on HTTPS only, OAuth 1.0a on HTTP), Hookshot webhooks
// (async, coalesced, built at delivery time, no retries, disabled after the 7th consecutive
// failure, unsigned ping) and hosting faults (HTML challenge pages, PHP warnings in the JSON,
// ModSecurity 501, stripped Authorization, slow batches). Facts follow
// shared/platforms/shopify-woocommerce.md; mocks/README.md maps checklist items
// 14-24 to tests.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/prng.h"
#include "core/base/result.h"
#include "core/base/status.h"
#include "core/base/time.h"
#include "mocks/common/faults.h"
#include "mocks/common/mock_platform.h"
#include "mocks/woocommerce/woocommerce_date_texts.h"
#include "mocks/woocommerce/woocommerce_product_fields.h"
#include "mocks/woocommerce/woocommerce_product_table.h"
#include "mocks/woocommerce/woocommerce_records.h"

namespace invsync::base {
class JsonReader;
class JsonWriter;
}

namespace invsync::mocks {

// A REST API key (WooCommerce > Settings > Advanced > REST API).
struct WooCommerceApiKey {
  std::string consumer_key;
  std::string consumer_secret;
  std::string permissions = "read_write";  // read | write | read_write
};

struct WooCommerceMockConfig {
  std::string home_url = "https://shop.example/";  // home_url('/'), with trailing slash
  bool https = true;                  // is_ssl(): Basic/query-string auth only when true
  bool query_auth_over_http = false;  // UNCONFIRMED escape hatch: honour ?consumer_key on HTTP
  std::vector<WooCommerceApiKey> keys{{"ck_test", "cs_test", "read_write"}};
  bool manage_stock_option = true;     // site option woocommerce_manage_stock
  int64_t notify_no_stock_amount = 0;  // woocommerce_notify_no_stock_amount
  int64_t price_cents = 1000;          // price of every catalogue item added with add_item
  int64_t first_product_id = 100;      // products and variations share one id sequence (posts)
  int64_t first_order_id = 5000;       // orders (HPOS table)
  std::string webhook_secret = "invsync-woo-secret";
  int64_t webhook_id = 1;  // id of the first configured webhook; one webhook per topic
  std::string webhook_target = "/webhooks/woocommerce";
  std::vector<std::string> topics{"order.created", "order.updated", "product.updated"};
  bool ping_on_construction = false;  // queue each configured webhook's ping at Instant()
  bool webhook_async = true;          // Action Scheduler delivery (coalesced); false = at once
  base::Duration coalesce_window = base::Duration::seconds(600);
  base::Duration delivery_delay = base::Duration::seconds(60);  // Action Scheduler latency
  int64_t max_delivery_failures = 5;  // disabled when failures > this: the 7th failure
  base::Duration delivery_timeout = base::Duration::seconds(60);
  base::Duration ping_timeout = base::Duration::seconds(5);  // WP default, UNCONFIRMED
  std::string woocommerce_version = "9.9.5";
  std::string wordpress_version = "6.8.2";
  int64_t wall_origin_unix_s = 1767225600;  // wall clock at Instant(): 2026-01-01T00:00:00Z
  int32_t utc_offset_minutes = -300;        // site timezone for date_* (date_*_gmt is UTC)
  int64_t batch_items_limit = 100;          // woocommerce_rest_batch_items_limit
  int64_t per_page_max = 100;
  int64_t php_max_execution_s = 30;  // slow batches past this die with a PHP fatal error
};

// Strict: unknown keys and bad values fail with their path. Calls reader.finish().
base::Status parse_woocommerce_mock_config(base::JsonReader& reader, WooCommerceMockConfig* config);

// Common faults plus the shared-hosting ones.
struct WooCommerceFaults {
  CommonFaults common;
  uint32_t challenge_page_percent = 0;  // HTTP 200 text/html JS cookie challenge
  uint32_t php_warning_percent = 0;     // PHP warning HTML prepended to a JSON body
  uint32_t put_501_percent = 0;         // ModSecurity 501 Method Not Implemented on PUT/DELETE
  bool strip_authorization = false;     // the host drops the Authorization header
  int64_t slow_batch_ms = 0;            // server time of a batch request
};

class WooCommerceMock final : public MockPlatform {
 public:
  WooCommerceMock(WooCommerceMockConfig config, uint64_t seed);

  std::string_view platform_name() const override { return "woocommerce"; }
  base::Status add_item(const CatalogItem& item) override;
  std::optional<std::string> external_ids_json(std::string_view sku) const override;
  NetworkConditions network(base::Instant now) override;
  base::HttpResponse handle(const base::HttpRequest& request, base::Instant now) override;
  PlaceOrderResult place_order(std::string_view sku, int64_t quantity, base::Instant now) override;
  base::Status cancel_order(std::string_view order_id, base::Instant now) override;
  std::vector<WebhookDelivery> take_due_webhooks(base::Instant now) override;
  void on_webhook_result(std::string_view delivery_id, int32_t status, base::Instant now) override;
  std::optional<base::Instant> next_wakeup() const override;
  void advance(base::Instant now) override;
  base::Status set_faults_json(std::string_view json) override;
  std::map<std::string, int64_t> counts() const override;
  std::vector<AcceptedOrder> accepted_orders() const override;
  std::map<std::string, int64_t> stats() const override;

  // --- WooCommerce-specific helpers ---
  // Creates an active webhook for `topic` (as REST POST /webhooks does) and queues its ping.
  base::Result<int64_t> create_webhook(std::string_view topic, base::Instant now);
  // "active" re-enables a disabled webhook (and resets its failure count), "disabled" stops it.
  base::Status set_webhook_status(int64_t webhook_id, std::string_view status);
  std::optional<woo::Webhook> webhook(int64_t webhook_id) const;
  // An order status change made in the admin (pending, processing, on-hold, completed,
  // cancelled, refunded, failed), with the real stock rules and order.updated/product.updated.
  base::Status set_order_status(std::string_view order_id, std::string_view status,
                                base::Instant now);
  // A refund of `quantity` items; api_restock puts them back in stock. Refunding everything
  // moves the order to refunded.
  base::Status refund_order(std::string_view order_id, int64_t quantity, bool api_restock,
                            base::Instant now);
  std::optional<woo::Order> order(std::string_view order_id) const;
  std::optional<woo::Product> product(int64_t id) const;

 private:
  struct Caller {
    bool authenticated = false;
    bool basic_auth = false;  // WWW-Authenticate goes out on basic_auth errors only
    std::string permissions;
  };
  struct Pending {
    int64_t webhook_id = 0;
    int64_t resource_id = 0;
    base::Instant due;
    uint64_t seq = 0;
  };
  using Json = nlohmann::ordered_json;
  using Params = std::vector<std::pair<std::string, std::string>>;
  using PathParts = std::span<const std::string_view>;  // the route's segments after wc/v3

  // hosting faults and dispatch (woocommerce_mock.cc)
  std::optional<base::HttpResponse> hosting_fault(const base::HttpRequest& request);
  base::HttpResponse dispatch(const base::HttpRequest& request, std::string_view route,
                              const Params& params, const Caller& caller, base::Instant now);
  base::HttpResponse route_products(const base::HttpRequest& request, PathParts parts,
                                    const Params& params, const Caller& caller, base::Instant now);
  base::HttpResponse route_product_item(const base::HttpRequest& request, PathParts parts,
                                        const Params& params, const Caller& caller,
                                        base::Instant now);
  base::HttpResponse route_variations(const base::HttpRequest& request, PathParts parts,
                                      const Params& params, const Caller& caller, base::Instant now,
                                      int64_t parent_id);
  base::HttpResponse route_orders(const base::HttpRequest& request, PathParts parts,
                                  const Params& params, const Caller& caller, base::Instant now);
  base::WallTime wall(base::Instant now) const;

  // auth (woocommerce_auth.cc): nullopt = go on with `caller`; else the error response.
  std::optional<base::HttpResponse> authenticate(const base::HttpRequest& request,
                                                 const Params& params, base::Instant now,
                                                 Caller* caller);
  std::optional<base::HttpResponse> basic_auth(const base::HttpRequest& request,
                                               const Params& params, Caller* caller);
  std::optional<base::HttpResponse> oauth1(const base::HttpRequest& request, const Params& params,
                                           base::Instant now, Caller* caller);

  // products (woocommerce_products.cc)
  const woo::Product* find_product(int64_t id) const;
  const woo::Product* find_sku(std::string_view sku) const;
  const woo::Product* stock_owner(const woo::Product& p) const;
  enum class ManageStock : uint8_t { kTrue, kFalse, kParent };  // what manage_stock shows
  ManageStock effective_manage_stock(const woo::Product& p) const;
  void validate_props(woo::Product* p);
  void sync_parent(int64_t parent_id);
  // Writes the product (or variation) object, keeping only `fields` (WordPress's `_fields`).
  void write_product(const woo::Product& p, base::JsonWriter& w,
                     woo::ProductFields fields = woo::ProductFields::all()) const;
  void write_variation(const woo::Product& v, base::JsonWriter& w,
                       woo::ProductFields fields = woo::ProductFields::all()) const;
  // Both of the above: the product's or the variation's keys, in WooCommerce's order.
  void write_item(const woo::Product& p, bool variation, base::JsonWriter& w,
                  woo::ProductFields fields) const;
  void write_product_value(woo::ProductKey key, const woo::Product& p, bool variation,
                           base::JsonWriter& w) const;
  base::HttpResponse list_products(const base::HttpRequest& request, const Params& params,
                                   int64_t parent_id);
  // Item operations: the HTTP status, and in *out (empty on entry) the reply object, the item or
  // a WP_Error, as JSON text.
  int32_t update_product_item(int64_t id, const Json& body, base::Instant now, std::string* out);
  int32_t update_variation_item(int64_t parent_id, int64_t id, const Json& body, base::Instant now,
                                std::string* out);
  int32_t apply_stock_fields(woo::Product* p, const Json& body, bool variation, std::string* out);
  int32_t create_item(int64_t parent_id, const Json& body, base::Instant now, std::string* out);
  int32_t delete_item(int64_t parent_id, int64_t id, base::Instant now, std::string* out);
  base::HttpResponse batch(const base::HttpRequest& request, int64_t parent_id, base::Instant now);

  // orders (woocommerce_orders.cc)
  woo::Order* find_order(std::string_view order_id);
  void write_order(const woo::Order& o, base::JsonWriter& w) const;
  bool reduce_stock(woo::Order* o, base::Instant now);
  bool restore_stock(woo::Order* o, base::Instant now);
  void change_stock(int64_t product_id, int64_t delta, base::Instant now);

  // webhooks (woocommerce_webhooks.cc)
  void emit(std::string_view topic, int64_t resource_id, base::Instant now);
  void queue_ping(const woo::Webhook& hook, base::Instant now);
  std::optional<WebhookDelivery> build_delivery(const woo::Webhook& hook, int64_t resource_id,
                                                base::Instant due);
  std::string resource_body(std::string_view topic, int64_t resource_id) const;

  WooCommerceMockConfig config_;
  base::Prng prng_;
  WooCommerceFaults faults_;
  woo::ProductTable products_;
  mutable woo::DateTexts dates_;  // a cache: writing a body does not change the store
  std::map<std::string, int64_t, std::less<>> sku_index_;
  std::map<int64_t, woo::Order> orders_;
  std::map<std::string, int64_t> groups_;  // CatalogItem.group -> variable product id
  std::map<int64_t, woo::Webhook> webhooks_;
  std::map<std::string, std::map<int64_t, std::string>> nonces_;  // key -> timestamp -> nonce
  std::vector<Pending> pending_;  // sorted by (due, seq): the order Action Scheduler runs them
  WebhookQueue queue_;
  std::map<uint64_t, std::pair<int64_t, bool>> in_flight_;  // delivery seq -> (hook, is ping)
  int64_t next_post_id_ = 0;
  int64_t next_order_id_ = 0;
  int64_t next_item_id_ = 1;
  int64_t next_webhook_id_ = 0;
  uint64_t next_seq_ = 0;
  std::map<std::string, int64_t> stats_;
};

}  // namespace invsync::mocks
