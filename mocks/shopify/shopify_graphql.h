// The Shopify mock's GraphQL Admin endpoint (POST /admin/api/{v}/graphql.json, body
// {"query": "...", "variables": {...}}). There is no GraphQL parser: the operation is recognised
// by the field name in the query text and its arguments come from `variables` (or, where noted,
// an inline literal). Responses have a fixed full selection regardless of the query's selection
// set. Accepted operations, checked in this order:
//
//   inventorySetQuantities   variables.input = {name: "available"|"on_hand", reason,
//       referenceDocumentUri?, ignoreCompareQuantity? (<=2025-10 style, removed in 2026-04),
//       quantities: [{inventoryItemId: "gid://shopify/InventoryItem/N",
//                     locationId: "gid://shopify/Location/N", quantity,
//                     compareQuantity? (<2026-04), changeFromQuantity? (>=2026-01, null = skip)}]}
//   inventoryAdjustQuantities variables.input = {name, reason, referenceDocumentUri?,
//       changes: [{inventoryItemId, locationId, delta, changeFromQuantity? (>=2026-01)}]}
//     Idempotency for both: `@idempotent(key: "literal")` or `@idempotent(key: $var)` with
//     variables[var] a string, anywhere in the query text. Required from
//     config.idempotency_required_from (default 2026-04). A replay with the same key and the same
//     variables.input returns the original data; other input: IDEMPOTENCY_KEY_PARAMETER_MISMATCH.
//   productVariants  search from variables.query or an inline `query: "sku:X"`; page size from
//       variables.first or an inline `first: N` (default 10).
//   inventoryItems   same arguments as productVariants.
//   inventoryItem    variables.id or an inline `id: "gid://shopify/InventoryItem/N"`.
//
// Cost model (deterministic; requested = actual unless noted): set 10 + #quantities, adjust
// 10 + #changes, productVariants/inventoryItems requested 2 + 3*first and actual
// 2 + 3*returned, inventoryItem 3, anything else 1. A requested cost above
// config.graphql_max_query_cost is rejected (MAX_COST_EXCEEDED) before execution and charges
// nothing; a bucket short of the requested cost answers THROTTLED with no data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/http.h"
#include "core/base/time.h"
#include "mocks/common/rate_limits.h"
#include "mocks/shopify/shopify_config.h"
#include "mocks/shopify/shopify_state.h"

namespace invsync::mocks {

struct ShopifyGraphqlResult {
  base::HttpResponse response;
  std::vector<int64_t> changed_items;  // inventory items written (for inventory_levels/update)
  bool throttled = false;
};

// What an executed idempotent mutation left behind: its input and its result.
struct ShopifyIdempotencyRecord {
  std::string fingerprint;  // operation + canonical variables.input
  std::string data_json;    // the original "data"
};

class ShopifyGraphql {
 public:
  ShopifyGraphql(const ShopifyMockConfig& config, ShopifyCatalog& catalog, base::Instant start);

  ShopifyGraphqlResult handle(std::string_view body, std::string_view version,
                              const ShopifyAccessToken& token, int32_t throttled_status,
                              base::Instant now, base::WallTime wall);
  // Scales the points bucket (the common rate_limit_percent fault).
  void set_rate_percent(uint32_t percent, base::Instant now);
  int64_t available_points(base::Instant now) { return bucket_.available(now); }

 private:
  const ShopifyMockConfig& config_;
  ShopifyCatalog& catalog_;
  TokenBucket bucket_;
  std::unordered_map<std::string, ShopifyIdempotencyRecord> idempotency_;  // "<mutation>|<key>"
};

}  // namespace invsync::mocks
