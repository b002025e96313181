// ForwardingStore: an InventoryStore that passes every call to another one. Decorators derive
// from it and override only what they change (the simulator's AuditingStore watches results; tests
// inject faults), the way LevelDB's EnvWrapper lets fakes override part of an Env.
#pragma once

#include "core/store/inventory_store.h"

namespace invsync::store {

class ForwardingStore : public InventoryStore {
 public:
  explicit ForwardingStore(InventoryStore& target) : target_(target) {}
  InventoryStore& target() { return target_; }

  base::Result<int64_t> upsert_products(std::span<const ProductSpec> p, base::WallTime now) override {
    return target_.upsert_products(p, now);
  }
  base::Status upsert_listing(const ChannelListing& l) override { return target_.upsert_listing(l); }
  base::Result<std::vector<domain::EventResult>> apply_orders(std::span<const domain::OrderEvent> e,
                                                              base::WallTime now) override {
    return target_.apply_orders(e, now);
  }
  base::Result<domain::EventResult> set_stock(const domain::Sku& sku, domain::Quantity q,
                                              const std::string& reason,
                                              const std::string& request_id,
                                              base::WallTime now) override {
    return target_.set_stock(sku, q, reason, request_id, now);
  }
  base::Status enqueue_push(const domain::ChannelId& c, const domain::Sku& s, int32_t p,
                            base::WallTime due) override {
    return target_.enqueue_push(c, s, p, due);
  }
  base::Result<std::vector<JobClaim>> claim_due(const domain::ChannelId& c, base::WallTime now,
                                                const ClaimOptions& options) override {
    return target_.claim_due(c, now, options);
  }
  base::Result<bool> complete(const JobClaim& c) override { return target_.complete(c); }
  base::Status reschedule(const JobClaim& c, base::WallTime due, const std::string& error,
                          bool count_attempt) override {
    return target_.reschedule(c, due, error, count_attempt);
  }
  base::Status park(const JobClaim& c, const std::string& reason) override {
    return target_.park(c, reason);
  }
  base::Result<int64_t> unpark(const domain::ChannelId& c, base::WallTime due) override {
    return target_.unpark(c, due);
  }
  base::Result<int64_t> release_backoff(const domain::ChannelId& c, base::WallTime now) override {
    return target_.release_backoff(c, now);
  }
  base::Result<int64_t> refresh_velocity(base::WallTime now, base::Duration window,
                                         int32_t top_percent) override {
    return target_.refresh_velocity(now, window, top_percent);
  }
  base::Result<std::vector<PushJob>> list_jobs(const std::optional<domain::ChannelId>& c) override {
    return target_.list_jobs(c);
  }
  base::Status record_pushed(const domain::ChannelId& c, const domain::Sku& s, domain::Quantity q,
                             base::WallTime at) override {
    return target_.record_pushed(c, s, q, at);
  }
  base::Status record_reported(const domain::ChannelId& c, const domain::Sku& s,
                               domain::Quantity q, base::WallTime at) override {
    return target_.record_reported(c, s, q, at);
  }
  base::Status append_sync_log(std::span<const SyncLogEntry> entries) override {
    return target_.append_sync_log(entries);
  }
  base::Status append_alert(const Alert& a) override { return target_.append_alert(a); }
  base::Result<Product> product(const domain::Sku& s) override { return target_.product(s); }
  base::Result<std::vector<ChannelListing>> listings_for_sku(const domain::Sku& s) override {
    return target_.listings_for_sku(s);
  }
  base::Result<std::vector<ChannelListing>> listings_for_channel(const domain::ChannelId& c) override {
    return target_.listings_for_channel(c);
  }
  base::Result<std::vector<RecordedEvent>> events_for_sku(const domain::Sku& s, int32_t n) override {
    return target_.events_for_sku(s, n);
  }
  base::Result<Explanation> explain(const domain::Sku& s, int32_t n) override {
    return target_.explain(s, n);
  }

 private:
  InventoryStore& target_;
};

}  // namespace invsync::store
