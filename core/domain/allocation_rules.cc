#include "core/domain/allocation_rules.h"

#include <string>

namespace invsync::domain {

base::Status validate_rules(const AllocationRules& rules) {
  if (rules.buffer_units < 0 || rules.buffer_units > kQuantityUnitsMax) {
    return base::Status::invalid_argument("buffer_units must be 0.." + std::to_string(kQuantityUnitsMax));
  }
  if (rules.max_units && (*rules.max_units < 0 || *rules.max_units > kQuantityUnitsMax)) {
    return base::Status::invalid_argument("max_units must be 0.." + std::to_string(kQuantityUnitsMax));
  }
  if (rules.share_percent > 100) {
    return base::Status::invalid_argument("share_percent must be 0..100");
  }
  if (rules.zero_below_units < 0 || rules.zero_below_units > kQuantityUnitsMax) {
    return base::Status::invalid_argument("zero_below_units must be 0.." + std::to_string(kQuantityUnitsMax));
  }
  return base::Status();
}

Quantity sellable_quantity(Quantity master, const AllocationRules& rules) {
  INVSYNC_ASSERT(validate_rules(rules).ok());
  if (master.units() <= 0) return Quantity(0);
  if (master.units() < rules.zero_below_units) return Quantity(0);
  // master <= 1e9 and share <= 100, so the product fits easily in int64.
  int64_t q = master.units() * static_cast<int64_t>(rules.share_percent) / 100;
  q -= rules.buffer_units;
  if (rules.max_units && q > *rules.max_units) q = *rules.max_units;
  if (q < 0) q = 0;
  INVSYNC_ASSERT(q <= master.units());
  return Quantity(q);
}

int32_t push_priority_for_stock(Quantity master_after) {
  const int64_t m = master_after.units() < 0 ? 0 : master_after.units();
  return m >= kPushPriorityMax ? 0 : static_cast<int32_t>(kPushPriorityMax - m);
}

}  // namespace invsync::domain
