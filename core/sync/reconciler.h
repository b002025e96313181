// Reconciler: every interval (15 min by default) for one channel, reads what the channel shows for
// every listing (through the lane's background share of the budget), compares it with the
// sellable quantity the hub wants there now, and enqueues a correcting push wherever they differ
// and no push is already pending or in flight. Each discrepancy is logged (sync_log outcome
// "reconcile_drift"); what the channel showed is recorded as last_reported. It also gives parked
// jobs another chance (unpark) at the start of each cycle. This is what catches Amazon's
// "accepted but never applied", lost webhooks and manual edits in a platform's admin.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/connector/connector.h"
#include "core/sync/engine_deps.h"

namespace invsync::sync {

struct ReconcilerOptions {
  base::Duration interval = base::Duration::minutes(15);
  base::Duration first_delay = base::Duration::minutes(15);
  bool unpark_parked = true;
};

struct ReconcilerStats {
  int64_t cycles = 0, listings_read = 0, drift = 0, corrections = 0, missing = 0;
  int64_t read_errors = 0, unparked = 0, store_errors = 0;
};

class Reconciler {
 public:
  // `reader` reads through the lane's background client (a connector instance of its own).
  Reconciler(EngineDeps deps, ReconcilerOptions options, connector::Connector& reader);

  void start();
  // Runs one cycle now (tests, admin API); `done` runs when its reads have all answered.
  void run_cycle(std::function<void()> done = nullptr);
  const ReconcilerStats& stats() const { return stats_; }
  bool cycle_running() const { return running_; }
  // Where corrections go instead of the store's outbox (the simulator's baseline policy, which
  // has no outbox); with a sink set, pending outbox jobs do not suppress corrections.
  using CorrectionSink = std::function<void(const domain::Sku&, domain::Quantity wanted)>;
  void set_correction_sink(CorrectionSink sink) { correction_sink_ = std::move(sink); }

 private:
  void schedule_next(base::Duration delay);
  void read_next_batch();
  void on_batch(std::vector<store::ChannelListing> batch,
                base::Result<std::vector<connector::ChannelQuantity>> result);
  void finish_cycle();

  EngineDeps deps_;
  ReconcilerOptions options_;
  connector::Connector& reader_;
  ReconcilerStats stats_;
  bool running_ = false;
  std::vector<store::ChannelListing> pending_;  // listings left to read this cycle
  std::map<std::string, store::JobState> job_state_;  // the outbox at the start of the cycle
  size_t next_ = 0;
  std::function<void()> done_;
  CorrectionSink correction_sink_;
};

}  // namespace invsync::sync
