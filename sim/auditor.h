// Auditor: an independent judge of a simulated run. It keeps its own ground truth, never the
// core's: the units that physically exist per SKU (initial + restocks + cancellations of units
// that existed - units channels sold that existed), and from it counts oversells (units a channel
// sold that did not exist) by channel and cause, and lost sales (orders a channel refused while
// the hub still had stock). Through AuditingStore it sees every result the hub's store returns and
// checks, after every event: the master never goes below zero, no event is applied twice, and
// conservation (its own running tally of applied changes equals the store's master). At the end
// it checks convergence: every channel shows its allocated quantity. It also measures order-to-
// channel latency and feeds the trace hash. Any failed check is a violation with the time it
// happened; a run with violations exits non-zero.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/base/time.h"
#include "core/domain/order_event.h"
#include "core/store/records.h"

namespace invsync::sim {

struct Violation {
  base::Duration at;
  std::string what;
};

struct LatencySample {
  base::Duration at;       // when the last channel caught up
  base::Duration latency;  // order placed -> every (non-Amazon) channel pushed
};

// FNV-1a over everything significant that happened, in order: equal seeds give equal hashes.
class TraceHash {
 public:
  void add(std::string_view s);
  void add(int64_t v);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ULL;
};

class Auditor {
 public:
  Auditor(std::vector<std::string> channel_names, std::map<std::string, int64_t> initial_stock);

  // --- ground truth from the storefronts ---
  // A channel accepted an order of `quantity`; returns the units that did not exist.
  int64_t on_sale(base::Duration at, size_t channel, const std::string& sku, int64_t quantity,
                  const std::string& order_id, bool channel_in_fault);
  void on_refused(base::Duration at, size_t channel, const std::string& sku, int64_t quantity,
                  int64_t hub_master);
  void on_cancel(base::Duration at, size_t channel, const std::string& order_id);
  void on_restock(base::Duration at, const std::string& sku, int64_t units);

  // --- what the hub's store did (from AuditingStore) ---
  void on_store_results(base::Duration at, const std::vector<domain::OrderEvent>& events,
                        const std::vector<domain::EventResult>& results,
                        const std::map<std::string, int64_t>& master_now);
  void on_push_logged(base::Duration at, const store::SyncLogEntry& entry);

  // --- end of run ---
  void check_convergence(base::Duration at, size_t channel, const std::string& sku,
                         int64_t shown, int64_t wanted);
  // The hub's master against the units that really exist. A difference is not an invariant
  // violation (lost webhooks with no polling backstop leave the hub believing in sold units) but
  // it is reported: it is where oversells come from.
  void check_hub_truth(const std::string& sku, int64_t master);
  void add_violation(base::Duration at, std::string what);

  const std::vector<Violation>& violations() const { return violations_; }
  TraceHash& trace() { return trace_; }

  struct Totals {
    int64_t orders_accepted = 0, units_sold = 0, orders_refused = 0;
    int64_t lost_sales = 0, lost_units = 0;
    int64_t oversold_units = 0, oversold_orders = 0;
    int64_t events_applied = 0, duplicates = 0, hub_oversold_units = 0;
    int64_t convergence_checked = 0, convergence_mismatches = 0;
    int64_t hub_truth_mismatches = 0, hub_truth_excess_units = 0;
  };
  const Totals& totals() const { return totals_; }
  // Oversold units by channel index and cause ("sync lag", "channel fault").
  const std::map<std::pair<size_t, std::string>, int64_t>& oversold_by_cause() const {
    return oversold_by_cause_;
  }
  const std::vector<LatencySample>& latencies() const { return latencies_; }
  const std::vector<std::pair<base::Duration, int64_t>>& oversell_times() const {
    return oversell_times_;
  }
  // Channels that do not count toward the latency target (Amazon: feeds take minutes to hours).
  void set_latency_excluded(size_t channel) { latency_excluded_.insert(channel); }

 private:
  struct PendingOrder {
    base::Duration placed;
    base::Duration applied;
    std::set<size_t> waiting;  // channels not yet pushed after this order was applied
  };
  size_t channel_index(const std::string& channel_name) const;

  struct PlacedOrder {
    std::string sku;
    int64_t existed = 0;  // units of it that existed when it was placed
    base::Duration at;
    bool cancelled = false;
  };

  std::vector<std::string> channels_;
  std::unordered_map<std::string, int64_t> true_stock_;
  std::unordered_map<std::string, int64_t> hub_tally_;  // initial + applied changes, our arithmetic
  // Per channel index: the orders its storefront accepted, by order id.
  std::vector<std::unordered_map<std::string, PlacedOrder>> orders_;
  std::unordered_set<domain::EventKey, domain::EventKeyHash> applied_keys_;
  std::unordered_map<std::string, std::deque<PendingOrder>> pending_;  // by SKU
  std::set<size_t> latency_excluded_;
  std::vector<Violation> violations_;
  std::vector<LatencySample> latencies_;
  std::vector<std::pair<base::Duration, int64_t>> oversell_times_;
  std::map<std::pair<size_t, std::string>, int64_t> oversold_by_cause_;
  Totals totals_;
  TraceHash trace_;
};

}  // namespace invsync::sim
