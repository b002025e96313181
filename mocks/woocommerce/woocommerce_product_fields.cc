#include "mocks/woocommerce/woocommerce_product_fields.h"

#include <array>

namespace invsync::mocks::woo {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(ProductKey::kCount)> kNames = {
    "id",
    "name",
    "slug",
    "permalink",
    "date_created",
    "date_created_gmt",
    "date_modified",
    "date_modified_gmt",
    "type",
    "status",
    "sku",
    "price",
    "regular_price",
    "sale_price",
    "on_sale",
    "purchasable",
    "manage_stock",
    "stock_quantity",
    "backorders",
    "backorders_allowed",
    "backordered",
    "low_stock_amount",
    "parent_id",
    "variations",
    "meta_data",
    "stock_status",
    "attributes",
    "menu_order",
    "_links",
};

}  // namespace

std::string_view key_name(ProductKey key) { return kNames[static_cast<size_t>(key)]; }

ProductFields ProductFields::parse(std::string_view list) {
  if (list.empty()) return all();
  uint32_t bits = 0;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view name = list.substr(start, comma - start);
    // "a.b" selects inside a; the mock filters the top level only, so it keeps the whole of a.
    name = name.substr(0, name.find('.'));
    for (size_t k = 0; k < kNames.size(); ++k) {
      if (kNames[k] == name) bits |= 1U << k;
    }
    start = comma + 1;
  }
  return ProductFields(bits);
}

}  // namespace invsync::mocks::woo
