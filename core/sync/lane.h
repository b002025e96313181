// Lane: the outbound sync of one channel account. It claims due jobs from the store's outbox
// (lowest stock first, then the hot sellers, and any job due longer than the aging bound before
// all of them), reads the *current* master count and the channel's allocation rules at
// send time, and pushes absolute sellable quantities through the channel's connector, batched up to
// the connector's batch size. Coalescing is the outbox's: however many orders hit a SKU, one job
// carries the latest value. At most one push per SKU is in flight in this lane (claims leased in
// the store; a SKU already in flight is handed back). Results drive the job: done -> complete,
// rate-limited -> due again after Retry-After without using an attempt, transient -> the retry
// schedule, then parked with an alert; permanent -> parked with an alert (one alert per job until
// a push of it succeeds, however often the reconciler unparks it meanwhile). Every pushed item gets
// a sync_log row. Runs on the Scheduler; never blocks except on the (synchronous) store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/connector/connector.h"
#include "core/sync/engine_deps.h"
#include "core/sync/gated_http_client.h"
#include "core/sync/retry_schedule.h"

namespace invsync::sync {

struct LaneOptions {
  RetrySchedule retry;
  base::Duration idle_poll = base::Duration::seconds(1);  // look for due jobs without a poke
  base::Duration lease = base::Duration::minutes(5);      // must exceed a push's round trip
  int32_t pushes_in_flight_max = 2;                       // concurrent push() calls
  base::Duration handback_delay = base::Duration::seconds(1);  // SKU already in flight
  int32_t gate_queue_max = 4;  // claim more only while fewer requests wait at the gate
  // A job due for longer than this is claimed before any other, whatever its priority.
  base::Duration aging_bound = base::Duration::seconds(60);
};

struct LaneStats {
  int64_t pushes = 0;        // push() calls
  int64_t items_pushed = 0;  // SKUs in them
  int64_t done = 0, accepted = 0, conflicts = 0, rate_limited = 0, transient = 0, permanent = 0;
  int64_t parked = 0;
  int64_t released = 0;  // backed-off jobs made due again when the channel recovered
  int64_t store_errors = 0;
};

class Lane {
 public:
  Lane(EngineDeps deps, LaneOptions options, connector::Connector& connector,
       GatedHttpClient& gate);

  const domain::ChannelId& channel() const { return connector_.channel(); }
  // Starts the idle poll loop.
  void start();
  // Something changed (an order was applied): look for due jobs now.
  void poke();
  // Events the hub applied; the sales this lane's own channel reported lower what we believe it
  // shows (it counted them down itself), so the next push's compare-and-set value (last_known)
  // is last pushed minus those, not a stale value that costs a re-read round trip. A wrong
  // belief is never unsafe: the compare fails and the connector re-reads, as without it.
  void note_applied(std::span<const domain::OrderEvent> events,
                    std::span<const domain::EventResult> results);
  const LaneStats& stats() const { return stats_; }
  int32_t in_flight() const { return in_flight_; }

 private:
  struct Batch {
    std::vector<store::JobClaim> claims;
    std::vector<connector::PushItem> items;
    base::Instant sent_at;
  };
  void pump();
  void arm_idle_timer();
  std::optional<connector::PushItem> prepare(const store::JobClaim& claim);
  void on_results(const Batch& batch, std::vector<connector::PushItemResult> results);
  void settle(const store::JobClaim& claim, const connector::PushItem& item,
              const connector::PushItemResult& result, std::vector<store::SyncLogEntry>* log);
  void fail(const store::JobClaim& claim, const std::string& error, bool permanent);
  void on_async_results(std::vector<connector::PushItemResult> results);

  EngineDeps deps_;
  LaneOptions options_;
  connector::Connector& connector_;
  GatedHttpClient& gate_;
  LaneStats stats_;
  int32_t in_flight_ = 0;
  std::set<std::string> skus_in_flight_;
  std::set<std::string> alerted_parked_;  // parked with an alert, not pushed since
  // Units this channel sold per SKU since that SKU's last push was prepared.
  std::unordered_map<std::string, int64_t> channel_sold_;
  std::optional<base::TimerId> idle_timer_;
  bool pumping_ = false;
  bool failing_ = false;  // a transient failure since the last success
};

}  // namespace invsync::sync
