#include "core/store/pg/lane_lock.h"

#include "core/store/pg/connect_url.h"

#include <pqxx/pqxx>

#include "core/base/assert.h"

namespace invsync::store {
namespace {

// The first key of the two-int advisory lock space ('INVS'); the store's migration lock uses the
// one-bigint space, so the two can never collide.
constexpr int32_t kLaneLockClass = 0x494E5653;

}  // namespace

struct PgLaneLock::Impl {
  PgLaneLockOptions options;
  std::unique_ptr<pqxx::connection> conn;

  base::Status open() {
    if (conn && conn->is_open()) return base::Status();
    conn.reset();
    try {
      conn = std::make_unique<pqxx::connection>(
          pg::with_connect_timeout(options.url, options.connect_timeout));
      pqxx::nontransaction setup(*conn);
      setup.exec("SET statement_timeout = " + std::to_string(options.statement_timeout.ms()));
      return base::Status();
    } catch (const std::exception& e) {
      conn.reset();
      return base::Status::unavailable(std::string("lane lock: cannot connect to PostgreSQL: ") +
                                       e.what());
    }
  }

  std::string key_text(const domain::ChannelId& channel) const {
    return "invsync-lane:" + options.schema + ":" + channel.str();
  }
};

PgLaneLock::PgLaneLock(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PgLaneLock::~PgLaneLock() = default;

base::Result<std::unique_ptr<PgLaneLock>> PgLaneLock::connect(PgLaneLockOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  INVSYNC_RETURN_IF_ERROR(impl->open());
  return std::unique_ptr<PgLaneLock>(new PgLaneLock(std::move(impl)));
}

base::Result<bool> PgLaneLock::try_acquire(const domain::ChannelId& channel) {
  if (held_.count(channel.str()) != 0) {
    INVSYNC_RETURN_IF_ERROR(check());
    return true;
  }
  if (!held_.empty() && (!impl_->conn || !impl_->conn->is_open())) {
    held_.clear();
    return base::Status::unavailable("lane lock: connection lost");
  }
  // Holding nothing, a lost session can be replaced: no lock goes silently missing.
  INVSYNC_RETURN_IF_ERROR(impl_->open());
  try {
    pqxx::nontransaction tx(*impl_->conn);
    const pqxx::result r = tx.exec_params(
        "SELECT pg_try_advisory_lock($1::int4, hashtext($2))", kLaneLockClass,
        impl_->key_text(channel));
    INVSYNC_ASSERT(r.size() == 1);
    const bool got = r[0][0].as<bool>();
    if (got) held_.insert(channel.str());
    return got;
  } catch (const std::exception& e) {
    impl_->conn.reset();
    held_.clear();
    return base::Status::unavailable(std::string("lane lock: ") + e.what());
  }
}

base::Status PgLaneLock::check() {
  if (!impl_->conn || !impl_->conn->is_open()) {
    held_.clear();
    return base::Status::unavailable("lane lock: connection lost");
  }
  try {
    pqxx::nontransaction tx(*impl_->conn);
    tx.exec("SELECT 1");
    return base::Status();
  } catch (const std::exception& e) {
    impl_->conn.reset();
    held_.clear();
    return base::Status::unavailable(std::string("lane lock: ") + e.what());
  }
}

void PgLaneLock::release_all() {
  if (held_.empty()) return;
  held_.clear();
  if (!impl_->conn || !impl_->conn->is_open()) return;
  try {
    pqxx::nontransaction tx(*impl_->conn);
    tx.exec("SELECT pg_advisory_unlock_all()");
  } catch (const std::exception&) {
    impl_->conn.reset();  // closing the session releases them too
  }
}

}  // namespace invsync::store
