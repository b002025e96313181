// The Shopify mock's store state: products/variants/inventory items at the one configured
// location, and orders. Plain data with lookups; no JSON, no HTTP. Ids are deterministic
// counters. Quantities follow Shopify's states: on_hand = available + committed, where
// committed is stock sold on unfulfilled orders (the mock never fulfils).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/status.h"
#include "core/base/time.h"

namespace invsync::mocks {

struct ShopifyVariant {
  std::string sku;
  std::string group;
  int64_t product_id = 0;
  int64_t variant_id = 0;
  int64_t inventory_item_id = 0;
  int64_t available = 0;
  int64_t committed = 0;
  bool tracked = true;  // "variant_inventory_management":"shopify"
  int64_t price_cents = 1999;
  base::WallTime updated_at;
};

struct ShopifyRefundLine {
  int64_t refund_line_id = 0;
  int64_t quantity = 0;
  std::string restock_type;  // "no_restock" | "cancel" | "return" | "legacy_restock"
};

struct ShopifyRefund {
  int64_t id = 0;
  base::WallTime created_at;
  ShopifyRefundLine line;
};

struct ShopifyOrder {
  int64_t id = 0;
  int64_t number = 0;  // name is "#<number>"
  int64_t line_item_id = 0;
  int64_t inventory_item_id = 0;
  int64_t quantity = 0;
  int64_t current_quantity = 0;  // quantity minus refunded/removed units
  base::WallTime created_at;
  base::WallTime updated_at;
  std::optional<base::WallTime> cancelled_at;
  base::Instant accepted_at;
  std::vector<ShopifyRefund> refunds;
};

class ShopifyCatalog {
 public:
  static constexpr int64_t kFirstProductId = 632910392;
  static constexpr int64_t kFirstVariantId = 808950810;
  static constexpr int64_t kFirstInventoryItemId = 39072856;
  static constexpr int64_t kFirstOrderId = 450789469;

  ShopifyCatalog() = default;
  // Not copyable: an index points into the variants it owns.
  ShopifyCatalog(const ShopifyCatalog&) = delete;
  ShopifyCatalog& operator=(const ShopifyCatalog&) = delete;

  base::Status add(std::string_view sku, int64_t available, std::string_view group,
                   base::WallTime now);
  ShopifyVariant* by_sku(std::string_view sku);
  const ShopifyVariant* by_sku(std::string_view sku) const;
  ShopifyVariant* by_item(int64_t inventory_item_id);
  const ShopifyVariant* by_item(int64_t inventory_item_id) const;
  // Variants whose SKU equals `sku` (Shopify does not enforce uniqueness; the mock does).
  std::vector<const ShopifyVariant*> search_sku(std::string_view sku) const;
  const std::map<int64_t, ShopifyVariant>& variants() const { return by_item_; }

  ShopifyOrder& new_order(const ShopifyVariant& v, int64_t quantity, base::WallTime wall,
                          base::Instant now);
  ShopifyOrder* order(int64_t id);
  const std::map<int64_t, ShopifyOrder>& orders() const { return orders_; }
  int64_t next_refund_id() { return next_refund_id_++; }
  int64_t next_adjustment_group_id() { return next_group_id_++; }

 private:
  // Hash and equality that accept a string_view, so lookups by SKU need no std::string.
  struct SkuHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::map<int64_t, ShopifyVariant> by_item_;  // by inventory_item_id
  // by_item_'s variants by inventory_item_id - kFirstInventoryItemId (ids are handed out in order).
  std::vector<ShopifyVariant*> item_index_;
  std::unordered_map<std::string, int64_t, SkuHash, std::equal_to<>> sku_to_item_;
  std::map<std::string, int64_t, std::less<>> group_to_product_;
  int64_t next_product_id_ = kFirstProductId;
  int64_t next_variant_id_ = kFirstVariantId;
  int64_t next_item_id_ = kFirstInventoryItemId;
  std::map<int64_t, ShopifyOrder> orders_;
  int64_t next_order_id_ = kFirstOrderId;
  int64_t next_order_number_ = 1001;
  int64_t next_line_item_id_ = 466157049;
  int64_t next_refund_id_ = 509562969;
  int64_t next_group_id_ = 1'000'000'001;
};

}  // namespace invsync::mocks
