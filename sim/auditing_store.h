// AuditingStore: an InventoryStore decorator the simulator puts between the core and its real
// store. Every call is forwarded unchanged; the results of apply_orders and set_stock, and every
// sync_log row, are also shown to the Auditor (which checks them against its own arithmetic).
// The core cannot tell it is there.
#pragma once

#include <functional>

#include "core/store/inventory_store.h"
#include "sim/auditor.h"

namespace invsync::sim {

class AuditingStore final : public store::InventoryStore {
 public:
  // `now` gives the simulation time for the auditor's records.
  AuditingStore(store::InventoryStore& inner, Auditor& auditor,
                std::function<base::Duration()> now)
      : inner_(inner), auditor_(auditor), now_(std::move(now)) {}

  base::Result<int64_t> upsert_products(std::span<const store::ProductSpec> p, base::WallTime now) override {
    return inner_.upsert_products(p, now);
  }
  base::Status upsert_listing(const store::ChannelListing& l) override { return inner_.upsert_listing(l); }
  base::Result<std::vector<domain::EventResult>> apply_orders(std::span<const domain::OrderEvent> events,
                                                              base::WallTime now) override;
  base::Result<domain::EventResult> set_stock(const domain::Sku& sku, domain::Quantity q,
                                              const std::string& reason, const std::string& request_id,
                                              base::WallTime now) override;
  base::Status enqueue_push(const domain::ChannelId& c, const domain::Sku& s, int32_t p,
                            base::WallTime due) override {
    return inner_.enqueue_push(c, s, p, due);
  }
  base::Result<std::vector<store::JobClaim>> claim_due(const domain::ChannelId& c, base::WallTime now,
                                                       int32_t n, base::Duration lease) override {
    return inner_.claim_due(c, now, n, lease);
  }
  base::Result<bool> complete(const store::JobClaim& c) override { return inner_.complete(c); }
  base::Status reschedule(const store::JobClaim& c, base::WallTime due, const std::string& e,
                          bool count) override {
    return inner_.reschedule(c, due, e, count);
  }
  base::Status park(const store::JobClaim& c, const std::string& r) override { return inner_.park(c, r); }
  base::Result<int64_t> unpark(const domain::ChannelId& c, base::WallTime due) override {
    return inner_.unpark(c, due);
  }
  base::Result<std::vector<store::PushJob>> list_jobs(const std::optional<domain::ChannelId>& c) override {
    return inner_.list_jobs(c);
  }
  base::Status record_pushed(const domain::ChannelId& c, const domain::Sku& s, domain::Quantity q,
                             base::WallTime at) override {
    return inner_.record_pushed(c, s, q, at);
  }
  base::Status record_reported(const domain::ChannelId& c, const domain::Sku& s, domain::Quantity q,
                               base::WallTime at) override {
    return inner_.record_reported(c, s, q, at);
  }
  base::Status append_sync_log(std::span<const store::SyncLogEntry> entries) override;
  // Also called after every successful apply_orders (the baseline policy enqueues from it).
  using AfterApply = std::function<void(const std::vector<domain::OrderEvent>&,
                                        const std::vector<domain::EventResult>&)>;
  void set_after_apply(AfterApply f) { after_apply_ = std::move(f); }
  base::Status append_alert(const store::Alert& a) override { return inner_.append_alert(a); }
  base::Result<store::Product> product(const domain::Sku& s) override { return inner_.product(s); }
  base::Result<std::vector<store::ChannelListing>> listings_for_sku(const domain::Sku& s) override {
    return inner_.listings_for_sku(s);
  }
  base::Result<std::vector<store::ChannelListing>> listings_for_channel(const domain::ChannelId& c) override {
    return inner_.listings_for_channel(c);
  }
  base::Result<std::vector<store::RecordedEvent>> events_for_sku(const domain::Sku& s, int32_t n) override {
    return inner_.events_for_sku(s, n);
  }
  base::Result<store::Explanation> explain(const domain::Sku& s, int32_t n) override {
    return inner_.explain(s, n);
  }

 private:
  store::InventoryStore& inner_;
  Auditor& auditor_;
  std::function<base::Duration()> now_;
  AfterApply after_apply_;
};

}  // namespace invsync::sim
