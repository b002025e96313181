#include "core/app/store_race_demo.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

#include "core/app/explain_format.h"
#include "core/base/prng.h"
#include "core/runtime/system_clock.h"
#include "core/store/pg/pg_store.h"

namespace invsync::app {
namespace {

using domain::Quantity;

struct ChannelTally {
  int64_t events = 0, applied = 0, oversold_events = 0, oversold_units = 0, duplicates = 0;
  int64_t sold_units = 0;
};

const char* const kChannels[] = {"shopify:uk-store", "amazon:uk", "etsy:studio", "woocommerce:shop"};

base::Result<std::unique_ptr<store::PgStore>> open_store(const StoreRaceOptions& o) {
  return store::PgStore::connect({.url = o.database_url, .schema = o.schema});
}

base::Status seed_catalogue(store::PgStore& s, base::Prng& prng, const StoreRaceOptions& o,
                            base::WallTime now, std::vector<std::string>* skus,
                            std::map<std::string, int64_t>* initial) {
  auto migrated = s.migrate();
  if (!migrated.ok()) return migrated.status();
  INVSYNC_RETURN_IF_ERROR(s.truncate_all_for_test());
  std::vector<store::ProductSpec> specs;
  for (int32_t i = 0; i < o.sku_count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "TEE-%03d", i + 1);
    // Most SKUs hold a handful of units: that is where oversells live.
    const int64_t units = prng.chance(base::Ratio::percent(80)) ? prng.range_inclusive(1, 6)
                                                                : prng.range_inclusive(20, 60);
    skus->push_back(name);
    (*initial)[name] = units;
    specs.push_back({domain::Sku::from_trusted(name), Quantity(units)});
  }
  auto created = s.upsert_products(specs, now);
  if (!created.ok()) return created.status();
  for (const auto& sku : *skus) {
    for (const char* ch : kChannels) {
      store::ChannelListing l{.channel = domain::ChannelId::from_trusted(ch),
                              .sku = domain::Sku::from_trusted(sku)};
      if (l.channel.platform() == domain::Platform::kAmazon) l.rules.buffer_units = 1;
      INVSYNC_RETURN_IF_ERROR(s.upsert_listing(l));
    }
  }
  return base::Status();
}

// One channel's webhook stream: Zipf-like popularity (hot SKUs first), 1-2 units per order.
void sell(const StoreRaceOptions& o, size_t channel_index, const std::vector<std::string>& skus,
          base::Clock& clock, ChannelTally* tally, std::string* error) {
  auto store = open_store(o);
  if (!store.ok()) {
    *error = store.status().to_string();
    return;
  }
  base::Prng prng(o.seed * 1000 + channel_index);
  const auto channel = domain::ChannelId::from_trusted(kChannels[channel_index]);
  std::vector<domain::OrderEvent> sent;
  for (int32_t n = 0; n < o.orders_per_channel; ++n) {
    domain::OrderEvent e{
        .key = {channel, "ORD-" + std::to_string(channel_index) + "-" + std::to_string(n), "1",
                domain::EventKind::kSale},
        .sku = domain::Sku::from_trusted(
            skus[static_cast<size_t>(prng.unit_double() * prng.unit_double() * skus.size())]),
        .quantity = Quantity(prng.range_inclusive(1, 2)),
    };
    // At-least-once delivery: now and then the platform sends an earlier webhook again.
    if (!sent.empty() && prng.chance(base::Ratio::percent(o.duplicate_percent))) {
      e = sent[prng.uniform(sent.size())];
    } else {
      sent.push_back(e);
    }
    auto results = (*store)->apply_orders(std::span(&e, 1), clock.wall_now());
    if (!results.ok()) {
      *error = results.status().to_string();
      return;
    }
    const domain::EventResult& r = results->front();
    tally->events += 1;
    switch (r.outcome) {
      case domain::EventOutcome::kApplied: tally->applied += 1; break;
      case domain::EventOutcome::kOversold:
        tally->oversold_events += 1;
        tally->oversold_units += r.oversold_units.units();
        break;
      case domain::EventOutcome::kDuplicate: tally->duplicates += 1; break;
      case domain::EventOutcome::kUnknownSku: break;
    }
    tally->sold_units += r.applied_units.units();
  }
}

}  // namespace

base::Status run_store_race_demo(const StoreRaceOptions& o) {
  runtime::SystemClock clock;
  auto store = open_store(o);
  if (!store.ok()) return store.status();
  base::Prng prng(o.seed);
  std::vector<std::string> skus;
  std::map<std::string, int64_t> initial;
  INVSYNC_RETURN_IF_ERROR(seed_catalogue(**store, prng, o, clock.wall_now(), &skus, &initial));
  int64_t stock_total = 0;
  for (const auto& [sku, units] : initial) stock_total += units;
  std::printf("invsync store race (seed %llu): %d SKUs holding %lld units, listed on 4 channels.\n",
              static_cast<unsigned long long>(o.seed), o.sku_count,
              static_cast<long long>(stock_total));
  std::printf("4 channels sell at once, each on its own PostgreSQL connection, %d orders each, "
              "%d%% re-delivered webhooks.\n\n", o.orders_per_channel, o.duplicate_percent);

  std::vector<ChannelTally> tallies(4);
  std::vector<std::string> errors(4);
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (size_t c = 0; c < 4; ++c) {
    threads.emplace_back(sell, std::cref(o), c, std::cref(skus), std::ref(clock), &tallies[c],
                         &errors[c]);
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& e : errors) {
    if (!e.empty()) return base::Status::unavailable(e);
  }

  std::printf("%-18s %8s %8s %9s %14s %10s\n", "channel", "webhooks", "applied", "oversold",
              "units missing", "duplicates");
  ChannelTally total;
  for (size_t c = 0; c < 4; ++c) {
    const auto& t = tallies[c];
    std::printf("%-18s %8lld %8lld %9lld %14lld %10lld\n", kChannels[c],
                static_cast<long long>(t.events), static_cast<long long>(t.applied),
                static_cast<long long>(t.oversold_events), static_cast<long long>(t.oversold_units),
                static_cast<long long>(t.duplicates));
    total.events += t.events;
    total.sold_units += t.sold_units;
    total.oversold_units += t.oversold_units;
    total.duplicates += t.duplicates;
  }
  std::printf("\n%lld webhooks in %.2f s wall (%.0f/s, one round trip and one commit each).\n",
              static_cast<long long>(total.events), seconds,
              static_cast<double>(total.events) / seconds);

  // Check, independently of the store's own bookkeeping, what must hold.
  int64_t master_total = 0, negative = 0, broken = 0;
  std::string hottest;
  int64_t hottest_missing = -1;
  for (const auto& sku : skus) {
    auto p = (*store)->product(domain::Sku::from_trusted(sku));
    if (!p.ok()) return p.status();
    auto events = (*store)->events_for_sku(p->sku, 100000);
    if (!events.ok()) return events.status();
    int64_t sold = 0, missing = 0;
    for (const auto& e : *events) {
      sold += e.applied_units.units();
      missing += e.oversold_units.units();
    }
    master_total += p->master.units();
    if (p->master.is_negative()) ++negative;
    if (initial[sku] - sold != p->master.units()) ++broken;
    if (missing > hottest_missing) {
      hottest_missing = missing;
      hottest = sku;
    }
  }
  auto jobs = (*store)->list_jobs(std::nullopt);
  if (!jobs.ok()) return jobs.status();
  std::printf("Stock: %lld units before, %lld sold, %lld left; %lld SKUs negative; conservation "
              "(initial - sold = master) broken on %lld SKUs.\n",
              static_cast<long long>(stock_total), static_cast<long long>(total.sold_units),
              static_cast<long long>(master_total), static_cast<long long>(negative),
              static_cast<long long>(broken));
  std::printf("Oversold: %lld units the channels sold that did not exist, each recorded.\n",
              static_cast<long long>(total.oversold_units));
  std::printf("Outbox: %zu pending pushes for %lld applied orders (coalesced per channel and "
              "SKU; the case study's queue would hold one job per order per channel).\n\n",
              jobs->size(), static_cast<long long>(total.events - total.duplicates));
  auto x = (*store)->explain(domain::Sku::from_trusted(hottest), 8);
  if (!x.ok()) return x.status();
  std::printf("invsync explain %s\n%s", hottest.c_str(), format_explanation(*x).c_str());
  if (negative != 0 || broken != 0 || master_total != stock_total - total.sold_units) {
    return base::Status::internal("an invariant failed: see the numbers above");
  }
  return base::Status();
}

}  // namespace invsync::app
