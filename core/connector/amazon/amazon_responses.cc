#include "core/connector/amazon/amazon_responses.h"

#include <nlohmann/json.hpp>

#include "core/base/compat_json.h"

namespace invsync::connector::amazon_detail {
namespace {

namespace dom = simdjson::dom;

// The body's root object; nullopt when it is not JSON or not an object. nlohmann, which read
// these bodies before, skipped a leading UTF-8 byte order mark and stopped at a NUL byte. Valid
// until the next call on this thread.
std::optional<dom::object> parse_object(std::string_view body) {
  static thread_local base::CompatJsonParser parser;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  body = body.substr(0, body.find('\0'));
  dom::element root;
  dom::object object;
  if (!parser.parse(body, &root) || root.get(object) != simdjson::SUCCESS) return std::nullopt;
  return object;
}

std::string string_of(dom::element value) {
  std::string_view s;
  return value.get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

// nlohmann's is_number_integer() and get<int64_t>(): unsigned values beyond int64 wrap.
std::optional<int64_t> integer_of(dom::element value) {
  switch (value.type()) {
    case dom::element_type::INT64:
      return value.get_int64().value_unsafe();
    case dom::element_type::UINT64:
      return static_cast<int64_t>(value.get_uint64().value_unsafe());
    default:
      return std::nullopt;
  }
}

// The value as nlohmann's get<std::string>() reads it: the string, or type_error 302 thrown
// naming the value's type.
std::string nlohmann_string(dom::element value) {
  std::string_view s;
  if (value.get(s) == simdjson::SUCCESS) return std::string(s);
  nlohmann::json same_type;  // null
  if (value.is_bool()) same_type = false;
  if (value.is_number()) same_type = 0;
  if (value.is_object()) same_type = nlohmann::json::object();
  if (value.is_array()) same_type = nlohmann::json::array();
  return same_type.get<std::string>();
}

std::string string_member(dom::object object, std::string_view key) {
  const std::optional<dom::element> value = base::last_member(object, key);
  return value ? string_of(*value) : std::string();
}

// The body's "payload" object and its array `array_key`.
struct Payload {
  dom::object object;
  dom::array array;
};

std::optional<Payload> payload_with_array(std::string_view body, std::string_view array_key) {
  const std::optional<dom::object> root = parse_object(body);
  if (!root) return std::nullopt;
  Payload out;
  const std::optional<dom::element> payload = base::last_member(*root, "payload");
  if (!payload || payload->get(out.object) != simdjson::SUCCESS) return std::nullopt;
  const std::optional<dom::element> array = base::last_member(out.object, array_key);
  if (!array || array->get(out.array) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

}  // namespace

std::optional<OrdersPage> decode_orders_page(std::string_view body) {
  const std::optional<Payload> payload = payload_with_array(body, "Orders");
  if (!payload) return std::nullopt;
  OrdersPage page;
  page.last_updated_before = string_member(payload->object, "LastUpdatedBefore");
  page.next_token = string_member(payload->object, "NextToken");
  page.orders.reserve(payload->array.size());
  for (const dom::element entry : payload->array) {
    OrderSummary& order = page.orders.emplace_back();
    dom::object fields;
    if (entry.get(fields) != simdjson::SUCCESS) continue;
    for (const dom::key_value_pair member : fields) {
      if (member.key == "AmazonOrderId") order.amazon_order_id = string_of(member.value);
      if (member.key == "LastUpdateDate") order.last_update_date = string_of(member.value);
      if (member.key == "OrderStatus") order.order_status = string_of(member.value);
    }
  }
  return page;
}

std::optional<OrderItemsPage> decode_order_items(std::string_view body) {
  const std::optional<Payload> payload = payload_with_array(body, "OrderItems");
  if (!payload) return std::nullopt;
  OrderItemsPage page;
  page.next_token = string_member(payload->object, "NextToken");
  page.items.reserve(payload->array.size());
  for (const dom::element entry : payload->array) {
    OrderItem& item = page.items.emplace_back();
    dom::object fields;
    if (entry.get(fields) != simdjson::SUCCESS) continue;
    item.is_object = true;
    for (const dom::key_value_pair member : fields) {
      if (member.key == "OrderItemId") item.order_item_id = string_of(member.value);
      if (member.key == "QuantityOrdered") item.quantity_ordered = integer_of(member.value);
      if (member.key == "SellerSKU") item.seller_sku = string_of(member.value);
    }
  }
  return page;
}

std::optional<DefaultAvailability> decode_default_availability(std::string_view body) {
  using Kind = DefaultAvailability::Kind;
  const std::optional<dom::object> root = parse_object(body);
  if (!root) return std::nullopt;
  const std::optional<dom::element> list = base::last_member(*root, "fulfillmentAvailability");
  if (!list) return DefaultAvailability{Kind::kNoList};
  dom::array entries;
  if (list->get(entries) != simdjson::SUCCESS) return DefaultAvailability{Kind::kNotArray};
  for (const dom::element entry : entries) {
    dom::object fields;
    if (entry.get(fields) != simdjson::SUCCESS) continue;
    const std::optional<dom::element> code = base::last_member(fields, "fulfillmentChannelCode");
    if (!code || nlohmann_string(*code) != "DEFAULT") continue;  // as json::value() reads it
    const std::optional<dom::element> quantity = base::last_member(fields, "quantity");
    if (!quantity) return DefaultAvailability{Kind::kNoQuantity};
    const std::optional<int64_t> units = integer_of(*quantity);
    if (!units) return DefaultAvailability{Kind::kNotInteger};
    return DefaultAvailability{Kind::kQuantity, *units};
  }
  return DefaultAvailability{Kind::kNoDefault};
}

}  // namespace invsync::connector::amazon_detail
