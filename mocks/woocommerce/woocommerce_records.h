// The records the WooCommerce mock stores: products and variations, orders with their refunds,
// and webhooks, as the mock's tables hold them and its helpers hand them out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/time.h"

namespace invsync::mocks::woo {

struct Product {
  int64_t id = 0;
  int64_t parent_id = 0;
  std::string type = "simple";  // simple | variable | variation
  std::string name;
  std::string sku;
  int64_t price_cents = 0;
  bool manage_stock = false;  // the stored prop (a variation reads "parent" when inheriting)
  std::optional<int64_t> stock_quantity;
  std::string stock_status = "instock";  // instock | outofstock | onbackorder
  std::string backorders = "no";         // no | notify | yes
  std::optional<int64_t> low_stock_amount;
  std::vector<int64_t> variations;  // variable products
  base::Instant created;
  base::Instant modified;
};

struct Refund {
  int64_t id = 0;
  int64_t quantity = 0;  // items refunded (0 for an amount-only refund)
  int64_t amount_cents = 0;
  bool restocked = false;
  std::string reason;
};

struct Order {
  int64_t id = 0;
  std::string status = "processing";
  int64_t line_item_id = 0;
  int64_t product_id = 0;    // the parent for a variation
  int64_t variation_id = 0;  // 0 if none
  std::string sku;
  std::string name;
  int64_t quantity = 0;
  int64_t price_cents = 0;
  int64_t stock_id = 0;       // product whose stock this order moves (get_stock_managed_by_id)
  int64_t reduced_stock = 0;  // item meta _reduced_stock (0 = not reduced)
  base::Instant created;
  base::Instant modified;
  std::vector<Refund> refunds;
};

struct Webhook {
  int64_t id = 0;
  std::string topic;
  std::string status = "active";  // active | disabled
  int64_t failure_count = 0;
};

}  // namespace invsync::mocks::woo
