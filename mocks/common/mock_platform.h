// MockPlatform: one platform's server side as a deterministic state machine, served in-process by
// the simulator and over a socket by invsync-mock. It holds the platform's *own* view of each
// listing: customers buy against that view (place_order), which is exactly how overselling
// happens, and the platform then reports the order its own way (webhooks queued here, or orders
// visible to polling). Everything is a function of the seed, the calls made and the `now` passed
// in: no clocks, no threads, no I/O. Mocks share no parsing or formatting code with core/
// connectors (a shared bug would hide itself); they use core/base values only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "core/base/status.h"
#include "core/base/time.h"

namespace invsync::mocks {

// One SKU in the platform's catalogue. SKUs with the same non-empty group share one parent
// object where the platform has such a thing (an Etsy listing with several products, a Shopify
// product or WooCommerce variable product with variations).
struct CatalogItem {
  std::string sku;
  int64_t quantity = 0;
  std::string group;
};

// A webhook the platform sends: `request` is complete (method POST, headers, signed body; its
// target is the receiver path configured on the mock). `due` is when the platform sends it.
struct WebhookDelivery {
  std::string delivery_id;  // unique per attempt, for tracing and on_webhook_result
  base::Instant due;
  base::HttpRequest request;
};

// An order the platform accepted (ground truth for tests and the auditor).
struct AcceptedOrder {
  std::string order_id;
  std::string sku;
  int64_t quantity = 0;
  base::Instant at;
  bool cancelled = false;
};

struct PlaceOrderResult {
  bool accepted = false;
  std::string order_id;  // the platform's id when accepted
  std::string reason;    // why not, when refused (e.g. "sold out")
};

// How the network in front of the platform behaves for a request arriving at `now`, drawn from
// the current faults: a transport failure (no HTTP response at all) or the latency to add.
struct NetworkConditions {
  enum class Transport : uint8_t { kDelivered, kRefused, kTimeout };
  Transport transport = Transport::kDelivered;
  base::Duration latency;
};

class MockPlatform {
 public:
  MockPlatform() = default;
  MockPlatform(const MockPlatform&) = delete;
  MockPlatform& operator=(const MockPlatform&) = delete;
  virtual ~MockPlatform() = default;

  virtual std::string_view platform_name() const = 0;  // "shopify", "amazon", "etsy", "woocommerce"

  // --- catalogue set-up ---
  virtual base::Status add_item(const CatalogItem& item) = 0;
  // The platform's ids for `sku` as a JSON object (what a channel listing's external_ids holds).
  virtual std::optional<std::string> external_ids_json(std::string_view sku) const = 0;

  // --- the API ---
  virtual NetworkConditions network(base::Instant now) = 0;
  virtual base::HttpResponse handle(const base::HttpRequest& request, base::Instant now) = 0;

  // --- the storefront ---
  virtual PlaceOrderResult place_order(std::string_view sku, int64_t quantity,
                                       base::Instant now) = 0;
  // The buyer or merchant cancels an accepted order (restocks on the platform, emits the event).
  virtual base::Status cancel_order(std::string_view order_id, base::Instant now) = 0;

  // --- webhooks and timers ---
  // Deliveries due at or before `now`, removed from the queue, in send order.
  virtual std::vector<WebhookDelivery> take_due_webhooks(base::Instant now) = 0;
  // What the receiver answered to a delivery: an HTTP status, or 0 for no response (refused,
  // timed out). Drives the platform's retry and disable rules.
  virtual void on_webhook_result(std::string_view delivery_id, int32_t status,
                                 base::Instant now) = 0;
  // Earliest time something happens on its own (a webhook due, a feed changing state), if any.
  virtual std::optional<base::Instant> next_wakeup() const = 0;
  // Lets time-driven state (feed processing, delayed order visibility) catch up to `now`.
  virtual void advance(base::Instant now) = 0;

  // --- faults, changeable at any time ---
  // A JSON object of this platform's fault settings (documented in mocks/README.md); unknown keys
  // and bad values are rejected with the path of the offending key and nothing changes.
  virtual base::Status set_faults_json(std::string_view json) = 0;

  // --- ground truth ---
  virtual std::map<std::string, int64_t> counts() const = 0;
  virtual std::vector<AcceptedOrder> accepted_orders() const = 0;
  // Counters for reports and tests: "requests", "rate_limited", "webhooks_sent", ...
  virtual std::map<std::string, int64_t> stats() const = 0;
};

}  // namespace invsync::mocks
