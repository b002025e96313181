// The real sync engine (app::Service with the real connectors) over a MemoryStore, wired through
// the SimNetwork to the real platform mocks on virtual time, for the engine's acceptance and
// state-machine tests. Mirrors sim/world.cc (configs, hosts, secrets, webhook delivery) without
// the workload or the auditor, so a test drives every sale, fault and second itself. Every
// request the engine sends (after its lane gates) is recorded with its send and answer times.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/app/connector_factory.h"
#include "core/app/service.h"
#include "core/base/clock.h"
#include "core/base/json_reader.h"
#include "core/base/prng.h"
#include "core/domain/allocation_rules.h"
#include "core/store/memory_store.h"
#include "core/sync/alert_sink.h"
#include "mocks/http_host/mock_factory.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"
#include "sim/webhook_pump.h"

namespace invsync::engine_test {

using base::Duration;
using base::Instant;
using nlohmann::json;

// The wall clock at virtual time zero, told to every mock so timestamps agree with the core's.
inline constexpr int64_t kWallOriginUnixS = 1'795'766'400;  // 2026-11-27T08:00:00Z

// One request that left the engine (through a lane gate, or the auth path) and its answer.
struct Exchange {
  uint64_t sent_seq = 0;  // order of sends and answers on one counter
  Instant sent_at;
  base::HttpRequest request;
  std::optional<uint64_t> answered_seq;
  std::optional<Instant> answered_at;
  int32_t status = 0;  // 0: no HTTP response (refused, timeout) or not answered yet
  std::optional<Duration> retry_after;
  std::string response_body;
};

// Sits between the engine and the SimNetwork and records every exchange.
class RecordingClient final : public base::HttpClient {
 public:
  RecordingClient(base::HttpClient& inner, base::Clock& clock) : inner_(inner), clock_(clock) {}

  void send(base::HttpRequest request, base::HttpCallback callback) override {
    const size_t index = exchanges_.size();
    Exchange e;
    e.sent_seq = seq_++;
    e.sent_at = clock_.monotonic_now();
    e.request = request;
    exchanges_.push_back(std::move(e));
    inner_.send(std::move(request), [this, index, callback = std::move(callback)](
                                        base::Result<base::HttpResponse> r) {
      Exchange& x = exchanges_[index];
      x.answered_seq = seq_++;
      x.answered_at = clock_.monotonic_now();
      if (r.ok()) {
        x.status = r->status;
        x.response_body = r->body;
        if (auto v = r->headers.get("Retry-After")) x.retry_after = parse_seconds(*v);
      }
      callback(std::move(r));
    });
  }

  const std::vector<Exchange>& exchanges() const { return exchanges_; }

  // "1", "0.5", "2.000": seconds as a Duration (nullopt when not a number).
  static std::optional<Duration> parse_seconds(std::string_view text) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || v < 0) return std::nullopt;
    return Duration::nanoseconds(static_cast<int64_t>(std::llround(v * 1e9)));
  }

 private:
  base::HttpClient& inner_;
  base::Clock& clock_;
  std::vector<Exchange> exchanges_;
  uint64_t seq_ = 0;
};

// One channel of the engine: a platform mock and how the engine is configured for it.
struct ChannelPlan {
  std::string platform;  // shopify | woocommerce | amazon
  std::string account = "main";
  domain::AllocationRules rules;
  json mock_config = json::object();  // merged over the default mock config
  json connector = json::object();    // merged over the default connector config
  json faults = json::object();       // the channel's normal faults (latency...)
  // Adjusts the channel's service config (retry schedule, reconcile interval, lane rate).
  std::function<void(app::ChannelConfig&)> tune;
};

struct SimChannel {
  ChannelPlan plan;
  domain::ChannelId id = domain::ChannelId::from_trusted("shopify:main");
  std::string base_url;
  std::unique_ptr<mocks::MockPlatform> mock;
  std::unique_ptr<sim::WebhookPump> pump;
  std::vector<base::HttpRequest> delivered;  // webhook requests handed to the ingest, in order
  std::vector<int32_t> delivered_status;
};

class Engine {
 public:
  // `stock`: SKU -> initial master (also each mock's initial count).
  Engine(std::map<std::string, int64_t> stock, std::vector<ChannelPlan> plans, uint64_t seed = 1)
      : clock_(base::WallTime::from_unix_s(kWallOriginUnixS)),
        scheduler_(clock_),
        net_(scheduler_),
        recorder_(net_, clock_),
        prng_(seed),
        stock_(std::move(stock)),
        seed_(seed) {
    for (ChannelPlan& p : plans) {
      SimChannel c;
      c.plan = std::move(p);
      channels_.push_back(std::move(c));
    }
  }

  base::Status build() {
    std::vector<store::ProductSpec> products;
    for (const auto& [sku, q] : stock_) {
      products.push_back({domain::Sku::from_trusted(sku), domain::Quantity(q)});
    }
    auto created = store_.upsert_products(products, clock_.wall_now());
    if (!created.ok()) return created.status();
    app::ServiceConfig config;
    uint64_t mock_seed = seed_ * 7919;
    for (size_t index = 0; index < channels_.size(); ++index) {
      SimChannel& c = channels_[index];
      json mock_config, connector;
      setup(c, &mock_config, &connector);
      mock_config.merge_patch(c.plan.mock_config);
      connector.merge_patch(c.plan.connector);
      auto reader = base::JsonReader::parse(mock_config.dump(), "$." + c.plan.platform);
      auto mock = mocks::make_mock(c.plan.platform, reader, ++mock_seed);
      if (!mock.ok()) return mock.status();
      c.mock = std::move(mock).value();
      INVSYNC_RETURN_IF_ERROR(c.mock->set_faults_json(c.plan.faults.dump()));
      c.pump = std::make_unique<sim::WebhookPump>(
          scheduler_, *c.mock,
          [this, index](const base::HttpRequest& r) { return deliver(index, r); },
          [] { return Duration::milliseconds(100); });
      net_.add_host(c.base_url, *c.mock);
      for (const auto& [sku, q] : stock_) {
        INVSYNC_RETURN_IF_ERROR(c.mock->add_item({sku, q, ""}));
        store::ChannelListing l{.channel = c.id, .sku = domain::Sku::from_trusted(sku),
                                .external_ids_json = c.mock->external_ids_json(sku).value_or("{}")};
        l.rules = c.plan.rules;
        INVSYNC_RETURN_IF_ERROR(store_.upsert_listing(l));
      }
      app::ChannelConfig cc;
      cc.channel = c.id;
      cc.connector_json = connector.dump();
      cc.orders_poll_enabled = false;  // sales reach the hub by webhook or by the test
      if (c.plan.tune) c.plan.tune(cc);
      config.channels.push_back(cc);
    }
    if (tune_service_) tune_service_(config);
    net_.set_after_request([this](mocks::MockPlatform& m) {
      for (size_t i = 0; i < channels_.size(); ++i) {
        if (channels_[i].mock.get() == &m) arm_pump(i);
      }
    });
    auto service = app::Service::build(
        config, {clock_, scheduler_, prng_, store_, recorder_, alerts_}, app::make_connector);
    if (!service.ok()) return service.status();
    service_ = std::move(service).value();
    return base::Status();
  }

  void start() { service_->start(); }
  // Adjusts the service-wide config (velocity) before build().
  void tune_service(std::function<void(app::ServiceConfig&)> tune) {
    tune_service_ = std::move(tune);
  }

  // --- time ---
  Duration elapsed() { return clock_.monotonic_now() - Instant(); }
  Instant now() { return clock_.monotonic_now(); }
  void run_for(Duration d) { scheduler_.run_until(clock_.monotonic_now() + d); }
  void run_until(Duration since_start) {
    if (Instant() + since_start > now()) scheduler_.run_until(Instant() + since_start);
  }
  void at(Duration since_start, base::Task task) {
    scheduler_.run_at(std::max(now(), Instant() + since_start), std::move(task));
  }

  // --- faults ---
  // The channel's normal faults with `overrides` on top.
  base::Status set_faults(size_t c, const json& overrides) {
    json merged = channels_[c].plan.faults;
    merged.update(overrides);
    return channels_[c].mock->set_faults_json(merged.dump());
  }
  base::Status heal(size_t c) { return set_faults(c, json::object()); }

  // --- the hub ---
  // A sale reported by a channel the engine does not push to (another storefront, a POS).
  base::Result<domain::EventResult> sell(const std::string& sku, int64_t units,
                                         const std::string& order_id) {
    return apply_one({{domain::ChannelId::from_trusted("etsy:pos"), order_id, "1",
                       domain::EventKind::kSale},
                      domain::Sku::from_trusted(sku), domain::Quantity(units), ""});
  }
  base::Result<domain::EventResult> restock(const std::string& sku, int64_t units,
                                            const std::string& po) {
    return apply_one({{store::manual_channel(), po, sku, domain::EventKind::kRestock},
                      domain::Sku::from_trusted(sku), domain::Quantity(units), "restock"});
  }
  base::Result<domain::EventResult> apply_one(const domain::OrderEvent& e) {
    auto r = store_.apply_orders(std::span<const domain::OrderEvent>(&e, 1), clock_.wall_now());
    if (!r.ok()) return r.status();
    service_->poke_all();
    return r->at(0);
  }
  int64_t master(const std::string& sku) {
    auto p = store_.product(domain::Sku::from_trusted(sku));
    EXPECT_TRUE(p.ok()) << sku;
    return p.ok() ? p->master.units() : -1;
  }
  // What the hub wants channel `c` to show for `sku` now.
  int64_t wanted(size_t c, const std::string& sku) {
    return domain::sellable_quantity(domain::Quantity(master(sku)), channels_[c].plan.rules)
        .units();
  }
  int64_t shown(size_t c, const std::string& sku) {
    const auto counts = channels_[c].mock->counts();
    auto it = counts.find(sku);
    return it == counts.end() ? -1 : it->second;
  }
  // Sync log rows of (channel c, sku), oldest first; outcome "" = every outcome.
  std::vector<store::SyncLogEntry> log(size_t c, const std::string& sku,
                                       const std::string& outcome = "") {
    auto ex = store_.explain(domain::Sku::from_trusted(sku), 1'000'000);
    EXPECT_TRUE(ex.ok());
    std::vector<store::SyncLogEntry> out;
    if (!ex.ok()) return out;
    for (auto it = ex->recent_log.rbegin(); it != ex->recent_log.rend(); ++it) {
      if (it->channel == channels_[c].id && (outcome.empty() || it->outcome == outcome)) {
        out.push_back(*it);
      }
    }
    return out;
  }
  std::vector<store::Alert> alerts(const std::string& kind) const {
    std::vector<store::Alert> out;
    for (const auto& a : alerts_.alerts()) {
      if (a.kind == kind) out.push_back(a);
    }
    return out;
  }

  // --- webhooks ---
  // Delivers again, exactly as before, the last webhook the channel's mock sent (an at-least-once
  // duplicate); returns the ingest's status, or nullopt when none was sent yet.
  std::optional<int32_t> redeliver_last(size_t c) {
    SimChannel& ch = channels_[c];
    if (ch.delivered.empty()) return std::nullopt;
    const base::HttpRequest request = ch.delivered.back();
    return service_->ingest(ch.id)->handle(request).status;
  }
  void arm_pump(size_t c) { channels_[c].pump->arm(); }

  // --- parts ---
  SimChannel& channel(size_t c) { return channels_[c]; }
  mocks::MockPlatform& mock(size_t c) { return *channels_[c].mock; }
  app::Service::Channel& service_channel(size_t c) { return *service_->channels()[c]; }
  app::Service& service() { return *service_; }
  store::MemoryStore& store() { return store_; }
  const RecordingClient& recorder() const { return recorder_; }
  sim::SimScheduler& scheduler() { return scheduler_; }
  const std::map<std::string, int64_t>& stock() const { return stock_; }
  size_t channel_count() const { return channels_.size(); }

 private:
  void setup(SimChannel& c, json* mock, json* connector) {
    const std::string& a = c.plan.account;
    c.id = domain::ChannelId::from_trusted(c.plan.platform + ":" + a);
    if (c.plan.platform == "shopify") {
      c.base_url = "https://invsync-test-" + a + ".myshopify.com";
      *mock = {{"shop_domain", "invsync-test-" + a + ".myshopify.com"},
               {"app_secret", "shpss_test_secret_" + a},
               {"access_tokens",
                json::array({{{"token", "shpat_test_" + a},
                              {"scopes", {"read_inventory", "write_inventory", "read_products",
                                          "read_orders"}}}})},
               {"wall_origin_unix_s", kWallOriginUnixS},
               {"webhook_target", "/webhooks/shopify/" + a}};
      *connector = {{"base_url", c.base_url},
                    {"access_token", "shpat_test_" + a},
                    {"app_secret", "shpss_test_secret_" + a},
                    {"location_id", 655441491}};
    } else if (c.plan.platform == "woocommerce") {
      c.base_url = "https://shop-" + a + ".woocommerce.test";
      *mock = {{"home_url", c.base_url + "/"},
               {"keys", json::array({{{"consumer_key", "ck_test"},
                                      {"consumer_secret", "cs_test"},
                                      {"permissions", "read_write"}}})},
               {"webhook_secret", "test-woo-webhook-secret"},
               {"webhook_target", "/webhooks/woocommerce/" + a},
               {"wall_origin_unix_s", kWallOriginUnixS}};
      *connector = {{"base_url", c.base_url},
                    {"consumer_key", "ck_test"},
                    {"consumer_secret", "cs_test"},
                    {"webhook_secret", "test-woo-webhook-secret"}};
    } else if (c.plan.platform == "amazon") {
      c.base_url = "https://sellingpartnerapi-eu.amazon.test";
      *mock = {{"seller_id", "A3INVSYNCTEST"},
               {"lwa_client_id", "amzn1.application-oa2-client.test"},
               {"lwa_client_secret", "test-client-secret"},
               {"base_url", c.base_url},
               {"wall_origin",
                base::format_iso8601_utc(base::WallTime::from_unix_s(kWallOriginUnixS))}};
      *connector = {{"base_url", c.base_url},
                    {"lwa_base_url", c.base_url},
                    {"client_id", "amzn1.application-oa2-client.test"},
                    {"client_secret", "test-client-secret"},
                    {"refresh_token", "Atzr|invsync-mock-refresh-token"},
                    {"seller_id", "A3INVSYNCTEST"},
                    {"marketplace_id", "A1F83G8C2ARO7P"}};
    } else {
      ADD_FAILURE() << "no test setup for platform " << c.plan.platform;
    }
  }

  int32_t deliver(size_t c, const base::HttpRequest& request) {
    SimChannel& ch = channels_[c];
    int32_t status = 404;
    if (ingest::WebhookIngest* in = service_->ingest(ch.id)) status = in->handle(request).status;
    ch.delivered.push_back(request);
    ch.delivered_status.push_back(status);
    return status;
  }

  base::ManualClock clock_;
  sim::SimScheduler scheduler_;
  sim::SimNetwork net_;
  RecordingClient recorder_;
  base::Prng prng_;
  store::MemoryStore store_;
  sync::RecordingAlertSink alerts_;
  std::map<std::string, int64_t> stock_;
  uint64_t seed_;
  std::vector<SimChannel> channels_;
  std::function<void(app::ServiceConfig&)> tune_service_;
  std::unique_ptr<app::Service> service_;  // last: destroyed first, it borrows everything above
};

// --- what the tests look at ---------------------------------------------------------------

// The Shopify inventory item gid of `sku` on the channel's mock.
inline std::string shopify_item_gid(Engine& engine, size_t c, const std::string& sku) {
  const json ids = json::parse(engine.mock(c).external_ids_json(sku).value_or("{}"));
  return "gid://shopify/InventoryItem/" + std::to_string(ids.value("inventory_item_id", 0LL));
}

inline bool is_shopify_set(const Exchange& e) {
  return e.request.path().ends_with("/graphql.json") &&
         e.request.body.find("inventorySetQuantities") != std::string::npos;
}

// An inventorySetQuantities that Shopify answered with success (no throttle, no userErrors).
inline bool is_applied_shopify_set(const Exchange& e) {
  if (!is_shopify_set(e) || e.status != 200) return false;
  const json body = json::parse(e.response_body, nullptr, false);
  if (!body.is_object() || body.contains("errors")) return false;
  const json payload = body.value("data", json::object()).value("inventorySetQuantities", json());
  return payload.is_object() && payload.value("userErrors", json::array()).empty();
}

inline std::vector<const Exchange*> to_host(const Engine& engine, const std::string& base_url) {
  std::vector<const Exchange*> out;
  for (const Exchange& e : engine.recorder().exchanges()) {
    if (e.request.base_url == base_url) out.push_back(&e);
  }
  return out;
}

// A Shopify shop whose limits are exactly 2 requests per second (GraphQL: 11-point sets with a
// 22-point bucket restoring 22/s; REST: bucket 2 leaking 2/s), a lane configured at 2 req/s
// burst 2 and one SKU per push (11 points), so anything faster than 2 req/s would be throttled.
inline ChannelPlan two_per_second_shopify() {
  return ChannelPlan{
      .platform = "shopify",
      .mock_config = {{"graphql_bucket_max", 22},
                      {"graphql_restore_rate_per_s", 22},
                      {"graphql_throttled_status", 429},
                      {"rest_bucket_size", 2},
                      {"rest_leak_rate_per_s", 2}},
      .connector = {{"push_batch_count_max", 1}, {"push_cost_points", 11}},
      .faults = {{"latency_ms_base", 50}},
      .tune =
          [](app::ChannelConfig& cc) {
            cc.rate_micro_per_s = 2'000'000;
            cc.burst_count = 2;
            cc.reconcile.interval = Duration::minutes(2);
            cc.reconcile.first_delay = Duration::minutes(2);
          },
  };
}

}  // namespace invsync::engine_test
