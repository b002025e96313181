// ServiceConfig: everything the sync core is built from, read strictly from JSON (the service's
// --config file and the simulator's scenarios use the same shape). Units are in key names.
//   {"channels": [{
//      "id": "shopify:uk-store",
//      "connector": {...platform keys, see core/connector/<platform>/...},
//      "lane": {"rate_per_s": 2, "burst": 40, "pushes_in_flight_max": 2, "lease_s": 300,
//               "idle_poll_ms": 1000, "retry_delays_s": [30, 120, 600, 3600],
//               "retry_jitter_percent": 10, "rate_limited_pause_ms": 1000,
//               "aging_bound_s": 60},
//      "reconcile": {"interval_s": 900, "first_delay_s": 900, "background_percent": 20,
//                    "enabled": true},
//      "orders_poll": {"interval_s": 60, "gap_min_ms": 5000, "enabled": true}}],
//    "ingest": {"body_bytes_max": 1048576},
//    "velocity": {"window_days": 7, "top_percent": 20, "refresh_interval_s": 3600,
//                 "enabled": true}}
// orders_poll.gap_min_ms: least time between two order polls; a thin notification (Etsy) sooner
// than that polls once the gap has passed, so a burst of orders costs one poll.
// lane.aging_bound_s: a push job due for longer than this goes before every other of its lane.
// velocity: every refresh_interval_s (and at start) the top top_percent of SKUs by units sold in
// the last window_days become "hot"; among jobs of equal stock priority, hot SKUs go first.
// Secrets never live in this file in production: connector keys ending in "_env" name the
// environment variable that holds the secret (read by the executable, not by core code).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/domain/channel_id.h"
#include "core/ingest/webhook_ingest.h"
#include "core/sync/lane.h"
#include "core/sync/order_poller.h"
#include "core/sync/reconciler.h"

namespace invsync::app {

struct ChannelConfig {
  domain::ChannelId channel = domain::ChannelId::from_trusted("shopify:default");
  std::string connector_json = "{}";  // handed to the platform's connector config parser
  std::optional<int64_t> rate_micro_per_s;  // lane rate; default: the connector's limits
  std::optional<int64_t> burst_count;
  sync::LaneOptions lane;
  base::Duration rate_limited_pause = base::Duration::seconds(1);
  uint32_t background_percent = 20;
  bool reconcile_enabled = true;
  sync::ReconcilerOptions reconcile;
  bool orders_poll_enabled = true;
  sync::OrderPollerOptions orders_poll;
};

// Sales velocity, the second push priority after low stock (InventoryStore::refresh_velocity).
struct VelocityOptions {
  bool enabled = true;
  base::Duration window = base::Duration::hours(7 * 24);
  int32_t top_percent = 20;
  base::Duration refresh_interval = base::Duration::hours(1);
};

struct ServiceConfig {
  std::vector<ChannelConfig> channels;
  ingest::IngestOptions ingest;
  VelocityOptions velocity;
};

// Parses and validates; errors name the offending key path ("$.channels[1].lane.rate_per_s").
base::Result<ServiceConfig> parse_service_config(std::string_view json);

}  // namespace invsync::app
