#include "core/store/inventory_store.h"

namespace invsync::store {

std::string_view job_state_name(JobState s) {
  switch (s) {
    case JobState::kPending: return "pending";
    case JobState::kClaimed: return "claimed";
    case JobState::kParked: return "parked";
  }
  return "unknown";
}

base::Status validate_claim_options(const ClaimOptions& options) {
  if (options.count_max <= 0) return base::Status::invalid_argument("count_max must be positive");
  if (options.lease <= base::Duration::zero()) {
    return base::Status::invalid_argument("lease must be positive");
  }
  if (options.aging_bound && *options.aging_bound < base::Duration::zero()) {
    return base::Status::invalid_argument("aging_bound must not be negative");
  }
  return base::Status();
}

namespace {
constexpr int64_t kDayUs = 86'400'000'000;
}  // namespace

int64_t utc_day_of(base::WallTime at) {
  const int64_t us = at.unix_us();
  return us >= 0 ? us / kDayUs : -((-us + kDayUs - 1) / kDayUs);  // floor, also before 1970
}

base::Result<VelocityDays> velocity_days(base::WallTime now, base::Duration window) {
  const base::Duration max = base::Duration::hours(24 * kVelocityWindowDaysMax);
  if (window <= base::Duration::zero() || window > max) {
    return base::Status::invalid_argument("velocity window must be more than 0 and at most " +
                                          std::to_string(kVelocityWindowDaysMax) + " days");
  }
  constexpr int64_t kDayNs = kDayUs * 1'000;
  const int64_t days = (window.ns() + kDayNs - 1) / kDayNs;
  INVSYNC_ASSERT(days >= 1);
  INVSYNC_ASSERT(days <= kVelocityWindowDaysMax);
  const int64_t last = utc_day_of(now);
  return VelocityDays{.first_day = last - days + 1, .last_day = last};
}

const domain::ChannelId& manual_channel() {
  static const domain::ChannelId kManual = domain::ChannelId::from_trusted("manual:admin");
  return kManual;
}

base::Result<domain::EventResult> InventoryStore::adjust_stock(const domain::Sku& sku,
                                                               domain::Quantity delta,
                                                               const std::string& reason,
                                                               const std::string& request_id,
                                                               base::WallTime now) {
  domain::OrderEvent event{
      .key = {.channel = manual_channel(), .external_order_id = request_id, .line_key = "1",
              .kind = domain::EventKind::kAdjust},
      .sku = sku,
      .quantity = delta,
      .reason = reason,
  };
  auto results = apply_orders(std::span(&event, 1), now);
  if (!results.ok()) return results.status();
  INVSYNC_ASSERT(results->size() == 1);
  return results->front();
}

}  // namespace invsync::store
