// WooCommerceConnector: the hub's translator for one WooCommerce store over REST API v3
// (/wp-json/wc/v3/). Pushes absolute stock with products/batch and variations/batch (100 items),
// reads stock by id (include=) or by SKU lookup, polls orders by modified date and verifies and
// parses Hookshot webhooks (base64 HMAC-SHA256 of the raw body). Self-hosted stores sit on hostile
// shared hosting, so every response is read defensively: HTML challenge pages and error pages are
// transient, PHP warnings printed before the JSON are stripped. Facts follow
// shared/platforms/shopify-woocommerce.md (WooCommerce half).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/status.h"
#include "core/base/time.h"
#include "core/connector/connector.h"
#include "core/domain/channel_id.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::connector {

enum class WooCommerceAuthMode : uint8_t {
  kQuery,  // ?consumer_key=&consumer_secret= (works where the host strips Authorization)
  kBasic,  // Authorization: Basic (HTTPS only: WooCommerce ignores it on plain HTTP)
};

struct WooCommerceConnectorConfig {
  domain::ChannelId channel = domain::ChannelId::from_trusted("woocommerce:default");
  std::string base_url;  // the site root, "https://shop.example" (no trailing slash)
  std::string consumer_key;
  std::string consumer_secret;
  WooCommerceAuthMode auth_mode = WooCommerceAuthMode::kQuery;
  std::string webhook_secret;  // the webhook's secret as WooCommerce signs with it
  base::Duration request_timeout = base::Duration::seconds(30);
  ConnectorLimits limits{.request_rate_micro_per_s = 5'000'000,
                         .request_burst_count = 5,
                         .push_batch_count_max = 100,
                         .read_batch_count_max = 100};
  int64_t sku_cache_entries_max = 10'000;  // SKU -> ids learnt by lookup
  // poll_orders("") starts here (ISO-8601 UTC); empty: poll_lookback before the first poll.
  std::optional<base::WallTime> poll_start;
  base::Duration poll_lookback = base::Duration::hours(24);
};

// Strict: unknown keys and bad values fail with their path. Calls reader.finish().
base::Status parse_woocommerce_connector_config(base::JsonReader& reader,
                                                WooCommerceConnectorConfig* config);

// The platform's ids for one SKU: product_id is the parent for a variation.
struct WooCommerceIds {
  int64_t product_id = 0;
  int64_t variation_id = 0;  // 0: a simple (or variable parent) product
};

class WooCommerceConnector final : public Connector {
 public:
  WooCommerceConnector(WooCommerceConnectorConfig config, ConnectorDeps deps);
  ~WooCommerceConnector() override;

  const domain::ChannelId& channel() const override { return config_.channel; }
  const ConnectorLimits& limits() const override { return config_.limits; }
  void push(std::vector<PushItem> items, PushCallback callback) override;
  void read(std::vector<ListingRef> listings, ReadCallback callback) override;
  void poll_orders(const std::string& cursor, PollCallback callback) override;
  base::Result<ParsedWebhook> parse_webhook(const base::HttpRequest& request) override;
  LimitFeedback observe_limits(const base::HttpResponse& response) override;

  // What the bounded SKU cache holds (for tests and diagnostics).
  std::optional<WooCommerceIds> cached_ids(const std::string& sku) const;

 private:
  struct PushOp;
  struct ReadOp;
  struct Pages;
  using PagesCallback = std::function<void(Pages)>;

  // A request to `path_and_query` (under /wp-json/wc/v3) with auth, timeout and base_url set.
  base::HttpRequest make_request(std::string method, const std::string& path_and_query) const;
  // GETs every page of a list (X-WP-TotalPages), collecting the JSON objects.
  void fetch_pages(std::string path_and_query, PagesCallback callback);
  void fetch_page(std::shared_ptr<Pages> pages, std::string path_and_query, int64_t page,
                  PagesCallback callback);
  // Ids from the listing's external_ids_json, else the cache; nullopt: look the SKU up.
  std::optional<WooCommerceIds> known_ids(const ListingRef& listing) const;
  void remember_ids(const std::string& sku, WooCommerceIds ids);
  void forget_ids(const std::string& sku);

  void push_lookup_done(std::shared_ptr<PushOp> op, Pages pages);
  void push_next_batch(std::shared_ptr<PushOp> op);
  void push_batch_done(std::shared_ptr<PushOp> op, size_t batch,
                       base::Result<base::HttpResponse> result);
  void push_finish(std::shared_ptr<PushOp> op);
  void read_next_query(std::shared_ptr<ReadOp> op);
  void read_finish(std::shared_ptr<ReadOp> op);
  void poll_page_done(int64_t page, base::WallTime from,
                      base::Result<base::HttpResponse> result, PollCallback callback);

  WooCommerceConnectorConfig config_;
  ConnectorDeps deps_;
  std::map<std::string, WooCommerceIds> sku_cache_;
  std::deque<std::string> sku_cache_order_;  // insertion order, for eviction
};

}  // namespace invsync::connector
