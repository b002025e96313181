// ShopifyConnector: the Connector for one Shopify shop and location. Pushes absolute "available"
// quantities with one GraphQL inventorySetQuantities per batch (changeFromQuantity compare-and-
// set, @idempotent key; on a stale compare it re-reads those levels and retries once with the
// fresh values, since the hub's absolute value wins), reads levels with REST
// inventory_levels.json, polls REST orders.json, verifies webhooks (base64 HMAC-SHA256 of the
// raw body, current or previous app secret) and reads budgets from GraphQL throttleStatus and
// the REST call-limit header. No policy: every request goes once through deps.api. Callbacks
// capture the connector: it must outlive the operations it has in flight.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/connector/connector.h"
#include "core/connector/shopify/shopify_config.h"

namespace invsync::connector {

namespace shopify_detail {
class BodyParser;
}

class ShopifyConnector final : public Connector {
 public:
  ShopifyConnector(ShopifyConnectorConfig config, ConnectorDeps deps);
  ~ShopifyConnector() override;

  const domain::ChannelId& channel() const override { return config_.channel; }
  const ConnectorLimits& limits() const override { return config_.limits; }
  void push(std::vector<PushItem> items, PushCallback callback) override;
  void read(std::vector<ListingRef> listings, ReadCallback callback) override;
  void poll_orders(const std::string& cursor, PollCallback callback) override;
  base::Result<ParsedWebhook> parse_webhook(const base::HttpRequest& request) override;
  LimitFeedback observe_limits(const base::HttpResponse& response) override;

 private:
  struct PushOp;
  // Levels at the configured location by inventory item id (absent: not stocked there).
  using Levels = std::map<int64_t, std::optional<domain::Quantity>>;
  using LevelsCallback = std::function<void(base::Result<Levels>, int32_t http_status)>;

  base::HttpRequest make_request(std::string method, std::string target) const;
  void read_levels(const std::vector<int64_t>& item_ids, LevelsCallback callback);
  bool signature_valid(const base::HttpRequest& request) const;

  // push() steps (shopify_push.cc).
  void send_set(std::shared_ptr<PushOp> op, int round);
  void on_set_reply(std::shared_ptr<PushOp> op, int round,
                    base::Result<base::HttpResponse> reply);
  void reread_then_retry(std::shared_ptr<PushOp> op);
  void finish_push(std::shared_ptr<PushOp> op);

  ShopifyConnectorConfig config_;
  ConnectorDeps deps_;
  std::string location_gid_;
  // Reads API responses (simdjson, buffers reused): observe_limits() and then the exchange's
  // callback read one response once. Both run on the core's Scheduler, as the callbacks do.
  std::unique_ptr<shopify_detail::BodyParser> responses_;
};

}  // namespace invsync::connector
