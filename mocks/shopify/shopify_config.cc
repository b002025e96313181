#include "mocks/shopify/shopify_config.h"

#include <regex>

#include "core/base/json_reader.h"

namespace invsync::mocks {
namespace {

bool is_api_version(const std::string& v) {
  static const std::regex kVersion("^[0-9]{4}-(01|04|07|10)$");
  return std::regex_match(v, kVersion);
}

void read_tokens(base::JsonReader& r, ShopifyMockConfig* c) {
  if (!r.has("access_tokens")) {
    r.array("access_tokens");  // marks the key read
    return;
  }
  std::vector<base::JsonReader> tokens = r.array("access_tokens");
  c->access_tokens.clear();
  for (auto& t : tokens) {
    ShopifyAccessToken token;
    token.token = t.get_string("token", std::nullopt);
    token.scopes = t.string_array("scopes");
    if (token.token.empty()) t.fail("token", "must not be empty");
    (void)t.finish();
    c->access_tokens.push_back(std::move(token));
  }
  if (c->access_tokens.empty()) r.fail("access_tokens", "must hold at least one token");
}

void read_webhooks(base::JsonReader& r, ShopifyMockConfig* c) {
  c->webhook_target = r.get_string("webhook_target", c->webhook_target);
  if (c->webhook_target.empty() || c->webhook_target[0] != '/') {
    r.fail("webhook_target", "must be a path starting with '/'");
  }
  c->webhook_api_version = r.get_string("webhook_api_version", c->webhook_api_version);
  if (!is_api_version(c->webhook_api_version)) r.fail("webhook_api_version", "must be YYYY-MM");
  if (r.has("webhook_topics")) c->webhook_topics = r.string_array("webhook_topics");
  for (const auto& topic : c->webhook_topics) {
    if (topic != "orders/create" && topic != "orders/cancelled" && topic != "refunds/create" &&
        topic != "inventory_levels/update") {
      r.fail("webhook_topics", "unsupported topic '" + topic + "'");
    }
  }
  c->webhook_timeout_ms = r.get_int("webhook_timeout_ms", c->webhook_timeout_ms, 1, 600'000);
  if (r.has("webhook_retry_delays_ms")) {
    c->webhook_retry_delays_ms = r.int_array("webhook_retry_delays_ms", 1, 86'400'000);
  }
  c->webhook_retry_same_id = r.get_bool("webhook_retry_same_id", c->webhook_retry_same_id);
  c->webhook_delete_after_failures =
      r.get_int("webhook_delete_after_failures", c->webhook_delete_after_failures, 1, 1000);
}

void read_limits(base::JsonReader& r, ShopifyMockConfig* c) {
  c->rest_bucket_size = r.get_int("rest_bucket_size", c->rest_bucket_size, 1, 100'000);
  c->rest_leak_rate_per_s = r.get_int("rest_leak_rate_per_s", c->rest_leak_rate_per_s, 1, 10'000);
  c->graphql_bucket_max = r.get_int("graphql_bucket_max", c->graphql_bucket_max, 1, 1'000'000);
  c->graphql_restore_rate_per_s =
      r.get_int("graphql_restore_rate_per_s", c->graphql_restore_rate_per_s, 1, 1'000'000);
  c->graphql_max_query_cost =
      r.get_int("graphql_max_query_cost", c->graphql_max_query_cost, 1, 1'000'000);
  c->graphql_throttled_status = static_cast<int32_t>(
      r.get_int("graphql_throttled_status", c->graphql_throttled_status, 200, 429));
  if (c->graphql_throttled_status != 200 && c->graphql_throttled_status != 429) {
    r.fail("graphql_throttled_status", "must be 200 or 429");
  }
}

}  // namespace

base::Status parse_shopify_mock_config(base::JsonReader& r, ShopifyMockConfig* config) {
  ShopifyMockConfig c = *config;
  c.shop_domain = r.get_string("shop_domain", c.shop_domain);
  if (c.shop_domain.empty()) r.fail("shop_domain", "must not be empty");
  if (r.has("api_versions")) c.api_versions = r.string_array("api_versions");
  for (const auto& v : c.api_versions) {
    if (!is_api_version(v)) r.fail("api_versions", "'" + v + "' is not YYYY-MM");
  }
  read_tokens(r, &c);
  c.app_secret = r.get_string("app_secret", c.app_secret);
  if (c.app_secret.empty()) r.fail("app_secret", "must not be empty");
  c.old_app_secret = r.get_string("old_app_secret", c.old_app_secret);
  c.secret_rotated_at_ms =
      r.get_int("secret_rotated_at_ms", c.secret_rotated_at_ms, 0, INT64_MAX / 1'000'000);
  c.old_secret_window_ms = r.get_int("old_secret_window_ms", c.old_secret_window_ms, 0, 86'400'000);
  read_limits(r, &c);
  c.idempotency_required_from =
      r.get_string("idempotency_required_from", c.idempotency_required_from);
  if (!c.idempotency_required_from.empty() && !is_api_version(c.idempotency_required_from)) {
    r.fail("idempotency_required_from", "must be YYYY-MM or empty");
  }
  c.location_id = r.get_int("location_id", c.location_id, 1, INT64_MAX);
  c.utc_offset_minutes =
      static_cast<int32_t>(r.get_int("utc_offset_minutes", c.utc_offset_minutes, -720, 840));
  c.wall_origin_unix_s = r.get_int("wall_origin_unix_s", c.wall_origin_unix_s, 0, 253'402'300'799);
  read_webhooks(r, &c);
  base::Status st = r.finish();
  if (!st.ok()) return st;
  *config = std::move(c);
  return base::Status();
}

base::Status parse_shopify_faults(base::JsonReader& r, ShopifyFaults* faults) {
  ShopifyFaults f;
  parse_common_faults(r, &f.common);
  f.throttled_status = static_cast<int32_t>(r.get_int("throttled_status", 0, 0, 429));
  if (f.throttled_status != 0 && f.throttled_status != 200 && f.throttled_status != 429) {
    r.fail("throttled_status", "must be 200 or 429 (0: the config's setting)");
  }
  base::Status st = r.finish();
  if (!st.ok()) return st;
  *faults = f;
  return base::Status();
}

}  // namespace invsync::mocks
