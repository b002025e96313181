// ShopifyMockConfig and ShopifyFaults: the settings of the Shopify mock platform (see
// shared/platforms/shopify-woocommerce.md). Everything the platform doc marks UNCONFIRMED is a
// setting here with the documented best guess as its default. Parsing is strict (JsonReader):
// every key is read, unknown keys and bad values fail with their key path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/base/time.h"
#include "mocks/common/faults.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::mocks {

struct ShopifyAccessToken {
  std::string token;
  std::vector<std::string> scopes;  // e.g. "read_inventory", "write_inventory", "read_products"
};

struct ShopifyMockConfig {
  std::string shop_domain = "invsync-demo.myshopify.com";
  // Versions the mock serves (YYYY-MM); any other version in the path answers 404 Not Found.
  std::vector<std::string> api_versions = {"2025-07", "2025-10", "2026-01", "2026-04", "2026-07"};
  std::vector<ShopifyAccessToken> access_tokens = {
      {"shpat_invsync_mock",
       {"read_inventory", "write_inventory", "read_products", "read_orders"}}};
  // Webhook signing: the app's client secret; during rotation the old secret signs deliveries
  // sent in [secret_rotated_at_ms, secret_rotated_at_ms + old_secret_window_ms) (simulated ms).
  std::string app_secret = "shpss_invsync_mock_secret";
  std::string old_app_secret;  // empty: no rotation
  int64_t secret_rotated_at_ms = 0;
  int64_t old_secret_window_ms = 3'600'000;
  // REST leaky bucket (Standard plan: 40 requests, leaking 2/s).
  int64_t rest_bucket_size = 40;
  int64_t rest_leak_rate_per_s = 2;
  // GraphQL calculated-cost bucket (current Standard: 1000 points restoring 100/s).
  int64_t graphql_bucket_max = 1000;
  int64_t graphql_restore_rate_per_s = 100;
  int64_t graphql_max_query_cost = 1000;
  int32_t graphql_throttled_status = 200;  // 200 (forum-observed) or 429
  // From this version on, inventorySetQuantities/inventoryAdjustQuantities require @idempotent
  // (UNCONFIRMED whether enforced live); empty: never required.
  std::string idempotency_required_from = "2026-04";
  int64_t location_id = 655441491;
  int32_t utc_offset_minutes = -300;  // the shop's timezone offset in payload timestamps
  // Wall clock at Instant() (simulated time zero): timestamps = origin + (now - Instant()).
  int64_t wall_origin_unix_s = 1795766400;  // 2026-11-27T08:00:00Z
  // Webhooks.
  std::string webhook_target = "/webhooks/shopify";
  std::string webhook_api_version = "2026-01";  // X-Shopify-API-Version of deliveries
  std::vector<std::string> webhook_topics = {"orders/create", "orders/cancelled", "refunds/create",
                                             "inventory_levels/update"};
  int64_t webhook_timeout_ms = 5'000;  // the request's whole-exchange deadline
  // Delay before retry i (i = 0..7): exponential doubling, 8 retries spanning ~4 h.
  std::vector<int64_t> webhook_retry_delays_ms = {56'470,  112'940,   225'880,   451'760,
                                                  903'520, 1'807'040, 3'614'080, 7'228'160};
  bool webhook_retry_same_id = true;  // retries keep X-Shopify-Webhook-Id (UNCONFIRMED)
  // Consecutive failed attempts of one subscription (topic) after which it is deleted:
  // 9 = the first attempt and all 8 retries of a delivery failed.
  int64_t webhook_delete_after_failures = 9;
};

// Shopify-specific faults, on top of the common ones (mocks/common/faults.h).
struct ShopifyFaults {
  CommonFaults common;
  int32_t throttled_status = 0;  // 0: use config.graphql_throttled_status; else 200 or 429
};

// Strict: reads every key of `reader` and calls reader.finish().
base::Status parse_shopify_mock_config(base::JsonReader& reader, ShopifyMockConfig* config);
// Strict: common fault keys plus "throttled_status" (200|429); calls reader.finish().
base::Status parse_shopify_faults(base::JsonReader& reader, ShopifyFaults* faults);

}  // namespace invsync::mocks
