// Issue 4's outbound priority and rate tests on the real engine (app::Service, real connectors,
// real platform mocks, simulated network, virtual time): hot SKUs go first among equal stock
// priorities, aging bounds the wait of a cold job under a flood of low-stock ones, and a lane
// whose platform lowers its limit adapts its rate instead of drawing 429s on every other request.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/core/sync/engine_harness.h"

namespace invsync::engine_test {
namespace {

// When the first push carrying `sku` was sent at or after `from`; nullopt if none was.
std::optional<Instant> first_push_of(Engine& engine, size_t c, const std::string& sku,
                                     Instant from) {
  const std::string gid = shopify_item_gid(engine, c, sku);
  for (const Exchange* e : to_host(engine, engine.channel(c).base_url)) {
    if (e->sent_at < from || !is_shopify_set(*e)) continue;
    if (e->request.body.find(gid) != std::string::npos) return e->sent_at;
  }
  return std::nullopt;
}

// The SKUs of the pushes sent at or after `from`, in send order.
std::vector<std::string> pushes_since(Engine& engine, size_t c, Instant from) {
  std::map<std::string, std::string> sku_of_gid;
  for (const auto& [sku, q] : engine.stock()) sku_of_gid[shopify_item_gid(engine, c, sku)] = sku;
  std::vector<std::string> out;
  for (const Exchange* e : to_host(engine, engine.channel(c).base_url)) {
    if (e->sent_at < from || !is_shopify_set(*e)) continue;
    for (const auto& [gid, sku] : sku_of_gid) {
      if (e->request.body.find(gid + "\"") != std::string::npos) out.push_back(sku);
    }
  }
  return out;
}

// Two-per-second Shopify without reconciliation reads in the way.
ChannelPlan quiet_shopify(Duration aging_bound) {
  ChannelPlan plan = two_per_second_shopify();
  plan.tune = [aging_bound](app::ChannelConfig& cc) {
    cc.rate_micro_per_s = 2'000'000;
    cc.burst_count = 2;
    cc.reconcile_enabled = false;
    cc.lane.aging_bound = aging_bound;
  };
  return plan;
}

// Ten SKUs end up with equal stock (equal stock priority); two of them sold much more over the
// last hour. After the velocity refresh, a change of every SKU at once goes out hot ones first.
std::vector<std::string> first_pushes_after_burst(bool velocity) {
  std::map<std::string, int64_t> stock;
  for (int i = 0; i < 8; ++i) stock["A-COLD-" + std::to_string(i)] = 101;
  for (int i = 0; i < 2; ++i) stock["Z-HOT-" + std::to_string(i)] = 131;  // 30 sold before
  Engine engine(stock, {quiet_shopify(Duration::minutes(10))});
  engine.tune_service([velocity](app::ServiceConfig& config) {
    config.velocity.enabled = velocity;
    config.velocity.refresh_interval = Duration::minutes(1);
    config.velocity.top_percent = 20;
  });
  EXPECT_TRUE(engine.build().ok());
  engine.start();
  for (int n = 0; n < 30; ++n) {
    engine.at(Duration::seconds(1 + n), [&engine, n] {
      for (int i = 0; i < 2; ++i) {
        const std::string sku = "Z-HOT-" + std::to_string(i);
        ASSERT_TRUE(engine.sell(sku, 1, "H" + std::to_string(i) + "-" + std::to_string(n)).ok());
      }
    });
  }
  const Duration burst = Duration::seconds(90);  // after the refresh at 60 s; the lane is idle
  engine.at(burst, [&engine] {
    for (const auto& [sku, q] : engine.stock()) ASSERT_TRUE(engine.sell(sku, 1, "B-" + sku).ok());
  });
  engine.run_until(burst + Duration::seconds(30));
  for (const auto& [sku, q] : engine.stock()) {
    EXPECT_EQ(engine.master(sku), 100) << sku << ": equal stock priority for all";
    EXPECT_EQ(engine.shown(0, sku), 100) << sku;
  }
  EXPECT_EQ(engine.service().velocity_stats().hot_count, velocity ? 2 : 0);
  return pushes_since(engine, 0, Instant() + burst);
}

TEST(EnginePriority, HotSkusArePushedBeforeColdOnesAtEqualStockPriority) {
  const std::vector<std::string> with = first_pushes_after_burst(true);
  ASSERT_GE(with.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(with.begin(), with.begin() + 2),
            (std::vector<std::string>{"Z-HOT-0", "Z-HOT-1"}));
  // Without velocity the same burst goes out in SKU order: the hot ones last.
  const std::vector<std::string> without = first_pushes_after_burst(false);
  ASSERT_GE(without.size(), 10u);
  EXPECT_EQ(without.front(), "A-COLD-0");
  EXPECT_EQ(std::vector<std::string>(without.end() - 2, without.end()),
            (std::vector<std::string>{"Z-HOT-0", "Z-HOT-1"}));
}

// How long a cold (high-stock) SKU's change waits for its push while three low-stock SKUs sell
// ten times a second between them, five times what the 2/s lane can push.
Duration cold_wait_under_flood(Duration aging_bound) {
  Engine engine({{"COLD", 5'000}, {"LOW-0", 900}, {"LOW-1", 900}, {"LOW-2", 900}},
                {quiet_shopify(aging_bound)});
  EXPECT_TRUE(engine.build().ok());
  engine.start();
  const Duration flood_end = Duration::minutes(4);
  int64_t n = 0;
  for (Duration t; t < flood_end; t += Duration::milliseconds(100), ++n) {
    engine.at(t, [&engine, n] {
      ASSERT_TRUE(engine.sell("LOW-" + std::to_string(n % 3), 1, "F-" + std::to_string(n)).ok());
    });
  }
  const Duration cold_sale = Duration::seconds(60);
  engine.at(cold_sale, [&engine] { ASSERT_TRUE(engine.sell("COLD", 1, "C-1").ok()); });
  engine.run_until(flood_end + Duration::minutes(1));
  EXPECT_EQ(engine.shown(0, "COLD"), 4'999);
  const auto pushed = first_push_of(engine, 0, "COLD", Instant() + cold_sale);
  EXPECT_TRUE(pushed.has_value());
  return pushed ? *pushed - (Instant() + cold_sale) : Duration::hours(1);
}

TEST(EnginePriority, ColdJobWaitsNoLongerThanTheAgingBoundPlusOneBatchUnderALowStockFlood) {
  const Duration bound = Duration::seconds(10);
  // One batch of the lane: the pushes already claimed ahead of it (pushes_in_flight_max = 2 at
  // 2/s, one SKU each: 1 s). Measured: 11.0 s; without aging 182.5 s.
  const Duration batch = Duration::seconds(1);
  const Duration waited = cold_wait_under_flood(bound);
  EXPECT_GT(waited, bound) << "the flood keeps the lane busy with higher priorities";
  EXPECT_LE(waited, bound + batch) << "waited " << waited.ms() << " ms";
  // Without aging (a bound longer than the flood) the same job waits for the flood to end.
  const Duration starved = cold_wait_under_flood(Duration::hours(1));
  EXPECT_GE(starved, Duration::minutes(3)) << "waited " << starved.ms() << " ms";
}

// Continuous changes over 20 SKUs at twice what the lane can push, on the two-per-second shop;
// at 5 min the platform halves its limits (GraphQL bucket and restore rate).
TEST(EnginePriority, AfterShopifyHalvesItsLimitFewerThanFivePercentOfRequestsAre429) {
  std::map<std::string, int64_t> stock;
  for (int i = 0; i < 20; ++i) stock["SKU-" + std::to_string(100 + i)] = 5'000;
  ChannelPlan plan = two_per_second_shopify();
  Engine engine(stock, {plan});
  ASSERT_TRUE(engine.build().ok());
  engine.start();
  const Duration halved = Duration::minutes(5), steady = Duration::minutes(6);
  const Duration end = Duration::minutes(15);
  int64_t n = 0;
  for (Duration t; t < end; t += Duration::milliseconds(250), ++n) {
    engine.at(t, [&engine, n] {
      ASSERT_TRUE(engine.sell("SKU-" + std::to_string(100 + n % 20), 1, "S-" + std::to_string(n))
                      .ok());
    });
  }
  engine.at(halved, [&engine] {
    ASSERT_TRUE(engine.set_faults(0, {{"rate_limit_percent", 50}}).ok());
  });
  engine.run_until(end);
  int64_t sent = 0, limited = 0, pushes = 0, pushes_limited = 0, applied = 0;
  for (const Exchange* e : to_host(engine, engine.channel(0).base_url)) {
    if (e->sent_at < Instant() + steady) continue;
    ++sent;
    limited += e->status == 429 ? 1 : 0;
    if (!is_shopify_set(*e)) continue;
    ++pushes;
    pushes_limited += e->status == 429 ? 1 : 0;
    applied += is_applied_shopify_set(*e) ? 1 : 0;
  }
  const std::string counts = std::to_string(limited) + " of " + std::to_string(sent) +
                             " requests, " + std::to_string(pushes_limited) + " of " +
                             std::to_string(pushes) + " pushes throttled";
  EXPECT_LT(limited * 100, sent * 5) << counts;
  EXPECT_LT(pushes_limited * 100, pushes * 5) << counts;
  // The lowered limit (1 push/s for 540 s, less the reconciliation reads) stays busy.
  EXPECT_GE(applied, 400) << counts;
  EXPECT_EQ(engine.service_channel(0).budget->rate_micro_per_s(), 1'000'000);
  ASSERT_TRUE(engine.heal(0).ok());
  engine.run_until(end + Duration::minutes(3));
  EXPECT_EQ(engine.service_channel(0).budget->rate_micro_per_s(), 2'000'000)
      << "back to the configured rate once the platform restores its limit";
  for (const auto& [sku, q] : stock) EXPECT_EQ(engine.shown(0, sku), engine.wanted(0, sku)) << sku;
}

TEST(EnginePriority, ServiceConfigReadsAgingAndVelocityKeysStrictly) {
  auto config = app::parse_service_config(R"({
    "channels": [{"id": "shopify:main", "connector": {}, "lane": {"aging_bound_s": 30}}],
    "velocity": {"window_days": 14, "top_percent": 10, "refresh_interval_s": 600,
                 "enabled": false}})");
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->channels[0].lane.aging_bound, Duration::seconds(30));
  EXPECT_EQ(config->velocity.window, Duration::hours(14 * 24));
  EXPECT_EQ(config->velocity.top_percent, 10);
  EXPECT_EQ(config->velocity.refresh_interval, Duration::minutes(10));
  EXPECT_FALSE(config->velocity.enabled);
  auto defaults = app::parse_service_config(R"({"channels": [{"id": "etsy:a", "connector": {}}]})");
  ASSERT_TRUE(defaults.ok()) << defaults.status().to_string();
  EXPECT_EQ(defaults->channels[0].lane.aging_bound, Duration::seconds(60));
  EXPECT_EQ(defaults->velocity.window, Duration::hours(7 * 24));
  EXPECT_EQ(defaults->velocity.top_percent, 20);
  EXPECT_EQ(defaults->velocity.refresh_interval, Duration::hours(1));
  EXPECT_TRUE(defaults->velocity.enabled);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"velocity": {"top_percent": 101}})", "top_percent"},
      {R"({"velocity": {"window_days": 29}})", "window_days"},
      {R"({"velocity": {"hot_percent": 20}})", "hot_percent"},
      {R"({"lane": {"aging_bound_ms": 5}})", "aging_bound_ms"}};
  for (const auto& [patch, key] : bad) {
    json doc = {{"channels", json::array({{{"id", "etsy:a"}, {"connector", json::object()}}})}};
    const json p = json::parse(patch);
    if (p.contains("lane")) {
      doc["channels"][0]["lane"] = p["lane"];
    } else {
      doc.update(p);
    }
    auto r = app::parse_service_config(doc.dump());
    ASSERT_FALSE(r.ok()) << patch;
    EXPECT_NE(r.status().message().find(key), std::string::npos) << r.status().to_string();
  }
}

}  // namespace
}  // namespace invsync::engine_test
