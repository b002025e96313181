// A RapidCheck state machine over the real engine (app::Service, real Shopify and WooCommerce
// connectors and mocks, SimNetwork, virtual time): random sales (hub-side and on the Shopify
// storefront, reported by webhook), restocks, exact duplicate events and webhook deliveries, 429
// storms, random 500s, outages on and off, and time passing. After a quiet period (faults
// cleared, time for retries and reconcile cycles) every channel shows its allocation, the master
// never went negative, and no push ever overwrote a newer value: on each (channel, SKU) the
// values that landed are the hub's values in the order the hub had them.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <array>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/core/sync/engine_harness.h"

namespace invsync::engine_test {
namespace {

constexpr int kSkuCount = 3;
constexpr size_t kChannelCount = 2;  // 0: Shopify (storefront + webhooks), 1: WooCommerce
const Duration kReconcileInterval = Duration::seconds(60);

std::string sku_name(int i) { return "SKU-" + std::to_string(i); }

struct Model {
  int64_t next_id = 0;         // order / PO ids handed out so far
  int64_t direct_sales = 0;    // hub-side sales that can be replayed
  std::array<bool, kChannelCount> storm{}, failing{}, outage{};
  bool faulted(size_t c) const { return storm[c] || failing[c] || outage[c]; }
};

struct Sut {
  std::unique_ptr<Engine> engine;
  std::vector<domain::OrderEvent> direct;  // hub-side sales applied, for exact replays
  std::array<json, kChannelCount> faults{json::object(), json::object()};

  void set_fault(size_t c, const std::string& key, const json& value) {
    faults[c][key] = value;
    RC_ASSERT(engine->set_faults(c, faults[c]).ok());
  }
  void heal(size_t c) {
    faults[c] = json::object();
    RC_ASSERT(engine->heal(c).ok());
  }
  void assert_not_negative() {
    for (int i = 0; i < kSkuCount; ++i) RC_ASSERT(engine->master(sku_name(i)) >= 0);
  }
};

using Command = rc::state::Command<Model, Sut>;

struct HubSale : Command {
  int sku = *rc::gen::inRange(0, kSkuCount);
  int64_t units = *rc::gen::inRange<int64_t>(1, 4);
  void apply(Model& m) const override {
    ++m.next_id;
    ++m.direct_sales;
  }
  void run(const Model& m, Sut& s) const override {
    domain::OrderEvent e{{domain::ChannelId::from_trusted("etsy:pos"),
                          "POS-" + std::to_string(m.next_id), "1", domain::EventKind::kSale},
                         domain::Sku::from_trusted(sku_name(sku)), domain::Quantity(units), ""};
    auto r = s.engine->apply_one(e);
    RC_ASSERT(r.ok());
    RC_ASSERT(r->outcome != domain::EventOutcome::kDuplicate);
    s.direct.push_back(e);
    s.assert_not_negative();
  }
  void show(std::ostream& os) const override { os << "HubSale(" << sku << ", " << units << ")"; }
};

struct StorefrontSale : Command {
  int sku = *rc::gen::inRange(0, kSkuCount);
  int64_t units = *rc::gen::inRange<int64_t>(1, 3);
  void run(const Model&, Sut& s) const override {
    (void)s.engine->mock(0).place_order(sku_name(sku), units, s.engine->now());
    s.engine->arm_pump(0);  // its webhook goes out on the mock's schedule
  }
  void show(std::ostream& os) const override {
    os << "StorefrontSale(shopify, " << sku << ", " << units << ")";
  }
};

struct Restock : Command {
  int sku = *rc::gen::inRange(0, kSkuCount);
  int64_t units = *rc::gen::inRange<int64_t>(1, 8);
  void apply(Model& m) const override { ++m.next_id; }
  void run(const Model& m, Sut& s) const override {
    auto r = s.engine->restock(sku_name(sku), units, "PO-" + std::to_string(m.next_id));
    RC_ASSERT(r.ok());
    RC_ASSERT(r->outcome == domain::EventOutcome::kApplied);
  }
  void show(std::ostream& os) const override { os << "Restock(" << sku << ", " << units << ")"; }
};

// The exact same hub-side event again: a duplicate, nothing changes.
struct ReplaySale : Command {
  size_t pick = *rc::gen::inRange<size_t>(0, 1000);
  void checkPreconditions(const Model& m) const override { RC_PRE(m.direct_sales > 0); }
  void run(const Model&, Sut& s) const override {
    const domain::OrderEvent& e = s.direct[pick % s.direct.size()];
    const int64_t before = s.engine->master(e.sku.str());
    auto r = s.engine->apply_one(e);
    RC_ASSERT(r.ok());
    RC_ASSERT(r->outcome == domain::EventOutcome::kDuplicate);
    RC_ASSERT(s.engine->master(e.sku.str()) == before);
  }
  void show(std::ostream& os) const override { os << "ReplaySale(" << pick << ")"; }
};

// Shopify delivers its last webhook again (at-least-once): the hub's counts do not move.
struct RedeliverWebhook : Command {
  void run(const Model&, Sut& s) const override {
    std::map<std::string, int64_t> before;
    for (int i = 0; i < kSkuCount; ++i) before[sku_name(i)] = s.engine->master(sku_name(i));
    const auto status = s.engine->redeliver_last(0);
    if (!status) return;
    RC_ASSERT(*status == 200);
    for (const auto& [sku, q] : before) RC_ASSERT(s.engine->master(sku) == q);
  }
  void show(std::ostream& os) const override { os << "RedeliverWebhook(shopify)"; }
};

struct Storm : Command {
  size_t c = *rc::gen::inRange<size_t>(0, kChannelCount);
  uint32_t percent = *rc::gen::element<uint32_t>(2, 10, 30);
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.storm[c]); }
  void apply(Model& m) const override { m.storm[c] = true; }
  void run(const Model&, Sut& s) const override { s.set_fault(c, "rate_limit_percent", percent); }
  void show(std::ostream& os) const override { os << "Storm(" << c << ", " << percent << "%)"; }
};

struct Failures : Command {
  size_t c = *rc::gen::inRange<size_t>(0, kChannelCount);
  uint32_t percent = *rc::gen::inRange<uint32_t>(20, 101);
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.failing[c]); }
  void apply(Model& m) const override { m.failing[c] = true; }
  void run(const Model&, Sut& s) const override { s.set_fault(c, "error_rate_percent", percent); }
  void show(std::ostream& os) const override { os << "Failures(" << c << ", " << percent << "%)"; }
};

struct Outage : Command {
  size_t c = *rc::gen::inRange<size_t>(0, kChannelCount);
  std::string kind = *rc::gen::element<std::string>("http_503", "refused", "timeout", "http_502");
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.outage[c]); }
  void apply(Model& m) const override { m.outage[c] = true; }
  void run(const Model&, Sut& s) const override { s.set_fault(c, "outage", kind); }
  void show(std::ostream& os) const override { os << "Outage(" << c << ", " << kind << ")"; }
};

struct Heal : Command {
  size_t c = *rc::gen::inRange<size_t>(0, kChannelCount);
  void checkPreconditions(const Model& m) const override { RC_PRE(m.faulted(c)); }
  void apply(Model& m) const override { m.storm[c] = m.failing[c] = m.outage[c] = false; }
  void run(const Model&, Sut& s) const override { s.heal(c); }
  void show(std::ostream& os) const override { os << "Heal(" << c << ")"; }
};

struct Advance : Command {
  // Mostly short steps (changes racing pushes in flight), sometimes long ones (retries, parking,
  // reconcile cycles).
  int64_t ms = *rc::gen::weightedOneOf<int64_t>({{3, rc::gen::inRange<int64_t>(20, 3'000)},
                                                  {1, rc::gen::inRange<int64_t>(3'000, 120'000)}});
  void run(const Model&, Sut& s) const override {
    s.engine->run_for(Duration::milliseconds(ms));
    s.assert_not_negative();
  }
  void show(std::ostream& os) const override { os << "Advance(" << ms << " ms)"; }
};

// The master after each recorded event of `sku` (oldest first), with when it was applied.
struct HubValue {
  base::WallTime at;
  int64_t master = 0;
};
std::vector<HubValue> master_history(Engine& engine, const std::string& sku) {
  std::vector<HubValue> out{{base::WallTime::from_unix_s(0), engine.stock().at(sku)}};
  auto events = engine.store().events_for_sku(domain::Sku::from_trusted(sku), 1'000'000);
  RC_ASSERT(events.ok());
  for (const store::RecordedEvent& e : *events) {
    if (e.outcome == domain::EventOutcome::kDuplicate ||
        e.outcome == domain::EventOutcome::kUnknownSku) {
      continue;
    }
    int64_t delta = 0;
    switch (e.key.kind) {
      case domain::EventKind::kSale: delta = -e.applied_units.units(); break;
      case domain::EventKind::kCancel:
      case domain::EventKind::kRefundRestock:
      case domain::EventKind::kRestock: delta = e.applied_units.units(); break;
      case domain::EventKind::kRefundNoRestock: delta = 0; break;
      case domain::EventKind::kAdjust:
        delta = e.quantity.is_negative() ? -e.applied_units.units() : e.applied_units.units();
        break;
    }
    out.push_back({e.received_at, out.back().master + delta});
  }
  return out;
}

// Every successful push of (c, sku), in the order they completed, carried a value the hub had
// by then, at a point of the hub's history no earlier than the previous push's: an older value
// never landed after a newer one.
void check_pushes_in_hub_order(Engine& engine, size_t c, const std::string& sku,
                               const std::vector<HubValue>& history) {
  const domain::AllocationRules& rules = engine.channel(c).plan.rules;
  size_t k = 0;  // the earliest hub state the previous push can stand for
  for (const store::SyncLogEntry& row : engine.log(c, sku, "done")) {
    size_t j = k;
    while (j < history.size() && history[j].at <= row.at &&
           domain::sellable_quantity(domain::Quantity(history[j].master), rules) !=
               row.quantity_sent) {
      ++j;
    }
    RC_ASSERT(j < history.size());
    RC_ASSERT(history[j].at <= row.at);
    k = j;
  }
}

RC_GTEST_PROP(EngineState, ChannelsConvergeMasterStaysNonNegativeAndNoPushOverwritesNewerValue,
              ()) {
  std::map<std::string, int64_t> stock;
  for (int i = 0; i < kSkuCount; ++i) stock[sku_name(i)] = *rc::gen::inRange<int64_t>(0, 12);
  const auto tune = [](app::ChannelConfig& cc) {
    cc.lane.retry.delays = {Duration::seconds(5), Duration::seconds(20)};
    cc.reconcile.interval = kReconcileInterval;
    cc.reconcile.first_delay = kReconcileInterval;
  };
  // Shopify's GraphQL bucket at a tenth of the Standard plan's (100 points restoring 10/s, about
  // one 11-point set per second), so bursts of changes and 429 storms do throttle.
  ChannelPlan shopify{.platform = "shopify",
                      .mock_config = {{"graphql_bucket_max", 100},
                                      {"graphql_restore_rate_per_s", 10}},
                      .faults = {{"latency_ms_base", 40}, {"latency_ms_jitter", 80}},
                      .tune = tune};
  ChannelPlan woo{.platform = "woocommerce",
                  .rules = {.buffer_units = 1, .max_units = 8},
                  .faults = {{"latency_ms_base", 60}, {"latency_ms_jitter", 200}},
                  .tune = tune};
  Sut sut;
  sut.engine = std::make_unique<Engine>(stock, std::vector<ChannelPlan>{shopify, woo},
                                        *rc::gen::inRange<uint64_t>(1, 1'000'000));
  RC_ASSERT(sut.engine->build().ok());
  sut.engine->start();

  rc::state::check(Model{}, sut,
                   rc::state::gen::execOneOfWithArgs<HubSale, StorefrontSale, Restock, ReplaySale,
                                                     RedeliverWebhook, Storm, Failures, Outage,
                                                     Heal, Advance>());

  // Quiet: faults cleared, time for the last retries, parked jobs and drift to be picked up by
  // a reconcile cycle, and the pushes that follow.
  for (size_t c = 0; c < kChannelCount; ++c) sut.heal(c);
  Engine& engine = *sut.engine;
  engine.run_for(kReconcileInterval * 4);

  // What the run went through (printed by RapidCheck, so a weak generator shows).
  int64_t failed = 0, done = 0;
  for (const Exchange& e : engine.recorder().exchanges()) {
    failed += e.status >= 500 || e.status == 0 ? 1 : 0;
  }
  for (const auto& [sku, initial] : stock) {
    for (size_t c = 0; c < kChannelCount; ++c) {
      done += static_cast<int64_t>(engine.log(c, sku, "done").size());
    }
  }
  RC_CLASSIFY(engine.mock(0).stats()["throttled"] > 0, "throttled");
  RC_CLASSIFY(failed > 0, "failures");
  RC_CLASSIFY(!engine.alerts("push_parked").empty(), "parked");
  RC_CLASSIFY(done > 10, "pushes>10");
  RC_CLASSIFY(!engine.channel(0).delivered.empty(), "webhooks");

  for (const auto& [sku, initial] : stock) {
    const auto history = master_history(engine, sku);
    for (const HubValue& v : history) RC_ASSERT(v.master >= 0);
    RC_ASSERT(history.back().master == engine.master(sku));
    for (size_t c = 0; c < kChannelCount; ++c) {
      RC_ASSERT(engine.shown(c, sku) == engine.wanted(c, sku));
      check_pushes_in_hub_order(engine, c, sku, history);
    }
  }
}

}  // namespace
}  // namespace invsync::engine_test
