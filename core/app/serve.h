// `invsync serve --config FILE`: the production sync service. Loads the ServeConfig (secrets from
// the environment), opens PgStore from DATABASE_URL (schema INVSYNC_SCHEMA, default public) and
// migrates it, builds the same app::Service the simulator runs with the real seams (SystemClock,
// AsioScheduler, HttplibClient, an OS-seeded Prng whose seed is logged, PostgreSQL, alerts to the
// store + log + optional Slack), takes a PostgreSQL advisory lock per lane so that one instance
// at a time pushes, reconciles and polls a channel (webhooks are accepted by every instance),
// and serves the HTTP endpoints of serve_server.h. Prints one JSON line {"listen_port": N} on
// stdout once listening. SIGTERM/SIGINT: stop accepting, finish requests in flight, stop the
// event loop, exit 0. Exit codes: 0 clean stop, 1 runtime failure (database, bind, lane lock
// lost), 2 bad usage or configuration (the message names the key path).
#pragma once

#include <string>

namespace invsync::app {

// Must be called while the process has no other thread: it blocks SIGINT and SIGTERM so every
// thread started later inherits the mask, and takes them with sigwait.
int run_serve(const std::string& config_path);

}  // namespace invsync::app
