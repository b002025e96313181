// WebhookIngest: the transport-agnostic handler behind /webhooks/{channel}: HttpRequest in,
// HttpResponse out. Order of checks: body size (413), signature over the raw body in constant time
// (401, nothing recorded), payload shape (400, nothing recorded), then apply_orders; 200 only after
// the events are durably applied, 503 when the store is unavailable so the platform retries.
// Oversold and unknown-SKU outcomes are acknowledged (a retry cannot fix them) and raised as
// alerts, never dropped silently. The runtime's HTTP server and the simulator's network both call
// handle(); it runs on the caller's thread and touches only the store, the connector's pure
// parse_webhook and the callbacks.
#pragma once

#include <cstdint>
#include <functional>

#include "core/base/clock.h"
#include "core/base/http.h"
#include "core/connector/connector.h"
#include "core/store/inventory_store.h"
#include "core/sync/alert_sink.h"
#include "core/sync/applied_events.h"

namespace invsync::ingest {

struct IngestOptions {
  size_t body_bytes_max = 1 << 20;  // Shopify order payloads with many lines stay far below this
};

struct IngestStats {
  int64_t requests = 0, too_large = 0, unauthenticated = 0, malformed = 0, ignored = 0;
  int64_t store_unavailable = 0, events = 0, applied = 0, duplicates = 0, oversold = 0;
  int64_t unknown_sku = 0;
};

class WebhookIngest {
 public:
  WebhookIngest(store::InventoryStore& store, base::Clock& clock, connector::Connector& connector,
                sync::AlertSink& alerts, IngestOptions options);

  base::HttpResponse handle(const base::HttpRequest& request);
  // Called after events were applied, with them and their results (the engine pokes its lanes).
  void set_on_applied(sync::AppliedEventsHook f) { on_applied_ = std::move(f); }
  // Called for thin notifications that ask for a poll (Etsy order.paid).
  void set_on_poll_now(std::function<void()> f) { on_poll_now_ = std::move(f); }
  const IngestStats& stats() const { return stats_; }

 private:
  static base::HttpResponse reply(int32_t status, const std::string& message);

  store::InventoryStore& store_;
  base::Clock& clock_;
  connector::Connector& connector_;
  sync::AlertSink& alerts_;
  IngestOptions options_;
  IngestStats stats_;
  sync::AppliedEventsHook on_applied_;
  std::function<void()> on_poll_now_;
};

}  // namespace invsync::ingest
