// MemoryStore: the InventoryStore contract held in in-process hash maps, for the simulator and
// fast tests. Per channel it keeps the listings (with a by-SKU order for listings_for_channel) and
// the outbox rows, so a claim looks only at its own channel's jobs. The sync log and alerts keep their newest kHistoryRowsMax rows (a day of simulated
// Black Friday writes millions; explain() only ever shows the recent ones). Sales velocity is kept
// as units per SKU per day as sales arrive, so refresh_velocity never scans the event history.
// Same semantics as PgStore (the contract suite runs against both). Thread-safe by a
// single mutex, so concurrency tests can share one instance. Faults can be injected: while
// unavailable, every call fails with kUnavailable and changes nothing (a PostgreSQL outage).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/store/inventory_store.h"

namespace invsync::store {

class MemoryStore final : public InventoryStore {
 public:
  static constexpr size_t kHistoryRowsMax = 200'000;
  MemoryStore() = default;

  void set_unavailable(bool unavailable);
  // Test-only sabotage: sales skip the stock check and may drive the master negative. Exists so a
  // test can prove the simulator's auditor catches a broken core; never set outside such a test.
  void break_stock_check_for_test() { skip_stock_check_ = true; }

  base::Result<int64_t> upsert_products(std::span<const ProductSpec> products,
                                        base::WallTime now) override;
  base::Status upsert_listing(const ChannelListing& listing) override;
  base::Result<std::vector<domain::EventResult>> apply_orders(
      std::span<const domain::OrderEvent> events, base::WallTime now) override;
  base::Result<domain::EventResult> set_stock(const domain::Sku& sku, domain::Quantity quantity,
                                              const std::string& reason,
                                              const std::string& request_id,
                                              base::WallTime now) override;
  base::Status enqueue_push(const domain::ChannelId& channel, const domain::Sku& sku,
                            int32_t priority, base::WallTime due_at) override;
  base::Result<std::vector<JobClaim>> claim_due(const domain::ChannelId& channel,
                                                base::WallTime now,
                                                const ClaimOptions& options) override;
  base::Result<bool> complete(const JobClaim& claim) override;
  base::Status reschedule(const JobClaim& claim, base::WallTime due_at, const std::string& error,
                          bool count_attempt) override;
  base::Status park(const JobClaim& claim, const std::string& reason) override;
  base::Result<int64_t> unpark(const domain::ChannelId& channel, base::WallTime due_at) override;
  base::Result<int64_t> release_backoff(const domain::ChannelId& channel,
                                        base::WallTime now) override;
  base::Result<int64_t> refresh_velocity(base::WallTime now, base::Duration window,
                                         int32_t top_percent) override;
  base::Result<std::vector<PushJob>> list_jobs(
      const std::optional<domain::ChannelId>& channel) override;
  base::Status record_pushed(const domain::ChannelId& channel, const domain::Sku& sku,
                             domain::Quantity quantity, base::WallTime at) override;
  base::Status record_reported(const domain::ChannelId& channel, const domain::Sku& sku,
                               domain::Quantity quantity, base::WallTime at) override;
  base::Status append_sync_log(std::span<const SyncLogEntry> entries) override;
  base::Status append_alert(const Alert& alert) override;
  base::Result<Product> product(const domain::Sku& sku) override;
  base::Result<std::vector<ChannelListing>> listings_for_sku(const domain::Sku& sku) override;
  base::Result<std::vector<ChannelListing>> listings_for_channel(
      const domain::ChannelId& channel) override;
  base::Result<std::vector<RecordedEvent>> events_for_sku(const domain::Sku& sku,
                                                          int32_t rows_max) override;
  base::Result<Explanation> explain(const domain::Sku& sku, int32_t rows_max) override;

 private:
  // Hash maps keyed by std::string that can be searched with a string_view (no copy per lookup).
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
  struct LineKey {  // channel, order, line
    std::string channel, order, line;
    friend bool operator==(const LineKey&, const LineKey&) = default;
  };
  struct LineKeyHash {
    size_t operator()(const LineKey& k) const;
  };
  struct ChannelState {
    StringMap<ChannelListing> listings;  // by SKU
    // The listings in SKU order (listings_for_channel's contract); node addresses are stable, so
    // it is rebuilt only after a listing was added (at start-up), not on every read.
    std::vector<const ChannelListing*> listings_by_sku;
    StringMap<PushJob> jobs;  // this channel's outbox rows, by SKU
  };

  base::Status check_available() const;
  domain::EventResult apply_one(const domain::OrderEvent& e, base::WallTime now);
  void enqueue_locked(ChannelState& state, const domain::ChannelId& channel,
                      const domain::Sku& sku, int32_t priority, base::WallTime due_at);
  PushJob* claimed_job(const JobClaim& claim, base::Status* error);
  ChannelListing* find_listing(const domain::ChannelId& channel, const domain::Sku& sku);
  void record_sale(const std::string& sku, base::WallTime at, domain::Quantity units);

  mutable std::mutex mu_;
  bool unavailable_ = false;
  bool skip_stock_check_ = false;
  StringMap<Product> products_;
  std::map<std::string, ChannelState, std::less<>> channels_;  // by channel id, in id order
  std::unordered_map<domain::EventKey, size_t, domain::EventKeyHash> event_index_;  // -> events_ index
  std::vector<RecordedEvent> events_;
  std::unordered_map<LineKey, std::pair<domain::Quantity, domain::Quantity>, LineKeyHash>
      line_units_;  // sold, returned
  StringMap<std::vector<std::pair<int64_t, int64_t>>> units_by_day_;
  StringSet hot_skus_;  // the last refresh_velocity's result
  std::deque<SyncLogEntry> log_;
  std::deque<Alert> alerts_;
};

}  // namespace invsync::store
