// MemoryStore apply_orders throughput (the simulator's store): events/s for spread and hot SKUs,
// single events and batches. Compare the ratios within one run; absolute numbers are machine noise.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/store/memory_store.h"

namespace {

using namespace invsync;

void apply_benchmark(benchmark::State& state, int64_t sku_count) {
  store::MemoryStore s;
  const base::WallTime now = base::WallTime::from_unix_s(1'800'000'000);
  std::vector<store::ProductSpec> specs;
  for (int64_t i = 0; i < sku_count; ++i) {
    specs.push_back({domain::Sku::from_trusted("SKU-" + std::to_string(i)),
                     domain::Quantity(domain::kQuantityUnitsMax)});
  }
  (void)s.upsert_products(specs, now);
  for (const auto& p : specs) {
    for (const char* ch : {"shopify:a", "amazon:a", "etsy:a", "woocommerce:a"}) {
      (void)s.upsert_listing({.channel = domain::ChannelId::from_trusted(ch), .sku = p.sku});
    }
  }
  const auto channel = domain::ChannelId::from_trusted("shopify:a");
  const int64_t batch = state.range(0);
  std::vector<domain::OrderEvent> events;
  int64_t n = 0;
  for (auto _ : state) {
    events.clear();
    for (int64_t i = 0; i < batch; ++i, ++n) {
      events.push_back({{channel, "O" + std::to_string(n), "1", domain::EventKind::kSale},
                        specs[static_cast<size_t>(n % sku_count)].sku, domain::Quantity(1), ""});
    }
    auto r = s.apply_orders(events, now);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_MemoryApplySpread(benchmark::State& state) { apply_benchmark(state, 10'000); }
void BM_MemoryApplyHot(benchmark::State& state) { apply_benchmark(state, 1); }
BENCHMARK(BM_MemoryApplySpread)->Arg(1)->Arg(64);
BENCHMARK(BM_MemoryApplyHot)->Arg(1)->Arg(64);

}  // namespace
