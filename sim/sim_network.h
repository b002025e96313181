// SimNetwork: the HttpClient of the simulated world. It routes each request by its base_url to an
// in-process MockPlatform and answers through the SimScheduler after the mock's network conditions:
// latency (half before the platform sees the request, half for the reply), refused connections
// (kUnavailable at once), and timeouts (kTimeout when request.timeout passes; the platform may have
// acted). A request longer than its timeout also ends in kTimeout, exactly as on a real socket.
// Unknown hosts are refused. Deterministic: everything happens on the scheduler's virtual time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/base/http_client.h"
#include "mocks/common/mock_platform.h"
#include "sim/sim_scheduler.h"

namespace invsync::sim {

class SimNetwork final : public base::HttpClient {
 public:
  explicit SimNetwork(SimScheduler& scheduler) : scheduler_(scheduler) {}

  // Requests whose base_url equals `base_url` go to `mock` (borrowed).
  void add_host(const std::string& base_url, mocks::MockPlatform& mock);
  void send(base::HttpRequest request, base::HttpCallback callback) override;
  // Called after a mock handled a request (it may have queued webhooks or timers).
  void set_after_request(std::function<void(mocks::MockPlatform&)> f) { after_request_ = std::move(f); }

  struct HostStats {
    int64_t requests = 0, refused = 0, timed_out = 0;
    std::map<int32_t, int64_t> by_status;
  };
  const std::map<std::string, HostStats>& stats() const { return stats_; }

 private:
  SimScheduler& scheduler_;
  std::map<std::string, mocks::MockPlatform*> hosts_;
  std::map<std::string, HostStats> stats_;
  std::function<void(mocks::MockPlatform&)> after_request_;
};

}  // namespace invsync::sim
