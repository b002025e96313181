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

// Per operation, in AmazonMock::Operation order: its name (the rate_limits key) and the stats
// keys it counts under.
struct OperationKeys {
  std::string_view name;
  std::string_view requests;
  std::string_view rate_limited;
};
constexpr std::array<OperationKeys, 10> kOperationKeys = {{
    {"createFeedDocument", "requests.createFeedDocument", "rate_limited.createFeedDocument"},
    {"getFeedDocument", "requests.getFeedDocument", "rate_limited.getFeedDocument"},
    {"createFeed", "requests.createFeed", "rate_limited.createFeed"},
    {"getFeed", "requests.getFeed", "rate_limited.getFeed"},
    {"cancelFeed", "requests.cancelFeed", "rate_limited.cancelFeed"},
    {"patchListingsItem", "requests.patchListingsItem", "rate_limited.patchListingsItem"},
    {"getListingsItem", "requests.getListingsItem", "rate_limited.getListingsItem"},
    {"getOrders", "requests.getOrders", "rate_limited.getOrders"},
    {"getOrder", "requests.getOrder", "rate_limited.getOrder"},
    {"getOrderItems", "requests.getOrderItems", "rate_limited.getOrderItems"},
}};

template <typename Operation>
const OperationKeys& keys_of(Operation operation) {
  return kOperationKeys[static_cast<size_t>(operation)];
}

// The non-empty segments of a request path, as views into it; only the first kMax are kept.
struct PathSegments {
  static constexpr size_t kMax = 5;  // the longest SP-API route
  std::array<std::string_view, kMax> parts;
  size_t count = 0;  // all segments, also those past kMax
};

PathSegments split_path(std::string_view path) {
  PathSegments segments;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const size_t end = std::min(path.find('/', pos), path.size());
    if (segments.count < PathSegments::kMax) {
      segments.parts[segments.count] = path.substr(pos, end - pos);
    }
    ++segments.count;
    pos = end;
  }
  return segments;
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
  static_assert(kOperationKeys.size() == kOperationCount);
  for (const auto& [op, limit] : config_.rate_limits) {
    buckets_.emplace(op, TokenBucket(limit.burst, limit.rate_micro_per_s, Instant()));
  }
  for (size_t i = 0; i < kOperationCount; ++i) {
    const auto it = buckets_.find(std::string(kOperationKeys[i].name));
    operation_buckets_[i] = it == buckets_.end() ? nullptr : &it->second;
  }
  apply_rate_percent(Instant());
}

// --- ids and time ---

std::string AmazonMock::next_id_hex(size_t hex_digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(hex_digits, '0');
  for (size_t filled = 0; filled < hex_digits;) {
    uint64_t v = base::splitmix64(id_state_);
    for (int i = 0; i < 16 && filled < hex_digits; ++i, v >>= 4) out[filled++] = kHex[v & 15];
  }
  return out;
}

std::string AmazonMock::next_uuid() {
  const std::string h = next_id_hex(32);
  std::string uuid;
  uuid.reserve(36);
  uuid.append(h, 0, 8).append(1, '-').append(h, 8, 4).append(1, '-').append(h, 12, 4);
  uuid.append(1, '-').append(h, 16, 4).append(1, '-').append(h, 20);
  return uuid;
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
  const PathSegments path = split_path(request.path());
  const std::string& m = request.method;
  const size_t n = path.count;
  if (n > PathSegments::kMax) return std::nullopt;
  auto is = [&](std::string_view a, std::string_view b, std::string_view c) {
    return n >= 3 && path.parts[0] == a && path.parts[1] == b && path.parts[2] == c;
  };
  std::optional<Operation> op;
  if (is("feeds", "2021-06-30", "documents")) {
    if (n == 3 && m == "POST") op = Operation::kCreateFeedDocument;
    if (n == 4 && m == "GET") op = Operation::kGetFeedDocument;
  } else if (is("feeds", "2021-06-30", "feeds")) {
    if (n == 3 && m == "POST") op = Operation::kCreateFeed;
    if (n == 4 && m == "GET") op = Operation::kGetFeed;
    if (n == 4 && m == "DELETE") op = Operation::kCancelFeed;
  } else if (is("listings", "2021-08-01", "items") && n == 5) {
    if (m == "PATCH") op = Operation::kPatchListingsItem;
    if (m == "GET") op = Operation::kGetListingsItem;
  } else if (is("orders", "v0", "orders") && m == "GET") {
    if (n == 3) op = Operation::kGetOrders;
    if (n == 4) op = Operation::kGetOrder;
    if (n == 5 && path.parts[4] == "orderItems") op = Operation::kGetOrderItems;
  }
  if (!op) return std::nullopt;
  Route route{*op, {}};
  for (size_t i = 3; i < n; ++i) {
    auto decoded = base::percent_decode(path.parts[i]);
    if (!decoded) return std::nullopt;
    route.params.push_back(std::move(*decoded));
  }
  return route;
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
  count(keys_of(route->operation).requests);
  if (auto page = outage_response(faults_.common)) return *page;
  // Authorization: AWS4-HMAC-SHA256 ... is ignored; only the LWA token counts.
  if (auto denied = check_access_token(request, now)) return *denied;
  if (!take_token(route->operation, now)) {
    count("rate_limited");
    count(keys_of(route->operation).rate_limited);
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
  static const std::string kNoParam;
  const std::string& param = route.params.empty() ? kNoParam : route.params[0];
  switch (route.operation) {
    case Operation::kCreateFeedDocument:
      return create_feed_document(request, now);
    case Operation::kGetFeedDocument:
      return get_feed_document(param, now);
    case Operation::kCreateFeed:
      return create_feed(request, now);
    case Operation::kGetFeed:
      return get_feed(param);
    case Operation::kCancelFeed:
      return cancel_feed(param, now);
    case Operation::kPatchListingsItem:
      return patch_listings_item(route, request, now);
    case Operation::kGetListingsItem:
      return get_listings_item(route, request);
    case Operation::kGetOrders:
      return get_orders(request, now);
    case Operation::kGetOrder:
      return get_order(param);
    case Operation::kGetOrderItems:
      return get_order_items(param);
  }
  return amazon::error_response(404, "NotFound", "Resource not found.");  // not reached
}

void AmazonMock::count(std::string_view key, int64_t delta) {
  auto it = stats_.find(key);
  if (it == stats_.end()) it = stats_.emplace(std::string(key), 0).first;
  it->second += delta;
}

// --- rate limits ---

bool AmazonMock::take_token(Operation operation, Instant now) {
  TokenBucket* bucket = operation_buckets_[static_cast<size_t>(operation)];
  return bucket == nullptr || bucket->try_take(1, now);
}

const std::string& AmazonMock::rate_header(Operation operation) const {
  return rate_headers_[static_cast<size_t>(operation)];
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
  for (size_t i = 0; i < kOperationCount; ++i) {
    const TokenBucket* bucket = operation_buckets_[i];
    rate_headers_[i] = amazon::format_rate(bucket == nullptr ? 0 : bucket->rate_micro_per_s());
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
  if (!timers_.empty() && (!best || timers_.top().at < best->at)) {
    best = Event{timers_.top().at, nullptr};
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
    if (e->feed != nullptr) {
      if (e->feed->status == FeedStatus::kInQueue)
        start_feed(*e->feed, e->at);
      else
        finish_feed(*e->feed, e->at);
      continue;
    }
    const Timer timer = timers_.top();
    timers_.pop();
    run_timer(timer);
  }
}

void AmazonMock::schedule_apply(const std::string& sku, int64_t quantity, Instant now) {
  const uint64_t seq = next_timer_seq_++;
  applies_[seq] = PendingApply{sku, quantity};
  timers_.push(Timer{now + Duration::milliseconds(faults_.apply_lag_ms), seq, TimerKind::kApply,
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
    set_last_update(timer.index, timer.at);
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
  const auto it = listings_.find(sku);
  if (it == listings_.end()) return std::nullopt;
  nlohmann::ordered_json ids;
  ids["seller_id"] = config_.seller_id;
  ids["marketplace_id"] = config_.marketplace_id;
  ids["asin"] = it->second.asin;
  return ids.dump();
}

std::optional<int64_t> AmazonMock::attribute_quantity(std::string_view sku) const {
  const auto it = listings_.find(sku);
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
  std::map<std::string, int64_t> out(stats_.begin(), stats_.end());
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
