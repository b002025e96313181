// MockHost: serves the platform mocks over real HTTP on loopback (cpp-httplib), one listener per
// platform, plus a control API, and delivers each mock's webhooks to a receiver URL. Used by
// invsync-mock for load tests and by the tests that go over real sockets.
// Threads: cpp-httplib runs handlers on its pool; every call into a mock holds that mock's mutex,
// so the single-threaded mocks see one request at a time. Time is the host's monotonic clock
// since start (the mocks never read clocks themselves).
//
// Config (JSON, strict; unknown keys fail with their path):
//   {"seed": 42, "bind_address": "127.0.0.1", "control_port": 0,
//    "webhook_receiver_url": "http://127.0.0.1:8080",   // optional; webhooks are held otherwise
//    "webhook_poll_ms": 20,
//    "platforms": {"shopify": {"port": 0, "config": {...}, "catalog": [{"sku": "A",
//                  "quantity": 5, "group": ""}], "faults": {...}}, "amazon": {...}, ...}}
// Control API (on control_port):
//   GET  /control/health
//   POST /control/{platform}/orders          {"sku": "A", "quantity": 1} -> place_order result
//   POST /control/{platform}/orders/{id}/cancel
//   GET  /control/{platform}/truth           counts and accepted orders
//   GET  /control/{platform}/stats
//   PUT  /control/{platform}/faults          fault JSON (strict); outage "refused" closes the
//                                            platform's listener until the outage is lifted
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/base/result.h"

namespace invsync::mocks {

class MockHost {
 public:
  // Parses the config and builds the mocks; nothing listens yet.
  static base::Result<std::unique_ptr<MockHost>> create(const std::string& config_json);
  ~MockHost();

  // Binds every listener (port 0 = any free port) and starts serving and delivering webhooks.
  base::Status start();
  // Stops everything; idempotent.
  void stop();
  // Bound ports by name ("shopify", ..., "control"); valid after start().
  std::map<std::string, int> ports() const;

 private:
  struct Impl;
  explicit MockHost(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace invsync::mocks
