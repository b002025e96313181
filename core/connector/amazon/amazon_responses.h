// The SP-API response bodies the connector reads by the thousand (getOrders pages, getOrderItems,
// getListingsItem for reconciliation), decoded with simdjson into the few fields it uses instead
// of an nlohmann tree. A body is accepted exactly when amazon_detail::parse_object would accept
// it, and a repeated key counts with its last value, as in nlohmann. Fields come out as found;
// judging them (an empty AmazonOrderId, a malformed date) is the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invsync::connector::amazon_detail {

// One entry of payload.Orders. A member that is absent or not a string reads as empty, as does
// every member of an entry that is not an object.
struct OrderSummary {
  std::string amazon_order_id;
  std::string last_update_date;
  std::string order_status;
};

struct OrdersPage {
  std::vector<OrderSummary> orders;
  std::string last_updated_before;  // empty when absent or not a string
  std::string next_token;           // empty when absent or not a string
};

// nullopt unless the body is a JSON object whose "payload" object holds an "Orders" array.
std::optional<OrdersPage> decode_orders_page(std::string_view body);

// One entry of payload.OrderItems (strings as in OrderSummary).
struct OrderItem {
  bool is_object = false;
  std::string order_item_id;
  std::optional<int64_t> quantity_ordered;  // nullopt when absent or not an integer
  std::string seller_sku;
};

struct OrderItemsPage {
  std::vector<OrderItem> items;
  std::string next_token;  // empty when absent or not a string
};

// nullopt unless the body is a JSON object whose "payload" object holds an "OrderItems" array.
std::optional<OrderItemsPage> decode_order_items(std::string_view body);

// What a getListingsItem body says of the merchant-fulfilled offer: the first object entry of
// fulfillmentAvailability whose fulfillmentChannelCode is "DEFAULT", and its quantity.
struct DefaultAvailability {
  enum class Kind : uint8_t {
    kNoList,      // no fulfillmentAvailability
    kNotArray,    // fulfillmentAvailability is not an array
    kNoDefault,   // no DEFAULT entry
    kNoQuantity,  // the DEFAULT entry has no quantity
    kNotInteger,  // its quantity is not an integer
    kQuantity,    // its quantity is `quantity`
  };
  Kind kind = Kind::kNoList;
  int64_t quantity = 0;
};

// nullopt unless the body is a JSON object. A fulfillmentChannelCode that is not a string throws
// nlohmann's type_error, as json::value() does.
std::optional<DefaultAvailability> decode_default_availability(std::string_view body);

}  // namespace invsync::connector::amazon_detail
