#include "mocks/shopify/shopify_mock.h"

#include <algorithm>
#include <cstdio>

#include "core/base/json_reader.h"
#include "mocks/shopify/shopify_payloads.h"
#include "mocks/shopify/shopify_rest.h"

namespace invsync::mocks {
namespace {

constexpr std::string_view kAdminPrefix = "/admin/api/";

base::HttpResponse unauthorized() {
  base::HttpResponse r = base::HttpResponse::json(
      401,
      R"js({"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"})js");
  r.headers.set("WWW-Authenticate", "Basic Realm=\"Shopify API Authentication\"");
  return r;
}

// Seconds with up to millisecond precision and at least one decimal: "0.5", "2.0", "0.125".
std::string float_seconds(base::Duration d) {
  const int64_t ms = (d.ns() + 999'999) / 1'000'000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}

std::string rate_text(int64_t micro_per_s) {
  if (micro_per_s % kMicroUnits == 0) return std::to_string(micro_per_s / kMicroUnits);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(micro_per_s) / 1e6);
  return buf;
}

std::optional<int64_t> parse_order_id(std::string_view id) {
  if (id.empty() || id.size() > 18) return std::nullopt;
  int64_t n = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

ShopifyMock::ShopifyMock(ShopifyMockConfig config, uint64_t seed)
    : config_(std::move(config)),
      prng_(seed),
      rest_bucket_(config_.rest_bucket_size, config_.rest_leak_rate_per_s * kMicroUnits,
                   base::Instant()),
      graphql_(config_, catalog_, base::Instant()),
      webhooks_(config_, prng_.fork()) {}

base::WallTime ShopifyMock::wall_time(base::Instant now) const {
  return base::WallTime::from_unix_s(config_.wall_origin_unix_s) + (now - base::Instant());
}

base::Status ShopifyMock::add_item(const CatalogItem& item) {
  return catalog_.add(item.sku, item.quantity, item.group, wall_time(base::Instant()));
}

std::optional<std::string> ShopifyMock::external_ids_json(std::string_view sku) const {
  const ShopifyVariant* v = catalog_.by_sku(sku);
  if (v == nullptr) return std::nullopt;
  return "{\"inventory_item_id\":" + std::to_string(v->inventory_item_id) +
         ",\"location_id\":" + std::to_string(config_.location_id) +
         ",\"product_id\":" + std::to_string(v->product_id) +
         ",\"variant_id\":" + std::to_string(v->variant_id) + "}";
}

base::Status ShopifyMock::set_tracked(std::string_view sku, bool tracked) {
  ShopifyVariant* v = catalog_.by_sku(sku);
  if (v == nullptr) return base::Status::not_found("shopify: unknown sku " + std::string(sku));
  v->tracked = tracked;
  return base::Status();
}

NetworkConditions ShopifyMock::network(base::Instant now) {
  (void)now;
  return draw_network(faults_.common, prng_);
}

const ShopifyAccessToken* ShopifyMock::find_token(const base::HttpRequest& request) const {
  const auto header = request.headers.get("X-Shopify-Access-Token");
  if (!header) return nullptr;
  for (const auto& t : config_.access_tokens) {
    if (t.token == *header) return &t;
  }
  return nullptr;
}

bool ShopifyMock::version_served(std::string_view version) const {
  return std::find(config_.api_versions.begin(), config_.api_versions.end(), version) !=
         config_.api_versions.end();
}

void ShopifyMock::apply_rate_percent(base::Instant now) {
  const uint32_t pct = faults_.common.rate_limit_percent;
  if (pct == applied_rate_percent_) return;
  applied_rate_percent_ = pct;
  const int64_t size = std::max<int64_t>(1, config_.rest_bucket_size * pct / 100);
  const int64_t rate = config_.rest_leak_rate_per_s * kMicroUnits * pct / 100;
  rest_bucket_.reconfigure(size, std::max<int64_t>(1, rate), now);
  graphql_.set_rate_percent(pct, now);
}

base::HttpResponse ShopifyMock::handle(const base::HttpRequest& request, base::Instant now) {
  ++stats_[kRequests];
  if (auto page = outage_response(faults_.common)) {
    ++stats_[kOutageResponses];
    return *page;
  }
  apply_rate_percent(now);
  const std::string_view path = request.path();
  if (path.substr(0, kAdminPrefix.size()) != kAdminPrefix) return shopify_not_found();
  const std::string_view rest = path.substr(kAdminPrefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return shopify_not_found();
  return handle_admin(request, rest.substr(0, slash), rest.substr(slash + 1), now);
}

base::HttpResponse ShopifyMock::handle_admin(const base::HttpRequest& request,
                                             std::string_view version, std::string_view resource,
                                             base::Instant now) {
  const ShopifyAccessToken* token = find_token(request);
  if (token == nullptr) {
    ++stats_[kUnauthorized];
    return unauthorized();
  }
  if (resource != "graphql.json") return handle_rest(request, version, resource, *token, now);
  if (request.method != "POST" || !version_served(version)) return shopify_not_found();
  if (prng_.chance(base::Ratio::percent(faults_.common.error_rate_percent))) {
    ++stats_[kServerErrors];
    return base::HttpResponse::json(500, R"({"errors":"Internal Server Error"})");
  }
  const int32_t throttled_status =
      faults_.throttled_status != 0 ? faults_.throttled_status : config_.graphql_throttled_status;
  ShopifyGraphqlResult r =
      graphql_.handle(request.body, version, *token, throttled_status, now, wall_time(now));
  ++stats_[kGraphqlRequests];
  if (r.throttled) ++stats_[kThrottled];
  if (!r.changed_items.empty()) emit_level_updates(r.changed_items, webhooks_.new_event_id(), now);
  return std::move(r.response);
}

base::HttpResponse ShopifyMock::handle_rest(const base::HttpRequest& request,
                                            std::string_view version, std::string_view resource,
                                            const ShopifyAccessToken& token, base::Instant now) {
  ++stats_[kRestRequests];
  base::HttpResponse response;
  if (!rest_bucket_.try_take(1, now)) {
    ++stats_[kRateLimited];
    response = base::HttpResponse::json(
        429, "{\"errors\":\"Exceeded " + rate_text(rest_bucket_.rate_micro_per_s()) +
                 " calls per second for api client. Reduce request rates to resume "
                 "uninterrupted service.\"}");
    response.headers.set("Retry-After", float_seconds(rest_bucket_.time_until(1, now)));
  } else if (!version_served(version)) {
    response = shopify_not_found();
  } else if (prng_.chance(base::Ratio::percent(faults_.common.error_rate_percent))) {
    ++stats_[kServerErrors];
    response = base::HttpResponse::json(500, R"({"errors":"Internal Server Error"})");
  } else {
    ShopifyRestResult r =
        handle_shopify_rest(request.method, resource, request.query(), request.body, token, config_,
                            catalog_, wall_time(now));
    response = std::move(r.response);
    if (!r.changed_items.empty()) {
      emit_level_updates(r.changed_items, webhooks_.new_event_id(), now);
    }
  }
  const int64_t size = rest_bucket_.capacity();
  const int64_t used = size - rest_bucket_.available(now);
  response.headers.set("X-Shopify-Shop-Api-Call-Limit",
                       std::to_string(used) + "/" + std::to_string(size));
  return response;
}

void ShopifyMock::emit(std::string_view topic, std::string body, const std::string& event_id,
                       base::Instant now) {
  webhooks_.enqueue(topic, std::move(body), 0, event_id, now, faults_.common, prng_);
}

void ShopifyMock::emit_level_updates(const std::vector<int64_t>& items, const std::string& event_id,
                                     base::Instant now) {
  for (int64_t item : items) {
    webhooks_.enqueue("inventory_levels/update", "", item, event_id, now, faults_.common, prng_);
  }
}

PlaceOrderResult ShopifyMock::place_order(std::string_view sku, int64_t quantity,
                                          base::Instant now) {
  ShopifyVariant* v = catalog_.by_sku(sku);
  if (v == nullptr) return {false, "", "unknown sku"};
  if (quantity <= 0) return {false, "", "invalid quantity"};
  if (v->tracked && v->available < quantity) {
    ++stats_[kOrdersRefused];
    return {false, "", "sold out"};
  }
  const base::WallTime wall = wall_time(now);
  if (v->tracked) {
    v->available -= quantity;
    v->committed += quantity;
    v->updated_at = wall;
  }
  const ShopifyOrder& order = catalog_.new_order(*v, quantity, wall, now);
  ++stats_[kOrdersAccepted];
  const std::string event_id = webhooks_.new_event_id();
  emit("orders/create", order_json(order, *v, config_), event_id, now);
  if (v->tracked) emit_level_updates({v->inventory_item_id}, event_id, now);
  return {true, std::to_string(order.id), ""};
}

base::Status ShopifyMock::cancel_order(std::string_view order_id, base::Instant now) {
  const auto id = parse_order_id(order_id);
  ShopifyOrder* order = id ? catalog_.order(*id) : nullptr;
  if (order == nullptr)
    return base::Status::not_found("shopify: unknown order " + std::string(order_id));
  if (order->cancelled_at) return base::Status::failed_precondition("shopify: already cancelled");
  ShopifyVariant* v = catalog_.by_item(order->inventory_item_id);
  const base::WallTime wall = wall_time(now);
  if (v->tracked) {
    v->available += order->current_quantity;
    v->committed -= order->current_quantity;
    v->updated_at = wall;
  }
  order->cancelled_at = wall;
  order->updated_at = wall;
  ++stats_[kOrdersCancelled];
  const std::string event_id = webhooks_.new_event_id();
  emit("orders/cancelled", order_json(*order, *v, config_), event_id, now);
  if (v->tracked && order->current_quantity > 0) {
    emit_level_updates({v->inventory_item_id}, event_id, now);
  }
  return base::Status();
}

base::Status ShopifyMock::create_refund(std::string_view order_id, int64_t quantity,
                                        std::string_view restock_type, base::Instant now) {
  if (restock_type != "no_restock" && restock_type != "cancel" && restock_type != "return" &&
      restock_type != "legacy_restock") {
    return base::Status::invalid_argument("shopify: bad restock_type " + std::string(restock_type));
  }
  const auto id = parse_order_id(order_id);
  ShopifyOrder* order = id ? catalog_.order(*id) : nullptr;
  if (order == nullptr)
    return base::Status::not_found("shopify: unknown order " + std::string(order_id));
  if (quantity <= 0 || quantity > order->current_quantity) {
    return base::Status::invalid_argument("shopify: refund quantity out of range");
  }
  ShopifyVariant* v = catalog_.by_item(order->inventory_item_id);
  const base::WallTime wall = wall_time(now);
  const bool restock = restock_type != "no_restock" && v->tracked;
  if (restock) {
    v->available += quantity;
    v->updated_at = wall;
  }
  // Unfulfilled units leave "committed" either way (the mock never fulfils).
  if (v->tracked) v->committed -= quantity;
  order->current_quantity -= quantity;
  order->updated_at = wall;
  ShopifyRefund refund{catalog_.next_refund_id(),
                       wall,
                       {catalog_.next_refund_id(), quantity, std::string(restock_type)}};
  order->refunds.push_back(refund);
  ++stats_[kRefunds];
  const std::string event_id = webhooks_.new_event_id();
  emit("refunds/create", refund_json(*order, refund, *v, config_), event_id, now);
  if (restock) emit_level_updates({v->inventory_item_id}, event_id, now);
  return base::Status();
}

std::vector<WebhookDelivery> ShopifyMock::take_due_webhooks(base::Instant now) {
  return webhooks_.take_due(now, catalog_);
}

void ShopifyMock::on_webhook_result(std::string_view delivery_id, int32_t status,
                                    base::Instant now) {
  webhooks_.on_result(delivery_id, status, now);
}

std::optional<base::Instant> ShopifyMock::next_wakeup() const { return webhooks_.next_due(); }

void ShopifyMock::advance(base::Instant now) { (void)now; }

base::Status ShopifyMock::set_faults_json(std::string_view json) {
  base::JsonReader reader = base::JsonReader::parse(json, "$");
  if (!reader.ok()) return reader.status();
  return parse_shopify_faults(reader, &faults_);
}

std::map<std::string, int64_t> ShopifyMock::counts() const {
  std::map<std::string, int64_t> out;
  for (const auto& [id, v] : catalog_.variants()) out[v.sku] = v.available;
  return out;
}

std::vector<AcceptedOrder> ShopifyMock::accepted_orders() const {
  std::vector<AcceptedOrder> out;
  for (const auto& [id, o] : catalog_.orders()) {
    const ShopifyVariant* v = catalog_.by_item(o.inventory_item_id);
    out.push_back(
        {std::to_string(o.id), v->sku, o.quantity, o.accepted_at, o.cancelled_at.has_value()});
  }
  return out;
}

std::map<std::string, int64_t> ShopifyMock::stats() const {
  // The first seven are always reported; the others once they have counted something.
  static constexpr std::array<const char*, kStatCount> kNames = {
      "requests",        "rest_requests",  "graphql_requests", "rate_limited",
      "throttled",       "unauthorized",   "server_errors",    "outage_responses",
      "orders_accepted", "orders_refused", "orders_cancelled", "refunds"};
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < kStatCount; ++i) {
    if (i <= kServerErrors || stats_[i] != 0) out.emplace(kNames[i], stats_[i]);
  }
  webhooks_.add_stats(&out);
  return out;
}

}  // namespace invsync::mocks
