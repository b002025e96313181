#include "core/store/pg/pg_store.h"

#include "core/store/pg/connect_url.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>

namespace invsync::store {

using base::Result;
using base::Status;
using base::WallTime;
using domain::EventOutcome;
using domain::EventResult;
using domain::Quantity;

namespace {

// A row that does not parse back into our types: the database holds something we never wrote.
struct CorruptRow : std::runtime_error {
  using std::runtime_error::runtime_error;
};

domain::Sku sku_of(const pqxx::field& f) {
  auto sku = domain::Sku::parse(f.c_str());
  if (!sku.ok()) throw CorruptRow("bad sku in row: " + sku.status().message());
  return std::move(sku).value();
}

domain::ChannelId channel_of(const pqxx::field& f) {
  auto ch = domain::ChannelId::parse(f.c_str());
  if (!ch.ok()) throw CorruptRow("bad channel in row: " + ch.status().message());
  return std::move(ch).value();
}

WallTime time_of(const pqxx::field& f) { return WallTime::from_unix_us(f.as<int64_t>()); }

std::optional<WallTime> optional_time_of(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return time_of(f);
}

std::optional<Quantity> optional_quantity_of(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return Quantity(f.as<int64_t>());
}

JobState job_state_of(const pqxx::field& f) {
  const std::string s = f.c_str();
  if (s == "pending") return JobState::kPending;
  if (s == "claimed") return JobState::kClaimed;
  if (s == "parked") return JobState::kParked;
  throw CorruptRow("bad job state " + s);
}

EventOutcome outcome_of(const pqxx::field& f) {
  auto o = domain::parse_event_outcome(f.c_str());
  if (!o.ok()) throw CorruptRow(o.status().message());
  return *o;
}

// Column lists, so every reader of a table parses the same shape.
constexpr const char* kListingColumns =
    "channel, sku, external_ids::text, buffer_units, max_units, share_percent, zero_below_units, "
    "last_pushed_quantity, invsync_us(last_pushed_at), last_reported_quantity, "
    "invsync_us(last_reported_at)";
constexpr const char* kJobColumns =
    "channel, sku, priority, invsync_us(due_at), attempt, state, change_seq, claim_token, "
    "invsync_us(claimed_until), last_error, park_reason";
constexpr const char* kEventColumns =
    "channel, external_order_id, line_key, kind, sku, quantity, outcome, applied_units, "
    "oversold_units, reason, invsync_us(received_at)";
constexpr const char* kLogColumns =
    "channel, sku, quantity_sent, http_status, outcome, error, attempt, latency_ms, invsync_us(at)";

ChannelListing listing_of(const pqxx::row& r) {
  ChannelListing l{.channel = channel_of(r[0]), .sku = sku_of(r[1])};
  l.external_ids_json = r[2].c_str();
  l.rules.buffer_units = r[3].as<int64_t>();
  if (!r[4].is_null()) l.rules.max_units = r[4].as<int64_t>();
  l.rules.share_percent = r[5].as<uint32_t>();
  l.rules.zero_below_units = r[6].as<int64_t>();
  l.last_pushed = optional_quantity_of(r[7]);
  l.last_pushed_at = optional_time_of(r[8]);
  l.last_reported = optional_quantity_of(r[9]);
  l.last_reported_at = optional_time_of(r[10]);
  return l;
}

PushJob job_of(const pqxx::row& r) {
  PushJob j{.channel = channel_of(r[0]), .sku = sku_of(r[1])};
  j.priority = r[2].as<int32_t>();
  j.due_at = time_of(r[3]);
  j.attempt = r[4].as<int32_t>();
  j.state = job_state_of(r[5]);
  j.change_seq = r[6].as<int64_t>();
  j.claim_token = r[7].as<int64_t>();
  j.claimed_until = optional_time_of(r[8]);
  j.last_error = r[9].c_str();
  j.park_reason = r[10].c_str();
  return j;
}

RecordedEvent event_of(const pqxx::row& r) {
  auto kind = domain::parse_event_kind(r[3].c_str());
  if (!kind.ok()) throw CorruptRow(kind.status().message());
  return RecordedEvent{
      .key = {channel_of(r[0]), r[1].c_str(), r[2].c_str(), *kind},
      .sku = sku_of(r[4]),
      .quantity = Quantity(r[5].as<int64_t>()),
      .outcome = outcome_of(r[6]),
      .applied_units = Quantity(r[7].as<int64_t>()),
      .oversold_units = Quantity(r[8].as<int64_t>()),
      .reason = r[9].c_str(),
      .received_at = time_of(r[10]),
  };
}

SyncLogEntry log_of(const pqxx::row& r) {
  return SyncLogEntry{
      .channel = channel_of(r[0]),
      .sku = sku_of(r[1]),
      .quantity_sent = Quantity(r[2].as<int64_t>()),
      .http_status = r[3].as<int32_t>(),
      .outcome = r[4].c_str(),
      .error = r[5].c_str(),
      .attempt = r[6].as<int32_t>(),
      .latency_ms = r[7].as<int64_t>(),
      .at = time_of(r[8]),
  };
}

}  // namespace

struct PgStore::Impl {
  PgStoreOptions options;
  std::unique_ptr<pqxx::connection> conn;

  Status ensure_connected() {
    if (conn && conn->is_open()) return Status();
    conn.reset();
    try {
      conn = std::make_unique<pqxx::connection>(
          pg::with_connect_timeout(options.url, options.connect_timeout));
      pqxx::nontransaction setup(*conn);
      setup.exec("SET TIME ZONE 'UTC'");
      setup.exec("SET statement_timeout = " + std::to_string(options.statement_timeout.ms()));
      setup.exec("SET lock_timeout = " + std::to_string(options.lock_timeout.ms()));
      setup.exec("SET search_path TO " + setup.quote_name(options.schema));
      return Status();
    } catch (const std::exception& e) {
      conn.reset();
      return Status::unavailable(std::string("cannot connect to PostgreSQL: ") + e.what());
    }
  }

  // Runs `body` in one READ COMMITTED transaction and turns every exception into a Status.
  template <typename T, typename F>
  Result<T> run(const char* what, F&& body) {
    INVSYNC_RETURN_IF_ERROR(ensure_connected());
    try {
      pqxx::work tx(*conn);
      Result<T> out = body(tx);
      if (out.ok()) tx.commit();
      return out;
    } catch (const pqxx::broken_connection& e) {
      conn.reset();
      return Status::unavailable(std::string(what) + ": connection lost: " + e.what());
    } catch (const pqxx::in_doubt_error& e) {
      conn.reset();
      return Status::unavailable(std::string(what) + ": commit outcome unknown: " + e.what());
    } catch (const pqxx::sql_error& e) {
      const std::string state = e.sqlstate();
      if (state == "40P01" || state == "40001" || state == "55P03" || state == "57014") {
        return Status::unavailable(std::string(what) + ": retryable (" + state + "): " + e.what());
      }
      if (state.rfind("08", 0) == 0 || state == "57P01") {
        conn.reset();
        return Status::unavailable(std::string(what) + ": " + e.what());
      }
      return Status::internal(std::string(what) + ": SQL error " + state + ": " + e.what());
    } catch (const CorruptRow& e) {
      return Status::corruption(std::string(what) + ": " + e.what());
    } catch (const std::exception& e) {
      return Status::internal(std::string(what) + ": " + e.what());
    }
  }

  Result<EventResult> apply_batch(pqxx::work& tx, const nlohmann::json& batch, WallTime now,
                                  std::vector<EventResult>* all) {
    const pqxx::result r = tx.exec_params(
        "SELECT idx, outcome, applied_units, oversold_units, master_after "
        "FROM invsync_apply_events($1::jsonb, $2)",
        batch.dump(), now.unix_us());
    INVSYNC_ASSERT(r.size() == batch.size());
    for (const auto& row : r) {
      const auto i = row[0].as<size_t>();
      INVSYNC_ASSERT(i < all->size());
      const std::string outcome = row[1].c_str();
      EventResult& out = (*all)[i];
      if (outcome == "unknown_sku") {
        out = EventResult{.outcome = EventOutcome::kUnknownSku};
        continue;
      }
      out.outcome = outcome_of(row[1]);
      out.applied_units = Quantity(row[2].as<int64_t>());
      out.oversold_units = Quantity(row[3].as<int64_t>());
      out.master_after = Quantity(row[4].as<int64_t>());
      INVSYNC_ASSERT(!out.master_after.is_negative());
    }
    return all->empty() ? EventResult{} : all->front();
  }
};

PgStore::PgStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::connect(PgStoreOptions options) {
  if (options.url.empty()) {
    return Status::invalid_argument("no PostgreSQL URL given (set DATABASE_URL)");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  INVSYNC_RETURN_IF_ERROR(impl->ensure_connected());
  return std::unique_ptr<PgStore>(new PgStore(std::move(impl)));
}

Result<std::vector<int32_t>> PgStore::migrate() {
  return impl_->run<std::vector<int32_t>>("migrate", [&](pqxx::work& tx) -> Result<std::vector<int32_t>> {
    const std::string schema = tx.quote_name(impl_->options.schema);
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", "invsync-migrate:" + impl_->options.schema);
    tx.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    std::vector<int32_t> applied_now;
    int32_t previous = 0;
    for (const PgMigration& m : embedded_migrations()) {
      INVSYNC_ASSERT(m.version > previous);  // strictly increasing, no duplicates
      previous = m.version;
      const pqxx::result seen =
          tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version);
      if (!seen.empty()) continue;
      pqxx::subtransaction step(tx, "migration");
      step.exec(m.sql);
      step.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                       m.name);
      step.commit();
      applied_now.push_back(m.version);
    }
    return applied_now;
  });
}

Status PgStore::truncate_all_for_test() {
  return impl_->run<bool>("truncate", [&](pqxx::work& tx) -> Result<bool> {
    tx.exec("TRUNCATE sync_jobs, sync_log, alerts, order_events, channel_listings, products, "
            "feed_submissions, sku_velocity RESTART IDENTITY");
    return true;
  }).status();
}

Status PgStore::drop_schema_for_test() {
  if (impl_->options.schema == "public") {
    return Status::failed_precondition("refusing to drop the public schema");
  }
  return impl_->run<bool>("drop_schema", [&](pqxx::work& tx) -> Result<bool> {
    tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(impl_->options.schema) + " CASCADE");
    return true;
  }).status();
}

Result<int64_t> PgStore::upsert_products(std::span<const ProductSpec> products, WallTime now) {
  for (const ProductSpec& p : products) {
    if (p.initial_quantity.is_negative() || p.initial_quantity.units() > domain::kQuantityUnitsMax) {
      return Status::invalid_argument("initial quantity of " + p.sku.str() + " must be 0.." +
                                      std::to_string(domain::kQuantityUnitsMax));
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const ProductSpec& p : products) {
    rows.push_back({{"sku", p.sku.str()}, {"qty", p.initial_quantity.units()}});
  }
  return impl_->run<int64_t>("upsert_products", [&](pqxx::work& tx) -> Result<int64_t> {
    const pqxx::result r = tx.exec_params(
        "WITH ins AS (INSERT INTO products (sku, master_quantity, updated_at) "
        "  SELECT x.sku, x.qty, invsync_ts($2) FROM jsonb_to_recordset($1::jsonb) AS x(sku text, qty bigint) "
        "  ORDER BY x.sku ON CONFLICT (sku) DO NOTHING RETURNING 1) "
        "SELECT count(*) FROM ins",
        rows.dump(), now.unix_us());
    return r[0][0].as<int64_t>();
  });
}

Status PgStore::upsert_listing(const ChannelListing& listing) {
  INVSYNC_RETURN_IF_ERROR(domain::validate_rules(listing.rules));
  if (listing.channel.platform() == domain::Platform::kManual) {
    return Status::invalid_argument("manual is not a sales channel");
  }
  if (!nlohmann::json::accept(listing.external_ids_json)) {
    return Status::invalid_argument("external ids are not valid JSON");
  }
  return impl_->run<bool>("upsert_listing", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result exists =
        tx.exec_params("SELECT 1 FROM products WHERE sku = $1", listing.sku.str());
    if (exists.empty()) return Status::not_found("unknown sku " + listing.sku.str());
    tx.exec_params(
        "INSERT INTO channel_listings (channel, sku, external_ids, buffer_units, max_units, "
        "  share_percent, zero_below_units) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) "
        "ON CONFLICT (sku, channel) DO UPDATE SET external_ids = EXCLUDED.external_ids, "
        "  buffer_units = EXCLUDED.buffer_units, max_units = EXCLUDED.max_units, "
        "  share_percent = EXCLUDED.share_percent, zero_below_units = EXCLUDED.zero_below_units",
        listing.channel.str(), listing.sku.str(), listing.external_ids_json,
        listing.rules.buffer_units, listing.rules.max_units,
        static_cast<int32_t>(listing.rules.share_percent), listing.rules.zero_below_units);
    return true;
  }).status();
}

Result<std::vector<EventResult>> PgStore::apply_orders(std::span<const domain::OrderEvent> events,
                                                       WallTime now) {
  for (const auto& e : events) INVSYNC_RETURN_IF_ERROR(domain::validate_event(e));
  nlohmann::json batch = nlohmann::json::array();
  for (size_t i = 0; i < events.size(); ++i) {
    const domain::OrderEvent& e = events[i];
    batch.push_back({{"i", i},
                     {"channel", e.key.channel.str()},
                     {"order_id", e.key.external_order_id},
                     {"line_key", e.key.line_key},
                     {"kind", domain::event_kind_name(e.key.kind)},
                     {"sku", e.sku.str()},
                     {"qty", e.quantity.units()},
                     {"reason", e.reason}});
  }
  if (events.empty()) return std::vector<EventResult>{};
  return impl_->run<std::vector<EventResult>>(
      "apply_orders", [&](pqxx::work& tx) -> Result<std::vector<EventResult>> {
        std::vector<EventResult> results(events.size());
        auto r = impl_->apply_batch(tx, batch, now, &results);
        if (!r.ok()) return r.status();
        return results;
      });
}

Result<EventResult> PgStore::set_stock(const domain::Sku& sku, Quantity quantity,
                                       const std::string& reason, const std::string& request_id,
                                       WallTime now) {
  if (quantity.is_negative() || quantity.units() > domain::kQuantityUnitsMax) {
    return Status::invalid_argument("stock must be 0.." + std::to_string(domain::kQuantityUnitsMax));
  }
  domain::OrderEvent probe{{manual_channel(), request_id, "1", domain::EventKind::kAdjust}, sku,
                           Quantity(1), reason};
  INVSYNC_RETURN_IF_ERROR(domain::validate_event(probe));
  return impl_->run<EventResult>("set_stock", [&](pqxx::work& tx) -> Result<EventResult> {
    const pqxx::result cur = tx.exec_params(
        "SELECT master_quantity FROM products WHERE sku = $1 FOR NO KEY UPDATE", sku.str());
    if (cur.empty()) return Status::not_found("unknown sku " + sku.str());
    const Quantity delta = quantity - Quantity(cur[0][0].as<int64_t>());
    if (delta.is_zero()) {
      const pqxx::result ins = tx.exec_params(
          "INSERT INTO order_events (channel, external_order_id, line_key, kind, sku, quantity, "
          "  outcome, applied_units, oversold_units, reason, received_at) "
          "VALUES ($1, $2, '1', 'adjust', $3, 0, 'applied', 0, 0, $4, invsync_ts($5)) "
          "ON CONFLICT (channel, external_order_id, line_key, kind) DO NOTHING RETURNING id",
          manual_channel().str(), request_id, sku.str(), reason, now.unix_us());
      return EventResult{.outcome = ins.empty() ? EventOutcome::kDuplicate : EventOutcome::kApplied,
                         .master_after = quantity};
    }
    nlohmann::json batch = nlohmann::json::array();
    batch.push_back({{"i", 0}, {"channel", manual_channel().str()}, {"order_id", request_id},
                     {"line_key", "1"}, {"kind", "adjust"}, {"sku", sku.str()},
                     {"qty", delta.units()}, {"reason", reason}});
    std::vector<EventResult> results(1);
    return impl_->apply_batch(tx, batch, now, &results);
  });
}

Status PgStore::enqueue_push(const domain::ChannelId& channel, const domain::Sku& sku,
                             int32_t priority, WallTime due_at) {
  if (priority < 0 || priority > domain::kPushPriorityMax) {
    return Status::invalid_argument("priority must be 0.." + std::to_string(domain::kPushPriorityMax));
  }
  return impl_->run<bool>("enqueue_push", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result listing = tx.exec_params(
        "SELECT 1 FROM channel_listings WHERE sku = $1 AND channel = $2", sku.str(), channel.str());
    if (listing.empty()) return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
    tx.exec_params(
        "INSERT INTO sync_jobs AS j (channel, sku, priority, due_at) VALUES ($1, $2, $3, invsync_ts($4)) "
        "ON CONFLICT (channel, sku) DO UPDATE SET priority = GREATEST(j.priority, EXCLUDED.priority), "
        "  due_at = CASE WHEN j.attempt > 0 THEN j.due_at ELSE LEAST(j.due_at, EXCLUDED.due_at) END, "
        "  change_seq = j.change_seq + 1",
        channel.str(), sku.str(), priority, due_at.unix_us());
    return true;
  }).status();
}

Result<std::vector<JobClaim>> PgStore::claim_due(const domain::ChannelId& channel, WallTime now,
                                                 const ClaimOptions& options) {
  INVSYNC_RETURN_IF_ERROR(validate_claim_options(options));
  now = now.truncated_to_us();
  // Aged: due before this (NULL: no aging, nothing is aged).
  const std::optional<int64_t> aged_before_us =
      options.aging_bound ? std::optional<int64_t>((now - *options.aging_bound).unix_us())
                          : std::nullopt;
  return impl_->run<std::vector<JobClaim>>("claim_due", [&](pqxx::work& tx) -> Result<std::vector<JobClaim>> {
    const pqxx::result r = tx.exec_params(
        "WITH c AS (SELECT j.channel, j.sku, j.due_at, (h.sku IS NOT NULL) AS hot "
        "  FROM sync_jobs j LEFT JOIN sku_velocity h ON h.sku = j.sku "
        "  WHERE j.channel = $1 AND ((j.state = 'pending' AND j.due_at <= invsync_ts($2)) "
        "     OR (j.state = 'claimed' AND j.claimed_until <= invsync_ts($2))) "
        // Aged rows (due before $5; none when $5 is NULL) first, ordered by due time alone.
        "  ORDER BY CASE WHEN j.due_at < invsync_ts($5::bigint) THEN 0 ELSE 1 END, "
        "    CASE WHEN j.due_at < invsync_ts($5::bigint) THEN 0 ELSE j.priority END DESC, "
        "    CASE WHEN j.due_at < invsync_ts($5::bigint) THEN false "
        "      ELSE h.sku IS NOT NULL END DESC, "
        "    j.due_at, j.sku "
        "  LIMIT $3 FOR UPDATE OF j SKIP LOCKED) "
        "UPDATE sync_jobs j SET state = 'claimed', claimed_until = invsync_ts($4), "
        "  claim_token = j.claim_token + 1, due_at = invsync_ts($2) "
        "FROM c WHERE j.channel = c.channel AND j.sku = c.sku "
        "RETURNING j.channel, j.sku, j.priority, invsync_us(c.due_at), j.attempt, j.change_seq, "
        "  j.claim_token, c.hot",
        channel.str(), now.unix_us(), options.count_max, (now + options.lease).unix_us(),
        aged_before_us);
    std::vector<JobClaim> claims;
    for (const auto& row : r) {
      claims.push_back(JobClaim{channel_of(row[0]), sku_of(row[1]), row[2].as<int32_t>(),
                                time_of(row[3]), row[4].as<int32_t>(), row[5].as<int64_t>(),
                                row[6].as<int64_t>(), row[7].as<bool>()});
    }
    // RETURNING has no order: sort again, by the same keys as the ORDER BY above.
    const auto aged = [&](const JobClaim& c) {
      return aged_before_us && c.due_at.unix_us() < *aged_before_us;
    };
    std::sort(claims.begin(), claims.end(), [&](const JobClaim& a, const JobClaim& b) {
      if (aged(a) != aged(b)) return aged(a);
      if (!aged(a)) {
        if (a.priority != b.priority) return a.priority > b.priority;
        if (a.velocity_hot != b.velocity_hot) return a.velocity_hot;
      }
      if (a.due_at != b.due_at) return a.due_at < b.due_at;
      return a.sku < b.sku;
    });
    return claims;
  });
}

Result<bool> PgStore::complete(const JobClaim& claim) {
  return impl_->run<bool>("complete", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result r = tx.exec_params(
        "WITH d AS (DELETE FROM sync_jobs WHERE channel = $1 AND sku = $2 AND state = 'claimed' "
        "    AND claim_token = $3 AND change_seq = $4 RETURNING 1), "
        "  u AS (UPDATE sync_jobs SET state = 'pending', claimed_until = NULL, attempt = 0 "
        "    WHERE channel = $1 AND sku = $2 AND state = 'claimed' AND claim_token = $3 "
        "    AND change_seq <> $4 RETURNING 1) "
        "SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM u)",
        claim.channel.str(), claim.sku.str(), claim.claim_token, claim.change_seq);
    const auto deleted = r[0][0].as<int64_t>();
    const auto kept = r[0][1].as<int64_t>();
    INVSYNC_ASSERT(deleted + kept <= 1);
    if (deleted + kept == 0) {
      return Status::failed_precondition("lease on " + claim.channel.str() + "/" +
                                         claim.sku.str() + " was lost");
    }
    return deleted == 1;
  });
}

Status PgStore::reschedule(const JobClaim& claim, WallTime due_at, const std::string& error,
                           bool count_attempt) {
  return impl_->run<bool>("reschedule", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result r = tx.exec_params(
        "UPDATE sync_jobs SET state = 'pending', claimed_until = NULL, due_at = invsync_ts($4), "
        "  attempt = attempt + $5, last_error = $6 "
        "WHERE channel = $1 AND sku = $2 AND state = 'claimed' AND claim_token = $3 RETURNING 1",
        claim.channel.str(), claim.sku.str(), claim.claim_token, due_at.unix_us(),
        count_attempt ? 1 : 0, error);
    if (r.empty()) {
      return Status::failed_precondition("lease on " + claim.channel.str() + "/" +
                                         claim.sku.str() + " was lost");
    }
    return true;
  }).status();
}

Status PgStore::park(const JobClaim& claim, const std::string& reason) {
  return impl_->run<bool>("park", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result r = tx.exec_params(
        "UPDATE sync_jobs SET state = 'parked', claimed_until = NULL, park_reason = $4 "
        "WHERE channel = $1 AND sku = $2 AND state = 'claimed' AND claim_token = $3 RETURNING 1",
        claim.channel.str(), claim.sku.str(), claim.claim_token, reason);
    if (r.empty()) {
      return Status::failed_precondition("lease on " + claim.channel.str() + "/" +
                                         claim.sku.str() + " was lost");
    }
    return true;
  }).status();
}

Result<int64_t> PgStore::unpark(const domain::ChannelId& channel, WallTime due_at) {
  return impl_->run<int64_t>("unpark", [&](pqxx::work& tx) -> Result<int64_t> {
    const pqxx::result r = tx.exec_params(
        "WITH u AS (UPDATE sync_jobs SET state = 'pending', attempt = 0, due_at = invsync_ts($2), "
        "  park_reason = '' WHERE channel = $1 AND state = 'parked' RETURNING 1) "
        "SELECT count(*) FROM u",
        channel.str(), due_at.unix_us());
    return r[0][0].as<int64_t>();
  });
}

Result<int64_t> PgStore::release_backoff(const domain::ChannelId& channel, WallTime now) {
  return impl_->run<int64_t>("release_backoff", [&](pqxx::work& tx) -> Result<int64_t> {
    const pqxx::result r = tx.exec_params(
        "WITH u AS (UPDATE sync_jobs SET due_at = invsync_ts($2) WHERE channel = $1 "
        "  AND state = 'pending' AND attempt > 0 AND due_at > invsync_ts($2) RETURNING 1) "
        "SELECT count(*) FROM u",
        channel.str(), now.unix_us());
    return r[0][0].as<int64_t>();
  });
}

Result<int64_t> PgStore::refresh_velocity(WallTime now, base::Duration window,
                                          int32_t top_percent) {
  auto days = velocity_days(now.truncated_to_us(), window);
  if (!days.ok()) return days.status();
  if (top_percent < 0 || top_percent > 100) {
    return Status::invalid_argument("top_percent must be 0..100");
  }
  constexpr int64_t kDayUs = 86'400'000'000;
  const int64_t from_us = days->first_day * kDayUs;
  const int64_t until_us = (days->last_day + 1) * kDayUs;
  return impl_->run<int64_t>("refresh_velocity", [&](pqxx::work& tx) -> Result<int64_t> {
    // Two instances refreshing at once take turns; the second then deletes the first's rows.
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", "invsync-velocity");
    tx.exec("DELETE FROM sku_velocity");
    // One statement: units per SKU in the window (index-only scan of the sales index), the top
    // ceil(products * top_percent / 100) of them, written as the new hot set.
    const pqxx::result r = tx.exec_params(
        "WITH sold AS (SELECT e.sku, sum(e.quantity) AS units FROM order_events e "
        "    WHERE e.kind = 'sale' AND e.received_at >= invsync_ts($1) "
        "      AND e.received_at < invsync_ts($2) GROUP BY e.sku), "
        "  hot AS (SELECT sku, units FROM sold WHERE units > 0 ORDER BY units DESC, sku "
        "    LIMIT (SELECT (count(*) * $3 + 99) / 100 FROM products)), "
        "  ins AS (INSERT INTO sku_velocity (sku, units_sold, refreshed_at) "
        "    SELECT sku, units, invsync_ts($4) FROM hot RETURNING 1) "
        "SELECT count(*) FROM ins",
        from_us, until_us, static_cast<int64_t>(top_percent), now.unix_us());
    return r[0][0].as<int64_t>();
  });
}

Result<std::vector<PushJob>> PgStore::list_jobs(const std::optional<domain::ChannelId>& channel) {
  return impl_->run<std::vector<PushJob>>("list_jobs", [&](pqxx::work& tx) -> Result<std::vector<PushJob>> {
    const std::optional<std::string> filter =
        channel ? std::optional<std::string>(channel->str()) : std::nullopt;
    const pqxx::result r = tx.exec_params(
        std::string("SELECT ") + kJobColumns +
            " FROM sync_jobs WHERE ($1::text IS NULL OR channel = $1) ORDER BY channel, sku",
        filter);
    std::vector<PushJob> out;
    for (const auto& row : r) out.push_back(job_of(row));
    return out;
  });
}

Status PgStore::record_pushed(const domain::ChannelId& channel, const domain::Sku& sku,
                              Quantity quantity, WallTime at) {
  return impl_->run<bool>("record_pushed", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result r = tx.exec_params(
        "UPDATE channel_listings SET last_pushed_quantity = $3, last_pushed_at = invsync_ts($4) "
        "WHERE sku = $1 AND channel = $2 RETURNING 1",
        sku.str(), channel.str(), quantity.units(), at.unix_us());
    if (r.empty()) return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
    return true;
  }).status();
}

Status PgStore::record_reported(const domain::ChannelId& channel, const domain::Sku& sku,
                                Quantity quantity, WallTime at) {
  return impl_->run<bool>("record_reported", [&](pqxx::work& tx) -> Result<bool> {
    const pqxx::result r = tx.exec_params(
        "UPDATE channel_listings SET last_reported_quantity = $3, last_reported_at = invsync_ts($4) "
        "WHERE sku = $1 AND channel = $2 RETURNING 1",
        sku.str(), channel.str(), quantity.units(), at.unix_us());
    if (r.empty()) return Status::not_found("no listing of " + sku.str() + " on " + channel.str());
    return true;
  }).status();
}

Status PgStore::append_sync_log(std::span<const SyncLogEntry> entries) {
  if (entries.empty()) return Status();
  nlohmann::json rows = nlohmann::json::array();
  for (const SyncLogEntry& e : entries) {
    rows.push_back({{"channel", e.channel.str()}, {"sku", e.sku.str()},
                    {"quantity_sent", e.quantity_sent.units()}, {"http_status", e.http_status},
                    {"outcome", e.outcome}, {"error", e.error}, {"attempt", e.attempt},
                    {"latency_ms", e.latency_ms}, {"at_us", e.at.unix_us()}});
  }
  return impl_->run<bool>("append_sync_log", [&](pqxx::work& tx) -> Result<bool> {
    tx.exec_params(
        "INSERT INTO sync_log (channel, sku, quantity_sent, http_status, outcome, error, attempt, "
        "  latency_ms, at) "
        "SELECT x.channel, x.sku, x.quantity_sent, x.http_status, x.outcome, x.error, x.attempt, "
        "  x.latency_ms, invsync_ts(x.at_us) FROM jsonb_to_recordset($1::jsonb) AS x(channel text, "
        "  sku text, quantity_sent bigint, http_status integer, outcome text, error text, "
        "  attempt integer, latency_ms bigint, at_us bigint)",
        rows.dump());
    return true;
  }).status();
}

Status PgStore::append_alert(const Alert& alert) {
  return impl_->run<bool>("append_alert", [&](pqxx::work& tx) -> Result<bool> {
    tx.exec_params(
        "INSERT INTO alerts (channel, sku, kind, message, at) VALUES ($1, $2, $3, $4, invsync_ts($5))",
        alert.channel ? std::optional<std::string>(alert.channel->str()) : std::nullopt,
        alert.sku ? std::optional<std::string>(alert.sku->str()) : std::nullopt, alert.kind,
        alert.message, alert.at.unix_us());
    return true;
  }).status();
}

Result<Product> PgStore::product(const domain::Sku& sku) {
  return impl_->run<Product>("product", [&](pqxx::work& tx) -> Result<Product> {
    const pqxx::result r = tx.exec_params(
        "SELECT master_quantity, version, invsync_us(updated_at), "
        "  EXISTS (SELECT 1 FROM sku_velocity h WHERE h.sku = $1) FROM products WHERE sku = $1",
        sku.str());
    if (r.empty()) return Status::not_found("unknown sku " + sku.str());
    return Product{sku, Quantity(r[0][0].as<int64_t>()), r[0][1].as<int64_t>(), time_of(r[0][2]),
                   r[0][3].as<bool>()};
  });
}

Result<std::vector<ChannelListing>> PgStore::listings_for_sku(const domain::Sku& sku) {
  return impl_->run<std::vector<ChannelListing>>(
      "listings_for_sku", [&](pqxx::work& tx) -> Result<std::vector<ChannelListing>> {
        const pqxx::result r = tx.exec_params(std::string("SELECT ") + kListingColumns +
                                                  " FROM channel_listings WHERE sku = $1 ORDER BY channel",
                                              sku.str());
        std::vector<ChannelListing> out;
        for (const auto& row : r) out.push_back(listing_of(row));
        return out;
      });
}

Result<std::vector<ChannelListing>> PgStore::listings_for_channel(const domain::ChannelId& channel) {
  return impl_->run<std::vector<ChannelListing>>(
      "listings_for_channel", [&](pqxx::work& tx) -> Result<std::vector<ChannelListing>> {
        const pqxx::result r = tx.exec_params(std::string("SELECT ") + kListingColumns +
                                                  " FROM channel_listings WHERE channel = $1 ORDER BY sku",
                                              channel.str());
        std::vector<ChannelListing> out;
        for (const auto& row : r) out.push_back(listing_of(row));
        return out;
      });
}

Result<std::vector<RecordedEvent>> PgStore::events_for_sku(const domain::Sku& sku,
                                                           int32_t rows_max) {
  return impl_->run<std::vector<RecordedEvent>>(
      "events_for_sku", [&](pqxx::work& tx) -> Result<std::vector<RecordedEvent>> {
        const pqxx::result r = tx.exec_params(std::string("SELECT ") + kEventColumns +
                                                  " FROM order_events WHERE sku = $1 ORDER BY id LIMIT $2",
                                              sku.str(), std::max(rows_max, 0));
        std::vector<RecordedEvent> out;
        for (const auto& row : r) out.push_back(event_of(row));
        return out;
      });
}

Result<Explanation> PgStore::explain(const domain::Sku& sku, int32_t rows_max) {
  return impl_->run<Explanation>("explain", [&](pqxx::work& tx) -> Result<Explanation> {
    const int32_t limit = std::max(rows_max, 0);
    const pqxx::result p = tx.exec_params(
        "SELECT master_quantity, version, invsync_us(updated_at), "
        "  EXISTS (SELECT 1 FROM sku_velocity h WHERE h.sku = $1) FROM products WHERE sku = $1",
        sku.str());
    if (p.empty()) return Status::not_found("unknown sku " + sku.str());
    Explanation x{.product = Product{sku, Quantity(p[0][0].as<int64_t>()), p[0][1].as<int64_t>(),
                                     time_of(p[0][2]), p[0][3].as<bool>()}};
    for (const auto& row : tx.exec_params(std::string("SELECT ") + kListingColumns +
                                              " FROM channel_listings WHERE sku = $1 ORDER BY channel",
                                          sku.str())) {
      x.listings.push_back(listing_of(row));
    }
    for (const auto& row : tx.exec_params(std::string("SELECT ") + kEventColumns +
                                              " FROM order_events WHERE sku = $1 ORDER BY id DESC LIMIT $2",
                                          sku.str(), limit)) {
      x.recent_events.push_back(event_of(row));
    }
    for (const auto& row : tx.exec_params(std::string("SELECT ") + kJobColumns +
                                              " FROM sync_jobs WHERE sku = $1 ORDER BY channel",
                                          sku.str())) {
      x.jobs.push_back(job_of(row));
    }
    for (const auto& row : tx.exec_params(std::string("SELECT ") + kLogColumns +
                                              " FROM sync_log WHERE sku = $1 ORDER BY id DESC LIMIT $2",
                                          sku.str(), limit)) {
      x.recent_log.push_back(log_of(row));
    }
    for (const auto& row : tx.exec_params(
             "SELECT channel, sku, kind, message, invsync_us(at) FROM alerts WHERE sku = $1 "
             "ORDER BY id DESC LIMIT $2",
             sku.str(), limit)) {
      Alert a{.kind = row[2].c_str(), .message = row[3].c_str(), .at = time_of(row[4])};
      if (!row[0].is_null()) a.channel = channel_of(row[0]);
      a.sku = sku;
      x.recent_alerts.push_back(std::move(a));
    }
    return x;
  });
}

}  // namespace invsync::store
