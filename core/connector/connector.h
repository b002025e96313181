// Connector: a thin translator between the hub and one platform account. It builds the platform's
// requests for pushes, reads and order polls, classifies each item's result, and verifies and
// parses the platform's webhooks. It holds no policy: rate limiting, retries, coalescing and
// priorities live once, in core/sync. Every HTTP request goes through the HttpClients it is given
// (`api` is the lane's rate-limited gate, `auth` reaches token endpoints unmetered), so a
// connector never waits for a token itself. Asynchronous: each operation calls its callback
// (last parameter) exactly once, on the core's Scheduler.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/http_client.h"
#include "core/base/prng.h"
#include "core/base/scheduler.h"
#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"

namespace invsync::connector {

// What a platform allows, as configured defaults; the lane corrects them from live feedback.
struct ConnectorLimits {
  int64_t request_rate_micro_per_s = 2'000'000;  // 2 requests per second
  int64_t request_burst_count = 1;
  int32_t push_batch_count_max = 1;  // SKUs per push() call
  int32_t read_batch_count_max = 1;  // listings per read() call
};

// A listing as a connector sees it: our SKU and the platform's ids for it (a JSON object).
struct ListingRef {
  domain::Sku sku;
  std::string external_ids_json = "{}";
};

struct PushItem {
  ListingRef listing;
  domain::Quantity quantity;                   // the absolute sellable quantity to set
  std::optional<domain::Quantity> last_known;  // what we believe the channel shows (for CAS)
  std::string idempotency_key;                 // stable for this (channel, sku, change)
};

enum class PushOutcome : uint8_t {
  kDone,         // the channel now shows `quantity`
  kAccepted,     // accepted for asynchronous processing (Amazon feeds): confirmed later
  kConflict,     // compare-and-set lost: the channel holds channel_quantity
  kRateLimited,  // throttled: retry after retry_after, not a failed attempt
  kTransient,    // timeout, 5xx, HTML error page: retry on the schedule
  kPermanent,    // will not succeed as is (unknown listing, validation error): park and alert
};
std::string_view push_outcome_name(PushOutcome o);

struct PushItemResult {
  domain::Sku sku;
  PushOutcome outcome = PushOutcome::kTransient;
  std::optional<domain::Quantity> channel_quantity;
  base::Duration retry_after;
  int32_t http_status = 0;  // of the exchange that decided the outcome; 0 if none completed
  std::string error;
};
using PushCallback = std::function<void(std::vector<PushItemResult>)>;

struct ChannelQuantity {
  domain::Sku sku;
  std::optional<domain::Quantity> quantity;  // nullopt: the channel does not know the listing
};
using ReadCallback = std::function<void(base::Result<std::vector<ChannelQuantity>>)>;

struct PolledOrders {
  std::vector<domain::OrderEvent> events;
  std::string next_cursor;  // opaque; pass back on the next poll
  bool more = false;        // another page is ready now
};
using PollCallback = std::function<void(base::Result<PolledOrders>)>;

struct ParsedWebhook {
  std::vector<domain::OrderEvent> events;
  bool ignorable = false;  // a ping, a topic we do not need, or our own echo: reply 200
  bool poll_now = false;   // a thin notification (Etsy order.paid): fetch orders by polling
};

// What a response says about our budget: feeds the lane's bucket.
struct LimitFeedback {
  std::optional<int64_t> remaining_count;  // requests (or points, scaled) left now
  std::optional<int64_t> limit_count;      // the platform's bucket size, in the same unit
  // The platform's refill rate, in millionths of a request per second (Shopify GraphQL
  // restoreRate in pushes; Etsy's per-second limit).
  std::optional<int64_t> restore_rate_micro_per_s;
  std::optional<base::Duration> retry_after;
  bool throttled = false;  // the platform refused the request for its rate (429, THROTTLED)
  // Requests left in the platform's long quota window (Etsy: its rolling 24 h), when it says.
  std::optional<int64_t> quota_remaining_count;
};

// Asynchronous confirmations of kAccepted pushes (feed results): kDone, kPermanent, ...
using AsyncResultHandler = std::function<void(std::vector<PushItemResult>)>;

struct ConnectorDeps {
  base::Clock& clock;
  base::Scheduler& scheduler;
  base::Prng& prng;
  base::HttpClient& api;   // rate-limited by the lane
  base::HttpClient& auth;  // token endpoints
};

class Connector {
 public:
  Connector() = default;
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;
  virtual ~Connector() = default;

  virtual const domain::ChannelId& channel() const = 0;
  virtual const ConnectorLimits& limits() const = 0;

  // Sets absolute quantities; items.size() <= push_batch_count_max. One result per item.
  virtual void push(std::vector<PushItem> items, PushCallback callback) = 0;
  // Reads what the channel shows; listings.size() <= read_batch_count_max.
  virtual void read(std::vector<ListingRef> listings, ReadCallback callback) = 0;
  // Orders created or changed since `cursor` ("" = since the connector's configured start).
  virtual void poll_orders(const std::string& cursor, PollCallback callback) = 0;
  // Verifies the signature over the raw body (constant time) and parses the events.
  // kUnauthenticated: bad or missing signature (reply 401); kInvalidArgument: malformed (400).
  virtual base::Result<ParsedWebhook> parse_webhook(const base::HttpRequest& request) = 0;
  // Budget information carried by any response of this platform.
  virtual LimitFeedback observe_limits(const base::HttpResponse& response) = 0;
  // Where kAccepted pushes are later confirmed; connectors without async pushes never call it.
  virtual void set_async_result_handler(AsyncResultHandler handler) { (void)handler; }
  // False while the platform wants no new push yet (Amazon: one feed at a time). The lane then
  // claims nothing, so changes keep coalescing in the outbox and go out together, with the
  // values current when they are finally sent.
  virtual bool accepting_pushes() const { return true; }
};

using ConnectorPtr = std::unique_ptr<Connector>;

}  // namespace invsync::connector
