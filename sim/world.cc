#include "sim/world.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "core/app/connector_factory.h"
#include "core/app/service.h"
#include "core/base/assert.h"
#include "core/base/json_reader.h"
#include "core/domain/allocation_rules.h"
#include "core/store/memory_store.h"
#include "core/sync/alert_sink.h"
#include "mocks/http_host/mock_factory.h"
#include "sim/auditing_store.h"
#include "sim/baseline_queue.h"
#include "sim/channel_setup.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"
#include "sim/webhook_pump.h"
#include "sim/workload.h"

namespace invsync::sim {

std::string_view policy_name(Policy p) { return p == Policy::kInvsync ? "invsync" : "baseline"; }

namespace {

using base::Duration;
using base::Instant;

Duration hours(double h) { return Duration::nanoseconds(static_cast<int64_t>(h * 3600e9)); }

int64_t rss_mb() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages_total = 0, pages_resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return n == 2 ? pages_resident * sysconf(_SC_PAGESIZE) / (1 << 20) : 0;
}

std::string sku_name(size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SKU-%06zu", index + 1);
  return buf;
}

struct SimChannel {
  ChannelSpec spec;
  ChannelSetup setup;
  std::unique_ptr<mocks::MockPlatform> mock;
  domain::ChannelId id = domain::ChannelId::from_trusted("shopify:main");
  std::unique_ptr<WebhookPump> pump;
  std::string base_faults;  // the channel's normal faults JSON
  bool in_fault = false;
  int64_t orders = 0;
  int64_t peak_queue = 0;
  std::vector<int64_t> queue_samples, call_samples, limited_samples;
  int64_t calls_seen = 0, limited_seen = 0;
};

class World {
 public:
  World(const Scenario& s, const RunOptions& o)
      : scenario_(s), options_(o), clock_(base::WallTime::from_unix_s(1'795'766'400)),
        scheduler_(clock_), net_(scheduler_), seeds_(o.seed) {}

  base::Result<SimReport> run();

 private:
  uint64_t next_seed() { return base::splitmix64(seeds_); }
  Duration now() { return clock_.monotonic_now() - Instant(); }
  base::Status build();
  base::Status build_channels();
  base::Status build_service();
  void schedule_workload();
  void on_arrival(const OrderArrival& a);
  void arm_pump(size_t c);
  int32_t deliver(size_t c, const base::HttpRequest& request);
  void schedule_faults();
  void schedule_restocks();
  void sample();
  void check_convergence();
  SimReport finish(double wall_s);

  const Scenario& scenario_;
  const RunOptions& options_;
  base::ManualClock clock_;
  SimScheduler scheduler_;
  SimNetwork net_;
  uint64_t seeds_;
  std::unique_ptr<base::Prng> core_prng_, world_prng_;
  std::unique_ptr<store::InventoryStore> inner_store_;
  std::unique_ptr<Auditor> auditor_;
  std::unique_ptr<AuditingStore> store_;
  sync::RecordingAlertSink recorded_alerts_;
  std::unique_ptr<sync::StoreAlertSink> alerts_;
  std::vector<SimChannel> channels_;
  std::map<const mocks::MockPlatform*, size_t> by_mock_;
  std::unique_ptr<app::Service> service_;
  std::unique_ptr<BaselineQueue> baseline_;
  std::unique_ptr<Workload> workload_;
  std::vector<std::string> skus_;
  std::vector<int64_t> orders_per_min_, oversold_per_min_;
  int64_t total_orders_ = 0;
};

base::Status World::build() {
  core_prng_ = std::make_unique<base::Prng>(next_seed());
  world_prng_ = std::make_unique<base::Prng>(next_seed());
  workload_ = std::make_unique<Workload>(scenario_, next_seed());
  if (options_.make_store) {
    auto s = options_.make_store();
    if (!s.ok()) return s.status();
    inner_store_ = std::move(s).value();
  } else {
    auto m = std::make_unique<store::MemoryStore>();
    if (options_.break_stock_check_for_test) m->break_stock_check_for_test();
    inner_store_ = std::move(m);
  }
  // Initial stock: many SKUs with few units (that is where oversells live).
  base::Prng stock_prng(next_seed());
  std::map<std::string, int64_t> initial;
  std::vector<store::ProductSpec> products;
  for (int64_t i = 0; i < scenario_.sku_count; ++i) {
    const std::string name = sku_name(static_cast<size_t>(i));
    const bool low = stock_prng.chance(base::Ratio::percent(scenario_.low_stock_percent));
    const int64_t q = low ? stock_prng.range_inclusive(scenario_.low_stock_min, scenario_.low_stock_max)
                          : stock_prng.range_inclusive(scenario_.high_stock_min, scenario_.high_stock_max);
    skus_.push_back(name);
    initial[name] = q;
    products.push_back({domain::Sku::from_trusted(name), domain::Quantity(q)});
  }
  std::vector<std::string> names;
  for (const auto& spec : scenario_.channels) names.push_back(spec.platform + ":" + spec.account);
  auditor_ = std::make_unique<Auditor>(names, initial);
  store_ = std::make_unique<AuditingStore>(*inner_store_, *auditor_, [this] { return now(); });
  alerts_ = std::make_unique<sync::StoreAlertSink>(*store_, &recorded_alerts_);
  auto created = store_->upsert_products(products, clock_.wall_now());
  if (!created.ok()) return created.status();
  INVSYNC_RETURN_IF_ERROR(build_channels());
  return build_service();
}

base::Status World::build_channels() {
  for (size_t i = 0; i < scenario_.channels.size(); ++i) {
    SimChannel c;
    c.spec = scenario_.channels[i];
    c.setup = setup_channel(c.spec, scenario_);
    c.id = domain::ChannelId::from_trusted(c.setup.channel_id);
    auto reader = base::JsonReader::parse(c.setup.mock_config_json, "$." + c.spec.platform);
    auto mock = mocks::make_mock(c.spec.platform, reader, next_seed());
    if (!mock.ok()) return mock.status();
    c.mock = std::move(mock).value();
    nlohmann::json faults = {{"latency_ms_base", c.spec.api_latency_ms_base},
                             {"latency_ms_jitter", c.spec.api_latency_ms_jitter},
                             {"webhook_duplicate_percent", c.spec.webhook_duplicate_percent},
                             {"webhook_drop_percent", c.spec.webhook_drop_percent}};
    faults.update(nlohmann::json::parse(c.setup.base_faults_json));
    c.base_faults = faults.dump();
    // Every fault window of this channel must be valid before the run starts.
    for (const FaultWindow& w : scenario_.faults) {
      if (w.channel != c.spec.platform) continue;
      nlohmann::json merged = faults;
      merged.update(nlohmann::json::parse(w.faults_json));
      const base::Status st = c.mock->set_faults_json(merged.dump());
      if (!st.ok()) {
        return base::Status::invalid_argument(scenario_.path + ": fault window '" + w.label +
                                              "' on " + w.channel + ": " + st.message());
      }
    }
    INVSYNC_RETURN_IF_ERROR(c.mock->set_faults_json(c.base_faults));
    channels_.push_back(std::move(c));
  }
  for (size_t i = 0; i < channels_.size(); ++i) {
    SimChannel& c = channels_[i];
    by_mock_[c.mock.get()] = i;
    const ChannelSpec spec = c.spec;
    c.pump = std::make_unique<WebhookPump>(
        scheduler_, *c.mock, [this, i](const base::HttpRequest& r) { return deliver(i, r); },
        [this, spec] {
          return Duration::milliseconds(
              world_prng_->range_inclusive(spec.webhook_latency_ms_min, spec.webhook_latency_ms_max));
        });
    for (const auto& host : c.setup.hosts) net_.add_host(host, *c.mock);
    for (size_t k = 0; k < skus_.size(); ++k) {
      auto p = store_->product(domain::Sku::from_trusted(skus_[k]));
      INVSYNC_RETURN_IF_ERROR(c.mock->add_item({skus_[k], p->master.units(), ""}));
      auto ids = c.mock->external_ids_json(skus_[k]);
      store::ChannelListing l{.channel = c.id, .sku = domain::Sku::from_trusted(skus_[k]),
                              .external_ids_json = ids.value_or("{}")};
      l.rules = {c.spec.buffer_units, c.spec.max_units, c.spec.stock_share_percent,
                 c.spec.zero_below_units};
      INVSYNC_RETURN_IF_ERROR(store_->upsert_listing(l));
    }
  }
  net_.set_after_request([this](mocks::MockPlatform& m) { arm_pump(by_mock_.at(&m)); });
  return base::Status();
}

base::Status World::build_service() {
  app::ServiceConfig config;
  for (SimChannel& c : channels_) {
    app::ChannelConfig cc;
    cc.channel = c.id;
    cc.connector_json = c.setup.connector_json;
    if (c.spec.rate_per_s) cc.rate_micro_per_s = static_cast<int64_t>(*c.spec.rate_per_s * 1e6);
    if (c.spec.burst) cc.burst_count = c.spec.burst;
    cc.lane.retry.delays.clear();
    for (int64_t s : scenario_.retry_delays_s) cc.lane.retry.delays.push_back(Duration::seconds(s));
    cc.reconcile.interval = Duration::seconds(scenario_.reconcile_interval_s);
    cc.reconcile.first_delay = cc.reconcile.interval;
    cc.orders_poll.interval = Duration::seconds(c.spec.orders_poll_interval_s);
    // The Shopify and WooCommerce mocks do not serve order lists (mocks/README.md): their
    // orders arrive by webhook only in the simulation.
    cc.orders_poll_enabled = c.spec.platform == "amazon" || c.spec.platform == "etsy";
    config.channels.push_back(cc);
  }
  auto service = app::Service::build(
      config, {clock_, scheduler_, *core_prng_, *store_, net_, *alerts_}, app::make_connector);
  if (!service.ok()) return service.status();
  service_ = std::move(service).value();
  if (options_.policy == Policy::kBaseline) {
    sync::RetrySchedule retry;
    retry.delays.clear();
    for (int64_t s : scenario_.retry_delays_s) retry.delays.push_back(Duration::seconds(s));
    baseline_ = std::make_unique<BaselineQueue>(
        *service_, sync::EngineDeps{clock_, scheduler_, *core_prng_, *store_, *alerts_}, retry);
    baseline_->start();
    store_->set_after_apply([this](const auto& events, const auto& results) {
      baseline_->on_applied(events, results);
    });
  }
  for (size_t i = 0; i < channels_.size(); ++i) {
    if (channels_[i].spec.platform == "amazon") auditor_->set_latency_excluded(i);
  }
  return base::Status();
}

void World::arm_pump(size_t c) { channels_[c].pump->arm(); }

int32_t World::deliver(size_t c, const base::HttpRequest& request) {
  ingest::WebhookIngest* in = service_->ingest(channels_[c].id);
  return in == nullptr ? 404 : in->handle(request).status;
}

void World::on_arrival(const OrderArrival& a) {
  SimChannel& ch = channels_[a.channel_index];
  const std::string& sku = skus_[a.sku_index];
  const size_t minute = static_cast<size_t>(now().ns() / Duration::minutes(1).ns());
  if (orders_per_min_.size() <= minute) orders_per_min_.resize(minute + 1);
  if (oversold_per_min_.size() <= minute) oversold_per_min_.resize(minute + 1);
  ++orders_per_min_[minute];
  ++total_orders_;
  const mocks::PlaceOrderResult r = ch.mock->place_order(sku, a.quantity, clock_.monotonic_now());
  if (r.accepted) {
    ++ch.orders;
    oversold_per_min_[minute] +=
        auditor_->on_sale(now(), a.channel_index, sku, a.quantity, r.order_id, ch.in_fault);
    if (a.cancel_after) {
      const size_t ci = a.channel_index;
      const std::string order_id = r.order_id;
      scheduler_.run_after(*a.cancel_after, [this, ci, order_id] {
        if (channels_[ci].mock->cancel_order(order_id, clock_.monotonic_now()).ok()) {
          auditor_->on_cancel(now(), ci, order_id);
        }
        arm_pump(ci);
      });
    }
  } else {
    auto p = store_->product(domain::Sku::from_trusted(sku));
    auditor_->on_refused(now(), a.channel_index, sku, a.quantity, p.ok() ? p->master.units() : 0);
  }
  arm_pump(a.channel_index);
}

void World::schedule_workload() {
  // One arrival scheduled at a time: memory stays flat however long the day.
  auto next = workload_->next();
  if (!next) return;
  scheduler_.run_at(Instant() + next->at, [this, a = *next] {
    on_arrival(a);
    schedule_workload();
  });
}

void World::schedule_faults() {
  for (const FaultWindow& w : scenario_.faults) {
    size_t c = 0;
    while (channels_[c].spec.platform != w.channel) ++c;
    scheduler_.run_at(Instant() + hours(w.start_h), [this, c, w] {
      nlohmann::json merged = nlohmann::json::parse(channels_[c].base_faults);
      merged.update(nlohmann::json::parse(w.faults_json));
      const base::Status st = channels_[c].mock->set_faults_json(merged.dump());
      INVSYNC_ASSERT(st.ok());  // validated when the world was built
      channels_[c].in_fault = true;
      auditor_->trace().add("fault_on");
    });
    scheduler_.run_at(Instant() + hours(w.end_h), [this, c] {
      const base::Status st = channels_[c].mock->set_faults_json(channels_[c].base_faults);
      INVSYNC_ASSERT(st.ok());
      channels_[c].in_fault = false;
      auditor_->trace().add("fault_off");
    });
  }
}

void World::schedule_restocks() {
  for (const Restock& r : scenario_.restocks) {
    scheduler_.run_at(Instant() + hours(r.at_h), [this, r] {
      // The SKUs with the least stock in the hub get the delivery.
      std::vector<std::pair<int64_t, size_t>> by_stock;
      for (size_t k = 0; k < skus_.size(); ++k) {
        auto p = store_->product(domain::Sku::from_trusted(skus_[k]));
        by_stock.push_back({p.ok() ? p->master.units() : 0, k});
      }
      std::sort(by_stock.begin(), by_stock.end());
      std::vector<domain::OrderEvent> events;
      const std::string po = "PO-" + std::to_string(now().s());
      for (int64_t n = 0; n < r.sku_count && n < static_cast<int64_t>(by_stock.size()); ++n) {
        const std::string& sku = skus_[by_stock[static_cast<size_t>(n)].second];
        events.push_back({{store::manual_channel(), po, sku, domain::EventKind::kRestock},
                          domain::Sku::from_trusted(sku), domain::Quantity(r.units), "restock"});
        auditor_->on_restock(now(), sku, r.units);
      }
      (void)store_->apply_orders(events, clock_.wall_now());
      service_->poke_all();
    });
  }
}

void World::sample() {
  for (size_t i = 0; i < channels_.size(); ++i) {
    SimChannel& c = channels_[i];
    int64_t depth = 0;
    if (baseline_) {
      depth = static_cast<int64_t>(baseline_->depth(i));
    } else {
      auto jobs = store_->list_jobs(c.id);
      depth = jobs.ok() ? static_cast<int64_t>(jobs->size()) : 0;
    }
    c.peak_queue = std::max(c.peak_queue, depth);
    c.queue_samples.push_back(depth);
    int64_t calls = 0, limited = 0;
    for (const auto& host : c.setup.hosts) {
      auto it = net_.stats().find(host);
      if (it == net_.stats().end()) continue;
      calls += it->second.requests;
      auto l = it->second.by_status.find(429);
      if (l != it->second.by_status.end()) limited += l->second;
    }
    c.call_samples.push_back(calls - c.calls_seen);
    c.limited_samples.push_back(limited - c.limited_seen);
    c.calls_seen = calls;
    c.limited_seen = limited;
  }
}

void World::check_convergence() {
  for (const std::string& sku : skus_) {
    auto p = store_->product(domain::Sku::from_trusted(sku));
    if (p.ok()) auditor_->check_hub_truth(sku, p->master.units());
  }
  for (size_t c = 0; c < channels_.size(); ++c) {
    const auto counts = channels_[c].mock->counts();
    auto listings = store_->listings_for_channel(channels_[c].id);
    if (!listings.ok()) continue;
    for (const auto& l : *listings) {
      auto p = store_->product(l.sku);
      auto it = counts.find(l.sku.str());
      if (!p.ok() || it == counts.end()) continue;
      auditor_->check_convergence(now(), c, l.sku.str(), it->second,
                                  domain::sellable_quantity(p->master, l.rules).units());
    }
  }
}

base::Result<SimReport> World::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  INVSYNC_RETURN_IF_ERROR(build());
  service_->start(options_.policy == Policy::kInvsync);
  schedule_workload();
  schedule_faults();
  schedule_restocks();
  const Instant end = Instant() + hours(scenario_.duration_h + scenario_.drain_h);
  // Convergence is judged convergence_bound_s after the world went quiet (last order, last
  // possible cancellation, last fault), or at the end of the run if that comes first.
  // Buyers may still cancel up to cancel_delay_s_max after the last order.
  double quiet_h = scenario_.duration_h + static_cast<double>(scenario_.cancel_delay_s_max) / 3600.0;
  for (const FaultWindow& w : scenario_.faults) quiet_h = std::max(quiet_h, w.end_h);
  const Instant converge_at =
      std::min(end, Instant() + hours(quiet_h) + Duration::seconds(scenario_.convergence_bound_s));
  scheduler_.run_at(converge_at, [this] { check_convergence(); });
  const Duration sample_every = Duration::minutes(5);
  const bool bar = options_.progress && isatty(2) != 0;
  for (Instant t = Instant(); t < end;) {
    t = std::min(end, t + sample_every);
    scheduler_.run_until(t);
    sample();
    if (bar) {
      const double done = (t - Instant()).seconds_for_display() / (end - Instant()).seconds_for_display();
      std::fprintf(stderr, "\r[%-40s] %5.1f%% simulated %5.1f h, %lld orders",
                   std::string(static_cast<size_t>(done * 40), '#').c_str(), done * 100,
                   (t - Instant()).seconds_for_display() / 3600, static_cast<long long>(total_orders_));
    }
  }
  if (bar) std::fprintf(stderr, "\n");
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return finish(wall_s);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t idx = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[idx];
}

SimReport World::finish(double wall_s) {
  SimReport r;
  r.scenario = scenario_.name;
  r.scenario_path = scenario_.path;
  r.policy = std::string(policy_name(options_.policy));
  r.seed = options_.seed;
  r.simulated_h = scenario_.duration_h + scenario_.drain_h;
  r.wall_s = wall_s;
  r.rss_mb = rss_mb();
  r.events_executed = static_cast<int64_t>(scheduler_.executed());
  r.totals = auditor_->totals();
  std::vector<double> lat;
  for (const auto& s : auditor_->latencies()) lat.push_back(s.latency.seconds_for_display());
  r.latency_samples = static_cast<int64_t>(lat.size());
  r.latency_p50_s = percentile(lat, 0.50);
  r.latency_p95_s = percentile(lat, 0.95);
  r.latency_p99_s = percentile(lat, 0.99);
  r.latency_max_s = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  const size_t buckets = static_cast<size_t>(r.simulated_h * 60 / static_cast<double>(r.latency_bucket_min)) + 1;
  std::vector<std::vector<double>> per_bucket(buckets);
  for (const auto& s : auditor_->latencies()) {
    const size_t b = std::min(buckets - 1, static_cast<size_t>(s.at.ns() / Duration::minutes(r.latency_bucket_min).ns()));
    per_bucket[b].push_back(s.latency.seconds_for_display());
  }
  for (auto& b : per_bucket) {
    // A bucket without samples is a gap (NaN), not a latency of 0 s.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.latency_p50_series_s.push_back(b.empty() ? nan : percentile(b, 0.5));
    r.latency_p99_series_s.push_back(b.empty() ? nan : percentile(b, 0.99));
  }
  for (size_t i = 0; i < channels_.size(); ++i) {
    SimChannel& c = channels_[i];
    ChannelReport cr;
    cr.name = c.setup.channel_id;
    cr.orders = c.orders;
    for (const auto& host : c.setup.hosts) {
      auto it = net_.stats().find(host);
      if (it == net_.stats().end()) continue;
      cr.api_calls += it->second.requests;
      cr.transport_failures += it->second.refused + it->second.timed_out;
      for (const auto& [status, n] : it->second.by_status) {
        if (status == 429) cr.rate_limited += n;
        if (status >= 500) cr.server_errors += n;
      }
    }
    for (const auto& [key, units] : auditor_->oversold_by_cause()) {
      if (key.first != i) continue;
      cr.oversold_units += units;
      cr.oversold_by_cause[key.second] += units;
    }
    cr.peak_queue_depth = c.peak_queue;
    auto jobs = store_->list_jobs(c.id);
    if (jobs.ok()) {
      cr.final_queue_depth = static_cast<int64_t>(jobs->size());
      for (const auto& j : *jobs) cr.parked += j.state == store::JobState::kParked ? 1 : 0;
    }
    cr.platform_stats = c.mock->stats();
    if (const sync::Lane* lane = service_->channels()[i]->lane.get()) {
      cr.pushes = lane->stats().pushes;
      cr.items_pushed = lane->stats().items_pushed;
    }
    r.api_calls += cr.api_calls;
    r.peak_queue_depth = std::max(r.peak_queue_depth, cr.peak_queue_depth);
    r.queue_depth[cr.name] = c.queue_samples;
    r.api_calls_per_sample[cr.name] = c.call_samples;
    r.rate_limited_per_sample[cr.name] = c.limited_samples;
    r.channels.push_back(std::move(cr));
  }
  r.api_calls_per_order = total_orders_ == 0 ? 0 : static_cast<double>(r.api_calls) / static_cast<double>(total_orders_);
  r.alerts = static_cast<int64_t>(recorded_alerts_.alerts().size());
  for (const auto& a : recorded_alerts_.alerts()) {
    const double minute = static_cast<double>((a.at - clock_.wall_now()).ns() + now().ns()) / 60e9;
    r.alert_times.push_back({minute, a.kind + (a.channel ? " " + a.channel->str() : "")});
  }
  for (const FaultWindow& w : scenario_.faults) {
    r.fault_windows_min.push_back({w.start_h * 60, w.label.empty() ? w.channel : w.label});
    r.fault_window_end_min.push_back(w.end_h * 60);
  }
  r.orders_per_min = orders_per_min_;
  r.oversold_per_min = oversold_per_min_;
  r.violations = auditor_->violations();
  auditor_->trace().add(r.totals.oversold_units);
  auditor_->trace().add(r.totals.events_applied);
  r.trace_hash = auditor_->trace().value();
  r.reproduce = options_.reproduce_command;
  return r;
}

}  // namespace

base::Result<SimReport> run_simulation(const Scenario& scenario, const RunOptions& options) {
  World world(scenario, options);
  return world.run();
}

}  // namespace invsync::sim
