// Service: the sync core assembled from a ServiceConfig and the seam implementations it is
// handed. The production executable hands it the real clock, Asio scheduler, cpp-httplib client
// and PgStore; the simulator hands it virtual time, the discrete-event scheduler, the simulated
// network and the MemoryStore. The wiring is the same code in both, so what the simulator tests
// is what runs in production. Per channel it builds: a LaneBudget and GatedHttpClient (the lane's
// share of the platform's limit), a connector for pushes and polls, a second connector instance
// for reconciliation reads on the gate's background share, the Lane, the Reconciler, the
// OrderPoller and the WebhookIngest handler. Once for all channels it refreshes the store's sales
// velocity (the hot SKUs that go first among equal stock priorities) at start and then every
// velocity.refresh_interval.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app/service_config.h"
#include "core/connector/connector.h"
#include "core/ingest/webhook_ingest.h"
#include "core/sync/engine_deps.h"
#include "core/sync/gated_http_client.h"
#include "core/sync/lane.h"
#include "core/sync/order_poller.h"
#include "core/sync/reconciler.h"

namespace invsync::app {

// Builds the connector of `channel` from its config JSON (the platform decides which).
using ConnectorFactory = std::function<base::Result<connector::ConnectorPtr>(
    const domain::ChannelId& channel, std::string_view connector_json,
    connector::ConnectorDeps deps)>;

struct ServiceDeps {
  base::Clock& clock;
  base::Scheduler& scheduler;
  base::Prng& prng;
  store::InventoryStore& store;
  base::HttpClient& http;  // the raw network; lanes put their gates in front of it
  sync::AlertSink& alerts;
};

class Service {
 public:
  static base::Result<std::unique_ptr<Service>> build(const ServiceConfig& config,
                                                      ServiceDeps deps,
                                                      const ConnectorFactory& factory);
  ~Service();

  // Starts lanes, reconcilers and pollers on the scheduler. Without lanes, the outbox is left to
  // another outbound policy (the simulator's baseline).
  void start(bool lanes = true);
  // The webhook handler of a channel, or nullptr.
  ingest::WebhookIngest* ingest(const domain::ChannelId& channel);
  // Every lane looks for due jobs now (after events were applied anywhere).
  void poke_all();
  // Recomputes the hot SKUs now (the timer calls it; also the admin API and tests).
  void refresh_velocity();

  struct VelocityStats {
    int64_t refreshes = 0, store_errors = 0;
    int64_t hot_count = 0;  // SKUs hot after the last successful refresh
  };
  const VelocityStats& velocity_stats() const { return velocity_stats_; }

  struct Channel;
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }

 private:
  explicit Service(ServiceDeps deps);
  void schedule_velocity_refresh();

  ServiceDeps deps_;
  VelocityOptions velocity_;
  VelocityStats velocity_stats_;
  std::optional<base::TimerId> velocity_timer_;
  std::vector<std::unique_ptr<Channel>> channels_;
};

struct Service::Channel {
  ChannelConfig config;
  std::unique_ptr<sync::LaneBudget> budget;
  std::unique_ptr<sync::GatedHttpClient> gate;
  connector::ConnectorPtr pusher;
  connector::ConnectorPtr reader;
  std::unique_ptr<sync::Lane> lane;
  std::unique_ptr<sync::Reconciler> reconciler;
  std::unique_ptr<sync::OrderPoller> poller;
  std::unique_ptr<ingest::WebhookIngest> ingest;
};

}  // namespace invsync::app
