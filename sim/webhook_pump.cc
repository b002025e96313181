#include "sim/webhook_pump.h"

#include <algorithm>

namespace invsync::sim {

WebhookPump::WebhookPump(SimScheduler& scheduler, mocks::MockPlatform& mock, Receiver receiver,
                         Latency latency)
    : scheduler_(scheduler), mock_(mock), receiver_(std::move(receiver)),
      latency_(std::move(latency)) {}

void WebhookPump::arm() {
  const auto next = mock_.next_wakeup();
  if (!next) return;
  const base::Instant when = std::max(*next, scheduler_.clock().monotonic_now());
  if (timer_ && timer_at_ <= when) return;
  if (timer_) scheduler_.cancel(*timer_);
  timer_at_ = when;
  timer_ = scheduler_.run_at(when, [this] {
    timer_.reset();
    pump();
  });
}

void WebhookPump::pump() {
  const base::Instant now = scheduler_.clock().monotonic_now();
  mock_.advance(now);
  for (mocks::WebhookDelivery& d : mock_.take_due_webhooks(now)) {
    scheduler_.run_after(latency_(), [this, d = std::move(d)]() mutable { deliver(std::move(d)); });
  }
  arm();
}

void WebhookPump::deliver(mocks::WebhookDelivery delivery) {
  const int32_t status = receiver_(delivery.request);
  mock_.on_webhook_result(delivery.delivery_id, status, scheduler_.clock().monotonic_now());
  arm();
}

}  // namespace invsync::sim
