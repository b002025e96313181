// PgStore: the InventoryStore on PostgreSQL (libpqxx 6.4). The only code that includes pqxx; every
// library exception becomes a Status here (lost connection -> kUnavailable, constraint or SQL
// error -> kInternal, unparseable row -> kCorruption). One instance owns one connection and is used
// by one thread at a time; it reconnects on the next call after the connection broke.
// All SQL is parameterised. apply_orders is one statement (the plpgsql function from migration
// 0002) so a batch costs one round trip and one commit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/store/inventory_store.h"

namespace invsync::store {

struct PgStoreOptions {
  std::string url;               // libpq connection string or postgresql:// URL
  std::string schema = "public"; // tables live here (tests use one schema per test)
  base::Duration connect_timeout = base::Duration::seconds(5);
  base::Duration statement_timeout = base::Duration::seconds(10);
  base::Duration lock_timeout = base::Duration::seconds(5);
};

struct PgMigration {
  int32_t version = 0;
  std::string name;
  std::string sql;
};
// The migrations compiled into this binary, in version order (core/store/pg/migrations/*.sql).
const std::vector<PgMigration>& embedded_migrations();

class PgStore final : public InventoryStore {
 public:
  // Connects (with the timeouts of `options`); does not migrate.
  static base::Result<std::unique_ptr<PgStore>> connect(PgStoreOptions options);
  ~PgStore() override;

  // Creates the schema if needed and applies every embedded migration not yet recorded in
  // schema_migrations, in order, each in its own transaction, under an advisory lock so two
  // instances starting together do not race. Returns the versions applied now.
  base::Result<std::vector<int32_t>> migrate();
  // Deletes every row (tests and simulator runs); keeps the schema.
  base::Status truncate_all_for_test();
  // Drops this store's schema with everything in it (tests only; never "public").
  base::Status drop_schema_for_test();

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
  struct Impl;
  explicit PgStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace invsync::store
