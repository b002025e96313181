// Strict reading of the WooCommerce connector's JSON config section.
#include <cmath>
#include <utility>

#include "core/base/json_reader.h"
#include "core/connector/woocommerce/woocommerce_connector.h"
#include "core/connector/woocommerce/woocommerce_internal.h"

namespace invsync::connector {
namespace {

void read_limits(base::JsonReader& parent, ConnectorLimits* limits) {
  base::JsonReader r = parent.object("limits");
  const double rate = r.get_number("request_rate_per_s",
                                   static_cast<double>(limits->request_rate_micro_per_s) / 1e6,
                                   0.001, 1'000.0);
  limits->request_rate_micro_per_s = std::llround(rate * 1e6);
  limits->request_burst_count =
      r.get_int("request_burst_count", limits->request_burst_count, 1, 1'000);
  limits->push_batch_count_max = static_cast<int32_t>(
      r.get_int("push_batch_count_max", limits->push_batch_count_max, 1, 100));
  limits->read_batch_count_max = static_cast<int32_t>(
      r.get_int("read_batch_count_max", limits->read_batch_count_max, 1, 100));
  (void)r.finish();
}

void read_base_url(base::JsonReader& r, WooCommerceConnectorConfig* c) {
  c->base_url = r.get_string("base_url", std::nullopt);
  while (!c->base_url.empty() && c->base_url.back() == '/') c->base_url.pop_back();
  const bool http = c->base_url.starts_with("http://") && c->base_url.size() > 7;
  const bool https = c->base_url.starts_with("https://") && c->base_url.size() > 8;
  if (!http && !https) r.fail("base_url", "must be the site root, http(s)://host[:port]");
  const std::string mode = r.get_enum("auth_mode", "query", {"query", "basic"});
  c->auth_mode = mode == "basic" ? WooCommerceAuthMode::kBasic : WooCommerceAuthMode::kQuery;
  if (c->auth_mode == WooCommerceAuthMode::kBasic && !https) {
    r.fail("auth_mode", "basic needs an https base_url (WooCommerce ignores it on plain HTTP)");
  }
}

}  // namespace

base::Status parse_woocommerce_connector_config(base::JsonReader& r,
                                                WooCommerceConnectorConfig* out) {
  WooCommerceConnectorConfig c;
  const std::string channel = r.get_string("channel", std::nullopt);
  if (auto id = domain::ChannelId::parse(channel); !id.ok()) {
    r.fail("channel", id.status().message());
  } else if (id->platform() != domain::Platform::kWooCommerce) {
    r.fail("channel", "must be a woocommerce:<account> channel");
  } else {
    c.channel = *id;
  }
  read_base_url(r, &c);
  c.consumer_key = r.get_string("consumer_key", std::nullopt);
  c.consumer_secret = r.get_string("consumer_secret", std::nullopt);
  if (c.consumer_key.empty()) r.fail("consumer_key", "must not be empty");
  if (c.consumer_secret.empty()) r.fail("consumer_secret", "must not be empty");
  c.webhook_secret = r.get_string("webhook_secret", "");
  c.request_timeout = base::Duration::milliseconds(
      r.get_int("request_timeout_ms", c.request_timeout.ms(), 100, 600'000));
  read_limits(r, &c.limits);
  c.sku_cache_entries_max =
      r.get_int("sku_cache_entries_max", c.sku_cache_entries_max, 0, 10'000'000);
  if (r.has("poll_start")) {
    const std::string start = r.get_string("poll_start", std::nullopt);
    c.poll_start = woo::parse_gmt_datetime(start);
    if (!c.poll_start.has_value()) {
      r.fail("poll_start", "must be an ISO-8601 UTC time like 2026-01-01T00:00:00Z");
    }
  }
  c.poll_lookback =
      base::Duration::seconds(r.get_int("poll_lookback_s", c.poll_lookback.s(), 0, 31'536'000));
  INVSYNC_RETURN_IF_ERROR(r.finish());
  *out = std::move(c);
  return base::Status();
}

}  // namespace invsync::connector
