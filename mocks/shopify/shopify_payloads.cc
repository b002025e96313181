#include "mocks/shopify/shopify_payloads.h"

#include <nlohmann/json.hpp>

namespace invsync::mocks {
namespace {

using nlohmann::ordered_json;

std::string gid(const char* type, int64_t id) {
  return std::string("gid://shopify/") + type + "/" + std::to_string(id);
}

std::string price_string(int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return std::to_string(cents / 100) + "." + frac;
}

ordered_json line_item(const ShopifyOrder& o, const ShopifyVariant& v) {
  ordered_json li;
  li["id"] = o.line_item_id;
  li["admin_graphql_api_id"] = gid("LineItem", o.line_item_id);
  li["variant_id"] = v.variant_id;
  li["product_id"] = v.product_id;
  li["sku"] = v.sku;
  li["name"] = v.sku;
  li["title"] = v.group.empty() ? v.sku : v.group;
  li["quantity"] = o.quantity;
  li["current_quantity"] = o.current_quantity;
  li["fulfillable_quantity"] = o.cancelled_at ? 0 : o.current_quantity;
  li["fulfillment_status"] = nullptr;
  li["variant_inventory_management"] = v.tracked ? ordered_json("shopify") : ordered_json(nullptr);
  li["requires_shipping"] = true;
  li["gift_card"] = false;
  li["taxable"] = true;
  li["price"] = price_string(v.price_cents);
  return li;
}

}  // namespace

std::string shopify_time(base::WallTime t, const ShopifyMockConfig& config) {
  return base::format_iso8601_offset(t, config.utc_offset_minutes);
}

std::string inventory_level_json(const ShopifyVariant& v, const ShopifyMockConfig& config) {
  ordered_json j;
  j["inventory_item_id"] = v.inventory_item_id;
  j["location_id"] = config.location_id;
  j["available"] = v.available;
  j["updated_at"] = shopify_time(v.updated_at, config);
  j["admin_graphql_api_id"] = "gid://shopify/InventoryLevel/" + std::to_string(config.location_id) +
                              "?inventory_item_id=" + std::to_string(v.inventory_item_id);
  return j.dump();
}

std::string order_json(const ShopifyOrder& o, const ShopifyVariant& v,
                       const ShopifyMockConfig& config) {
  const std::string total = price_string(v.price_cents * o.quantity);
  ordered_json j;
  j["id"] = o.id;
  j["admin_graphql_api_id"] = gid("Order", o.id);
  j["name"] = "#" + std::to_string(o.number);
  j["order_number"] = o.number;
  j["created_at"] = shopify_time(o.created_at, config);
  j["updated_at"] = shopify_time(o.updated_at, config);
  j["processed_at"] = shopify_time(o.created_at, config);
  j["cancelled_at"] =
      o.cancelled_at ? ordered_json(shopify_time(*o.cancelled_at, config)) : ordered_json(nullptr);
  j["cancel_reason"] = o.cancelled_at ? ordered_json("customer") : ordered_json(nullptr);
  j["financial_status"] = o.cancelled_at ? "voided" : "paid";
  j["fulfillment_status"] = nullptr;
  j["test"] = false;
  j["currency"] = "USD";
  j["total_price"] = total;
  j["subtotal_price"] = total;
  j["location_id"] = config.location_id;
  j["source_name"] = "web";
  j["line_items"] = ordered_json::array({line_item(o, v)});
  return j.dump();
}

std::string refund_json(const ShopifyOrder& o, const ShopifyRefund& r, const ShopifyVariant& v,
                        const ShopifyMockConfig& config) {
  ordered_json rli;
  rli["id"] = r.line.refund_line_id;
  rli["line_item_id"] = o.line_item_id;
  rli["quantity"] = r.line.quantity;
  rli["location_id"] = r.line.restock_type == "no_restock" ? ordered_json(nullptr)
                                                           : ordered_json(config.location_id);
  rli["restock_type"] = r.line.restock_type;
  rli["subtotal"] = price_string(v.price_cents * r.line.quantity);
  rli["line_item"] = line_item(o, v);
  ordered_json j;
  j["id"] = r.id;
  j["admin_graphql_api_id"] = gid("Refund", r.id);
  j["order_id"] = o.id;
  j["created_at"] = shopify_time(r.created_at, config);
  j["processed_at"] = shopify_time(r.created_at, config);
  j["note"] = nullptr;
  j["restock"] = r.line.restock_type != "no_restock";
  j["refund_line_items"] = ordered_json::array({rli});
  j["transactions"] = ordered_json::array();
  return j.dump();
}

}  // namespace invsync::mocks
