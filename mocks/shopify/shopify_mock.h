// ShopifyMock: the Shopify platform as a deterministic MockPlatform (see DESIGN.md "Mocks" and
// shared/platforms/shopify-woocommerce.md, fidelity items 1-13; mocks/README.md says
// which are implemented). One shop, one location; every SKU is a product variant with an
// inventory item stocked there.
//
// API surface (all under /admin/api/{version}/, version one of config.api_versions):
//   REST  POST inventory_levels/set.json, POST inventory_levels/adjust.json,
//         GET inventory_levels.json   (shopify_rest.h; leaky bucket, X-Shopify-Shop-Api-Call-Limit)
//   GraphQL POST graphql.json          (shopify_graphql.h: accepted operations and cost model)
// Checks in order: HTTP outage page, path shape (404), X-Shopify-Access-Token (401), then REST's
// leaky bucket (429) or GraphQL's points bucket (THROTTLED), retired version (404), random 500s
// (error_rate_percent), scopes (403 / ACCESS_DENIED), the handler.
//
// Webhook receiver contract: deliveries are POSTs to config.webhook_target with a JSON body and
// X-Shopify-{Topic,Hmac-Sha256,Shop-Domain,API-Version,Webhook-Id,Triggered-At,Event-Id}; the
// caller reports each result through on_webhook_result (2xx = success; 3xx, 4xx, 5xx and 0 =
// failure). See shopify_webhooks.h for retries and subscription deletion.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/prng.h"
#include "mocks/common/mock_platform.h"
#include "mocks/common/rate_limits.h"
#include "mocks/shopify/shopify_config.h"
#include "mocks/shopify/shopify_graphql.h"
#include "mocks/shopify/shopify_state.h"
#include "mocks/shopify/shopify_webhooks.h"

namespace invsync::mocks {

class ShopifyMock final : public MockPlatform {
 public:
  ShopifyMock(ShopifyMockConfig config, uint64_t seed);

  std::string_view platform_name() const override { return "shopify"; }
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

  // --- Shopify-specific helpers ---
  // A refund of `quantity` units of the order's line item; restock_type is "no_restock",
  // "cancel", "return" or "legacy_restock" (all but no_restock put the units back). Emits
  // refunds/create (and inventory_levels/update when restocked).
  base::Status create_refund(std::string_view order_id, int64_t quantity,
                             std::string_view restock_type, base::Instant now);
  // Turns Shopify inventory tracking off/on for a SKU (untracked items answer 422 on REST).
  base::Status set_tracked(std::string_view sku, bool tracked);
  const ShopifyMockConfig& config() const { return config_; }
  base::WallTime wall_time(base::Instant now) const;

 private:
  base::HttpResponse handle_admin(const base::HttpRequest& request, std::string_view version,
                                  std::string_view resource, base::Instant now);
  base::HttpResponse handle_rest(const base::HttpRequest& request, std::string_view version,
                                 std::string_view resource, const ShopifyAccessToken& token,
                                 base::Instant now);
  const ShopifyAccessToken* find_token(const base::HttpRequest& request) const;
  bool version_served(std::string_view version) const;
  void apply_rate_percent(base::Instant now);
  void emit_level_updates(const std::vector<int64_t>& items, const std::string& event_id,
                          base::Instant now);
  void emit(std::string_view topic, std::string body, const std::string& event_id,
            base::Instant now);

  ShopifyMockConfig config_;
  base::Prng prng_;  // faults and random 500s
  ShopifyCatalog catalog_;
  ShopifyFaults faults_;
  TokenBucket rest_bucket_;
  ShopifyGraphql graphql_;
  ShopifyWebhooks webhooks_;
  uint32_t applied_rate_percent_ = 100;
  // Counters for stats(), indexed by Stat (a map lookup per request was measurable).
  enum Stat : size_t {
    kRequests,
    kRestRequests,
    kGraphqlRequests,
    kRateLimited,
    kThrottled,
    kUnauthorized,
    kServerErrors,
    kOutageResponses,
    kOrdersAccepted,
    kOrdersRefused,
    kOrdersCancelled,
    kRefunds,
    kStatCount
  };
  std::array<int64_t, kStatCount> stats_{};
};

}  // namespace invsync::mocks
