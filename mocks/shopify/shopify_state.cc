#include "mocks/shopify/shopify_state.h"

namespace invsync::mocks {

base::Status ShopifyCatalog::add(std::string_view sku, int64_t available, std::string_view group,
                                 base::WallTime now) {
  if (sku.empty()) return base::Status::invalid_argument("shopify: empty sku");
  if (sku_to_item_.count(sku) != 0) {
    return base::Status::already_exists("shopify: sku '" + std::string(sku) + "' already added");
  }
  ShopifyVariant v;
  v.sku = std::string(sku);
  v.group = std::string(group);
  if (!group.empty()) {
    auto it = group_to_product_.find(group);
    if (it == group_to_product_.end()) {
      it = group_to_product_.emplace(std::string(group), next_product_id_++).first;
    }
    v.product_id = it->second;
  } else {
    v.product_id = next_product_id_++;
  }
  v.variant_id = next_variant_id_++;
  v.inventory_item_id = next_item_id_++;
  v.available = available;
  v.updated_at = now;
  sku_to_item_.emplace(v.sku, v.inventory_item_id);
  const int64_t index = v.inventory_item_id - kFirstInventoryItemId;
  ShopifyVariant& stored = by_item_.emplace(v.inventory_item_id, std::move(v)).first->second;
  if (static_cast<size_t>(index) >= item_index_.size()) item_index_.resize(index + 1, nullptr);
  item_index_[static_cast<size_t>(index)] = &stored;
  return base::Status();
}

ShopifyVariant* ShopifyCatalog::by_sku(std::string_view sku) {
  auto it = sku_to_item_.find(sku);
  return it == sku_to_item_.end() ? nullptr : by_item(it->second);
}

const ShopifyVariant* ShopifyCatalog::by_sku(std::string_view sku) const {
  auto it = sku_to_item_.find(sku);
  return it == sku_to_item_.end() ? nullptr : by_item(it->second);
}

ShopifyVariant* ShopifyCatalog::by_item(int64_t id) {
  const uint64_t index = static_cast<uint64_t>(id) - static_cast<uint64_t>(kFirstInventoryItemId);
  return index < item_index_.size() ? item_index_[index] : nullptr;
}

const ShopifyVariant* ShopifyCatalog::by_item(int64_t id) const {
  const uint64_t index = static_cast<uint64_t>(id) - static_cast<uint64_t>(kFirstInventoryItemId);
  return index < item_index_.size() ? item_index_[index] : nullptr;
}

std::vector<const ShopifyVariant*> ShopifyCatalog::search_sku(std::string_view sku) const {
  std::vector<const ShopifyVariant*> out;
  if (const ShopifyVariant* v = by_sku(sku)) out.push_back(v);
  return out;
}

ShopifyOrder& ShopifyCatalog::new_order(const ShopifyVariant& v, int64_t quantity,
                                        base::WallTime wall, base::Instant now) {
  ShopifyOrder o;
  o.id = next_order_id_;
  next_order_id_ += 1000;
  o.number = next_order_number_++;
  o.line_item_id = next_line_item_id_++;
  o.inventory_item_id = v.inventory_item_id;
  o.quantity = quantity;
  o.current_quantity = quantity;
  o.created_at = wall;
  o.updated_at = wall;
  o.accepted_at = now;
  return orders_.emplace_hint(orders_.end(), o.id, std::move(o))->second;  // ids only grow
}

ShopifyOrder* ShopifyCatalog::order(int64_t id) {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

}  // namespace invsync::mocks
