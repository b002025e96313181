// Allocation rules: how much of the true count one channel is allowed to show. Pure functions,
// applied at send time to the master count read then (never to a delta). The rules, in order:
//   1. zero-below: if master < zero_below_units, show 0 (stop selling the last few units);
//   2. share: floor(master * share_percent / 100);
//   3. buffer: minus buffer_units (hold units back against sync lag);
//   4. cap: at most max_units when set; never below 0.
#pragma once

#include <cstdint>
#include <optional>

#include "core/base/status.h"
#include "core/domain/quantity.h"

namespace invsync::domain {

struct AllocationRules {
  int64_t buffer_units = 0;
  std::optional<int64_t> max_units;  // nullopt: no cap
  uint32_t share_percent = 100;      // 0..100
  int64_t zero_below_units = 0;

  friend bool operator==(const AllocationRules&, const AllocationRules&) = default;
};

base::Status validate_rules(const AllocationRules& rules);
Quantity sellable_quantity(Quantity master, const AllocationRules& rules);

// Outbox priority for a push after the master reached `master_after`: the lower the stock, the
// higher the priority, because low stock is where oversells happen. Range [0, kPushPriorityMax];
// the PostgreSQL store computes the same formula in SQL (contract-tested).
inline constexpr int32_t kPushPriorityMax = 1000;
int32_t push_priority_for_stock(Quantity master_after);

}  // namespace invsync::domain
