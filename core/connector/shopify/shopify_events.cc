#include "core/connector/shopify/shopify_events.h"

#include <optional>
#include <string>

#include "core/connector/shopify/shopify_protocol.h"

namespace invsync::connector::shopify_detail {
namespace {

using domain::EventKind;
using nlohmann::json;

base::Status malformed(const std::string& where, const std::string& what) {
  return base::Status::invalid_argument("shopify payload: " + where + ": " + what);
}

// Whether Shopify tracks stock for the line: only an explicit non-"shopify" value says no.
bool line_tracked(const json& line) {
  const auto it = line.find("variant_inventory_management");
  if (it == line.end()) return true;
  return it->is_string() && it->get_ref<const std::string&>() == "shopify";
}

base::Result<domain::Sku> line_sku(const json& line, const std::string& where) {
  const auto it = line.find("sku");
  if (it == line.end() || !it->is_string()) return malformed(where + ".sku", "missing");
  auto sku = domain::Sku::parse(it->get_ref<const std::string&>());
  if (!sku.ok()) return malformed(where + ".sku", sku.status().message());
  return sku;
}

base::Result<domain::Quantity> line_quantity(const json& line, const std::string& where) {
  const auto it = line.find("quantity");
  const auto q = it == line.end() ? std::nullopt : json_int(*it);
  if (!q || *q < 1 || *q > domain::kQuantityUnitsMax) {
    return malformed(where + ".quantity", "must be a whole number from 1");
  }
  return domain::Quantity(*q);
}

base::Status add_event(const domain::ChannelId& channel, const std::string& order_id,
                       const std::string& line_key, EventKind kind, domain::Sku sku,
                       domain::Quantity quantity, std::vector<domain::OrderEvent>* out) {
  domain::OrderEvent event{domain::EventKey{channel, order_id, line_key, kind}, std::move(sku),
                           quantity, ""};
  INVSYNC_RETURN_IF_ERROR(domain::validate_event(event));
  out->push_back(std::move(event));
  return base::Status();
}

const json* find_line(const json& line_items, int64_t line_id) {
  if (!line_items.is_array()) return nullptr;
  for (const auto& line : line_items) {
    if (line.is_object() && line.contains("id") && parse_id(line["id"], "LineItem") == line_id) {
      return &line;
    }
  }
  return nullptr;
}

EventKind refund_kind(const std::string& restock_type) {
  if (restock_type == "cancel" || restock_type == "return" || restock_type == "legacy_restock") {
    return EventKind::kRefundRestock;
  }
  return EventKind::kRefundNoRestock;  // "no_restock", and anything newer: record, never credit
}

base::Status append_refund_line(const domain::ChannelId& channel, const std::string& order_id,
                                const json& rl, const json& order_line_items,
                                const std::string& where, std::vector<domain::OrderEvent>* out) {
  if (!rl.is_object()) return malformed(where, "must be an object");
  const auto line_id = rl.contains("line_item_id") ? parse_id(rl["line_item_id"], "LineItem")
                                                   : std::nullopt;
  if (!line_id) return malformed(where + ".line_item_id", "missing");
  const auto restock = rl.find("restock_type");
  if (restock == rl.end() || !restock->is_string()) {
    return malformed(where + ".restock_type", "missing");
  }
  const json* line = nullptr;
  const auto embedded = rl.find("line_item");
  if (embedded != rl.end() && embedded->is_object()) line = &*embedded;
  if (line == nullptr || !line->contains("sku")) {
    const json* from_order = find_line(order_line_items, *line_id);
    if (from_order != nullptr) line = from_order;
  }
  if (line == nullptr) return malformed(where + ".line_item", "missing");
  if (!line_tracked(*line)) return base::Status();
  auto quantity = line_quantity(rl, where);
  if (!quantity.ok()) return quantity.status();
  auto sku = line_sku(*line, where + ".line_item");
  if (!sku.ok()) return sku.status();
  return add_event(channel, order_id, std::to_string(*line_id),
                   refund_kind(restock->get<std::string>()), std::move(*sku), *quantity, out);
}

}  // namespace

base::Status append_refund_events(const domain::ChannelId& channel, const json& refund,
                                  const json& order_line_items,
                                  std::vector<domain::OrderEvent>* out) {
  if (!refund.is_object()) return malformed("refund", "must be an object");
  const auto order_id = refund.contains("order_id") ? parse_id(refund["order_id"], "Order")
                                                    : std::nullopt;
  if (!order_id) return malformed("refund.order_id", "missing");
  const auto lines = refund.find("refund_line_items");
  if (lines == refund.end() || !lines->is_array()) {
    return malformed("refund.refund_line_items", "missing");
  }
  for (size_t i = 0; i < lines->size(); ++i) {
    INVSYNC_RETURN_IF_ERROR(append_refund_line(
        channel, std::to_string(*order_id), (*lines)[i], order_line_items,
        "refund.refund_line_items[" + std::to_string(i) + "]", out));
  }
  return base::Status();
}

base::Status append_order_events(const domain::ChannelId& channel, const json& order,
                                 bool cancelled, std::vector<domain::OrderEvent>* out) {
  if (!order.is_object()) return malformed("order", "must be an object");
  const auto id = order.contains("id") ? parse_id(order["id"], "Order") : std::nullopt;
  if (!id) return malformed("order.id", "missing");
  const std::string order_id = std::to_string(*id);
  const auto lines = order.find("line_items");
  if (lines == order.end() || !lines->is_array()) return malformed("order.line_items", "missing");
  const auto cancelled_at = order.find("cancelled_at");
  cancelled = cancelled || (cancelled_at != order.end() && !cancelled_at->is_null());
  for (size_t i = 0; i < lines->size(); ++i) {
    const std::string where = "order.line_items[" + std::to_string(i) + "]";
    const json& line = (*lines)[i];
    if (!line.is_object()) return malformed(where, "must be an object");
    if (!line_tracked(line)) continue;
    const auto line_id = line.contains("id") ? parse_id(line["id"], "LineItem") : std::nullopt;
    if (!line_id) return malformed(where + ".id", "missing");
    auto quantity = line_quantity(line, where);
    if (!quantity.ok()) return quantity.status();
    auto sku = line_sku(line, where);
    if (!sku.ok()) return sku.status();
    const std::string key = std::to_string(*line_id);
    INVSYNC_RETURN_IF_ERROR(
        add_event(channel, order_id, key, EventKind::kSale, *sku, *quantity, out));
    if (cancelled) {
      INVSYNC_RETURN_IF_ERROR(
          add_event(channel, order_id, key, EventKind::kCancel, *sku, *quantity, out));
    }
  }
  const auto refunds = order.find("refunds");
  if (refunds == order.end() || refunds->is_null()) return base::Status();
  if (!refunds->is_array()) return malformed("order.refunds", "must be an array");
  for (const auto& refund : *refunds) {
    json with_order = refund;
    if (with_order.is_object() && !with_order.contains("order_id")) with_order["order_id"] = *id;
    INVSYNC_RETURN_IF_ERROR(append_refund_events(channel, with_order, *lines, out));
  }
  return base::Status();
}

}  // namespace invsync::connector::shopify_detail
