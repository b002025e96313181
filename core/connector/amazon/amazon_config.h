// AmazonConnectorConfig: the settings of one Amazon SP-API channel account (endpoints, LWA
// credentials, seller and marketplace, push mode, feed tracking, order polling, limits) and their
// strict JSON parser. Secrets arrive here from the service config (filled from environment
// variables) and never appear in logs or error strings.
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

// How quantities are pushed: patchListingsItem (one SKU per request, answered synchronously) or a
// JSON_LISTINGS_FEED (many SKUs per feed, confirmed asynchronously when the feed finishes).
enum class AmazonPushMode : uint8_t { kPatch, kFeed };

struct AmazonConnectorConfig {
  domain::ChannelId channel = domain::ChannelId::from_trusted("amazon:main");
  std::string base_url;                              // "https://sellingpartnerapi-eu.amazon.com"
  std::string lwa_base_url = "https://api.amazon.com";  // serves POST /auth/o2/token
  std::string client_id;                             // LWA client id
  std::string client_secret;                         // LWA client secret
  std::string refresh_token;                         // "Atzr|..."
  std::string seller_id;
  std::string marketplace_id;                        // e.g. "A1F83G8C2ARO7P" (UK)
  AmazonPushMode mode = AmazonPushMode::kPatch;
  base::Duration feed_poll_interval = base::Duration::seconds(60);
  // A feed still unfinished this long after submission is given up (its SKUs: kTransient).
  base::Duration feed_track_max = base::Duration::hours(48);
  // An access token is refreshed this long before Amazon says it expires.
  base::Duration token_refresh_margin = base::Duration::seconds(60);
  base::Duration request_timeout = base::Duration::seconds(30);
  std::string user_agent = "invsync/1.0 (Language=C++)";
  // LastUpdatedAfter of the first order poll (cursor ""), ISO 8601; empty: now - orders_lookback.
  std::string orders_start;
  base::Duration orders_lookback = base::Duration::hours(24);
  int32_t orders_page_size = 100;  // MaxResultsPerPage, 1..100
  // The JSON_LISTINGS_FEED submission cap (5 per 5 minutes per region since May 2025).
  int32_t feed_submission_cap_count = 5;
  base::Duration feed_submission_window = base::Duration::minutes(5);
  ConnectorLimits limits{.request_rate_micro_per_s = 5'000'000,
                         .request_burst_count = 5,
                         .push_batch_count_max = 1,
                         .read_batch_count_max = 1};
};

// Strict: reads every key of `reader` and calls reader.finish(). Required keys: channel
// ("amazon:<account>"), base_url, client_id, client_secret, refresh_token, seller_id,
// marketplace_id. Optional (default): lwa_base_url ("https://api.amazon.com"), mode ("patch" |
// "feed"), feed_poll_interval_s (60), feed_track_max_s (172800), token_refresh_margin_s (60),
// request_timeout_ms (30000), user_agent, orders_start (""), orders_lookback_s (86400),
// orders_page_size (100), request_rate_per_s (5), request_burst_count (5), push_batch_count_max
// (patch 1, feed 10000), read_batch_count_max (1).
base::Status parse_amazon_connector_config(base::JsonReader& reader, AmazonConnectorConfig* config);

}  // namespace invsync::connector
