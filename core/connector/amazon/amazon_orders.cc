// AmazonConnector, order intake: Orders v0 getOrders by LastUpdatedAfter (one page per poll,
// NextToken carried in the cursor), then getOrderItems per order; each item is a kSale, and the
// items of a Canceled order are a kSale and a kCancel. The cursor is "<ISO 8601>" (the next
// LastUpdatedAfter) or, while more pages wait, "<next after>|<this query's after>|<NextToken>" so
// that a rejected (expired) NextToken can restart the query from its start.
#include "core/base/url.h"
#include "core/connector/amazon/amazon_connector.h"
#include "core/connector/amazon/amazon_internal.h"
#include "core/connector/amazon/amazon_responses.h"

namespace invsync::connector {

namespace ad = amazon_detail;

namespace {

// Amazon rejects *Before later than two minutes ago; without LastUpdatedBefore it answers up to
// then, so a LastUpdatedAfter newer than this has nothing to return yet.
constexpr base::Duration kOrdersSettle = base::Duration::minutes(2);

struct PolledOrder {
  std::string id;
  bool canceled = false;
};

}  // namespace

struct AmazonConnector::OrdersPoll {
  PollCallback callback;
  base::WallTime after;     // LastUpdatedAfter of the query (the one the NextToken continues)
  std::string next_token;  // from the cursor: fetch this page instead of querying by time
  base::WallTime best;     // the next cursor's time
  std::vector<PolledOrder> orders;
  size_t order_index = 0;
  std::string page_next_token;
  std::vector<domain::OrderEvent> events;
};

void AmazonConnector::poll_orders(const std::string& cursor, PollCallback callback) {
  auto poll = std::make_shared<OrdersPoll>();
  poll->callback = std::move(callback);
  const base::WallTime now = deps_.clock.wall_now();
  if (cursor.empty()) {
    const auto start = ad::parse_iso8601(config_.orders_start);
    poll->after = start ? *start : now - config_.orders_lookback;
  } else {
    const size_t bar = cursor.find('|');
    const size_t bar2 = bar == std::string::npos ? bar : cursor.find('|', bar + 1);
    const auto best = ad::parse_iso8601(std::string_view(cursor).substr(0, bar));
    const auto after =
        bar == std::string::npos ? best
                                 : ad::parse_iso8601(std::string_view(cursor).substr(
                                       bar + 1, bar2 == std::string::npos ? 0 : bar2 - bar - 1));
    if (!best || !after || (bar != std::string::npos && bar2 + 1 >= cursor.size())) {
      deps_.scheduler.post([poll] {
        poll->callback(base::Status::invalid_argument("amazon: malformed order cursor"));
      });
      return;
    }
    poll->after = *after;
    poll->best = *best;
    if (bar != std::string::npos) poll->next_token = cursor.substr(bar2 + 1);
  }
  if (cursor.empty()) poll->best = poll->after;
  if (poll->next_token.empty() && poll->after > now - kOrdersSettle) {
    deps_.scheduler.post([this, poll] { finish_poll(poll); });  // nothing can be listed yet
    return;
  }
  fetch_orders_page(poll);
}

void AmazonConnector::fetch_orders_page(std::shared_ptr<OrdersPoll> poll) {
  std::string target =
      "/orders/v0/orders?MarketplaceIds=" + base::percent_encode(config_.marketplace_id);
  if (!poll->next_token.empty()) {
    target += "&NextToken=" + base::percent_encode(poll->next_token);
  } else {
    target += "&LastUpdatedAfter=" + base::percent_encode(base::format_iso8601_utc(poll->after));
    if (config_.orders_page_size != 100) {
      target += "&MaxResultsPerPage=" + std::to_string(config_.orders_page_size);
    }
  }
  send_api(make_request("GET", std::move(target), ""),
           [this, poll](base::Result<base::HttpResponse> r) { on_orders_page(poll, r); });
}

void AmazonConnector::on_orders_page(std::shared_ptr<OrdersPoll> poll,
                                     const base::Result<base::HttpResponse>& r) {
  if (r.ok() && r.value().status == 400 && !poll->next_token.empty()) {
    // An expired or unknown NextToken: run the query again from its start (duplicates are
    // harmless, the hub's store is idempotent).
    poll->next_token.clear();
    poll->best = poll->after;
    fetch_orders_page(poll);
    return;
  }
  if (!r.ok() || !r.value().is_success()) {
    poll->callback(ad::failure_status(r, default_retry_after()));
    return;
  }
  std::optional<ad::OrdersPage> page = ad::decode_orders_page(r.value().body);
  if (!page) {
    poll->callback(base::Status::corruption("amazon getOrders: no payload.Orders array"));
    return;
  }
  for (ad::OrderSummary& order : page->orders) {
    const auto updated = ad::parse_iso8601(order.last_update_date);
    if (order.amazon_order_id.empty() || !updated || order.order_status.empty()) {
      poll->callback(base::Status::corruption(
          "amazon getOrders: an order lacks AmazonOrderId, LastUpdateDate or OrderStatus"));
      return;
    }
    poll->best = std::max(poll->best, *updated);
    poll->orders.push_back({std::move(order.amazon_order_id), order.order_status == "Canceled"});
  }
  if (const auto before = ad::parse_iso8601(page->last_updated_before)) {
    poll->best = std::max(poll->best, *before);
  }
  poll->page_next_token = std::move(page->next_token);
  fetch_order_items(poll, "");
}

void AmazonConnector::fetch_order_items(std::shared_ptr<OrdersPoll> poll,
                                        std::string next_token) {
  if (poll->order_index >= poll->orders.size()) {
    finish_poll(poll);
    return;
  }
  std::string target =
      "/orders/v0/orders/" + base::percent_encode(poll->orders[poll->order_index].id) +
      "/orderItems";
  if (!next_token.empty()) target += "?NextToken=" + base::percent_encode(next_token);
  send_api(make_request("GET", std::move(target), ""),
           [this, poll](base::Result<base::HttpResponse> r) { on_order_items(poll, r); });
}

namespace {

// The events of one order item; an error Status when the item is malformed.
base::Status item_events(const domain::ChannelId& channel, const PolledOrder& order,
                         const ad::OrderItem& item, std::vector<domain::OrderEvent>* out) {
  if (!item.is_object) return base::Status::corruption("amazon getOrderItems: item not object");
  const std::string& line_key = item.order_item_id;
  if (line_key.empty() || !item.quantity_ordered) {
    return base::Status::corruption(
        "amazon getOrderItems: order " + order.id + " has an item without OrderItemId or "
        "QuantityOrdered");
  }
  const int64_t units = *item.quantity_ordered;
  if (units == 0) return base::Status();  // nothing ordered on this line (nothing to count)
  auto sku = domain::Sku::parse(item.seller_sku);
  if (!sku.ok()) {
    return base::Status::corruption("amazon getOrderItems: order " + order.id + " item " +
                                    line_key + ": " + sku.status().message());
  }
  auto q = domain::Quantity::checked(units);
  if (!q.ok() || q->is_negative()) {
    return base::Status::corruption("amazon getOrderItems: QuantityOrdered out of range");
  }
  domain::OrderEvent sale{{channel, order.id, line_key, domain::EventKind::kSale}, *sku, *q, ""};
  INVSYNC_RETURN_IF_ERROR(domain::validate_event(sale));
  out->push_back(sale);
  if (order.canceled) {
    sale.key.kind = domain::EventKind::kCancel;
    out->push_back(std::move(sale));
  }
  return base::Status();
}

}  // namespace

void AmazonConnector::on_order_items(std::shared_ptr<OrdersPoll> poll,
                                     const base::Result<base::HttpResponse>& r) {
  if (!r.ok() || !r.value().is_success()) {
    poll->callback(ad::failure_status(r, default_retry_after()));
    return;
  }
  std::optional<ad::OrderItemsPage> page = ad::decode_order_items(r.value().body);
  if (!page) {
    poll->callback(base::Status::corruption("amazon getOrderItems: no payload.OrderItems array"));
    return;
  }
  const PolledOrder& order = poll->orders[poll->order_index];
  for (const ad::OrderItem& item : page->items) {
    base::Status st = item_events(config_.channel, order, item, &poll->events);
    if (!st.ok()) {
      poll->callback(st.code() == base::StatusCode::kCorruption
                         ? st
                         : base::Status::corruption("amazon getOrderItems: " + st.message()));
      return;
    }
  }
  std::string next_token = std::move(page->next_token);
  if (next_token.empty()) ++poll->order_index;
  fetch_order_items(poll, std::move(next_token));
}

void AmazonConnector::finish_poll(std::shared_ptr<OrdersPoll> poll) {
  PolledOrders out;
  out.events = std::move(poll->events);
  out.next_cursor = base::format_iso8601_utc(poll->best);
  if (!poll->page_next_token.empty()) {
    out.next_cursor +=
        "|" + base::format_iso8601_utc(poll->after) + "|" + poll->page_next_token;
    out.more = true;
  }
  poll->callback(std::move(out));
}

}  // namespace invsync::connector
