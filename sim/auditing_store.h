// AuditingStore: an InventoryStore decorator the simulator puts between the core and its real
// store. Every call is forwarded unchanged; the results of apply_orders and set_stock, and every
// sync_log row, are also shown to the Auditor (which checks them against its own arithmetic).
// The core cannot tell it is there.
#pragma once

#include <functional>

#include "core/store/forwarding_store.h"
#include "sim/auditor.h"

namespace invsync::sim {

class AuditingStore final : public store::ForwardingStore {
 public:
  // `now` gives the simulation time for the auditor's records.
  AuditingStore(store::InventoryStore& inner, Auditor& auditor,
                std::function<base::Duration()> now)
      : ForwardingStore(inner), auditor_(auditor), now_(std::move(now)) {}

  base::Result<std::vector<domain::EventResult>> apply_orders(std::span<const domain::OrderEvent> events,
                                                              base::WallTime now) override;
  base::Result<domain::EventResult> set_stock(const domain::Sku& sku, domain::Quantity q,
                                              const std::string& reason, const std::string& request_id,
                                              base::WallTime now) override;
  base::Status append_sync_log(std::span<const store::SyncLogEntry> entries) override;
  // Also called after every successful apply_orders (the baseline policy enqueues from it).
  using AfterApply = std::function<void(const std::vector<domain::OrderEvent>&,
                                        const std::vector<domain::EventResult>&)>;
  void set_after_apply(AfterApply f) { after_apply_ = std::move(f); }

 private:
  Auditor& auditor_;
  std::function<base::Duration()> now_;
  AfterApply after_apply_;
};

}  // namespace invsync::sim
