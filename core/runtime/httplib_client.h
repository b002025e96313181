// HttplibClient: the production HttpClient. Requests run as blocking cpp-httplib calls on a
// bounded pool of worker threads; every completion is POSTED to the Scheduler, so callbacks run on
// the core's event-loop thread, never on a worker. Each request gets explicit connect, read and
// write timeouts from request.timeout (connect also capped by connect_timeout_max). Each worker
// keeps one keep-alive client per origin (scheme://host:port). A full queue completes the request
// with kUnavailable at once. Transport failures: refused/reset/DNS/TLS -> kUnavailable; no answer
// within request.timeout -> kTimeout. httplib stays out of this header (pimpl).
#pragma once

#include <cstdint>
#include <memory>

#include "core/base/http_client.h"
#include "core/base/scheduler.h"

namespace invsync::runtime {

struct HttplibClientOptions {
  int32_t worker_threads = 4;
  int32_t queue_count_max = 4096;  // requests waiting for a worker
  base::Duration connect_timeout_max = base::Duration::seconds(5);
  int32_t origins_per_worker_max = 16;  // keep-alive clients cached by each worker
};

class HttplibClient final : public base::HttpClient {
 public:
  HttplibClient(base::Scheduler& scheduler, HttplibClientOptions options);
  // Calls shutdown().
  ~HttplibClient() override;
  HttplibClient(const HttplibClient&) = delete;
  HttplibClient& operator=(const HttplibClient&) = delete;

  // Thread-safe. The callback is posted to the scheduler once the exchange ends.
  void send(base::HttpRequest request, base::HttpCallback callback) override;
  // Aborts requests in flight, drops queued ones (their callbacks never run) and joins the
  // workers. Idempotent. Call once the event loop has stopped.
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace invsync::runtime
