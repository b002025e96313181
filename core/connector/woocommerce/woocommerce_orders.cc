// Orders for the WooCommerce connector: the status-to-events rule, order polling by modified date
// and Hookshot webhook verification and parsing.
#include <algorithm>
#include <array>
#include <charconv>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "core/connector/woocommerce/woocommerce_connector.h"
#include "core/connector/woocommerce/woocommerce_internal.h"
#include "core/domain/quantity.h"
#include "core/domain/sku.h"

namespace invsync::connector {
namespace woo {
namespace {

constexpr std::array<std::string_view, 4> kSoldStatuses = {"processing", "on-hold", "completed",
                                                           "refunded"};

base::Status malformed(const std::string& order_id, const std::string& what) {
  return base::Status::invalid_argument("woocommerce order " + order_id + ": " + what);
}

base::Status append_line_events(const LineFacts& line, const domain::ChannelId& channel,
                                const std::string& order_id,
                                const std::vector<domain::EventKind>& kinds,
                                std::vector<domain::OrderEvent>* events) {
  if (!line.is_object) return malformed(order_id, "line item is not an object");
  if (!line.id.has_value() || *line.id <= 0) return malformed(order_id, "line item without id");
  const std::string line_key = std::to_string(*line.id);
  if (!line.quantity.has_value() || *line.quantity <= 0) {
    return malformed(order_id, "line " + line_key + " quantity is not a positive whole number");
  }
  auto quantity = domain::Quantity::checked(*line.quantity);
  if (!quantity.ok()) return malformed(order_id, "line " + line_key + " quantity out of range");
  if (!line.sku.has_value()) return malformed(order_id, "line " + line_key + " has no sku");
  auto sku = domain::Sku::parse(*line.sku);
  if (!sku.ok()) return malformed(order_id, "line " + line_key + " has an invalid sku");
  for (domain::EventKind kind : kinds) {
    events->push_back(domain::OrderEvent{.key = domain::EventKey{channel, order_id, line_key, kind},
                                         .sku = *sku,
                                         .quantity = *quantity,
                                         .reason = ""});
  }
  return base::Status();
}

}  // namespace

base::Status append_order_events(const OrderFacts& order, const domain::ChannelId& channel,
                                 std::vector<domain::OrderEvent>* events, bool skip_bad_lines,
                                 int64_t* skipped_lines) {
  if (!order.id.has_value() || *order.id <= 0) {
    return base::Status::invalid_argument("order without id");
  }
  const std::string order_id = std::to_string(*order.id);
  if (!order.status.has_value()) return malformed(order_id, "no status");
  const std::string& s = *order.status;
  std::vector<domain::EventKind> kinds;
  if (std::find(kSoldStatuses.begin(), kSoldStatuses.end(), s) != kSoldStatuses.end()) {
    kinds = {domain::EventKind::kSale};
  } else if (s == "cancelled") {
    kinds = {domain::EventKind::kSale, domain::EventKind::kCancel};
  } else {
    return base::Status();  // pending, failed, drafts, trash, custom: stock was not reduced
  }
  if (!order.lines.has_value()) return malformed(order_id, "no line_items");
  std::vector<domain::OrderEvent> out;
  for (const LineFacts& line : *order.lines) {
    // A line appends its events only once all its fields are valid.
    base::Status st = append_line_events(line, channel, order_id, kinds, &out);
    if (st.ok()) continue;
    if (!skip_bad_lines) return st;
    if (skipped_lines != nullptr) ++*skipped_lines;
  }
  for (auto& e : out) events->push_back(std::move(e));
  return base::Status();
}

}  // namespace woo

namespace {

constexpr int64_t kOrdersPerPage = 100;
constexpr std::string_view kPageSeparator = ";page=";

// The unsigned ping sent when a webhook is created: a form body "webhook_id=<n>".
bool is_ping(const base::HttpRequest& request) {
  const auto params = base::parse_query(request.body);
  if (!params.has_value() || params->size() != 1 || (*params)[0].first != "webhook_id") {
    return false;
  }
  const std::string& v = (*params)[0].second;
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Cursor {
  base::WallTime from;
  int64_t page = 1;
};

// "2026-01-01T00:05:00" or "2026-01-01T00:05:00;page=3".
std::optional<Cursor> parse_cursor(const std::string& text) {
  Cursor c;
  std::string_view date = text;
  if (const size_t sep = date.find(kPageSeparator); sep != std::string_view::npos) {
    const std::string_view page = date.substr(sep + kPageSeparator.size());
    const auto [p, ec] = std::from_chars(page.data(), page.data() + page.size(), c.page);
    if (ec != std::errc() || p != page.data() + page.size() || c.page < 1) return std::nullopt;
    date = date.substr(0, sep);
  }
  auto from = woo::parse_gmt_datetime(date);
  if (!from.has_value()) return std::nullopt;
  c.from = *from;
  return c;
}

std::string format_cursor(const Cursor& c) {
  std::string out = woo::format_gmt_datetime(c.from);
  if (c.page > 1) out += std::string(kPageSeparator) + std::to_string(c.page);
  return out;
}

}  // namespace

void WooCommerceConnector::poll_orders(const std::string& cursor, PollCallback callback) {
  Cursor c;
  if (cursor.empty()) {
    c.from = config_.poll_start.value_or(deps_.clock.wall_now() - config_.poll_lookback);
  } else if (auto parsed = parse_cursor(cursor); parsed.has_value()) {
    c = *parsed;
  } else {
    deps_.scheduler.post([callback = std::move(callback)] {
      callback(base::Status::invalid_argument("woocommerce: malformed order cursor"));
    });
    return;
  }
  // modified_after is exclusive and has one-second resolution: start one second early so orders
  // modified in the cursor's own second are never skipped (the event store is idempotent).
  const std::string target =
      "/orders?modified_after=" +
      base::percent_encode(woo::format_gmt_datetime(c.from - base::Duration::seconds(1))) +
      "&dates_are_gmt=true&orderby=modified&order=asc&per_page=" +
      std::to_string(kOrdersPerPage) + "&page=" + std::to_string(c.page);
  deps_.api.send(make_request("GET", target),
                 [this, c, callback = std::move(callback)](base::Result<base::HttpResponse> r) {
                   poll_page_done(c.page, c.from, std::move(r), callback);
                 });
}

void WooCommerceConnector::poll_page_done(int64_t page, base::WallTime from,
                                          base::Result<base::HttpResponse> result,
                                          PollCallback callback) {
  woo::Reply reply = woo::decode_reply(result, woo::Shape::kOrders);
  if (!reply.ok) {
    callback(reply.status);
    return;
  }
  PolledOrders out;
  base::WallTime newest = from;
  for (const woo::OrderFacts& order : reply.orders) {  // the page's objects: nothing else counts
    std::vector<domain::OrderEvent> events;
    // A malformed order or line (e.g. a product without SKU) is skipped rather than failing the
    // page, which would stall the cursor for good; the order's other lines still count.
    if (woo::append_order_events(order, config_.channel, &events, /*skip_bad_lines=*/true).ok()) {
      for (auto& e : events) out.events.push_back(std::move(e));
    }
    if (!order.date_modified_gmt.has_value()) continue;
    if (auto t = woo::parse_gmt_datetime(*order.date_modified_gmt); t.has_value()) {
      newest = std::max(newest, *t);
    }
  }
  out.more = reply.total_pages > page;
  // No progress past the cursor's second on a full page: step to the next page of that second.
  const Cursor next = (out.more && newest == from) ? Cursor{from, page + 1} : Cursor{newest, 1};
  out.next_cursor = format_cursor(next);
  callback(std::move(out));
}

base::Result<ParsedWebhook> WooCommerceConnector::parse_webhook(const base::HttpRequest& request) {
  const auto signature = request.headers.get("X-WC-Webhook-Signature");
  if (!signature.has_value()) {
    if (is_ping(request)) return ParsedWebhook{.ignorable = true};
    return base::Status::unauthenticated("woocommerce webhook: missing X-WC-Webhook-Signature");
  }
  if (config_.webhook_secret.empty()) {
    return base::Status::unauthenticated("woocommerce webhook: no webhook secret configured");
  }
  const std::string expected =
      base::base64_encode(base::hmac_sha256(config_.webhook_secret, request.body));
  if (!base::constant_time_equal(expected, *signature)) {
    return base::Status::unauthenticated("woocommerce webhook: signature does not match");
  }
  const std::optional<woo::OrderFacts> order = woo::read_order_object(request.body);
  if (!order.has_value()) {
    return base::Status::invalid_argument("woocommerce webhook: body is not a JSON object");
  }
  const auto topic = request.headers.get("X-WC-Webhook-Topic");
  if (!topic.has_value()) {
    return base::Status::invalid_argument("woocommerce webhook: missing X-WC-Webhook-Topic");
  }
  if (*topic != "order.created" && *topic != "order.updated") {
    return ParsedWebhook{.ignorable = true};  // product.*, order.deleted, coupons, actions...
  }
  ParsedWebhook out;
  INVSYNC_RETURN_IF_ERROR(woo::append_order_events(*order, config_.channel, &out.events));
  return out;
}

}  // namespace invsync::connector
