// Strict JSON parsing of AmazonConnectorConfig.
#include <cmath>

#include "core/base/json_reader.h"
#include "core/connector/amazon/amazon_config.h"
#include "core/connector/amazon/amazon_internal.h"

namespace invsync::connector {
namespace {

constexpr int64_t kFeedMessagesMax = 25'000;  // listings-feed-schema-v2 messages.maxItems

std::string required_string(base::JsonReader& r, const std::string& key) {
  std::string value = r.get_string(key, std::nullopt);
  if (r.ok() && value.empty()) r.fail(key, "must not be empty");
  return value;
}

std::string url_key(base::JsonReader& r, const std::string& key, std::optional<std::string> dflt) {
  std::string value = r.get_string(key, std::move(dflt));
  if (r.ok() && !amazon_detail::split_absolute_url(value)) {
    r.fail(key, "must be an absolute http(s) URL");
  }
  if (r.ok() && value.back() == '/') r.fail(key, "must not end with '/'");
  return value;
}

void read_channel(base::JsonReader& r, AmazonConnectorConfig* c) {
  const std::string text = r.get_string("channel", std::nullopt);
  if (!r.ok()) return;
  auto channel = domain::ChannelId::parse(text);
  if (!channel.ok()) {
    r.fail("channel", channel.status().message());
  } else if (channel->platform() != domain::Platform::kAmazon) {
    r.fail("channel", "must be an amazon channel (\"amazon:<account>\")");
  } else {
    c->channel = *channel;
  }
}

void read_timing(base::JsonReader& r, AmazonConnectorConfig* c) {
  c->feed_poll_interval = base::Duration::seconds(
      r.get_int("feed_poll_interval_s", c->feed_poll_interval.s(), 1, 3'600));
  c->feed_track_max = base::Duration::seconds(
      r.get_int("feed_track_max_s", c->feed_track_max.s(), 60, 30 * 86'400));
  c->token_refresh_margin = base::Duration::seconds(
      r.get_int("token_refresh_margin_s", c->token_refresh_margin.s(), 0, 1'800));
  c->request_timeout = base::Duration::milliseconds(
      r.get_int("request_timeout_ms", c->request_timeout.ms(), 1, 600'000));
}

void read_orders(base::JsonReader& r, AmazonConnectorConfig* c) {
  c->orders_start = r.get_string("orders_start", c->orders_start);
  if (r.ok() && !c->orders_start.empty() && !amazon_detail::parse_iso8601(c->orders_start)) {
    r.fail("orders_start", "must be an ISO 8601 timestamp (e.g. 2026-11-27T00:00:00Z)");
  }
  c->orders_lookback = base::Duration::seconds(
      r.get_int("orders_lookback_s", c->orders_lookback.s(), 0, 30 * 86'400));
  c->orders_page_size =
      static_cast<int32_t>(r.get_int("orders_page_size", c->orders_page_size, 1, 100));
}

void read_limits(base::JsonReader& r, AmazonConnectorConfig* c) {
  ConnectorLimits& l = c->limits;
  const double rate = r.get_number("request_rate_per_s", l.request_rate_micro_per_s / 1e6,
                                   0.000001, 1'000'000.0);
  l.request_rate_micro_per_s = std::max<int64_t>(1, std::llround(rate * 1e6));
  l.request_burst_count = r.get_int("request_burst_count", l.request_burst_count, 1, 1'000'000);
  const int64_t push_default = c->mode == AmazonPushMode::kFeed ? 10'000 : 1;
  const int64_t push_max = c->mode == AmazonPushMode::kFeed ? kFeedMessagesMax : 1'000;
  l.push_batch_count_max =
      static_cast<int32_t>(r.get_int("push_batch_count_max", push_default, 1, push_max));
  l.read_batch_count_max =
      static_cast<int32_t>(r.get_int("read_batch_count_max", l.read_batch_count_max, 1, 1'000));
}

}  // namespace

base::Status parse_amazon_connector_config(base::JsonReader& r, AmazonConnectorConfig* out) {
  AmazonConnectorConfig c = *out;
  read_channel(r, &c);
  c.base_url = url_key(r, "base_url", std::nullopt);
  c.lwa_base_url = url_key(r, "lwa_base_url", c.lwa_base_url);
  c.client_id = required_string(r, "client_id");
  c.client_secret = required_string(r, "client_secret");
  c.refresh_token = required_string(r, "refresh_token");
  c.seller_id = required_string(r, "seller_id");
  c.marketplace_id = required_string(r, "marketplace_id");
  const std::string mode =
      r.get_enum("mode", c.mode == AmazonPushMode::kFeed ? "feed" : "patch", {"patch", "feed"});
  c.mode = mode == "feed" ? AmazonPushMode::kFeed : AmazonPushMode::kPatch;
  read_timing(r, &c);
  c.user_agent = r.get_string("user_agent", c.user_agent);
  if (r.ok() && c.user_agent.empty()) r.fail("user_agent", "must not be empty");
  read_orders(r, &c);
  read_limits(r, &c);
  base::Status status = r.finish();
  if (status.ok()) *out = std::move(c);
  return status;
}

}  // namespace invsync::connector
