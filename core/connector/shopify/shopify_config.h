// ShopifyConnectorConfig: the settings of one Shopify channel account (shop, API version, access
// token, webhook secret, location, limits) and their strict JSON parser. Secrets arrive here from
// the service config (filled from environment variables) and never appear in logs or errors.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/status.h"
#include "core/base/time.h"
#include "core/connector/connector.h"
#include "core/domain/channel_id.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::connector {

struct ShopifyConnectorConfig {
  domain::ChannelId channel = domain::ChannelId::from_trusted("shopify:main");
  std::string base_url;              // "https://shop.myshopify.com" (no trailing slash)
  std::string api_version = "2026-01";  // YYYY-MM, 2026-01 or later (changeFromQuantity)
  std::string access_token;          // X-Shopify-Access-Token
  std::string app_secret;            // webhook HMAC key (the app's client secret)
  std::string previous_app_secret;   // also accepted during a rotation; empty: none
  int64_t location_id = 0;           // numeric id of the one location we sync
  base::Duration request_timeout = base::Duration::seconds(10);
  ConnectorLimits limits{.request_rate_micro_per_s = 2'000'000,
                         .request_burst_count = 40,
                         .push_batch_count_max = 250,
                         .read_batch_count_max = 50};
  // Points one inventorySetQuantities costs: GraphQL points are divided by it to give requests.
  int64_t push_cost_points = 10;
  // updated_at_min of the first order poll (cursor ""), ISO 8601; empty: no lower bound.
  std::string orders_start;
};

// Strict: reads every key of `reader` and calls reader.finish(). Keys: channel, base_url,
// access_token, app_secret, location_id (required); api_version, previous_app_secret,
// request_timeout_ms, request_rate_micro_per_s, request_burst_count, push_batch_count_max,
// read_batch_count_max, push_cost_points, orders_start (optional).
base::Status parse_shopify_connector_config(base::JsonReader& reader,
                                            ShopifyConnectorConfig* config);

}  // namespace invsync::connector
