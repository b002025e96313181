// ServeServer: the service's HTTP front door (cpp-httplib). Routes:
//   POST /webhooks/{platform}:{account}[/...]  (also /webhooks/{platform}/{account}[/...])
//   GET  /healthz, GET /metrics
//   POST /admin/stock/{sku}, PUT /admin/listings/{channel}/{sku}, GET /admin/explain/{sku},
//   GET  /admin/status   -- need "Authorization: Bearer <token>" (constant-time compare; 401)
// Threads: cpp-httplib runs handlers on its own pool. A handler never touches the core: it posts
// the work to the event-loop Scheduler and waits (at most loop_wait, then 503) for the reply.
// stop() stops accepting, lets in-flight requests finish, and returns when the listener thread is
// gone; the event loop must keep running until then. httplib stays out of this header (pimpl).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/app/serve_api.h"
#include "core/base/result.h"
#include "core/base/scheduler.h"

namespace invsync::app {

struct ServeServerOptions {
  std::string listen_address = "127.0.0.1";
  int32_t listen_port = 8080;  // 0: any free port
  int32_t threads = 8;
  size_t body_bytes_max = 1 << 20;
  std::string admin_token;  // secret
  base::Duration loop_wait = base::Duration::seconds(10);
};

class ServeServer {
 public:
  ServeServer(ServeServerOptions options, base::Scheduler& loop, ServeApi& api);
  ~ServeServer();
  ServeServer(const ServeServer&) = delete;
  ServeServer& operator=(const ServeServer&) = delete;

  // Binds the listening socket (connections queue from now on); returns the bound port.
  base::Result<int32_t> bind();
  // Serves on a thread of its own.
  void start();
  // Stops accepting, waits for requests in flight, joins. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace invsync::app
