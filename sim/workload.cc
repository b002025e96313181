#include "sim/workload.h"

#include <algorithm>
#include <cmath>

#include "core/base/assert.h"

namespace invsync::sim {
namespace {
constexpr double kSecondsPerHour = 3600.0;
const base::Duration kSlot = base::Duration::minutes(1);

base::Duration hours(double h) {
  return base::Duration::nanoseconds(static_cast<int64_t>(h * kSecondsPerHour * 1e9));
}
}  // namespace

Workload::Workload(const Scenario& scenario, uint64_t seed)
    : scenario_(scenario), prng_(seed), end_(hours(scenario.duration_h)) {
  cdf_.reserve(static_cast<size_t>(scenario.sku_count));
  double total = 0;
  for (int64_t k = 1; k <= scenario.sku_count; ++k) {
    total += 1.0 / std::pow(static_cast<double>(k), scenario.zipf_s);
    cdf_.push_back(total);
  }
  for (double& c : cdf_) c /= total;
}

double Workload::base_rate_per_h(base::Duration at) const {
  const double h = static_cast<double>(at.ns()) / (kSecondsPerHour * 1e9);
  const auto& curve = scenario_.rate_curve;
  if (h <= curve.front().at_h) return curve.front().orders_per_h;
  for (size_t i = 1; i < curve.size(); ++i) {
    if (h <= curve[i].at_h) {
      const double f = (h - curve[i - 1].at_h) / (curve[i].at_h - curve[i - 1].at_h);
      return curve[i - 1].orders_per_h + f * (curve[i].orders_per_h - curve[i - 1].orders_per_h);
    }
  }
  return curve.back().orders_per_h;
}

double Workload::flash_rate_per_h(base::Duration at, std::vector<const FlashSale*>* active) const {
  double extra = 0;
  const double h = static_cast<double>(at.ns()) / (kSecondsPerHour * 1e9);
  for (const FlashSale& f : scenario_.flash_sales) {
    if (h < f.start_h || h >= f.start_h + f.duration_min / 60.0) continue;
    const size_t first = static_cast<size_t>(f.sku_offset);
    const size_t last = std::min(cdf_.size(), first + static_cast<size_t>(f.sku_count)) - 1;
    const double share = cdf_[last] - (first == 0 ? 0.0 : cdf_[first - 1]);
    extra += base_rate_per_h(at) * share * (f.multiplier - 1.0);
    if (active != nullptr) active->push_back(&f);
  }
  return extra;
}

size_t Workload::draw_sku(size_t first, size_t count) {
  const double lo = first == 0 ? 0.0 : cdf_[first - 1];
  const double hi = cdf_[first + count - 1];
  const double u = lo + prng_.unit_double() * (hi - lo);
  const auto it = std::lower_bound(cdf_.begin() + static_cast<long>(first),
                                   cdf_.begin() + static_cast<long>(first + count), u);
  return std::min(first + count - 1, static_cast<size_t>(it - cdf_.begin()));
}

std::optional<OrderArrival> Workload::next() {
  for (;;) {
    if (t_ >= end_) return std::nullopt;
    // Piecewise-constant rate per one-minute slot, evaluated at the slot's middle.
    const base::Duration slot_start = base::Duration::nanoseconds(t_.ns() / kSlot.ns() * kSlot.ns());
    const base::Duration slot_end = slot_start + kSlot;
    const base::Duration mid = slot_start + kSlot / 2;
    std::vector<const FlashSale*> active;
    const double base_rate = base_rate_per_h(mid);
    const double flash_rate = flash_rate_per_h(mid, &active);
    const double rate_per_s = (base_rate + flash_rate) / kSecondsPerHour;
    if (rate_per_s <= 0) {
      t_ = slot_end;
      continue;
    }
    const double gap_s = -std::log(1.0 - prng_.unit_double()) / rate_per_s;
    const base::Duration candidate = t_ + base::Duration::nanoseconds(static_cast<int64_t>(gap_s * 1e9));
    if (candidate >= slot_end) {
      t_ = slot_end;  // memoryless: restart the draw in the next slot at its own rate
      continue;
    }
    t_ = candidate;
    if (t_ >= end_) return std::nullopt;
    OrderArrival a;
    a.at = t_;
    // Channel by share.
    uint64_t pick = prng_.uniform(100);
    a.channel_index = scenario_.channels.size() - 1;
    for (size_t i = 0; i < scenario_.channels.size(); ++i) {
      if (pick < scenario_.channels[i].share_percent) {
        a.channel_index = i;
        break;
      }
      pick -= scenario_.channels[i].share_percent;
    }
    // SKU: a flash sale's set with its share of the rate, else the whole catalogue.
    const bool flash = flash_rate > 0 && prng_.unit_double() < flash_rate / (base_rate + flash_rate);
    if (flash) {
      const FlashSale& f = *active[prng_.uniform(active.size())];
      const size_t first = static_cast<size_t>(f.sku_offset);
      a.sku_index = draw_sku(first, std::min(cdf_.size() - first, static_cast<size_t>(f.sku_count)));
      a.flash = true;
    } else {
      a.sku_index = draw_sku(0, cdf_.size());
    }
    a.quantity = prng_.chance(base::Ratio::percent(scenario_.single_unit_percent))
                     ? 1
                     : prng_.range_inclusive(std::min<int64_t>(2, scenario_.quantity_max),
                                             scenario_.quantity_max);
    if (prng_.chance(base::Ratio::percent(scenario_.cancel_percent))) {
      a.cancel_after = base::Duration::seconds(
          prng_.range_inclusive(scenario_.cancel_delay_s_min, scenario_.cancel_delay_s_max));
    }
    return a;
  }
}

}  // namespace invsync::sim
