// Defaults and strict JSON parsing of AmazonMockConfig and AmazonFaults.
#include <cmath>

#include "core/base/json_reader.h"
#include "mocks/amazon/amazon_mock.h"
#include "mocks/amazon/sp_api_http.h"

namespace invsync::mocks {

std::map<std::string, AmazonOperationLimit> default_amazon_rate_limits() {
  return {
      {"createFeed", {8'300, 15}},         {"getFeed", {2'000'000, 15}},
      {"cancelFeed", {2'000'000, 15}},     {"createFeedDocument", {500'000, 15}},
      {"getFeedDocument", {22'200, 10}},   {"patchListingsItem", {5'000'000, 5}},
      {"getListingsItem", {5'000'000, 5}}, {"getOrders", {16'700, 20}},
      {"getOrder", {500'000, 30}},         {"getOrderItems", {500'000, 30}},
  };
}

std::string_view feed_status_name(FeedStatus status) {
  switch (status) {
    case FeedStatus::kInQueue:
      return "IN_QUEUE";
    case FeedStatus::kInProgress:
      return "IN_PROGRESS";
    case FeedStatus::kDone:
      return "DONE";
    case FeedStatus::kFatal:
      return "FATAL";
    case FeedStatus::kCancelled:
      return "CANCELLED";
  }
  return "IN_QUEUE";
}

void parse_amazon_faults(base::JsonReader& r, const AmazonFaults& d, AmazonFaults* f) {
  parse_common_faults(r, &f->common);
  constexpr int64_t kMaxDwellMs = 7 * 86'400'000LL;
  f->feed_in_queue_ms_min =
      r.get_int("feed_in_queue_ms_min", d.feed_in_queue_ms_min, 0, kMaxDwellMs);
  f->feed_in_queue_ms_max =
      r.get_int("feed_in_queue_ms_max", d.feed_in_queue_ms_max, 0, kMaxDwellMs);
  f->feed_in_progress_ms_min =
      r.get_int("feed_in_progress_ms_min", d.feed_in_progress_ms_min, 0, kMaxDwellMs);
  f->feed_in_progress_ms_max =
      r.get_int("feed_in_progress_ms_max", d.feed_in_progress_ms_max, 0, kMaxDwellMs);
  if (r.ok() && f->feed_in_queue_ms_max < f->feed_in_queue_ms_min) {
    r.fail("feed_in_queue_ms_max", "must be >= feed_in_queue_ms_min");
  }
  if (r.ok() && f->feed_in_progress_ms_max < f->feed_in_progress_ms_min) {
    r.fail("feed_in_progress_ms_max", "must be >= feed_in_progress_ms_min");
  }
  auto percent = [&r](const char* key, uint32_t fallback) {
    return static_cast<uint32_t>(r.get_int(key, fallback, 0, 100));
  };
  f->feed_fatal_percent = percent("feed_fatal_percent", d.feed_fatal_percent);
  f->not_applied_percent = percent("not_applied_percent", d.not_applied_percent);
  f->apply_lag_ms = r.get_int("apply_lag_ms", d.apply_lag_ms, 0, kMaxDwellMs);
  f->http_503_html_percent = percent("http_503_html_percent", d.http_503_html_percent);
  f->empty_200_percent = percent("empty_200_percent", d.empty_200_percent);
}

namespace {

void parse_rate_limits(base::JsonReader& r, AmazonMockConfig* c) {
  base::JsonReader limits = r.object("rate_limits");
  for (const std::string& op : limits.keys()) {
    if (c->rate_limits.count(op) == 0) {
      limits.fail(op, "unknown operation");
      return;
    }
    base::JsonReader one = limits.object(op, true);
    const double rate = one.get_number("rate_per_s", std::nullopt, 0.000001, 1'000'000.0);
    const int64_t burst = one.get_int("burst", std::nullopt, 1, 1'000'000);
    if (!one.finish().ok()) return;
    c->rate_limits[op] = {static_cast<int64_t>(std::llround(rate * 1e6)), burst};
  }
}

void parse_notifications(base::JsonReader& r, AmazonMockConfig* c) {
  base::JsonReader n = r.object("notifications");
  c->order_change_notifications = n.get_bool("order_change", c->order_change_notifications);
  c->notification_target = n.get_string("target", c->notification_target);
  c->notification_level =
      n.get_enum("level", c->notification_level, {"OrderLevel", "OrderItemLevel"});
  c->notification_redelivery =
      base::Duration::seconds(n.get_int("redelivery_s", c->notification_redelivery.s(), 1, 86'400));
  (void)n.finish();
}

base::Duration ms_key(base::JsonReader& r, const char* key, base::Duration fallback,
                      int64_t max_ms) {
  return base::Duration::milliseconds(r.get_int(key, fallback.ms(), 0, max_ms));
}

}  // namespace

base::Status parse_amazon_mock_config(base::JsonReader& r, AmazonMockConfig* out) {
  AmazonMockConfig c = *out;
  c.seller_id = r.get_string("seller_id", c.seller_id);
  c.marketplace_id = r.get_string("marketplace_id", c.marketplace_id);
  c.lwa_client_id = r.get_string("lwa_client_id", c.lwa_client_id);
  c.lwa_client_secret = r.get_string("lwa_client_secret", c.lwa_client_secret);
  if (r.has("refresh_tokens")) c.refresh_tokens = r.string_array("refresh_tokens");
  c.access_token_lifetime = base::Duration::seconds(
      r.get_int("access_token_lifetime_s", c.access_token_lifetime.s(), 1, 86'400));
  c.base_url = r.get_string("base_url", c.base_url);
  parse_rate_limits(r, &c);
  c.json_listings_feed_cap =
      r.get_int("json_listings_feed_cap", c.json_listings_feed_cap, 1, 10'000);
  c.json_listings_feed_window = base::Duration::seconds(
      r.get_int("json_listings_feed_window_s", c.json_listings_feed_window.s(), 1, 86'400));
  c.document_url_lifetime = base::Duration::seconds(
      r.get_int("document_url_lifetime_s", c.document_url_lifetime.s(), 1, 86'400));
  c.feed_document_retention = base::Duration::seconds(
      r.get_int("feed_document_retention_s", c.feed_document_retention.s(), 1, 30 * 86'400));
  c.order_visibility_delay =
      ms_key(r, "order_visibility_delay_ms", c.order_visibility_delay, 86'400'000);
  c.order_pending_duration = ms_key(r, "order_pending_ms", c.order_pending_duration, 86'400'000);
  c.orders_default_before_lag =
      ms_key(r, "orders_default_before_lag_ms", c.orders_default_before_lag, 3'600'000);
  c.auto_decrement_on_order = r.get_bool("auto_decrement_on_order", c.auto_decrement_on_order);
  c.currency_code = r.get_string("currency_code", c.currency_code);
  c.item_price_minor = r.get_int("item_price_minor", c.item_price_minor, 0, 100'000'000);
  const std::string origin = r.get_string("wall_origin", "");
  if (!origin.empty()) {
    const auto parsed = amazon::parse_iso8601(origin);
    if (parsed)
      c.wall_origin = *parsed;
    else
      r.fail("wall_origin", "must be an ISO-8601 UTC timestamp");
  }
  parse_notifications(r, &c);
  base::JsonReader faults = r.object("faults");
  parse_amazon_faults(faults, c.faults, &c.faults);
  (void)faults.finish();
  if (r.ok() && c.refresh_tokens.empty()) r.fail("refresh_tokens", "must not be empty");
  base::Status status = r.finish();
  if (status.ok()) *out = std::move(c);
  return status;
}

}  // namespace invsync::mocks
