// Strict reading of the WooCommerce mock's JSON config section.
#include <algorithm>
#include <array>

#include "core/base/json_reader.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

constexpr std::array<const char*, 5> kTopics = {"order.created", "order.updated", "product.created",
                                                "product.updated", "product.deleted"};

void read_keys(base::JsonReader& r, WooCommerceMockConfig* c) {
  if (!r.has("keys")) return;
  c->keys.clear();
  for (base::JsonReader& k : r.array("keys")) {
    WooCommerceApiKey key;
    key.consumer_key = k.get_string("consumer_key", std::nullopt);
    key.consumer_secret = k.get_string("consumer_secret", std::nullopt);
    key.permissions = k.get_enum("permissions", "read_write", {"read", "write", "read_write"});
    if (key.consumer_key.empty()) k.fail("consumer_key", "must not be empty");
    if (key.consumer_secret.empty()) k.fail("consumer_secret", "must not be empty");
    (void)k.finish();
    c->keys.push_back(std::move(key));
  }
}

void read_webhooks(base::JsonReader& r, WooCommerceMockConfig* c) {
  c->webhook_secret = r.get_string("webhook_secret", c->webhook_secret);
  c->webhook_id = r.get_int("webhook_id", c->webhook_id, 1, 1'000'000'000);
  c->webhook_target = r.get_string("webhook_target", c->webhook_target);
  if (!c->webhook_target.starts_with("/")) r.fail("webhook_target", "must start with /");
  if (r.has("topics")) {
    c->topics = r.string_array("topics");
    for (size_t i = 0; i < c->topics.size(); ++i) {
      if (std::find(kTopics.begin(), kTopics.end(), c->topics[i]) == kTopics.end()) {
        r.fail("topics[" + std::to_string(i) + "]", "unsupported topic '" + c->topics[i] + "'");
      }
    }
  }
  c->ping_on_construction = r.get_bool("ping_on_construction", c->ping_on_construction);
  c->webhook_async = r.get_bool("webhook_async", c->webhook_async);
  c->coalesce_window =
      base::Duration::seconds(r.get_int("coalesce_window_s", c->coalesce_window.s(), 0, 86'400));
  c->delivery_delay =
      base::Duration::seconds(r.get_int("delivery_delay_s", c->delivery_delay.s(), 0, 86'400));
  c->max_delivery_failures = r.get_int("max_delivery_failures", c->max_delivery_failures, 0, 1'000);
  c->delivery_timeout =
      base::Duration::seconds(r.get_int("delivery_timeout_s", c->delivery_timeout.s(), 1, 3'600));
  c->ping_timeout =
      base::Duration::seconds(r.get_int("ping_timeout_s", c->ping_timeout.s(), 1, 3'600));
}

}  // namespace

base::Status parse_woocommerce_mock_config(base::JsonReader& r, WooCommerceMockConfig* out) {
  WooCommerceMockConfig c;
  c.home_url = r.get_string("home_url", c.home_url);
  if (!(c.home_url.starts_with("https://") || c.home_url.starts_with("http://")) ||
      !c.home_url.ends_with("/")) {
    r.fail("home_url", "must be an http(s) URL ending in /");
  }
  c.https = r.get_bool("https", c.https);
  c.query_auth_over_http = r.get_bool("query_auth_over_http", c.query_auth_over_http);
  read_keys(r, &c);
  c.manage_stock_option = r.get_bool("manage_stock", c.manage_stock_option);
  c.notify_no_stock_amount =
      r.get_int("notify_no_stock_amount", c.notify_no_stock_amount, 0, 1'000'000);
  c.price_cents = r.get_int("price_cents", c.price_cents, 0, 100'000'000);
  c.first_product_id = r.get_int("first_product_id", c.first_product_id, 1, 1'000'000'000);
  c.first_order_id = r.get_int("first_order_id", c.first_order_id, 1, 1'000'000'000);
  read_webhooks(r, &c);
  c.woocommerce_version = r.get_string("woocommerce_version", c.woocommerce_version);
  c.wordpress_version = r.get_string("wordpress_version", c.wordpress_version);
  c.wall_origin_unix_s = r.get_int("wall_origin_unix_s", c.wall_origin_unix_s, 0, 32'503'680'000);
  c.utc_offset_minutes =
      static_cast<int32_t>(r.get_int("utc_offset_minutes", c.utc_offset_minutes, -720, 840));
  c.batch_items_limit = r.get_int("batch_items_limit", c.batch_items_limit, 1, 10'000);
  c.per_page_max = r.get_int("per_page_max", c.per_page_max, 1, 10'000);
  c.php_max_execution_s = r.get_int("php_max_execution_s", c.php_max_execution_s, 1, 3'600);
  INVSYNC_RETURN_IF_ERROR(r.finish());
  *out = std::move(c);
  return base::Status();
}

}  // namespace invsync::mocks
