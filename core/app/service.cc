#include "core/app/service.h"

#include "core/base/assert.h"

namespace invsync::app {

Service::Service(ServiceDeps deps) : deps_(deps) {}
Service::~Service() {
  if (velocity_timer_) deps_.scheduler.cancel(*velocity_timer_);
}

base::Result<std::unique_ptr<Service>> Service::build(const ServiceConfig& config,
                                                      ServiceDeps deps,
                                                      const ConnectorFactory& factory) {
  std::unique_ptr<Service> service(new Service(deps));
  service->velocity_ = config.velocity;
  const sync::EngineDeps engine{deps.clock, deps.scheduler, deps.prng, deps.store, deps.alerts};
  for (const ChannelConfig& cc : config.channels) {
    auto ch = std::make_unique<Channel>();
    ch->config = cc;
    const base::Instant now = deps.clock.monotonic_now();
    // Placeholder limits until the connector states its own (it needs the gate to exist).
    ch->budget = std::make_unique<sync::LaneBudget>(1'000'000, 1, now);
    ch->gate = std::make_unique<sync::GatedHttpClient>(deps.clock, deps.scheduler, deps.http,
                                                       *ch->budget, cc.background_percent,
                                                       cc.rate_limited_pause);
    auto pusher = factory(cc.channel, cc.connector_json,
                          {deps.clock, deps.scheduler, deps.prng, *ch->gate, deps.http});
    if (!pusher.ok()) {
      return base::Status::invalid_argument(cc.channel.str() + ": " + pusher.status().message());
    }
    ch->pusher = std::move(pusher).value();
    auto reader = factory(cc.channel, cc.connector_json,
                          {deps.clock, deps.scheduler, deps.prng, ch->gate->background(), deps.http});
    INVSYNC_ASSERT(reader.ok());  // the same config parsed once already
    ch->reader = std::move(reader).value();
    INVSYNC_ASSERT(ch->pusher->channel() == cc.channel);
    const connector::ConnectorLimits& limits = ch->pusher->limits();
    ch->budget->reconfigure(cc.rate_micro_per_s.value_or(limits.request_rate_micro_per_s),
                            cc.burst_count.value_or(limits.request_burst_count), now);
    ch->gate->on_budget_reconfigured();
    connector::Connector* observer = ch->pusher.get();
    ch->gate->set_observer(
        [observer](const base::HttpResponse& r) { return observer->observe_limits(r); });
    ch->lane = std::make_unique<sync::Lane>(engine, cc.lane, *ch->pusher, *ch->gate);
    ch->reconciler = std::make_unique<sync::Reconciler>(engine, cc.reconcile, *ch->reader);
    Service* raw = service.get();
    sync::Lane* lane = ch->lane.get();
    const sync::AppliedEventsHook on_applied = [raw, lane](auto events, auto results) {
      lane->note_applied(events, results);
      raw->poke_all();
    };
    ch->poller =
        std::make_unique<sync::OrderPoller>(engine, cc.orders_poll, *ch->pusher, on_applied);
    ch->ingest = std::make_unique<ingest::WebhookIngest>(deps.store, deps.clock, *ch->pusher,
                                                         deps.alerts, config.ingest);
    ch->ingest->set_on_applied(on_applied);
    sync::OrderPoller* poller = ch->poller.get();
    ch->ingest->set_on_poll_now([poller] { poller->poll_now(); });
    service->channels_.push_back(std::move(ch));
  }
  return service;
}

void Service::start(bool lanes) {
  for (auto& ch : channels_) {
    if (lanes) ch->lane->start();
    if (ch->config.reconcile_enabled) ch->reconciler->start();
    if (ch->config.orders_poll_enabled) ch->poller->start();
  }
  // Velocity only orders the lanes' claims: without lanes nobody reads it.
  if (lanes && velocity_.enabled) {
    refresh_velocity();
    schedule_velocity_refresh();
  }
}

void Service::schedule_velocity_refresh() {
  INVSYNC_ASSERT(!velocity_timer_);
  INVSYNC_ASSERT(velocity_.refresh_interval > base::Duration::zero());
  velocity_timer_ = deps_.scheduler.run_after(velocity_.refresh_interval, [this] {
    velocity_timer_.reset();
    refresh_velocity();
    schedule_velocity_refresh();
  });
}

void Service::refresh_velocity() {
  ++velocity_stats_.refreshes;
  auto hot = deps_.store.refresh_velocity(deps_.clock.wall_now(), velocity_.window,
                                          velocity_.top_percent);
  if (!hot.ok()) {
    ++velocity_stats_.store_errors;  // the previous hot set stays; the next refresh tries again
    return;
  }
  INVSYNC_ASSERT(*hot >= 0);
  velocity_stats_.hot_count = *hot;
}

ingest::WebhookIngest* Service::ingest(const domain::ChannelId& channel) {
  for (auto& ch : channels_) {
    if (ch->config.channel == channel) return ch->ingest.get();
  }
  return nullptr;
}

void Service::poke_all() {
  for (auto& ch : channels_) ch->lane->poke();
}

}  // namespace invsync::app
