// InventoryStore: the one true count per SKU and everything that hangs off it (listings, order
// events, the push outbox, sync log, alerts). Two implementations keep one contract, checked by
// tests/core/store/store_contract_test.cc: MemoryStore (simulator, fast tests) and PgStore
// (PostgreSQL, production). Calls are synchronous and an instance is used by one thread at a time;
// run several instances (several connections) for parallelism. Times are passed in, never read,
// and are kept with microsecond precision. No call leaves a half-done change behind: each is one
// transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/store/records.h"

namespace invsync::store {

// How claim_due picks and leases jobs.
struct ClaimOptions {
  int32_t count_max = 1;                               // jobs per claim, > 0
  base::Duration lease = base::Duration::minutes(5);   // > 0
  // A job due for longer than this goes before every other (earliest due first), so a stream of
  // higher-priority jobs cannot starve it. nullopt: no aging.
  std::optional<base::Duration> aging_bound;
};

// kInvalidArgument naming the bad field, else OK (both stores check claims the same way).
base::Status validate_claim_options(const ClaimOptions& options);

// The longest trailing window refresh_velocity accepts (the MemoryStore keeps this many days).
inline constexpr int64_t kVelocityWindowDaysMax = 28;

// The UTC days [first_day, last_day] (days since the Unix epoch) that refresh_velocity counts
// sales of: ceil(window / 1 day) days ending with the day of `now`. kInvalidArgument unless
// 0 < window <= kVelocityWindowDaysMax days. Shared by both stores so they count the same sales.
struct VelocityDays {
  int64_t first_day = 0;
  int64_t last_day = 0;
};
base::Result<VelocityDays> velocity_days(base::WallTime now, base::Duration window);
// The UTC day (days since the Unix epoch) that `at` falls in.
int64_t utc_day_of(base::WallTime at);

class InventoryStore {
 public:
  InventoryStore() = default;
  InventoryStore(const InventoryStore&) = delete;
  InventoryStore& operator=(const InventoryStore&) = delete;
  virtual ~InventoryStore() = default;

  // --- catalogue ---------------------------------------------------------------------------
  // Creates missing products with their initial quantity; existing ones keep their count (use
  // set_stock to change it). Returns how many were created.
  virtual base::Result<int64_t> upsert_products(std::span<const ProductSpec> products,
                                                base::WallTime now) = 0;
  // Creates the listing or replaces its external ids and rules; pushed/reported state is kept.
  // The product must exist (kNotFound otherwise).
  virtual base::Status upsert_listing(const ChannelListing& listing) = 0;

  // --- the count -----------------------------------------------------------------------------
  // Applies a batch atomically (one transaction): per event, in order per SKU, either records it
  // and changes the master (never below zero: missing units are reported as oversold), or reports
  // it as a duplicate or unknown SKU. Every applied event on a SKU enqueues a push job for each
  // listing of that SKU, in the same transaction. An invalid event fails the whole batch with
  // kInvalidArgument before anything is written. A line (channel, order id, line key) names one
  // SKU, as on every platform; cancels and refunds return at most what that line's sale took.
  virtual base::Result<std::vector<domain::EventResult>> apply_orders(
      std::span<const domain::OrderEvent> events, base::WallTime now) = 0;
  // Sets the master to `quantity`, recorded as a manual adjustment by the difference under the
  // idempotency key (manual:admin, request_id). A replayed request_id is a duplicate.
  virtual base::Result<domain::EventResult> set_stock(const domain::Sku& sku,
                                                      domain::Quantity quantity,
                                                      const std::string& reason,
                                                      const std::string& request_id,
                                                      base::WallTime now) = 0;
  // Adds a signed delta (removing more than exists takes what exists and reports the shortfall).
  base::Result<domain::EventResult> adjust_stock(const domain::Sku& sku, domain::Quantity delta,
                                                 const std::string& reason,
                                                 const std::string& request_id,
                                                 base::WallTime now);

  // --- the push outbox ---------------------------------------------------------------------
  // Ensures a job exists for (channel, sku): a new job is pending at due_at; an existing one keeps
  // the higher priority and the earlier due time (unless it is backing off after a failure, when
  // its due time stays), and its change_seq is bumped so an in-flight push cannot complete it.
  virtual base::Status enqueue_push(const domain::ChannelId& channel, const domain::Sku& sku,
                                    int32_t priority, base::WallTime due_at) = 0;
  // Claims up to options.count_max jobs of `channel` that are due (or whose lease expired). Order:
  // first the aged ones (due before now - aging_bound), earliest due first; then the others by
  // priority (highest first), then hot before cold (refresh_velocity), then earliest due; SKU
  // breaks every tie. Each claimed job is leased until now + lease. Claims come back in that
  // order, each with the due time it was claimed by. The job's own due_at becomes `now`: changes
  // that arrive during the push wait from the claim on (complete() keeps the job), so a SKU that
  // keeps changing does not look aged because its first change is long past.
  virtual base::Result<std::vector<JobClaim>> claim_due(const domain::ChannelId& channel,
                                                        base::WallTime now,
                                                        const ClaimOptions& options) = 0;
  // The push for `claim` succeeded. Returns true when the job is gone; false when a newer change
  // arrived since the claim: then the job stays, pending and due, with attempts reset.
  // kFailedPrecondition when the lease was lost to another claim.
  virtual base::Result<bool> complete(const JobClaim& claim) = 0;
  // The push failed (count_attempt) or was rate-limited (!count_attempt): pending again at due_at.
  virtual base::Status reschedule(const JobClaim& claim, base::WallTime due_at,
                                  const std::string& error, bool count_attempt) = 0;
  // Gives up until the reconciler retries: state parked with a reason.
  virtual base::Status park(const JobClaim& claim, const std::string& reason) = 0;
  // Makes every parked job of `channel` pending at due_at with attempts reset; returns how many.
  virtual base::Result<int64_t> unpark(const domain::ChannelId& channel, base::WallTime due_at) = 0;
  // The channel answers again: every pending job of `channel` waiting out a failure backoff
  // (attempt > 0, due after `now`) becomes due at `now`; attempts are kept. Returns how many.
  virtual base::Result<int64_t> release_backoff(const domain::ChannelId& channel,
                                                base::WallTime now) = 0;
  // Recomputes which SKUs are hot (sales velocity, the second push priority after low stock):
  // the top top_percent of all products, rounded up, by units sold in the trailing window (the
  // quantities of recorded sale events, oversold units included, cancellations not subtracted;
  // the days of velocity_days(now, window)). Only SKUs that sold in the window can be hot; equal
  // units go to the smaller SKU. Replaces the previous hot set; returns how many SKUs are hot.
  // kInvalidArgument for a window out of range or top_percent outside 0..100.
  virtual base::Result<int64_t> refresh_velocity(base::WallTime now, base::Duration window,
                                                 int32_t top_percent) = 0;
  // All jobs of `channel` (or every channel), ordered by channel then SKU.
  virtual base::Result<std::vector<PushJob>> list_jobs(
      const std::optional<domain::ChannelId>& channel) = 0;

  // --- what the channels were told and what they show --------------------------------------
  virtual base::Status record_pushed(const domain::ChannelId& channel, const domain::Sku& sku,
                                     domain::Quantity quantity, base::WallTime at) = 0;
  virtual base::Status record_reported(const domain::ChannelId& channel, const domain::Sku& sku,
                                       domain::Quantity quantity, base::WallTime at) = 0;
  virtual base::Status append_sync_log(std::span<const SyncLogEntry> entries) = 0;
  virtual base::Status append_alert(const Alert& alert) = 0;

  // --- reads -------------------------------------------------------------------------------
  virtual base::Result<Product> product(const domain::Sku& sku) = 0;
  virtual base::Result<std::vector<ChannelListing>> listings_for_sku(const domain::Sku& sku) = 0;
  virtual base::Result<std::vector<ChannelListing>> listings_for_channel(
      const domain::ChannelId& channel) = 0;
  // Recorded order events, oldest first (for audits and tests; bounded by rows_max).
  virtual base::Result<std::vector<RecordedEvent>> events_for_sku(const domain::Sku& sku,
                                                                  int32_t rows_max) = 0;
  // The bundle behind `invsync explain SKU`, with up to rows_max rows of each history.
  virtual base::Result<Explanation> explain(const domain::Sku& sku, int32_t rows_max) = 0;
};

using InventoryStorePtr = std::unique_ptr<InventoryStore>;

// The channel that manual stock changes are recorded under.
const domain::ChannelId& manual_channel();

}  // namespace invsync::store
