// Prng throughput: the simulator draws several numbers per simulated order.
#include <benchmark/benchmark.h>

#include "core/base/prng.h"

namespace {

void BM_PrngNext(benchmark::State& state) {
  invsync::base::Prng prng(42);
  for (auto _ : state) benchmark::DoNotOptimize(prng.next_u64());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrngNext);

void BM_PrngUniform(benchmark::State& state) {
  invsync::base::Prng prng(42);
  for (auto _ : state) benchmark::DoNotOptimize(prng.uniform(50'000));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrngUniform);

}  // namespace
