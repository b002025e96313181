// OrderPoller: the order backstop for one channel. Every interval it asks the connector for orders
// changed since its cursor and feeds them through the same idempotent apply_orders as webhooks, so
// a lost webhook (or a platform without usable webhooks: Amazon, Etsy) still reaches the hub. Pages
// are followed while the connector says more are ready. A thin notification (Etsy order.paid) can
// poke it to poll soon: pokes closer than gap_min to the last poll's start wait for the gap, so a
// burst of notifications costs one poll, not one each (each re-reads the platform's overlap window
// and spends its request quota: Etsy's daily limit). The cursor lives in memory: after a restart it starts from the
// configured look-back, which is safe because events are idempotent.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/connector/connector.h"
#include "core/sync/applied_events.h"
#include "core/sync/engine_deps.h"

namespace invsync::sync {

struct OrderPollerOptions {
  base::Duration interval = base::Duration::minutes(1);
  int32_t pages_per_poll_max = 20;
  // Least time between the starts of two polls; a poke sooner than this polls when it has passed.
  base::Duration gap_min = base::Duration::seconds(5);
};

struct OrderPollerStats {
  int64_t polls = 0, pages = 0, events = 0, applied = 0, duplicates = 0, errors = 0;
  int64_t deferred = 0;  // pokes that waited for gap_min
};

class OrderPoller {
 public:
  // `on_applied` runs after events were applied (the engine pokes the lanes).
  OrderPoller(EngineDeps deps, OrderPollerOptions options, connector::Connector& connector,
              AppliedEventsHook on_applied);
  void start();
  void poll_now();
  const OrderPollerStats& stats() const { return stats_; }
  const std::string& cursor() const { return cursor_; }

 private:
  void poll_page(int32_t page);
  void schedule_next();

  EngineDeps deps_;
  OrderPollerOptions options_;
  connector::Connector& connector_;
  AppliedEventsHook on_applied_;
  OrderPollerStats stats_;
  std::string cursor_;
  bool polling_ = false;
  bool again_ = false;
  std::optional<base::Instant> last_start_;
  bool deferred_ = false;  // a poll is scheduled for when gap_min has passed
};

}  // namespace invsync::sync
