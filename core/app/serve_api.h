// ServeApi: what the service's HTTP endpoints do, as plain HttpRequest -> HttpResponse functions.
// Every method runs on the event-loop thread (the core is single-threaded): the HTTP server hands
// each request over to the loop and waits for the reply (serve_server.h). Authentication of the
// admin endpoints is the server's job; these methods trust their caller.
//   webhook(channel, request)  -> the channel's WebhookIngest (404 for an unknown channel)
//   healthz()                  -> 200 when the store answers, 503 otherwise
//   metrics()                  -> Prometheus text exposition (lanes, ingest, webhooks by status)
//   stock(sku, request)        -> {"set": N} or {"adjust": D} [+ "reason", "request_id"]
//   listing(channel, sku, req) -> {"external_ids": {...}, "rules": {...}}: create or replace
//   explain(sku)               -> the text of `invsync explain SKU`
//   status()                   -> JSON: channels, lane ownership, lane and ingest stats
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "core/app/service.h"
#include "core/base/clock.h"
#include "core/base/http.h"
#include "core/base/prng.h"
#include "core/store/inventory_store.h"

namespace invsync::app {

struct ServeApiDeps {
  Service& service;
  store::InventoryStore& store;
  base::Clock& clock;
  base::Prng& prng;
  // Whether this instance drives the lane of `channel` now (holds its lane lock).
  std::function<bool(const domain::ChannelId&)> lane_owned;
  uint64_t prng_seed = 0;
};

class ServeApi {
 public:
  explicit ServeApi(ServeApiDeps deps);

  base::HttpResponse webhook(const std::string& channel, const base::HttpRequest& request);
  base::HttpResponse healthz();
  base::HttpResponse metrics();
  base::HttpResponse stock(const std::string& sku, const base::HttpRequest& request);
  base::HttpResponse listing(const std::string& channel, const std::string& sku,
                             const base::HttpRequest& request);
  base::HttpResponse explain(const std::string& sku);
  base::HttpResponse status();

  // Counts a request the HTTP layer answered itself (unauthenticated admin call, loop timeout)
  // by endpoint and status; the server posts it to the loop like every other call here.
  void count_rejected(const std::string& endpoint, int32_t status);

 private:
  Service::Channel* find_channel(const domain::ChannelId& channel);
  std::string new_request_id();

  ServeApiDeps deps_;
  base::Instant started_;
  // (channel, status) -> webhooks received; channel "unknown" for unrouted ones.
  std::map<std::pair<std::string, int32_t>, int64_t> webhooks_by_status_;
  std::map<std::pair<std::string, int32_t>, int64_t> rejected_by_status_;
  int64_t admin_requests_ = 0;
};

}  // namespace invsync::app
