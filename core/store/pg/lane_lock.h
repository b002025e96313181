// PgLaneLock: which instance pushes which channel. Several `invsync serve` instances may share one
// PostgreSQL; each lane (channel) must be driven by one of them at a time, so that a platform's
// rate limit is never exceeded in total. The lock is a session-level PostgreSQL advisory lock on a
// dedicated connection, keyed by (schema, channel): it is held for as long as that connection
// lives and released by PostgreSQL when the process dies. Separate from PgStore (the store's
// connection reconnects transparently, which would silently drop session locks).
// Used by one thread at a time (the service's event-loop thread). Calls are synchronous and
// bounded by statement_timeout; libpqxx exceptions become Statuses here.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "core/base/result.h"
#include "core/domain/channel_id.h"

namespace invsync::store {

struct PgLaneLockOptions {
  std::string url;                // libpq connection string or postgresql:// URL
  std::string schema = "public";  // part of the key: two schemas never contend
  base::Duration connect_timeout = base::Duration::seconds(5);
  base::Duration statement_timeout = base::Duration::seconds(5);
};

class PgLaneLock {
 public:
  static base::Result<std::unique_ptr<PgLaneLock>> connect(PgLaneLockOptions options);
  ~PgLaneLock();
  PgLaneLock(const PgLaneLock&) = delete;
  PgLaneLock& operator=(const PgLaneLock&) = delete;

  // Takes the lock of `channel` if it is free (never waits). true: this session holds it (also
  // when it already did); false: another session holds it. kUnavailable when the connection is
  // gone: every lock this object held is lost then (check held()).
  base::Result<bool> try_acquire(const domain::ChannelId& channel);
  // Confirms the session (and with it every lock held) is still alive. On kUnavailable the
  // locks are gone and held() is empty; the caller must stop driving those lanes.
  base::Status check();
  // Releases every lock (also done by closing the connection).
  void release_all();
  const std::set<std::string>& held() const { return held_; }

 private:
  struct Impl;
  explicit PgLaneLock(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::set<std::string> held_;
};

}  // namespace invsync::store
