#include "sim/sim_network.h"

#include <memory>

#include "core/base/assert.h"

namespace invsync::sim {

void SimNetwork::add_host(const std::string& base_url, mocks::MockPlatform& mock) {
  INVSYNC_ASSERT(hosts_.count(base_url) == 0);
  hosts_[base_url] = &mock;
}

void SimNetwork::send(base::HttpRequest request, base::HttpCallback callback) {
  INVSYNC_ASSERT(request.timeout > base::Duration::zero());
  auto it = hosts_.find(request.base_url);
  HostStats& st = stats_[request.base_url];
  ++st.requests;
  if (it == hosts_.end()) {
    ++st.refused;
    scheduler_.post([callback = std::move(callback), url = request.base_url] {
      callback(base::Status::unavailable("connection refused: no host " + url));
    });
    return;
  }
  mocks::MockPlatform& mock = *it->second;
  const base::Instant now = scheduler_.clock().monotonic_now();
  mock.advance(now);
  const mocks::NetworkConditions net = mock.network(now);
  if (net.transport == mocks::NetworkConditions::Transport::kRefused) {
    ++st.refused;
    scheduler_.run_after(base::Duration::milliseconds(1), [callback = std::move(callback)] {
      callback(base::Status::unavailable("connection refused"));
    });
    return;
  }
  const base::Duration timeout = request.timeout;
  if (net.transport == mocks::NetworkConditions::Transport::kTimeout || net.latency >= timeout) {
    ++st.timed_out;
    const bool reaches_platform = net.transport != mocks::NetworkConditions::Transport::kTimeout;
    if (reaches_platform && net.latency / 2 < timeout) {
      // The request arrives and is acted on; only the answer is too late.
      scheduler_.run_after(net.latency / 2, [&mock, this, request = std::move(request)] {
        (void)mock.handle(request, scheduler_.clock().monotonic_now());
        if (after_request_) after_request_(mock);
      });
    }
    scheduler_.run_after(timeout, [callback = std::move(callback), timeout] {
      callback(base::Status::timeout("no answer within " + std::to_string(timeout.ms()) + " ms"));
    });
    return;
  }
  auto shared_callback = std::make_shared<base::HttpCallback>(std::move(callback));
  const base::Duration half = net.latency / 2;
  const base::Duration rest = net.latency - half;
  scheduler_.run_after(half, [this, &mock, &st, rest, shared_callback,
                              request = std::move(request)] {
    base::HttpResponse response = mock.handle(request, scheduler_.clock().monotonic_now());
    ++st.by_status[response.status];
    if (after_request_) after_request_(mock);
    scheduler_.run_after(rest, [shared_callback, response = std::move(response)]() mutable {
      (*shared_callback)(std::move(response));
    });
  });
}

}  // namespace invsync::sim
