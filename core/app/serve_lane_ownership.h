// ServeLaneOwnership: which of the service's lanes this instance drives. On every tick (on the
// event-loop thread, every `retry`) it confirms the locks it holds and tries to take the lanes it
// does not have yet; a lane whose lock is taken gets its Lane, Reconciler and OrderPoller started
// (once: they cannot be stopped again). If the lock session is lost while lanes run, another
// instance may take them over, so the process must stop: `on_lost` is called once and ticking
// ends. Webhook ingest needs no lock (the store makes it safe from every instance). While it
// drives at least one lane it also refreshes the sales velocity that orders the lanes' claims (as
// Service::start does in the simulator), at start and every velocity.refresh_interval.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "core/app/service.h"
#include "core/base/scheduler.h"
#include "core/store/pg/lane_lock.h"

namespace invsync::app {

class ServeLaneOwnership {
 public:
  ServeLaneOwnership(Service& service, store::PgLaneLock& lock, base::Scheduler& scheduler,
                     base::Duration retry, VelocityOptions velocity,
                     std::function<void(const std::string&)> on_lost);

  // Runs one round now and schedules the next.
  void tick();
  // Stops ticking (shutdown); lanes keep their locks until release.
  void stop();
  bool owned(const domain::ChannelId& channel) const { return started_.count(channel.str()) != 0; }

 private:
  void start_channel(Service::Channel& ch);
  void refresh_velocity();

  Service& service_;
  store::PgLaneLock& lock_;
  base::Scheduler& scheduler_;
  base::Duration retry_;
  VelocityOptions velocity_;
  std::function<void(const std::string&)> on_lost_;
  std::set<std::string> started_;
  bool stopped_ = false;
  std::optional<base::TimerId> timer_;
  std::optional<base::TimerId> velocity_timer_;
};

}  // namespace invsync::app
