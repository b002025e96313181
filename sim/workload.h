// Workload: the customers. An open-model arrival process (non-homogeneous Poisson: the scenario's
// piecewise-linear orders-per-hour curve, sampled per minute, plus flash-sale streams on their SKU
// sets), each order assigned a channel by share, a SKU by Zipf popularity and a size. Everything
// is drawn from its own Prng stream, so the same seed gives the same orders whatever the sync
// policy does (that is what makes --compare fair).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/base/prng.h"
#include "core/base/time.h"
#include "sim/scenario.h"

namespace invsync::sim {

struct OrderArrival {
  base::Duration at;     // since the start of the scenario
  size_t channel_index;  // into Scenario::channels
  size_t sku_index;      // 0 = most popular
  int64_t quantity = 1;
  bool flash = false;
  std::optional<base::Duration> cancel_after;  // the buyer cancels this long after ordering
};

class Workload {
 public:
  Workload(const Scenario& scenario, uint64_t seed);

  // The next order, or nullopt when the scenario's duration is over.
  std::optional<OrderArrival> next();
  // Orders per hour the curve asks for at `at` (without flash sales).
  double base_rate_per_h(base::Duration at) const;

 private:
  size_t draw_sku(size_t first, size_t count);
  double flash_rate_per_h(base::Duration at, std::vector<const FlashSale*>* active) const;

  const Scenario& scenario_;
  base::Prng prng_;
  std::vector<double> cdf_;  // cumulative Zipf popularity over SKUs
  base::Duration t_;
  base::Duration end_;
};

}  // namespace invsync::sim
