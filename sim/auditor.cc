#include "sim/auditor.h"

#include <algorithm>

#include "core/base/assert.h"

namespace invsync::sim {

void TraceHash::add(std::string_view s) {
  for (unsigned char c : s) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  h_ ^= 0xff;  // separator, so "ab","c" differs from "a","bc"
  h_ *= 1099511628211ULL;
}

void TraceHash::add(int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h_ ^= static_cast<uint64_t>(v >> (8 * i)) & 0xff;
    h_ *= 1099511628211ULL;
  }
}

Auditor::Auditor(std::vector<std::string> channel_names, std::map<std::string, int64_t> initial_stock)
    : channels_(std::move(channel_names)),
      true_stock_(initial_stock.begin(), initial_stock.end()),
      hub_tally_(initial_stock.begin(), initial_stock.end()),
      orders_(channels_.size()) {}

size_t Auditor::channel_index(const std::string& channel_name) const {
  for (size_t i = 0; i < channels_.size(); ++i) {
    if (channels_[i] == channel_name) return i;
  }
  return SIZE_MAX;
}

void Auditor::add_violation(base::Duration at, std::string what) {
  trace_.add("violation");
  trace_.add(what);
  violations_.push_back({at, std::move(what)});
}

int64_t Auditor::on_sale(base::Duration at, size_t channel, const std::string& sku,
                         int64_t quantity, const std::string& order_id, bool channel_in_fault) {
  INVSYNC_ASSERT(quantity > 0);
  int64_t& stock = true_stock_[sku];
  const int64_t existed = std::min(quantity, std::max<int64_t>(0, stock));
  stock -= existed;
  const int64_t oversold = quantity - existed;
  INVSYNC_ASSERT(channel < orders_.size());
  orders_[channel][order_id] = PlacedOrder{sku, existed, at};
  totals_.orders_accepted += 1;
  totals_.units_sold += quantity;
  if (oversold > 0) {
    totals_.oversold_units += oversold;
    totals_.oversold_orders += 1;
    oversold_by_cause_[{channel, channel_in_fault ? "channel fault" : "sync lag"}] += oversold;
    oversell_times_.push_back({at, oversold});
  }
  trace_.add(at.ns());
  trace_.add("sale");
  trace_.add(static_cast<int64_t>(channel));
  trace_.add(sku);
  trace_.add(quantity);
  return oversold;
}

void Auditor::on_refused(base::Duration at, size_t channel, const std::string& sku,
                         int64_t quantity, int64_t hub_master) {
  totals_.orders_refused += 1;
  if (hub_master >= quantity) {
    totals_.lost_sales += 1;
    totals_.lost_units += quantity;
  }
  trace_.add(at.ns());
  trace_.add("refused");
  trace_.add(static_cast<int64_t>(channel));
  trace_.add(sku);
}

void Auditor::on_cancel(base::Duration at, size_t channel, const std::string& order_id) {
  if (channel >= orders_.size()) return;
  auto it = orders_[channel].find(order_id);
  if (it == orders_[channel].end() || it->second.cancelled) return;
  true_stock_[it->second.sku] += it->second.existed;  // only the units that existed come back
  trace_.add(at.ns());
  trace_.add("cancel");
  trace_.add(order_id);
  it->second.cancelled = true;  // its placement time still dates the hub's apply of it
}

void Auditor::on_restock(base::Duration at, const std::string& sku, int64_t units) {
  true_stock_[sku] += units;
  trace_.add(at.ns());
  trace_.add("restock");
  trace_.add(sku);
  trace_.add(units);
}

void Auditor::on_store_results(base::Duration at, const std::vector<domain::OrderEvent>& events,
                               const std::vector<domain::EventResult>& results,
                               const std::map<std::string, int64_t>& master_now) {
  INVSYNC_ASSERT(events.size() == results.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const domain::OrderEvent& e = events[i];
    const domain::EventResult& r = results[i];
    trace_.add(at.ns());
    trace_.add(e.key.channel.str());
    trace_.add(e.key.external_order_id);
    trace_.add(std::string(domain::event_outcome_name(r.outcome)));
    if (r.master_after.is_negative()) {
      add_violation(at, "master of " + e.sku.str() + " went negative: " +
                            std::to_string(r.master_after.units()));
    }
    if (r.outcome == domain::EventOutcome::kDuplicate) {
      totals_.duplicates += 1;
      continue;
    }
    if (r.outcome == domain::EventOutcome::kUnknownSku) continue;
    if (!applied_keys_.insert(e.key).second) {
      add_violation(at, "event applied twice: " + e.key.channel.str() + " order " +
                            e.key.external_order_id + " line " + e.key.line_key);
    }
    totals_.events_applied += 1;
    totals_.hub_oversold_units += r.oversold_units.units();
    const bool removal = e.key.kind == domain::EventKind::kSale ||
                         (e.key.kind == domain::EventKind::kAdjust && e.quantity.is_negative());
    hub_tally_[e.sku.str()] += removal ? -r.applied_units.units() : r.applied_units.units();
    if (e.key.kind == domain::EventKind::kSale) {
      const size_t c = channel_index(e.key.channel.str());
      base::Duration placed_at = at;
      if (c < orders_.size()) {
        auto placed = orders_[c].find(e.key.external_order_id);
        if (placed != orders_[c].end()) placed_at = placed->second.at;
      }
      PendingOrder p{placed_at, at, {}};
      for (size_t k = 0; k < channels_.size(); ++k) {
        if (k != c && latency_excluded_.count(k) == 0) p.waiting.insert(k);
      }
      if (!p.waiting.empty()) pending_[e.sku.str()].push_back(std::move(p));
    }
  }
  for (const auto& [sku, master] : master_now) {
    if (master < 0) add_violation(at, "master of " + sku + " is negative: " + std::to_string(master));
    if (hub_tally_[sku] != master) {
      add_violation(at, "conservation broken on " + sku + ": initial + applied changes = " +
                            std::to_string(hub_tally_[sku]) + ", master = " + std::to_string(master));
      hub_tally_[sku] = master;  // report each break once
    }
  }
}

void Auditor::on_push_logged(base::Duration at, const store::SyncLogEntry& entry) {
  trace_.add(at.ns());
  trace_.add(entry.channel.str());
  trace_.add(entry.sku.str());
  trace_.add(entry.outcome);
  trace_.add(entry.quantity_sent.units());
  if (entry.outcome != "done" && entry.outcome != "accepted") return;
  const size_t c = channel_index(entry.channel.str());
  auto it = pending_.find(entry.sku.str());
  if (it == pending_.end()) return;
  const base::Duration sent = at - base::Duration::milliseconds(entry.latency_ms);
  auto& queue = it->second;
  for (auto& p : queue) {
    if (p.applied > sent) break;  // this push read the count before the order was applied
    if (p.waiting.erase(c) != 0 && p.waiting.empty()) latencies_.push_back({at, at - p.placed});
  }
  while (!queue.empty() && queue.front().waiting.empty()) queue.pop_front();
  if (queue.empty()) pending_.erase(it);
}

void Auditor::check_convergence(base::Duration at, size_t channel, const std::string& sku,
                                int64_t shown, int64_t wanted) {
  totals_.convergence_checked += 1;
  if (shown == wanted) return;
  totals_.convergence_mismatches += 1;
  if (totals_.convergence_mismatches <= 5) {
    add_violation(at, channels_[channel] + " shows " + std::to_string(shown) + " of " + sku +
                          " after the faults healed; the hub allocates " + std::to_string(wanted));
  }
}

}  // namespace invsync::sim

namespace invsync::sim {

void Auditor::check_hub_truth(const std::string& sku, int64_t master) {
  const int64_t truth = std::max<int64_t>(0, true_stock_[sku]);
  if (master == truth) return;
  totals_.hub_truth_mismatches += 1;
  if (master > truth) totals_.hub_truth_excess_units += master - truth;
}

}  // namespace invsync::sim
