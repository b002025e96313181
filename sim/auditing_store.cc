#include "sim/auditing_store.h"

namespace invsync::sim {

base::Result<std::vector<domain::EventResult>> AuditingStore::apply_orders(
    std::span<const domain::OrderEvent> events, base::WallTime now) {
  auto results = target().apply_orders(events, now);
  if (!results.ok()) return results;
  std::map<std::string, int64_t> master_now;
  for (const auto& e : events) {
    if (master_now.count(e.sku.str()) != 0) continue;
    auto p = target().product(e.sku);
    if (p.ok()) master_now[e.sku.str()] = p->master.units();
  }
  const std::vector<domain::OrderEvent> copy(events.begin(), events.end());
  auditor_.on_store_results(now_(), copy, *results, master_now);
  if (after_apply_) after_apply_(copy, *results);
  return results;
}

base::Result<domain::EventResult> AuditingStore::set_stock(const domain::Sku& sku, domain::Quantity q,
                                                           const std::string& reason,
                                                           const std::string& request_id,
                                                           base::WallTime now) {
  auto before = target().product(sku);
  auto r = target().set_stock(sku, q, reason, request_id, now);
  if (!r.ok() || !before.ok()) return r;
  const domain::OrderEvent as_event{{store::manual_channel(), request_id, "1", domain::EventKind::kAdjust},
                                    sku, q - before->master, reason};
  auditor_.on_store_results(now_(), {as_event}, {*r}, {{sku.str(), r->master_after.units()}});
  return r;
}

base::Status AuditingStore::append_sync_log(std::span<const store::SyncLogEntry> entries) {
  base::Status st = target().append_sync_log(entries);
  for (const auto& e : entries) auditor_.on_push_logged(now_(), e);
  return st;
}

}  // namespace invsync::sim
