// Orders v0 on the Amazon mock: the storefront (place_order, cancel_order), getOrders with its
// InvalidInput rules and NextToken pages, getOrder, getOrderItems (no pricing while Pending), and
// the optional ORDER_CHANGE notifications (A4 JSON, at-least-once like SQS).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/json_writer.h"
#include "core/base/url.h"
#include "mocks/amazon/amazon_mock.h"
#include "mocks/amazon/sp_api_http.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::ordered_json;

std::string_view status_name(int status) {
  static constexpr std::string_view kNames[] = {"Pending", "Unshipped", "Canceled"};
  return kNames[status];
}

std::string digits_from(uint64_t v, int n) {
  std::string s(static_cast<size_t>(n), '0');
  for (int i = n - 1; i >= 0; --i, v /= 10)
    s[static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
  return s;
}

std::string money_amount(int64_t minor) {
  std::string cents = digits_from(static_cast<uint64_t>(minor % 100), 2);
  return std::to_string(minor / 100) + "." + cents;
}

HttpResponse invalid_input(const std::string& details) {
  return amazon::error_response(400, "InvalidInput",
                                "The input you have submitted is not valid. Please check your "
                                "input and try again.",
                                details);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    const size_t end = std::min(s.find(',', pos), s.size());
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

// --- storefront ---

PlaceOrderResult AmazonMock::place_order(std::string_view sku, int64_t quantity, Instant now) {
  advance(now);
  const auto it = listings_.find(sku);
  if (it == listings_.end()) return {false, "", "unknown sku"};
  if (quantity <= 0) return {false, "", "quantity must be positive"};
  if (it->second.live_quantity < quantity) return {false, "", "sold out"};
  Order order;
  order.id = "20" + digits_from(base::splitmix64(id_state_), 1) + "-" +
             digits_from(base::splitmix64(id_state_), 7) + "-" +
             digits_from(base::splitmix64(id_state_), 7);
  order.item_id = digits_from(base::splitmix64(id_state_), 14);
  order.sku = std::string(sku);
  order.asin = it->second.asin;
  order.quantity = quantity;
  order.created = now;
  order.last_update = now;
  if (config_.auto_decrement_on_order) {
    it->second.live_quantity -= quantity;
    order.decremented = true;
  }
  const size_t index = orders_.size();
  order_index_[order.id] = index;
  orders_by_update_.add(wall(order.last_update), index);
  std::string order_id = order.id;
  orders_.push_back(std::move(order));
  timers_.push(Timer{now + config_.order_visibility_delay, next_timer_seq_++,
                     TimerKind::kOrderVisible, index});
  timers_.push(Timer{now + config_.order_pending_duration, next_timer_seq_++,
                     TimerKind::kOrderUnshipped, index});
  count("orders_placed");
  advance(now);  // a zero visibility delay makes the order visible at once
  return {true, std::move(order_id), ""};
}

base::Status AmazonMock::cancel_order(std::string_view order_id, Instant now) {
  advance(now);
  const auto it = order_index_.find(order_id);
  if (it == order_index_.end()) return base::Status::not_found("no order " + std::string(order_id));
  Order& order = orders_[it->second];
  if (order.status == OrderStatus::kCanceled) {
    return base::Status::failed_precondition("order already cancelled");
  }
  order.status = OrderStatus::kCanceled;
  set_last_update(it->second, now);
  if (order.decremented) {
    auto listing = listings_.find(order.sku);
    if (listing != listings_.end()) listing->second.live_quantity += order.quantity;
  }
  count("orders_cancelled");
  if (order.visible) notify_order_change(order, now);
  return {};
}

// --- getOrders ---

std::optional<std::string> AmazonMock::parse_orders_query(const HttpRequest& request, Instant now,
                                                          OrdersQuery* q) const {
  const auto params = base::parse_query(request.query());
  if (!params) return "Malformed query string.";
  auto get = [&](const char* name) { return base::query_param(*params, name); };
  const auto markets = get("MarketplaceIds");
  if (!markets || markets->empty()) return "MarketplaceIds is required.";
  const auto ca = get("CreatedAfter"), cb = get("CreatedBefore");
  const auto la = get("LastUpdatedAfter"), lb = get("LastUpdatedBefore");
  if ((ca || cb) && (la || lb)) {
    return "CreatedAfter/CreatedBefore cannot be combined with LastUpdatedAfter/LastUpdatedBefore.";
  }
  if (!ca && !la) return "Either CreatedAfter or LastUpdatedAfter must be specified.";
  q->by_created = ca.has_value();
  const auto after = amazon::parse_iso8601(q->by_created ? *ca : *la);
  if (!after)
    return "Invalid date-time field(s) [" +
           std::string(q->by_created ? "CreatedAfter" : "LastUpdatedAfter") +
           "]: timestamp must follow ISO8601.";
  q->after = *after;
  const base::WallTime latest = wall(now) - config_.orders_default_before_lag;
  q->before = latest;
  const auto& before_text = q->by_created ? cb : lb;
  if (before_text) {
    const auto before = amazon::parse_iso8601(*before_text);
    if (!before) return "Invalid date-time field(s): timestamp must follow ISO8601.";
    if (*before > wall(now) - Duration::minutes(2)) {
      return "Date-time 'Before' must be at least 2 minutes before the request time.";
    }
    if (*before < q->after) return "Date-time 'Before' must not be earlier than 'After'.";
    q->before = *before;
  }
  if (const auto size = get("MaxResultsPerPage")) {
    char* end = nullptr;
    const long v = std::strtol(size->c_str(), &end, 10);
    if (size->empty() || *end != '\0' || v < 1 || v > 100) {
      return "MaxResultsPerPage must be between 1 and 100.";
    }
    q->page_size = v;
  }
  if (const auto statuses = get("OrderStatuses")) q->statuses = split_commas(*statuses);
  const auto ids = split_commas(*markets);
  if (std::find(ids.begin(), ids.end(), config_.marketplace_id) == ids.end()) q->page_size = -1;
  return std::nullopt;
}

HttpResponse AmazonMock::get_orders(const HttpRequest& request, Instant now) {
  const auto params = base::parse_query(request.query());
  const auto token = params ? base::query_param(*params, "NextToken") : std::nullopt;
  if (token) {
    const auto it = next_tokens_.find(*token);
    if (it == next_tokens_.end()) return invalid_input("Invalid NextToken.");
    OrdersQuery q = it->second;
    next_tokens_.erase(it);
    return orders_page(std::move(q));
  }
  OrdersQuery q;
  if (auto error = parse_orders_query(request, now, &q)) return invalid_input(*error);
  return orders_page(std::move(q));
}

std::vector<const AmazonMock::Order*> AmazonMock::matching_orders(const OrdersQuery& q) const {
  std::vector<const Order*> matching;
  if (q.page_size < 0) return matching;  // not this seller's marketplace
  auto matches = [&](const Order& o) {
    if (!o.visible) return false;
    const base::WallTime t = wall(q.by_created ? o.created : o.last_update);
    if (t < q.after || t > q.before) return false;
    const std::string_view status = status_name(static_cast<int>(o.status));
    return q.statuses.empty() ||
           std::find(q.statuses.begin(), q.statuses.end(), status) != q.statuses.end();
  };
  if (q.by_created) {
    for (const Order& o : orders_) {
      if (matches(o)) matching.push_back(&o);
    }
    return matching;
  }
  // By LastUpdateDate, earlier placed first among equal dates: the index's (date, index) order.
  for (const auto& [date, index] : orders_by_update_.between(q.after, q.before)) {
    const Order& o = orders_[index];
    if (wall(o.last_update) == date && matches(o)) matching.push_back(&o);  // not superseded
  }
  return matching;
}

HttpResponse AmazonMock::orders_page(OrdersQuery q) {
  const std::vector<const Order*> matching = matching_orders(q);
  const size_t page = q.page_size < 0 ? 0 : static_cast<size_t>(q.page_size);
  const size_t end = std::min(matching.size(), q.offset + page);
  std::string body;
  base::JsonWriter json(body);
  json.begin_object().key("payload").begin_object().key("Orders").begin_array();
  for (size_t i = q.offset; i < end; ++i) write_order(json, *matching[i]);
  json.end_array();
  if (end < matching.size()) {
    const std::string token = next_id_hex(40);
    q.offset = end;
    next_tokens_[token] = q;
    json.field("NextToken", token);
  }
  json.field(q.by_created ? "CreatedBefore" : "LastUpdatedBefore",
             base::format_iso8601_utc(q.before));
  json.end_object().end_object();
  return HttpResponse::text(200, "application/json", std::move(body));
}

void AmazonMock::write_money(base::JsonWriter& json, int64_t minor) const {
  json.begin_object()
      .field("CurrencyCode", config_.currency_code)
      .field("Amount", money_amount(minor))
      .end_object();
}

void AmazonMock::write_order(base::JsonWriter& json, const Order& o) const {
  json.begin_object();
  json.field("AmazonOrderId", o.id);
  json.field("PurchaseDate", iso(o.created));
  json.field("LastUpdateDate", iso(o.last_update));
  json.field("OrderStatus", status_name(static_cast<int>(o.status)));
  json.field("FulfillmentChannel", "MFN");
  json.field("SalesChannel",
             config_.marketplace_id == "A1F83G8C2ARO7P" ? "Amazon.co.uk" : "Amazon");
  json.field("ShipServiceLevel", "Std UK Dom_1");
  if (o.status == OrderStatus::kUnshipped) {
    json.key("OrderTotal");
    write_money(json, config_.item_price_minor * o.quantity);
  }
  json.field("NumberOfItemsShipped", 0);
  json.field("NumberOfItemsUnshipped", o.status == OrderStatus::kCanceled ? 0 : o.quantity);
  json.field("PaymentMethod", "Other");
  json.field("MarketplaceId", config_.marketplace_id);
  json.field("OrderType", "StandardOrder");
  json.field("IsBusinessOrder", false);
  json.field("IsPrime", false);
  json.field("IsPremiumOrder", false);
  json.field("IsReplacementOrder", false);
  json.field("IsISPU", false);
  json.end_object();
}

void AmazonMock::set_last_update(size_t index, Instant at) {
  orders_[index].last_update = at;
  orders_by_update_.add(wall(at), index);
}

HttpResponse AmazonMock::get_order(const std::string& order_id) const {
  const auto it = order_index_.find(order_id);
  if (it == order_index_.end() || !orders_[it->second].visible) {
    return amazon::error_response(404, "NotFound", "Order not found.");
  }
  std::string body;
  base::JsonWriter json(body);
  json.begin_object().key("payload");
  write_order(json, orders_[it->second]);
  json.end_object();
  return HttpResponse::text(200, "application/json", std::move(body));
}

HttpResponse AmazonMock::get_order_items(const std::string& order_id) const {
  const auto it = order_index_.find(order_id);
  if (it == order_index_.end() || !orders_[it->second].visible) {
    return amazon::error_response(404, "NotFound", "Order not found.");
  }
  const Order& o = orders_[it->second];
  std::string body;
  base::JsonWriter json(body);
  json.begin_object().key("payload").begin_object().key("OrderItems").begin_array();
  json.begin_object();
  json.field("ASIN", o.asin);
  json.field("SellerSKU", o.sku);
  json.field("OrderItemId", o.item_id);
  json.field("Title", "Item " + o.sku);
  json.field("QuantityOrdered", o.quantity);
  json.field("QuantityShipped", 0);
  if (o.status != OrderStatus::kPending) {
    json.key("ItemPrice");
    write_money(json, config_.item_price_minor * o.quantity);
    json.key("ItemTax");
    write_money(json, 0);
    json.key("PromotionDiscount");
    write_money(json, 0);
  }
  json.end_object().end_array();
  json.field("AmazonOrderId", o.id);
  json.end_object().end_object();
  return HttpResponse::text(200, "application/json", std::move(body));
}

// --- ORDER_CHANGE notifications ---

void AmazonMock::notify_order_change(const Order& o, Instant at) {
  if (!config_.order_change_notifications) return;
  const std::string status(status_name(static_cast<int>(o.status)));
  ordered_json item;
  item["OrderItemId"] = o.item_id;
  item["SellerSKU"] = o.sku;
  item["SupplySourceId"] = nullptr;
  item["Quantity"] = o.quantity;
  item["QuantityShipped"] = 0;
  item["OrderItemStatus"] = o.status == OrderStatus::kCanceled ? "Canceled" : "Unshipped";
  item["IsBuyerRequestedCancel"] = o.status == OrderStatus::kCanceled;
  ordered_json summary;
  summary["MarketplaceId"] = config_.marketplace_id;
  summary["OrderStatus"] = status;
  summary["PurchaseDate"] = iso(o.created);
  summary["DestinationPostalCode"] = nullptr;
  summary["FulfillmentType"] = "MFN";
  summary["OrderType"] = "StandardOrder";
  summary["OrderItems"] = ordered_json::array({item});
  ordered_json change;
  change["NotificationLevel"] = config_.notification_level;
  change["SellerId"] = config_.seller_id;
  change["AmazonOrderId"] = o.id;
  change["OrderChangeType"] = "OrderStatusChange";
  change["OrderChangeTrigger"] = {{"TimeOfOrderChange", iso(at)}, {"ChangeReason", status}};
  change["Summary"] = summary;
  const std::string notification_id = next_uuid();
  ordered_json n;
  n["NotificationVersion"] = "1.0";
  n["NotificationType"] = "ORDER_CHANGE";
  n["PayloadVersion"] = "1.0";
  n["EventTime"] = iso(at);
  n["Payload"]["OrderChangeNotification"] = change;
  n["NotificationMetadata"] = {{"ApplicationId", "amzn1.sellerapps.app.invsync-mock"},
                               {"SubscriptionId", "invsync-mock-order-change"},
                               {"PublishTime", iso(at)},
                               {"NotificationId", notification_id}};
  base::HttpRequest request{.method = "POST", .target = config_.notification_target};
  request.headers.set("Content-Type", "application/json");
  request.body = n.dump();
  notifications_.push(WebhookDelivery{notification_id, at, std::move(request)}, faults_.common,
                      prng_);
  count("notifications_queued");
}

std::vector<WebhookDelivery> AmazonMock::take_due_webhooks(Instant now) {
  advance(now);
  std::vector<WebhookDelivery> due = notifications_.take_due(now);
  for (const WebhookDelivery& d : due) in_flight_[d.delivery_id] = d;
  count("notifications_sent", static_cast<int64_t>(due.size()));
  return due;
}

void AmazonMock::on_webhook_result(std::string_view delivery_id, int32_t status, Instant now) {
  const auto it = in_flight_.find(std::string(delivery_id));
  if (it == in_flight_.end()) return;
  WebhookDelivery d = std::move(it->second);
  in_flight_.erase(it);
  if (status >= 200 && status < 300) return;
  // Not acknowledged: the message becomes visible again after the visibility timeout.
  count("notifications_redelivered");
  d.delivery_id += "-r";
  d.due = now + config_.notification_redelivery;
  notifications_.push_exact(std::move(d));
}

}  // namespace invsync::mocks
