#include <cmath>

#include "core/base/json_reader.h"
#include "core/connector/etsy/etsy_connector.h"

namespace invsync::connector {
namespace {

constexpr int64_t kSecondsMax = 30LL * 24 * 3600;

void parse_limits(base::JsonReader r, ConnectorLimits* limits) {
  const double rate_per_s = r.get_number(
      "rate_per_s", static_cast<double>(limits->request_rate_micro_per_s) / 1e6, 0.001, 10'000);
  limits->request_rate_micro_per_s = std::llround(rate_per_s * 1e6);
  limits->request_burst_count = r.get_int("burst", limits->request_burst_count, 1, 10'000);
  limits->push_batch_count_max =
      static_cast<int32_t>(r.get_int("push_batch_max", limits->push_batch_count_max, 1, 100));
  limits->read_batch_count_max =
      static_cast<int32_t>(r.get_int("read_batch_max", limits->read_batch_count_max, 1, 100));
  (void)r.finish();
}

}  // namespace

base::Status parse_etsy_connector_config(base::JsonReader& r, EtsyConnectorConfig* config) {
  EtsyConnectorConfig c;
  const std::string channel = r.get_string("channel", std::nullopt);
  if (r.ok()) {
    base::Result<domain::ChannelId> id = domain::ChannelId::parse(channel);
    if (!id.ok()) {
      r.fail("channel", id.status().message());
    } else if (id->platform() != domain::Platform::kEtsy) {
      r.fail("channel", "must be an etsy channel (\"etsy:<account>\")");
    } else {
      c.channel = *id;
    }
  }
  c.base_url = r.get_string("base_url", c.base_url);
  c.token_base_url = r.get_string("token_base_url", c.token_base_url);
  c.shop_id = r.get_int("shop_id", std::nullopt, 1, INT64_MAX);
  c.keystring = r.get_string("keystring", "");
  c.shared_secret = r.get_string("shared_secret", "");
  c.client_id = r.get_string("client_id", "");
  c.refresh_token = r.get_string("refresh_token", "");
  c.webhook_signing_secret = r.get_string("webhook_signing_secret", "");
  c.request_timeout = base::Duration::milliseconds(
      r.get_int("request_timeout_ms", c.request_timeout.ms(), 100, 600'000));
  c.token_refresh_margin = base::Duration::seconds(
      r.get_int("token_refresh_margin_s", c.token_refresh_margin.s(), 0, 3000));
  c.webhook_tolerance = base::Duration::seconds(
      r.get_int("webhook_tolerance_s", c.webhook_tolerance.s(), 0, kSecondsMax));
  c.poll_page_limit = static_cast<int32_t>(r.get_int("poll_page_limit", c.poll_page_limit, 1, 100));
  c.poll_initial_lookback = base::Duration::seconds(
      r.get_int("poll_initial_lookback_s", c.poll_initial_lookback.s(), 0, 3 * 365 * 86'400LL));
  c.poll_overlap =
      base::Duration::seconds(r.get_int("poll_overlap_s", c.poll_overlap.s(), 0, 86'400));
  parse_limits(r.object("limits"), &c.limits);
  if (r.ok() && c.base_url.empty()) r.fail("base_url", "must not be empty");
  if (r.ok() && c.token_base_url.empty()) r.fail("token_base_url", "must not be empty");
  if (r.ok() && !c.webhook_signing_secret.empty() &&
      c.webhook_signing_secret.rfind("whsec_", 0) != 0) {
    r.fail("webhook_signing_secret", "must start with whsec_");  // the value is not echoed
  }
  INVSYNC_RETURN_IF_ERROR(r.finish());
  *config = std::move(c);
  return base::Status();
}

base::Status validate_etsy_connector_config(const EtsyConnectorConfig& c) {
  if (c.base_url.empty() || c.token_base_url.empty()) {
    return base::Status::invalid_argument("etsy connector: base_url and token_base_url needed");
  }
  if (c.shop_id <= 0) return base::Status::invalid_argument("etsy connector: shop_id needed");
  if (c.keystring.empty() || c.shared_secret.empty()) {
    return base::Status::invalid_argument("etsy connector: keystring and shared_secret needed");
  }
  if (c.refresh_token.empty()) {
    return base::Status::invalid_argument("etsy connector: refresh_token needed");
  }
  return base::Status();
}

}  // namespace invsync::connector
