// The Shopify mock's REST Admin inventory endpoints (after auth and the leaky bucket, which the
// mock applies): POST inventory_levels/set.json, POST inventory_levels/adjust.json and
// GET inventory_levels.json?inventory_item_ids=..&location_ids=... Bodies are flat JSON as in
// Shopify's fixtures; errors use Shopify's {"errors": ...} shapes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "core/base/time.h"
#include "mocks/shopify/shopify_config.h"
#include "mocks/shopify/shopify_state.h"

namespace invsync::mocks {

struct ShopifyRestResult {
  base::HttpResponse response;
  std::vector<int64_t> changed_items;  // inventory items written (for inventory_levels/update)
};

// `resource` is the path after "/admin/api/{version}/", e.g. "inventory_levels/set.json".
ShopifyRestResult handle_shopify_rest(std::string_view method, std::string_view resource,
                                      std::string_view query, std::string_view body,
                                      const ShopifyAccessToken& token,
                                      const ShopifyMockConfig& config, ShopifyCatalog& catalog,
                                      base::WallTime wall);

// Shopify's error responses, shared by REST and the GraphQL endpoint.
base::HttpResponse shopify_not_found();
base::HttpResponse shopify_missing_scope(std::string_view scope);
bool shopify_has_scope(const ShopifyAccessToken& token, std::string_view scope);

}  // namespace invsync::mocks
