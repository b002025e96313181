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
