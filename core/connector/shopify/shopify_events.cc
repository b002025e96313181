#include "core/connector/shopify/shopify_events.h"

#include <optional>
#include <string>

#include "core/connector/shopify/shopify_protocol.h"

namespace invsync::connector::shopify_detail {
namespace {

using domain::EventKind;
using simdjson::dom::element;

base::Status malformed(const std::string& where, const std::string& what) {
  return base::Status::invalid_argument("shopify payload: " + where + ": " + what);
}

// Whether Shopify tracks stock for the line: only an explicit non-"shopify" value says no.
bool line_tracked(const JsonValue& line) {
  const JsonValue management = member(line, "variant_inventory_management");
  if (!management) return true;
  return is_string(management) && string_of(*management) == "shopify";
}

base::Result<domain::Sku> line_sku(const JsonValue& line, const std::string& where) {
  const JsonValue sku_value = member(line, "sku");
  if (!is_string(sku_value)) return malformed(where + ".sku", "missing");
  auto sku = domain::Sku::parse(string_of(*sku_value));
  if (!sku.ok()) return malformed(where + ".sku", sku.status().message());
  return sku;
}

base::Result<domain::Quantity> line_quantity(const JsonValue& line, const std::string& where) {
  const auto q = json_int(member(line, "quantity"));
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

JsonValue find_line(const JsonValue& line_items, int64_t line_id) {
  simdjson::dom::array lines;
  if (!array_of(line_items, &lines)) return std::nullopt;
  for (const element line : lines) {
    const JsonValue id = member(line, "id");
    if (id && parse_id(id, "LineItem") == line_id) return line;
  }
  return std::nullopt;
}

EventKind refund_kind(std::string_view restock_type) {
  if (restock_type == "cancel" || restock_type == "return" || restock_type == "legacy_restock") {
    return EventKind::kRefundRestock;
  }
  return EventKind::kRefundNoRestock;  // "no_restock", and anything newer: record, never credit
}

base::Status append_refund_line(const domain::ChannelId& channel, const std::string& order_id,
                                const JsonValue& rl, const JsonValue& order_line_items,
                                const std::string& where, std::vector<domain::OrderEvent>* out) {
  if (!is_object(rl)) return malformed(where, "must be an object");
  const JsonValue line_id_value = member(rl, "line_item_id");
  const auto line_id = line_id_value ? parse_id(line_id_value, "LineItem") : std::nullopt;
  if (!line_id) return malformed(where + ".line_item_id", "missing");
  const JsonValue restock = member(rl, "restock_type");
  if (!is_string(restock)) return malformed(where + ".restock_type", "missing");
  JsonValue line;
  const JsonValue embedded = member(rl, "line_item");
  if (is_object(embedded)) line = embedded;
  if (!line || !member(line, "sku")) {
    const JsonValue from_order = find_line(order_line_items, *line_id);
    if (from_order) line = from_order;
  }
  if (!line) return malformed(where + ".line_item", "missing");
  if (!line_tracked(line)) return base::Status();
  auto quantity = line_quantity(rl, where);
  if (!quantity.ok()) return quantity.status();
  auto sku = line_sku(line, where + ".line_item");
  if (!sku.ok()) return sku.status();
  return add_event(channel, order_id, std::to_string(*line_id), refund_kind(string_of(*restock)),
                   std::move(*sku), *quantity, out);
}

}  // namespace

base::Status append_refund_events(const domain::ChannelId& channel, const JsonValue& refund,
                                  const JsonValue& order_line_items,
                                  std::vector<domain::OrderEvent>* out,
                                  std::optional<int64_t> order_id_default) {
  if (!is_object(refund)) return malformed("refund", "must be an object");
  const JsonValue order_id_value = member(refund, "order_id");
  const auto order_id = order_id_value ? parse_id(order_id_value, "Order") : order_id_default;
  if (!order_id) return malformed("refund.order_id", "missing");
  simdjson::dom::array lines;
  if (!array_of(member(refund, "refund_line_items"), &lines)) {
    return malformed("refund.refund_line_items", "missing");
  }
  size_t i = 0;
  for (const element line : lines) {
    INVSYNC_RETURN_IF_ERROR(
        append_refund_line(channel, std::to_string(*order_id), line, order_line_items,
                           "refund.refund_line_items[" + std::to_string(i++) + "]", out));
  }
  return base::Status();
}

base::Status append_order_events(const domain::ChannelId& channel, const JsonValue& order,
                                 bool cancelled, std::vector<domain::OrderEvent>* out) {
  if (!is_object(order)) return malformed("order", "must be an object");
  const JsonValue id_value = member(order, "id");
  const auto id = id_value ? parse_id(id_value, "Order") : std::nullopt;
  if (!id) return malformed("order.id", "missing");
  const std::string order_id = std::to_string(*id);
  const JsonValue lines_value = member(order, "line_items");
  simdjson::dom::array lines;
  if (!array_of(lines_value, &lines)) return malformed("order.line_items", "missing");
  const JsonValue cancelled_at = member(order, "cancelled_at");
  cancelled = cancelled || (cancelled_at && !is_null(cancelled_at));
  size_t i = 0;
  for (const element line_element : lines) {
    const std::string where = "order.line_items[" + std::to_string(i++) + "]";
    const JsonValue line = line_element;
    if (!is_object(line)) return malformed(where, "must be an object");
    if (!line_tracked(line)) continue;
    const JsonValue line_id_value = member(line, "id");
    const auto line_id = line_id_value ? parse_id(line_id_value, "LineItem") : std::nullopt;
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
  const JsonValue refunds_value = member(order, "refunds");
  if (!refunds_value || is_null(refunds_value)) return base::Status();
  simdjson::dom::array refunds;
  if (!array_of(refunds_value, &refunds)) return malformed("order.refunds", "must be an array");
  for (const element refund : refunds) {
    // A refund without its own order_id belongs to this order.
    INVSYNC_RETURN_IF_ERROR(append_refund_events(channel, refund, lines_value, out, *id));
  }
  return base::Status();
}

}  // namespace invsync::connector::shopify_detail
