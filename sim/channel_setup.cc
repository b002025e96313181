#include "sim/channel_setup.h"

#include <nlohmann/json.hpp>

#include "core/base/time.h"

namespace invsync::sim {
namespace {

using nlohmann::json;

// The simulated world's wall clock starts here (World uses the same origin); every mock is told
// so that the platforms' timestamps and the core's agree.
constexpr int64_t kWallOriginUnixS = 1'795'766'400;  // 2026-11-27T08:00:00Z

ChannelSetup shopify(const ChannelSpec& spec) {
  ChannelSetup s;
  const std::string base = "https://invsync-sim-" + spec.account + ".myshopify.com";
  s.hosts = {base};
  s.mock_config_json = json{{"shop_domain", "invsync-sim-" + spec.account + ".myshopify.com"},
                            {"app_secret", "shpss_sim_secret_" + spec.account},
                            {"access_tokens", json::array({{{"token", "shpat_sim_" + spec.account},
                                                            {"scopes", {"read_inventory", "write_inventory",
                                                                        "read_products", "read_orders"}}}})},
                            {"wall_origin_unix_s", kWallOriginUnixS},
                            {"webhook_target", "/webhooks/shopify/" + spec.account},
                            // What invsync subscribes to: its orders. inventory_levels/update
                            // would echo every push back as a webhook the hub ignores.
                            {"webhook_topics", {"orders/create", "orders/cancelled", "refunds/create"}}}
                           .dump();
  json c = {{"base_url", base},
            {"access_token", "shpat_sim_" + spec.account},
            {"app_secret", "shpss_sim_secret_" + spec.account},
            {"location_id", 655441491}};
  s.connector_json = c.dump();
  return s;
}

ChannelSetup amazon(const ChannelSpec& spec) {
  ChannelSetup s;
  const std::string base = "https://sellingpartnerapi-eu.amazon.sim";
  s.hosts = {base};
  s.webhooks = false;
  json mock = {{"seller_id", "A3INVSYNCSIM"},
               {"lwa_client_id", "amzn1.application-oa2-client.sim"},
               {"lwa_client_secret", "sim-client-secret"},
               {"base_url", base},
               {"wall_origin", base::format_iso8601_utc(base::WallTime::from_unix_s(kWallOriginUnixS))}};
  if (spec.order_items_rate_per_s) {
    mock["rate_limits"] = {{"getOrderItems", {{"rate_per_s", *spec.order_items_rate_per_s}, {"burst", 30}}}};
  }
  s.mock_config_json = mock.dump();
  json c = {{"base_url", base},
            {"lwa_base_url", base},
            {"client_id", "amzn1.application-oa2-client.sim"},
            {"client_secret", "sim-client-secret"},
            {"refresh_token", "Atzr|invsync-mock-refresh-token"},
            {"seller_id", "A3INVSYNCSIM"},
            {"marketplace_id", "A1F83G8C2ARO7P"},
            {"mode", spec.amazon_mode}};
  s.connector_json = c.dump();
  s.base_faults_json = json{{"feed_in_queue_ms_min", 0},
                            {"feed_in_queue_ms_max", 0},
                            {"feed_in_progress_ms_min", spec.feed_dwell_s_min * 1000},
                            {"feed_in_progress_ms_max", spec.feed_dwell_s_max * 1000}}
                           .dump();
  return s;
}

ChannelSetup etsy(const ChannelSpec& spec) {
  ChannelSetup s;
  const std::string base = "https://openapi.etsy.sim";
  s.hosts = {base};
  const std::string whsec = "whsec_c2ltLWV0c3ktd2ViaG9vay1zZWNyZXQ=";
  json mock = {{"keystring", "simkeystring"},
               {"shared_secret", "simsharedsecret"},
               {"base_url", base},
               {"wall_origin_unix_s", kWallOriginUnixS},
               {"receipt_visibility_delay_ms", 0},
               {"webhook", {{"enabled", true}, {"signing_secret", whsec},
                            {"target", "/webhooks/etsy/" + spec.account}}}};
  if (spec.daily_request_limit) mock["limits"] = {{"per_day", *spec.daily_request_limit}};
  s.mock_config_json = mock.dump();
  json c = {{"base_url", base},
            {"token_base_url", base},
            {"shop_id", 42424242},
            {"keystring", "simkeystring"},
            {"shared_secret", "simsharedsecret"},
            {"refresh_token", "73737373.mock-initial-refresh-token"},
            {"webhook_signing_secret", whsec}};
  s.connector_json = c.dump();
  return s;
}

ChannelSetup woocommerce(const ChannelSpec& spec) {
  ChannelSetup s;
  const std::string base = "https://shop-" + spec.account + ".woocommerce.sim";
  s.hosts = {base};
  s.mock_config_json = json{{"home_url", base + "/"},
                            {"keys", json::array({{{"consumer_key", "ck_sim"},
                                                   {"consumer_secret", "cs_sim"},
                                                   {"permissions", "read_write"}}})},
                            {"webhook_secret", "sim-woo-webhook-secret"},
                            {"webhook_target", "/webhooks/woocommerce/" + spec.account},
                            // What invsync subscribes to: its orders. product.updated would echo
                            // every push and every stock change back as a webhook the hub ignores.
                            {"topics", {"order.created", "order.updated"}},
                            {"wall_origin_unix_s", kWallOriginUnixS}}
                           .dump();
  json c = {{"base_url", base},
            {"consumer_key", "ck_sim"},
            {"consumer_secret", "cs_sim"},
            {"webhook_secret", "sim-woo-webhook-secret"}};
  s.connector_json = c.dump();
  return s;
}

}  // namespace

ChannelSetup setup_channel(const ChannelSpec& spec, const Scenario& scenario) {
  (void)scenario;
  ChannelSetup s;
  if (spec.platform == "shopify") s = shopify(spec);
  if (spec.platform == "amazon") s = amazon(spec);
  if (spec.platform == "etsy") s = etsy(spec);
  if (spec.platform == "woocommerce") s = woocommerce(spec);
  s.channel_id = spec.platform + ":" + spec.account;
  return s;
}

}  // namespace invsync::sim
