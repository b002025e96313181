// WebhookPump: drives one mock platform's own clock-driven work in the simulated world. It keeps
// one timer at the mock's next_wakeup(), lets the mock catch up to it, and carries every webhook
// that falls due to a receiver after a latency, reporting the receiver's status back to the mock
// (which drives the platform's retry and disable rules). Call arm() after anything that may have
// queued work on the mock (a storefront order, an API request).
#pragma once

#include <functional>
#include <optional>

#include "mocks/common/mock_platform.h"
#include "sim/sim_scheduler.h"

namespace invsync::sim {

class WebhookPump {
 public:
  // The receiver answers a delivered webhook with an HTTP status (0: no answer).
  using Receiver = std::function<int32_t(const base::HttpRequest&)>;
  // The network latency of one delivery.
  using Latency = std::function<base::Duration()>;

  WebhookPump(SimScheduler& scheduler, mocks::MockPlatform& mock, Receiver receiver,
              Latency latency);
  void arm();

 private:
  void pump();
  void deliver(mocks::WebhookDelivery delivery);

  SimScheduler& scheduler_;
  mocks::MockPlatform& mock_;
  Receiver receiver_;
  Latency latency_;
  std::optional<base::TimerId> timer_;
  base::Instant timer_at_;
};

}  // namespace invsync::sim
