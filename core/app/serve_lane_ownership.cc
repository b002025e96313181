#include "core/app/serve_lane_ownership.h"

#include <cstdio>

#include "core/base/assert.h"

namespace invsync::app {

ServeLaneOwnership::ServeLaneOwnership(Service& service, store::PgLaneLock& lock,
                                       base::Scheduler& scheduler, base::Duration retry,
                                       VelocityOptions velocity,
                                       std::function<void(const std::string&)> on_lost)
    : service_(service), lock_(lock), scheduler_(scheduler), retry_(retry), velocity_(velocity),
      on_lost_(std::move(on_lost)) {
  INVSYNC_ASSERT(retry_ > base::Duration::zero());
  INVSYNC_ASSERT(on_lost_ != nullptr);
}

void ServeLaneOwnership::refresh_velocity() {
  velocity_timer_.reset();
  if (stopped_) return;
  service_.refresh_velocity();
  INVSYNC_ASSERT(velocity_.refresh_interval > base::Duration::zero());
  velocity_timer_ =
      scheduler_.run_after(velocity_.refresh_interval, [this] { refresh_velocity(); });
}

void ServeLaneOwnership::start_channel(Service::Channel& ch) {
  // The first lane of this instance: its claims are ordered by velocity from now on.
  if (started_.empty() && velocity_.enabled) refresh_velocity();
  ch.lane->start();
  if (ch.config.reconcile_enabled) ch.reconciler->start();
  if (ch.config.orders_poll_enabled) ch.poller->start();
  started_.insert(ch.config.channel.str());
  std::fprintf(stderr, "invsync: lane %s: lock taken, pushing from this instance\n",
               ch.config.channel.str().c_str());
}

void ServeLaneOwnership::tick() {
  timer_.reset();
  if (stopped_) return;
  if (!started_.empty()) {
    const base::Status alive = lock_.check();
    if (!alive.ok()) {
      stopped_ = true;
      on_lost_("lane locks lost: " + alive.message());
      return;
    }
  }
  for (const auto& ch : service_.channels()) {
    if (owned(ch->config.channel)) continue;
    auto got = lock_.try_acquire(ch->config.channel);
    if (!got.ok()) {
      if (!started_.empty()) {
        stopped_ = true;
        on_lost_("lane locks lost: " + got.status().message());
        return;
      }
      std::fprintf(stderr, "invsync: lane lock: %s (retrying)\n", got.status().message().c_str());
      break;
    }
    if (*got) start_channel(*ch);
  }
  timer_ = scheduler_.run_after(retry_, [this] { tick(); });
}

void ServeLaneOwnership::stop() {
  stopped_ = true;
  if (timer_) (void)scheduler_.cancel(*timer_);
  timer_.reset();
  if (velocity_timer_) (void)scheduler_.cancel(*velocity_timer_);
  velocity_timer_.reset();
}

}  // namespace invsync::app
