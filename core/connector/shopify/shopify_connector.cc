#include "core/connector/shopify/shopify_connector.h"

#include <algorithm>
#include <utility>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "core/connector/shopify/shopify_events.h"
#include "core/connector/shopify/shopify_protocol.h"

namespace invsync::connector {
namespace {

using shopify_detail::Exchange;
using shopify_detail::JsonValue;

constexpr std::string_view kPageInfoCursor = "page_info:";
constexpr int kPageCountMax = 250;

std::string join_ids(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

// page_info of the rel="next" link of a Link header, if any.
std::optional<std::string> next_page_info(const base::HttpHeaders& headers) {
  const auto link = headers.get("Link");
  if (!link) return std::nullopt;
  std::string_view rest = *link;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t open = part.find('<'), close = part.find('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
        part.find("rel=\"next\"") == std::string_view::npos) {
      continue;
    }
    const std::string_view url = part.substr(open + 1, close - open - 1);
    const size_t q = url.find('?');
    if (q == std::string_view::npos) continue;
    const auto params = base::parse_query(url.substr(q + 1));
    if (!params) continue;
    auto page = base::query_param(*params, "page_info");
    if (page && !page->empty()) return page;
  }
  return std::nullopt;
}

// A poll cursor: either the updated_at_min of a first page, or a page_info link plus the
// latest updated_at seen on earlier pages of the same walk.
struct PollCursor {
  std::string updated_at_min;
  std::string page_info;
  std::optional<base::WallTime> seen_max;
};

base::Result<PollCursor> parse_cursor(const std::string& cursor, const std::string& start) {
  PollCursor out;
  if (cursor.empty()) {
    out.updated_at_min = start;
    return out;
  }
  if (cursor.rfind(kPageInfoCursor, 0) == 0) {
    const std::string rest = cursor.substr(kPageInfoCursor.size());
    const size_t bar = rest.find('|');
    out.page_info = rest.substr(0, bar);
    if (bar != std::string::npos) {
      out.seen_max = shopify_detail::parse_iso8601(rest.substr(bar + 1));
    }
    if (out.page_info.empty() || (bar != std::string::npos && !out.seen_max)) {
      return base::Status::invalid_argument("shopify: malformed order cursor");
    }
    return out;
  }
  if (!shopify_detail::parse_iso8601(cursor)) {
    return base::Status::invalid_argument("shopify: malformed order cursor");
  }
  out.updated_at_min = cursor;
  return out;
}

// The part of observe_limits() that reads a GraphQL body's extensions.cost.throttleStatus and
// errors. Where nlohmann's value() threw (extensions, cost or throttleStatus present but no
// object), the same exception is thrown.
void observe_graphql_body(const simdjson::dom::element& body, int64_t push_cost_points,
                          LimitFeedback* out) {
  JsonValue status = body;  // absent links read as {}, as value(key, json::object()) gave
  for (const char* key : {"extensions", "cost", "throttleStatus"}) {
    const JsonValue next = shopify_detail::member(status, key);
    if (next && !next->is_object()) {
      // The next value() call of the chain is on this non-object: nlohmann throws type_error 306.
      (void)shopify_detail::to_nlohmann(*next).value("x", nlohmann::json());
    }
    status = next;
  }
  using shopify_detail::json_points;
  using shopify_detail::member;
  const auto available = json_points(member(status, "currentlyAvailable"));
  const auto maximum = json_points(member(status, "maximumAvailable"));
  if (available) out->remaining_count = std::max<int64_t>(0, *available) / push_cost_points;
  if (maximum) out->limit_count = *maximum / push_cost_points;
  // restoreRate is points per second (fractional in principle): in millionths of a push per s.
  const JsonValue restore = member(status, "restoreRate");
  if (shopify_detail::is_number(restore)) {
    const double rate = shopify_detail::double_of(*restore);
    if (rate > 0 && rate < 1e9) {
      out->restore_rate_micro_per_s =
          static_cast<int64_t>(rate * 1e6 / static_cast<double>(push_cost_points));
    }
  }
  const JsonValue errors = member(body, "errors");
  if (errors) {
    const std::string text = shopify_detail::to_nlohmann(*errors).dump();
    if (text.find("THROTTLED") != std::string::npos) {
      out->throttled = true;
      if (!out->retry_after) out->retry_after = shopify_detail::throttle_wait(body);
    }
  }
}

}  // namespace

ShopifyConnector::~ShopifyConnector() = default;

base::HttpRequest ShopifyConnector::make_request(std::string method, std::string target) const {
  base::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.base_url = config_.base_url;
  request.timeout = config_.request_timeout;
  request.headers.set("X-Shopify-Access-Token", config_.access_token);
  request.headers.set("Accept", "application/json");
  return request;
}

void ShopifyConnector::read_levels(const std::vector<int64_t>& item_ids, LevelsCallback callback) {
  const std::string target = "/admin/api/" + config_.api_version +
                             "/inventory_levels.json?inventory_item_ids=" +
                             base::percent_encode(join_ids(item_ids)) +
                             "&location_ids=" + std::to_string(config_.location_id) +
                             "&limit=" + std::to_string(kPageCountMax);
  deps_.api.send(make_request("GET", target), [this, callback = std::move(callback)](
                                                  base::Result<base::HttpResponse> reply) {
    const Exchange ex = shopify_detail::classify_exchange(reply, /*graphql=*/false, *responses_);
    if (!ex.usable) return callback(shopify_detail::exchange_status(ex), ex.http_status);
    simdjson::dom::array levels;
    if (!shopify_detail::array_of(shopify_detail::member(ex.body, "inventory_levels"), &levels)) {
      return callback(base::Status::corruption("shopify: no inventory_levels in the response"),
                      ex.http_status);
    }
    Levels out;
    for (const simdjson::dom::element level_element : levels) {
      const JsonValue level = level_element;
      if (!level_element.is_object()) continue;
      const auto item = shopify_detail::parse_id(shopify_detail::member(level, "inventory_item_id"),
                                                 "InventoryItem");
      const auto location =
          shopify_detail::parse_id(shopify_detail::member(level, "location_id"), "Location");
      if (!item || location != config_.location_id) continue;
      const auto available = shopify_detail::json_int(shopify_detail::member(level, "available"));
      auto quantity = domain::Quantity::checked(available.value_or(0));
      out[*item] = available && quantity.ok() ? std::optional(*quantity) : std::nullopt;
    }
    callback(std::move(out), ex.http_status);
  });
}

void ShopifyConnector::read(std::vector<ListingRef> listings, ReadCallback callback) {
  std::vector<std::optional<int64_t>> ids;
  std::vector<int64_t> known;
  for (const auto& listing : listings) {
    ids.push_back(shopify_detail::inventory_item_id(listing.external_ids_json));
    if (ids.back() && std::find(known.begin(), known.end(), *ids.back()) == known.end()) {
      known.push_back(*ids.back());
    }
  }
  auto finish = [listings = std::move(listings), ids, callback = std::move(callback)](
                    base::Result<Levels> levels, int32_t) {
    if (!levels.ok()) return callback(levels.status());
    std::vector<ChannelQuantity> out;
    for (size_t i = 0; i < listings.size(); ++i) {
      std::optional<domain::Quantity> q;
      if (ids[i]) {
        const auto it = levels->find(*ids[i]);
        if (it != levels->end()) q = it->second;
      }
      out.push_back(ChannelQuantity{listings[i].sku, q});
    }
    callback(std::move(out));
  };
  if (known.empty()) {
    deps_.scheduler.post([finish = std::move(finish)]() mutable { finish(Levels{}, 0); });
    return;
  }
  read_levels(known, std::move(finish));
}

void ShopifyConnector::poll_orders(const std::string& cursor, PollCallback callback) {
  auto parsed = parse_cursor(cursor, config_.orders_start);
  if (!parsed.ok()) {
    deps_.scheduler.post([callback = std::move(callback), st = parsed.status()] { callback(st); });
    return;
  }
  const PollCursor pc = std::move(*parsed);
  std::string target = "/admin/api/" + config_.api_version + "/orders.json?limit=" +
                       std::to_string(kPageCountMax);
  if (!pc.page_info.empty()) {
    target += "&page_info=" + base::percent_encode(pc.page_info);
  } else {
    target += "&status=any&order=" + base::percent_encode("updated_at asc");
    if (!pc.updated_at_min.empty()) {
      target += "&updated_at_min=" + base::percent_encode(pc.updated_at_min);
    }
  }
  deps_.api.send(make_request("GET", target), [this, pc, callback = std::move(callback)](
                                                  base::Result<base::HttpResponse> reply) {
    const Exchange ex = shopify_detail::classify_exchange(reply, /*graphql=*/false, *responses_);
    if (!ex.usable) return callback(shopify_detail::exchange_status(ex));
    simdjson::dom::array orders;
    if (!shopify_detail::array_of(shopify_detail::member(ex.body, "orders"), &orders)) {
      return callback(base::Status::corruption("shopify: no orders in the response"));
    }
    PolledOrders out;
    std::optional<base::WallTime> seen_max = pc.seen_max;
    for (const simdjson::dom::element order : orders) {
      const base::Status st =
          shopify_detail::append_order_events(config_.channel, order, false, &out.events);
      if (!st.ok()) return callback(base::Status::corruption(st.message()));
      const JsonValue updated = shopify_detail::member(order, "updated_at");
      if (!shopify_detail::is_string(updated)) continue;
      const auto at = shopify_detail::parse_iso8601(shopify_detail::string_of(*updated));
      if (at && (!seen_max || *at > *seen_max)) seen_max = at;
    }
    const auto next = next_page_info(reply->headers);
    const std::string seen = seen_max ? base::format_iso8601_utc(*seen_max, true) : "";
    if (next) {
      out.more = true;
      out.next_cursor = std::string(kPageInfoCursor) + *next + (seen.empty() ? "" : "|" + seen);
    } else {
      out.next_cursor = !seen.empty() ? seen : pc.updated_at_min;
    }
    callback(std::move(out));
  });
}

bool ShopifyConnector::signature_valid(const base::HttpRequest& request) const {
  const auto given = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!given || given->empty()) return false;
  const std::string current =
      base::base64_encode(base::hmac_sha256(config_.app_secret, request.body));
  bool ok = base::constant_time_equal(current, *given);
  if (!config_.previous_app_secret.empty()) {
    const std::string previous =
        base::base64_encode(base::hmac_sha256(config_.previous_app_secret, request.body));
    ok = base::constant_time_equal(previous, *given) || ok;
  }
  return ok;
}

base::Result<ParsedWebhook> ShopifyConnector::parse_webhook(const base::HttpRequest& request) {
  if (!signature_valid(request)) {
    return base::Status::unauthenticated(
        "shopify webhook: missing or invalid X-Shopify-Hmac-Sha256");
  }
  const auto topic_header = request.headers.get("X-Shopify-Topic");
  if (!topic_header || topic_header->empty()) {
    return base::Status::invalid_argument("shopify webhook: no X-Shopify-Topic");
  }
  const std::string topic(*topic_header);
  const bool order_topic = topic == "orders/create" || topic == "orders/updated" ||
                           topic == "orders/paid" || topic == "orders/cancelled";
  ParsedWebhook out;
  if (!order_topic && topic != "refunds/create") {
    out.ignorable = true;  // inventory_levels/update (our own echo, or a re-read hint) and others
    return out;
  }
  // parse_webhook() stays safe to call from any thread: one parser per thread, and the document
  // is read before this returns.
  static thread_local shopify_detail::BodyParser parser;
  simdjson::dom::element body;
  if (!parser.parse(request.body, &body) || !body.is_object()) {
    return base::Status::invalid_argument("shopify webhook: body is not a JSON object");
  }
  const base::Status st =
      order_topic
          ? shopify_detail::append_order_events(config_.channel, body, topic == "orders/cancelled",
                                                &out.events)
          : shopify_detail::append_refund_events(config_.channel, body, std::nullopt, &out.events);
  if (!st.ok()) return st;
  return out;
}

LimitFeedback ShopifyConnector::observe_limits(const base::HttpResponse& response) {
  LimitFeedback out;
  out.retry_after = shopify_detail::parse_retry_after(response.headers);
  out.throttled = response.status == 429;
  if (const auto call_limit = response.headers.get("X-Shopify-Shop-Api-Call-Limit")) {
    const size_t slash = call_limit->find('/');
    if (slash != std::string_view::npos) {
      const auto used = shopify_detail::parse_id_text(call_limit->substr(0, slash), "");
      const auto size = shopify_detail::parse_id_text(call_limit->substr(slash + 1), "");
      if (size) {
        out.limit_count = *size;
        out.remaining_count = std::max<int64_t>(0, *size - used.value_or(0));
      }
    }
  }
  if (response.body.find("throttleStatus") == std::string::npos) return out;
  // Remembered: the exchange's callback reads the same response next (classify_exchange).
  simdjson::dom::element body;
  if (!responses_->parse(response.body, &body, /*remember=*/true) || !body.is_object()) return out;
  observe_graphql_body(body, config_.push_cost_points, &out);
  return out;
}

}  // namespace invsync::connector
