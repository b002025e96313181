// Storefront orders and their stock rules (wc-stock-functions.php): reduce once on payment or a
// move to processing/on-hold/completed, restore on cancelled/pending, never on refunded; refunds
// restock only with api_restock. Plus the /orders/<id> routes.
#include <algorithm>
#include <array>

#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

using woo::Json;

constexpr std::array<const char*, 7> kStatuses = {"pending",   "processing", "on-hold", "completed",
                                                  "cancelled", "refunded",   "failed"};

int64_t refunded_quantity(const woo::Order& o) {
  int64_t q = 0;
  for (const woo::Refund& r : o.refunds) q += r.quantity;
  return q;
}

int64_t refunded_cents(const woo::Order& o) {
  int64_t c = 0;
  for (const woo::Refund& r : o.refunds) c += r.amount_cents;
  return c;
}

}  // namespace

woo::Order* WooCommerceMock::find_order(std::string_view order_id) {
  const std::optional<int64_t> id = woo::parse_id(order_id);
  if (!id) return nullptr;
  auto it = orders_.find(*id);
  return it == orders_.end() ? nullptr : &it->second;
}

std::optional<woo::Order> WooCommerceMock::order(std::string_view order_id) const {
  const std::optional<int64_t> id = woo::parse_id(order_id);
  if (!id || !orders_.contains(*id)) return std::nullopt;
  return orders_.at(*id);
}

void WooCommerceMock::change_stock(int64_t product_id, int64_t delta, base::Instant now) {
  woo::Product* found = products_.find(product_id);
  if (found == nullptr) return;
  woo::Product& p = *found;
  p.stock_quantity = p.stock_quantity.value_or(0) + delta;
  validate_props(&p);
  p.modified = now;
  if (p.type == "variation") sync_parent(p.parent_id);
  emit("product.updated", p.id, now);
}

bool WooCommerceMock::reduce_stock(woo::Order* o, base::Instant now) {
  if (o->reduced_stock != 0) return false;  // order_stock_reduced / _reduced_stock
  const woo::Product* item = find_product(o->variation_id != 0 ? o->variation_id : o->product_id);
  const woo::Product* owner = item != nullptr ? stock_owner(*item) : nullptr;
  if (owner == nullptr) return false;
  o->stock_id = owner->id;
  o->reduced_stock = o->quantity;
  change_stock(owner->id, -o->quantity, now);
  return true;
}

bool WooCommerceMock::restore_stock(woo::Order* o, base::Instant now) {
  if (o->reduced_stock == 0) return false;
  change_stock(o->stock_id, o->reduced_stock, now);
  o->reduced_stock = 0;
  return true;
}

PlaceOrderResult WooCommerceMock::place_order(std::string_view sku, int64_t quantity,
                                              base::Instant now) {
  const woo::Product* p = find_sku(sku);
  if (p == nullptr) return {false, "", "unknown sku"};
  if (quantity <= 0) return {false, "", "quantity must be positive"};
  if (const woo::Product* owner = stock_owner(*p)) {
    if (owner->backorders == "no" && owner->stock_quantity.value_or(0) < quantity) {
      ++stats_["orders_refused"];
      return {false, "", owner->stock_quantity.value_or(0) <= 0 ? "sold out" : "not enough stock"};
    }
  } else if (p->stock_status == "outofstock") {
    ++stats_["orders_refused"];
    return {false, "", "sold out"};
  }
  woo::Order o;
  o.id = next_order_id_++;
  o.status = "processing";
  o.line_item_id = next_item_id_++;
  o.product_id = p->parent_id != 0 ? p->parent_id : p->id;
  o.variation_id = p->parent_id != 0 ? p->id : 0;
  o.sku = p->sku;
  o.name = p->name;
  o.quantity = quantity;
  o.price_cents = p->price_cents;
  o.created = now;
  o.modified = now;
  orders_[o.id] = o;
  ++stats_["orders"];
  emit("order.created", o.id, now);
  reduce_stock(&orders_[o.id], now);  // woocommerce_payment_complete
  return {true, std::to_string(o.id), ""};
}

base::Status WooCommerceMock::cancel_order(std::string_view order_id, base::Instant now) {
  return set_order_status(order_id, "cancelled", now);
}

base::Status WooCommerceMock::set_order_status(std::string_view order_id, std::string_view status,
                                               base::Instant now) {
  woo::Order* o = find_order(order_id);
  if (o == nullptr)
    return base::Status::not_found("woocommerce: no order " + std::string(order_id));
  if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
    return base::Status::invalid_argument("woocommerce: bad status " + std::string(status));
  }
  if (o->status == status) return base::Status();
  o->status = std::string(status);
  o->modified = now;
  if (status == "processing" || status == "on-hold" || status == "completed") {
    reduce_stock(o, now);
  } else if (status == "cancelled" || status == "pending") {
    restore_stock(o, now);
  } else if (status == "refunded") {
    // wc_order_fully_refunded: an amount-only refund of what is left, no restock.
    const int64_t left = o->quantity * o->price_cents - refunded_cents(*o);
    if (left > 0) {
      o->refunds.push_back(woo::Refund{
          .id = next_order_id_++, .amount_cents = left, .reason = "Order fully refunded."});
    }
  }
  emit("order.updated", o->id, now);
  return base::Status();
}

base::Status WooCommerceMock::refund_order(std::string_view order_id, int64_t quantity,
                                           bool api_restock, base::Instant now) {
  woo::Order* o = find_order(order_id);
  if (o == nullptr)
    return base::Status::not_found("woocommerce: no order " + std::string(order_id));
  if (quantity <= 0 || quantity > o->quantity - refunded_quantity(*o)) {
    return base::Status::invalid_argument("woocommerce: invalid refund quantity");
  }
  woo::Refund r{.id = next_order_id_++,
                .quantity = quantity,
                .amount_cents = quantity * o->price_cents,
                .restocked = false};
  if (api_restock && o->reduced_stock > 0) {  // wc_restock_refunded_items
    const int64_t back = std::min(quantity, o->reduced_stock);
    change_stock(o->stock_id, back, now);
    o->reduced_stock -= back;
    r.restocked = true;
  }
  o->refunds.push_back(r);
  o->modified = now;
  if (refunded_cents(*o) >= o->quantity * o->price_cents) o->status = "refunded";
  emit("order.updated", o->id, now);  // woocommerce_order_refunded
  return base::Status();
}

void WooCommerceMock::write_order(const woo::Order& o, base::JsonWriter& w) const {
  const base::WallTime created = wall(o.created);
  const base::WallTime modified = wall(o.modified);
  const std::string total = woo::money(o.quantity * o.price_cents);
  w.begin_object();
  w.field("id", o.id).field("parent_id", int64_t{0}).field("status", o.status);
  w.field("currency", "USD").field("version", config_.woocommerce_version);
  w.field("prices_include_tax", false);
  w.field("date_created", dates_.local(created));
  w.field("date_modified", dates_.local(modified));
  w.field("discount_total", "0.00").field("shipping_total", "0.00");
  w.field("total", total).field("total_tax", "0.00");
  w.field("customer_id", int64_t{0}).field("payment_method", "stripe");
  w.field("date_paid", dates_.local(created));
  w.field("date_created_gmt", dates_.gmt(created));
  w.field("date_modified_gmt", dates_.gmt(modified));
  w.field("date_paid_gmt", dates_.gmt(created));
  w.key("line_items").begin_array().begin_object();
  w.field("id", o.line_item_id).field("name", o.name);
  w.field("product_id", o.product_id).field("variation_id", o.variation_id);
  w.field("quantity", o.quantity).field("tax_class", "");
  w.field("subtotal", total).field("subtotal_tax", "0.00");
  w.field("total", total).field("total_tax", "0.00");
  w.key("taxes").begin_array().end_array();
  w.key("meta_data").begin_array().end_array();
  w.field("sku", o.sku);
  w.key("price");
  woo::write_price_number(w, o.price_cents);
  w.end_object().end_array();
  w.key("refunds").begin_array();
  for (auto it = o.refunds.rbegin(); it != o.refunds.rend(); ++it) {
    w.begin_object().field("id", it->id).field("reason", it->reason);
    w.field("total", "-" + woo::money(it->amount_cents)).end_object();
  }
  w.end_array();
  w.key("meta_data").begin_array().end_array();
  const std::string orders = config_.home_url + "wp-json/wc/v3/orders";
  w.key("_links").begin_object();
  w.key("self").begin_array().begin_object().field("href", orders + "/" + std::to_string(o.id));
  w.end_object().end_array();
  w.key("collection").begin_array().begin_object().field("href", orders).end_object().end_array();
  w.end_object();
  w.end_object();
}

base::HttpResponse WooCommerceMock::route_orders(const base::HttpRequest& request, PathParts parts,
                                                 const Params& /*params*/, const Caller& caller,
                                                 base::Instant now) {
  const std::string& m = request.method;
  std::optional<int64_t> id = parts.size() == 2 ? woo::parse_id(parts[1]) : std::nullopt;
  if (!id) {
    return woo::error_response(404, "rest_no_route",
                               "No route was found matching the URL and request method.");
  }
  const bool exists = orders_.contains(*id);
  const bool edit = m == "PUT" || m == "POST" || m == "PATCH";
  if (m != "GET" && !edit) {
    return woo::error_response(404, "rest_no_route",
                               "No route was found matching the URL and request method.");
  }
  if (exists && !caller.authenticated) {
    return edit ? woo::error_response(401, "woocommerce_rest_cannot_edit",
                                      "Sorry, you are not allowed to edit this resource.")
                : woo::error_response(401, "woocommerce_rest_cannot_view",
                                      "Sorry, you cannot view this resource.");
  }
  if (!exists) {
    return woo::error_response(edit ? 400 : 404, "woocommerce_rest_shop_order_invalid_id",
                               "Invalid ID.");
  }
  if (edit) {
    Json body = Json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return woo::error_response(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    if (body.contains("status")) {
      const Json& s = body["status"];
      const std::string status = s.is_string() ? s.get<std::string>() : "";
      if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
        return woo::invalid_param("status",
                                  "status is not one of pending, processing, on-hold, "
                                  "completed, cancelled, refunded, failed, and "
                                  "checkout-draft.");
      }
      (void)set_order_status(std::to_string(*id), status, now);
    }
  }
  std::string out;
  base::JsonWriter w(out);
  write_order(orders_.at(*id), w);
  return woo::json_response(200, std::move(out));
}

}  // namespace invsync::mocks
