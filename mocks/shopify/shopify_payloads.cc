#include "mocks/shopify/shopify_payloads.h"

#include "core/base/json_writer.h"

namespace invsync::mocks {
namespace {

using base::JsonWriter;

// The bodies are written as text, member by member, in the order (and so byte for byte as) the
// ordered_json documents they replace were built.

std::string gid(const char* type, int64_t id) {
  return std::string("gid://shopify/") + type + "/" + std::to_string(id);
}

std::string price_string(int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return std::to_string(cents / 100) + "." + frac;
}

void write_line_item(JsonWriter& w, const ShopifyOrder& o, const ShopifyVariant& v) {
  w.begin_object();
  w.field("id", o.line_item_id);
  w.field("admin_graphql_api_id", gid("LineItem", o.line_item_id));
  w.field("variant_id", v.variant_id);
  w.field("product_id", v.product_id);
  w.field("sku", v.sku);
  w.field("name", v.sku);
  w.field("title", v.group.empty() ? v.sku : v.group);
  w.field("quantity", o.quantity);
  w.field("current_quantity", o.current_quantity);
  w.field("fulfillable_quantity", o.cancelled_at ? int64_t{0} : o.current_quantity);
  w.key("fulfillment_status").null();
  w.key("variant_inventory_management");
  if (v.tracked) {
    w.value("shopify");
  } else {
    w.null();
  }
  w.field("requires_shipping", true);
  w.field("gift_card", false);
  w.field("taxable", true);
  w.field("price", price_string(v.price_cents));
  w.end_object();
}

}  // namespace

std::string shopify_time(base::WallTime t, const ShopifyMockConfig& config) {
  return base::format_iso8601_offset(t, config.utc_offset_minutes);
}

void append_inventory_level_json(std::string& out, const ShopifyVariant& v,
                                 const ShopifyMockConfig& config) {
  const std::string item = std::to_string(v.inventory_item_id);
  const std::string location = std::to_string(config.location_id);
  out += "{\"inventory_item_id\":";
  out += item;
  out += ",\"location_id\":";
  out += location;
  out += ",\"available\":";
  out += std::to_string(v.available);
  out += ",\"updated_at\":";
  JsonWriter::append_escaped(out, shopify_time(v.updated_at, config));
  out += ",\"admin_graphql_api_id\":\"gid://shopify/InventoryLevel/";
  out += location;
  out += "?inventory_item_id=";
  out += item;
  out += "\"}";
}

std::string inventory_level_json(const ShopifyVariant& v, const ShopifyMockConfig& config) {
  std::string out;
  append_inventory_level_json(out, v, config);
  return out;
}

std::string order_json(const ShopifyOrder& o, const ShopifyVariant& v,
                       const ShopifyMockConfig& config) {
  const std::string total = price_string(v.price_cents * o.quantity);
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  w.begin_object();
  w.field("id", o.id);
  w.field("admin_graphql_api_id", gid("Order", o.id));
  w.field("name", "#" + std::to_string(o.number));
  w.field("order_number", o.number);
  w.field("created_at", shopify_time(o.created_at, config));
  w.field("updated_at", shopify_time(o.updated_at, config));
  w.field("processed_at", shopify_time(o.created_at, config));
  w.key("cancelled_at");
  if (o.cancelled_at) {
    w.value(shopify_time(*o.cancelled_at, config));
  } else {
    w.null();
  }
  w.key("cancel_reason");
  if (o.cancelled_at) {
    w.value("customer");
  } else {
    w.null();
  }
  w.field("financial_status", o.cancelled_at ? "voided" : "paid");
  w.key("fulfillment_status").null();
  w.field("test", false);
  w.field("currency", "USD");
  w.field("total_price", total);
  w.field("subtotal_price", total);
  w.field("location_id", config.location_id);
  w.field("source_name", "web");
  w.key("line_items").begin_array();
  write_line_item(w, o, v);
  w.end_array().end_object();
  return out;
}

std::string refund_json(const ShopifyOrder& o, const ShopifyRefund& r, const ShopifyVariant& v,
                        const ShopifyMockConfig& config) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("id", r.id);
  w.field("admin_graphql_api_id", gid("Refund", r.id));
  w.field("order_id", o.id);
  w.field("created_at", shopify_time(r.created_at, config));
  w.field("processed_at", shopify_time(r.created_at, config));
  w.key("note").null();
  w.field("restock", r.line.restock_type != "no_restock");
  w.key("refund_line_items").begin_array().begin_object();
  w.field("id", r.line.refund_line_id);
  w.field("line_item_id", o.line_item_id);
  w.field("quantity", r.line.quantity);
  w.key("location_id");
  if (r.line.restock_type == "no_restock") {
    w.null();
  } else {
    w.value(config.location_id);
  }
  w.field("restock_type", r.line.restock_type);
  w.field("subtotal", price_string(v.price_cents * r.line.quantity));
  w.key("line_item");
  write_line_item(w, o, v);
  w.end_object().end_array();
  w.key("transactions").begin_array().end_array();
  w.end_object();
  return out;
}

}  // namespace invsync::mocks
