// The rows the InventoryStore keeps, as plain values: products, channel listings, push jobs (the
// coalescing outbox), sync log rows, alerts, recorded order events, and the explain() bundle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/time.h"
#include "core/domain/allocation_rules.h"
#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"
#include "core/domain/quantity.h"
#include "core/domain/sku.h"

namespace invsync::store {

struct ProductSpec {
  domain::Sku sku;
  domain::Quantity initial_quantity;  // used only when the product is created
};

struct Product {
  domain::Sku sku;
  domain::Quantity master;
  int64_t version = 0;  // +1 on every change of master
  base::WallTime updated_at;
  bool velocity_hot = false;  // among the top sellers at the last refresh_velocity
};

struct ChannelListing {
  domain::ChannelId channel;
  domain::Sku sku;
  std::string external_ids_json = "{}";  // the platform's ids for this SKU, as a JSON object
  domain::AllocationRules rules;
  std::optional<domain::Quantity> last_pushed;
  std::optional<base::WallTime> last_pushed_at;
  std::optional<domain::Quantity> last_reported;
  std::optional<base::WallTime> last_reported_at;
};

enum class JobState : uint8_t { kPending, kClaimed, kParked };
std::string_view job_state_name(JobState s);

// A row of the outbox: "push the current sellable quantity of sku to channel". At most one per
// (channel, sku); later changes bump change_seq instead of adding rows.
struct PushJob {
  domain::ChannelId channel;
  domain::Sku sku;
  int32_t priority = 0;
  base::WallTime due_at;
  int32_t attempt = 0;  // failed attempts so far (429s do not count)
  JobState state = JobState::kPending;
  int64_t change_seq = 0;   // bumped by every change of the SKU since the job was created
  int64_t claim_token = 0;  // bumped by every claim; identifies the holder of the lease
  std::optional<base::WallTime> claimed_until;
  std::string last_error;
  std::string park_reason;
};

// What a worker holds after claim_due(): enough to push and then complete, reschedule or park.
struct JobClaim {
  domain::ChannelId channel;
  domain::Sku sku;
  int32_t priority = 0;
  base::WallTime due_at;
  int32_t attempt = 0;
  int64_t change_seq = 0;
  int64_t claim_token = 0;
  bool velocity_hot = false;  // the SKU was hot when claimed (an ordering key of claim_due)
};

struct SyncLogEntry {
  domain::ChannelId channel;
  domain::Sku sku;
  domain::Quantity quantity_sent;
  int32_t http_status = 0;  // 0 when no response arrived (refused, timeout)
  std::string outcome;      // done | conflict | rate_limited | transient | permanent
  std::string error;
  int32_t attempt = 0;
  int64_t latency_ms = 0;
  base::WallTime at;
};

struct Alert {
  std::optional<domain::ChannelId> channel;
  std::optional<domain::Sku> sku;
  std::string kind;  // e.g. push_parked, oversold, unknown_sku
  std::string message;
  base::WallTime at;
};

struct RecordedEvent {
  domain::EventKey key;
  domain::Sku sku;
  domain::Quantity quantity;
  domain::EventOutcome outcome = domain::EventOutcome::kApplied;
  domain::Quantity applied_units;
  domain::Quantity oversold_units;
  std::string reason;
  base::WallTime received_at;
};

// Everything needed to answer "why does Amazon show 3 and Shopify 4?" for one SKU.
struct Explanation {
  Product product;
  std::vector<ChannelListing> listings;     // by channel
  std::vector<RecordedEvent> recent_events; // newest first
  std::vector<PushJob> jobs;                // by channel
  std::vector<SyncLogEntry> recent_log;     // newest first
  std::vector<Alert> recent_alerts;         // newest first
};

}  // namespace invsync::store
