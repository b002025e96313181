// AmazonMock core: request routing, LWA checks, per-operation token buckets, 5xx faults, the
// timer loop (feed transitions, delayed quantity applies, order visibility), catalogue and stats.
#include "mocks/amazon/amazon_mock.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/json_reader.h"
#include "core/base/url.h"
#include "mocks/amazon/sp_api_http.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;

constexpr int32_t kJsonFeedCapBuckets = 300;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const size_t end = std::min(path.find('/', pos), path.size());
    parts.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return parts;
}

HttpResponse html_503() {
  return HttpResponse::text(
      503, "text/html",
      "<!DOCTYPE html>\n<html><head><title>Website Temporarily Unavailable</title></head>"
      "<body><h1>Website Temporarily Unavailable</h1><p>We're sorry, the website is temporarily "
      "unavailable. Please try again later.</p></body></html>\n");
}

}  // namespace

AmazonMock::AmazonMock(AmazonMockConfig config, uint64_t seed)
    : config_(std::move(config)),
      faults_(config_.faults),
      prng_(seed),
      feed_prng_(prng_.fork()),
      id_state_(seed ^ 0x616d617a6f6e6d6bULL),
      tokens_(LwaSettings{config_.lwa_client_id, config_.lwa_client_secret, config_.refresh_tokens,
                          config_.access_token_lifetime}),
      json_feed_cap_(config_.json_listings_feed_cap, config_.json_listings_feed_window,
                     kJsonFeedCapBuckets) {
  for (const auto& [op, limit] : config_.rate_limits) {
    buckets_.emplace(op, TokenBucket(limit.burst, limit.rate_micro_per_s, Instant()));
  }
  apply_rate_percent(Instant());
}

// --- ids and time ---

std::string AmazonMock::next_id_hex(size_t hex_digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  while (out.size() < hex_digits) {
    uint64_t v = base::splitmix64(id_state_);
    for (int i = 0; i < 16 && out.size() < hex_digits; ++i, v >>= 4) out.push_back(kHex[v & 15]);
  }
  return out;
}

std::string AmazonMock::next_uuid() {
  const std::string h = next_id_hex(32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string AmazonMock::iso(Instant at) const { return base::format_iso8601_utc(wall(at)); }

std::string AmazonMock::issue_access_token(Instant now) {
  return tokens_.issue(now, next_id_hex(48));
}

// --- requests ---

NetworkConditions AmazonMock::network(Instant now) {
  advance(now);
  return draw_network(faults_.common, prng_);
}

HttpResponse AmazonMock::handle(const HttpRequest& request, Instant now) {
  advance(now);
  count("requests");
  const std::string request_id = next_uuid();
  HttpResponse response;
  const std::string_view path = request.path();
  if (path == "/auth/o2/token") {
    count("requests.lwaToken");
    response = tokens_.handle_token_request(request, now, next_id_hex(48));
  } else if (path.rfind("/s3/tortuga/", 0) == 0) {
    count("requests.s3");
    response = handle_s3(request, now);
  } else {
    response = route_sp_api(request, now);
  }
  response.headers.set("x-amzn-RequestId", request_id);
  return response;
}

std::optional<AmazonMock::Route> AmazonMock::match_route(const HttpRequest& request) const {
  const auto parts = split_path(request.path());
  const std::string& m = request.method;
  const size_t n = parts.size();
  auto is = [&](std::initializer_list<const char*> prefix) {
    size_t i = 0;
    for (const char* p : prefix) {
      if (i >= n || parts[i] != p) return false;
      ++i;
    }
    return true;
  };
  std::vector<std::string> decoded;
  for (size_t i = 3; i < n; ++i) {
    auto d = base::percent_decode(parts[i]);
    if (!d) return std::nullopt;
    decoded.push_back(std::move(*d));
  }
  auto route = [&](const char* op) { return Route{op, decoded}; };
  if (is({"feeds", "2021-06-30", "documents"})) {
    if (n == 3 && m == "POST") return route("createFeedDocument");
    if (n == 4 && m == "GET") return route("getFeedDocument");
  } else if (is({"feeds", "2021-06-30", "feeds"})) {
    if (n == 3 && m == "POST") return route("createFeed");
    if (n == 4 && m == "GET") return route("getFeed");
    if (n == 4 && m == "DELETE") return route("cancelFeed");
  } else if (is({"listings", "2021-08-01", "items"}) && n == 5) {
    if (m == "PATCH") return route("patchListingsItem");
    if (m == "GET") return route("getListingsItem");
  } else if (is({"orders", "v0", "orders"}) && m == "GET") {
    if (n == 3) return route("getOrders");
    if (n == 4) return route("getOrder");
    if (n == 5 && parts[4] == "orderItems") return route("getOrderItems");
  }
  return std::nullopt;
}

std::optional<HttpResponse> AmazonMock::check_access_token(const HttpRequest& request,
                                                           Instant now) {
  const LwaTokens::Check check = tokens_.check(request.headers.get("x-amz-access-token"), now);
  if (check == LwaTokens::Check::kValid) return std::nullopt;
  count("auth_failures");
  return LwaTokens::unauthorized(check);
}

HttpResponse AmazonMock::route_sp_api(const HttpRequest& request, Instant now) {
  const auto route = match_route(request);
  if (!route) {
    count("requests.unknown");
    return amazon::error_response(404, "NotFound", "Resource not found.");
  }
  count("requests." + route->operation);
  if (auto page = outage_response(faults_.common)) return *page;
  // Authorization: AWS4-HMAC-SHA256 ... is ignored; only the LWA token counts.
  if (auto denied = check_access_token(request, now)) return *denied;
  if (!take_token(route->operation, now)) {
    count("rate_limited");
    count("rate_limited." + route->operation);
    return amazon::quota_exceeded();
  }
  if (prng_.chance(base::Ratio::percent(faults_.common.error_rate_percent))) {
    count("http_500");
    return amazon::error_response(500, "InternalFailure",
                                  "We encountered an internal error. Please try again.");
  }
  if (prng_.chance(base::Ratio::percent(faults_.http_503_html_percent))) {
    count("http_503");
    return html_503();
  }
  HttpResponse response = dispatch(*route, request, now);
  const int32_t s = response.status;
  if ((s >= 200 && s < 300) || s == 400 || s == 404) {
    response.headers.set("x-amzn-RateLimit-Limit", rate_header(route->operation));
  }
  if (response.is_success() && prng_.chance(base::Ratio::percent(faults_.empty_200_percent))) {
    count("empty_200");
    response.status = 200;
    response.body.clear();
  }
  return response;
}

HttpResponse AmazonMock::dispatch(const Route& route, const HttpRequest& request, Instant now) {
  const std::string& op = route.operation;
  const std::string param = route.params.empty() ? "" : route.params[0];
  if (op == "createFeedDocument") return create_feed_document(request, now);
  if (op == "getFeedDocument") return get_feed_document(param, now);
  if (op == "createFeed") return create_feed(request, now);
  if (op == "getFeed") return get_feed(param);
  if (op == "cancelFeed") return cancel_feed(param, now);
  if (op == "patchListingsItem") return patch_listings_item(route, request, now);
  if (op == "getListingsItem") return get_listings_item(route, request);
  if (op == "getOrders") return get_orders(request, now);
  if (op == "getOrder") return get_order(param);
  return get_order_items(param);
}

// --- rate limits ---

bool AmazonMock::take_token(const std::string& operation, Instant now) {
  const auto it = buckets_.find(operation);
  return it == buckets_.end() || it->second.try_take(1, now);
}

std::string AmazonMock::rate_header(const std::string& operation) const {
  const auto it = buckets_.find(operation);
  return amazon::format_rate(it == buckets_.end() ? 0 : it->second.rate_micro_per_s());
}

void AmazonMock::apply_rate_percent(Instant now) {
  const int64_t pct = faults_.common.rate_limit_percent;
  for (auto& [op, bucket] : buckets_) {
    const AmazonOperationLimit& base_limit = config_.rate_limits.at(op);
    const int64_t burst = std::max<int64_t>(1, base_limit.burst * pct / 100);
    const int64_t rate = std::max<int64_t>(1, base_limit.rate_micro_per_s * pct / 100);
    if (bucket.capacity() != burst || bucket.rate_micro_per_s() != rate) {
      bucket.reconfigure(burst, rate, now);
    }
  }
}

base::Status AmazonMock::set_faults_json(std::string_view json) {
  auto reader = base::JsonReader::parse(json, "$");
  AmazonFaults parsed;
  parse_amazon_faults(reader, config_.faults, &parsed);
  base::Status status = reader.finish();
  if (!status.ok()) return status;
  faults_ = parsed;
  apply_rate_percent(advanced_to_);
  return status;
}

// --- timers ---

std::optional<AmazonMock::Event> AmazonMock::next_event() const {
  std::optional<Event> best = next_feed_event();
  if (!timers_.empty() && (!best || timers_.begin()->at < best->at)) {
    best = Event{timers_.begin()->at, false, ""};
  }
  return best;
}

std::optional<Instant> AmazonMock::next_wakeup() const {
  std::optional<Instant> at;
  if (auto e = next_event()) at = e->at;
  if (auto due = notifications_.next_due(); due && (!at || *due < *at)) at = due;
  return at;
}

void AmazonMock::advance(Instant now) {
  if (now > advanced_to_) advanced_to_ = now;
  while (auto e = next_event()) {
    if (e->at > now) break;
    if (e->feed) {
      Feed& feed = feeds_.at(e->feed_id);
      if (feed.status == FeedStatus::kInQueue)
        start_feed(feed, e->at);
      else
        finish_feed(feed, e->at);
      continue;
    }
    const Timer timer = *timers_.begin();
    timers_.erase(timers_.begin());
    run_timer(timer);
  }
}

void AmazonMock::schedule_apply(const std::string& sku, int64_t quantity, Instant now) {
  const uint64_t seq = next_timer_seq_++;
  applies_[seq] = PendingApply{sku, quantity};
  timers_.insert(Timer{now + Duration::milliseconds(faults_.apply_lag_ms), seq, TimerKind::kApply,
                       static_cast<size_t>(seq)});
}

void AmazonMock::run_timer(const Timer& timer) {
  if (timer.kind == TimerKind::kApply) {
    const auto it = applies_.find(timer.index);
    auto listing = listings_.find(it->second.sku);
    if (listing != listings_.end()) {
      listing->second.live_quantity = it->second.quantity;
      listing->second.last_updated = timer.at;
      count("quantity_applied");
    }
    applies_.erase(it);
    return;
  }
  Order& order = orders_[timer.index];
  if (timer.kind == TimerKind::kOrderVisible) {
    order.visible = true;
    notify_order_change(order, timer.at);
  } else if (order.status == OrderStatus::kPending) {
    order.status = OrderStatus::kUnshipped;
    order.last_update = timer.at;
    if (order.visible) notify_order_change(order, timer.at);
  }
}

// --- catalogue and ground truth ---

base::Status AmazonMock::add_item(const CatalogItem& item) {
  if (item.sku.empty()) return base::Status::invalid_argument("sku is empty");
  if (item.quantity < 0) return base::Status::invalid_argument("quantity is negative");
  if (listings_.count(item.sku) != 0) {
    return base::Status::already_exists("sku '" + item.sku + "' already listed");
  }
  listings_[item.sku] = Listing{item.sku,      amazon::asin_for_sku(item.sku),
                                item.quantity, item.quantity,
                                advanced_to_,  advanced_to_};
  return {};
}

std::optional<std::string> AmazonMock::external_ids_json(std::string_view sku) const {
  const auto it = listings_.find(std::string(sku));
  if (it == listings_.end()) return std::nullopt;
  nlohmann::ordered_json ids;
  ids["seller_id"] = config_.seller_id;
  ids["marketplace_id"] = config_.marketplace_id;
  ids["asin"] = it->second.asin;
  return ids.dump();
}

std::optional<int64_t> AmazonMock::attribute_quantity(std::string_view sku) const {
  const auto it = listings_.find(std::string(sku));
  if (it == listings_.end()) return std::nullopt;
  return it->second.attribute_quantity;
}

std::map<std::string, int64_t> AmazonMock::counts() const {
  std::map<std::string, int64_t> out;
  for (const auto& [sku, listing] : listings_) out[sku] = listing.live_quantity;
  return out;
}

std::vector<AcceptedOrder> AmazonMock::accepted_orders() const {
  std::vector<AcceptedOrder> out;
  out.reserve(orders_.size());
  for (const Order& o : orders_) {
    out.push_back({o.id, o.sku, o.quantity, o.created, o.status == OrderStatus::kCanceled});
  }
  return out;
}

std::map<std::string, int64_t> AmazonMock::stats() const {
  std::map<std::string, int64_t> out = stats_;
  out["lwa_tokens_issued"] = tokens_.issued();
  out["notifications_dropped"] = notifications_.dropped();
  out["notifications_duplicated"] = notifications_.duplicated();
  for (const char* key : {"requests", "rate_limited", "feeds_created", "feeds_done", "feeds_fatal",
                          "feeds_cancelled", "not_applied", "orders_placed", "orders_cancelled"}) {
    out.emplace(key, 0);
  }
  return out;
}

}  // namespace invsync::mocks
