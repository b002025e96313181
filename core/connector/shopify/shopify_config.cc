#include "core/connector/shopify/shopify_config.h"

#include "core/base/json_reader.h"
#include "core/connector/shopify/shopify_protocol.h"

namespace invsync::connector {
namespace {

constexpr std::string_view kOldestApiVersion = "2026-01";  // changeFromQuantity

bool is_api_version(std::string_view v) {
  if (v.size() != 7 || v[4] != '-') return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i != 4 && (v[i] < '0' || v[i] > '9')) return false;
  }
  return true;
}

void read_location(base::JsonReader& reader, ShopifyConnectorConfig* config) {
  const nlohmann::json& raw = reader.raw();
  const auto it = raw.find("location_id");
  if (it == raw.end()) {
    reader.get_string("location_id", std::nullopt);  // records "is required"
    return;
  }
  std::optional<int64_t> id;
  if (it->is_string()) {
    id = shopify_detail::parse_id_text(reader.get_string("location_id", std::nullopt), "Location");
  } else {
    id = reader.get_int("location_id", std::nullopt, 1, INT64_MAX);
  }
  if (!id) {
    reader.fail("location_id", "must be a positive id or gid://shopify/Location/<id>");
    return;
  }
  config->location_id = *id;
}

void read_limits(base::JsonReader& reader, ShopifyConnectorConfig* config) {
  ConnectorLimits& l = config->limits;
  l.request_rate_micro_per_s = reader.get_int("request_rate_micro_per_s",
                                              l.request_rate_micro_per_s, 1, 1'000'000'000);
  l.request_burst_count = reader.get_int("request_burst_count", l.request_burst_count, 1, 10'000);
  l.push_batch_count_max = static_cast<int32_t>(
      reader.get_int("push_batch_count_max", l.push_batch_count_max, 1, 250));
  l.read_batch_count_max = static_cast<int32_t>(
      reader.get_int("read_batch_count_max", l.read_batch_count_max, 1, 250));
  config->push_cost_points =
      reader.get_int("push_cost_points", config->push_cost_points, 1, 1000);
}

}  // namespace

base::Status parse_shopify_connector_config(base::JsonReader& reader,
                                            ShopifyConnectorConfig* config) {
  const std::string channel = reader.get_string("channel", std::nullopt);
  if (reader.ok()) {
    auto id = domain::ChannelId::parse(channel);
    if (!id.ok()) {
      reader.fail("channel", id.status().message());
    } else if (id->platform() != domain::Platform::kShopify) {
      reader.fail("channel", "must be a shopify channel, got '" + channel + "'");
    } else {
      config->channel = *id;
    }
  }
  config->base_url = reader.get_string("base_url", std::nullopt);
  if (reader.ok() && config->base_url.rfind("https://", 0) != 0 &&
      config->base_url.rfind("http://", 0) != 0) {
    reader.fail("base_url", "must start with https:// or http://");
  }
  while (!config->base_url.empty() && config->base_url.back() == '/') config->base_url.pop_back();
  config->api_version = reader.get_string("api_version", config->api_version);
  if (reader.ok() && (!is_api_version(config->api_version) ||
                      config->api_version < kOldestApiVersion)) {
    reader.fail("api_version", "must be YYYY-MM, 2026-01 or later");
  }
  config->access_token = reader.get_string("access_token", std::nullopt);
  config->app_secret = reader.get_string("app_secret", std::nullopt);
  if (reader.ok() && (config->access_token.empty() || config->app_secret.empty())) {
    reader.fail(config->access_token.empty() ? "access_token" : "app_secret", "must not be empty");
  }
  config->previous_app_secret = reader.get_string("previous_app_secret", std::string());
  read_location(reader, config);
  config->request_timeout = base::Duration::milliseconds(reader.get_int(
      "request_timeout_ms", config->request_timeout.ms(), 100, 300'000));
  read_limits(reader, config);
  config->orders_start = reader.get_string("orders_start", config->orders_start);
  if (reader.ok() && !config->orders_start.empty() &&
      !shopify_detail::parse_iso8601(config->orders_start)) {
    reader.fail("orders_start", "must be an ISO 8601 timestamp");
  }
  return reader.finish();
}

}  // namespace invsync::connector
