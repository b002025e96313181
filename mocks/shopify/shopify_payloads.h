// JSON bodies the Shopify mock sends: REST inventory_level objects (also the
// inventory_levels/update webhook body), the order resource (orders/create, orders/cancelled) and
// the refund resource (refunds/create), shaped like Shopify's REST fixtures. Timestamps carry the
// shop's UTC offset ("2026-11-27T03:00:00-05:00").
#pragma once

#include <cstdint>
#include <string>

#include "core/base/time.h"
#include "mocks/shopify/shopify_config.h"
#include "mocks/shopify/shopify_state.h"

namespace invsync::mocks {

std::string shopify_time(base::WallTime t, const ShopifyMockConfig& config);
// {"inventory_item_id","location_id","available","updated_at","admin_graphql_api_id"}
std::string inventory_level_json(const ShopifyVariant& v, const ShopifyMockConfig& config);
// The same, appended to `out`.
void append_inventory_level_json(std::string& out, const ShopifyVariant& v,
                                 const ShopifyMockConfig& config);
std::string order_json(const ShopifyOrder& order, const ShopifyVariant& v,
                       const ShopifyMockConfig& config);
std::string refund_json(const ShopifyOrder& order, const ShopifyRefund& refund,
                        const ShopifyVariant& v, const ShopifyMockConfig& config);

}  // namespace invsync::mocks
