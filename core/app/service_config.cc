#include "core/app/service_config.h"

#include <set>

#include "core/base/json_reader.h"

namespace invsync::app {
namespace {

void parse_lane(base::JsonReader r, ChannelConfig* c) {
  if (r.has("rate_per_s")) {
    const double rate = r.get_number("rate_per_s", std::nullopt, 0.0001, 100'000);
    c->rate_micro_per_s = static_cast<int64_t>(rate * 1'000'000);
  }
  if (r.has("burst")) c->burst_count = r.get_int("burst", std::nullopt, 1, 100'000);
  c->lane.pushes_in_flight_max =
      static_cast<int32_t>(r.get_int("pushes_in_flight_max", c->lane.pushes_in_flight_max, 1, 64));
  c->lane.lease = base::Duration::seconds(r.get_int("lease_s", c->lane.lease.s(), 1, 86'400));
  c->lane.idle_poll =
      base::Duration::milliseconds(r.get_int("idle_poll_ms", c->lane.idle_poll.ms(), 1, 3'600'000));
  if (r.has("retry_delays_s")) {
    c->lane.retry.delays.clear();
    for (int64_t s : r.int_array("retry_delays_s", 1, 7 * 86'400)) {
      c->lane.retry.delays.push_back(base::Duration::seconds(s));
    }
  }
  c->lane.retry.jitter_percent = static_cast<uint32_t>(
      r.get_int("retry_jitter_percent", c->lane.retry.jitter_percent, 0, 50));
  c->rate_limited_pause = base::Duration::milliseconds(
      r.get_int("rate_limited_pause_ms", c->rate_limited_pause.ms(), 1, 3'600'000));
  c->lane.aging_bound =
      base::Duration::seconds(r.get_int("aging_bound_s", c->lane.aging_bound.s(), 1, 86'400));
  (void)r.finish();
}

void parse_reconcile(base::JsonReader r, ChannelConfig* c) {
  c->reconcile_enabled = r.get_bool("enabled", true);
  c->reconcile.interval =
      base::Duration::seconds(r.get_int("interval_s", c->reconcile.interval.s(), 1, 7 * 86'400));
  c->reconcile.first_delay = base::Duration::seconds(
      r.get_int("first_delay_s", c->reconcile.interval.s(), 0, 7 * 86'400));
  c->background_percent =
      static_cast<uint32_t>(r.get_int("background_percent", c->background_percent, 1, 100));
  (void)r.finish();
}

void parse_orders_poll(base::JsonReader r, ChannelConfig* c) {
  c->orders_poll_enabled = r.get_bool("enabled", true);
  c->orders_poll.interval = base::Duration::seconds(
      r.get_int("interval_s", c->orders_poll.interval.s(), 1, 86'400));
  c->orders_poll.gap_min = base::Duration::milliseconds(
      r.get_int("gap_min_ms", c->orders_poll.gap_min.ms(), 0, 3'600'000));
  (void)r.finish();
}

void parse_velocity(base::JsonReader r, VelocityOptions* v) {
  v->enabled = r.get_bool("enabled", true);
  v->window = base::Duration::hours(
      24 * r.get_int("window_days", v->window.s() / 86'400, 1, store::kVelocityWindowDaysMax));
  v->top_percent = static_cast<int32_t>(r.get_int("top_percent", v->top_percent, 0, 100));
  v->refresh_interval = base::Duration::seconds(
      r.get_int("refresh_interval_s", v->refresh_interval.s(), 1, 7 * 86'400));
  (void)r.finish();
}

}  // namespace

base::Result<ServiceConfig> parse_service_config(std::string_view json) {
  base::JsonReader root = base::JsonReader::parse(json, "$");
  ServiceConfig out;
  std::set<std::string> seen;
  for (base::JsonReader ch : root.array("channels", true)) {
    ChannelConfig c;
    const std::string id = ch.get_string("id", std::nullopt);
    auto parsed = domain::ChannelId::parse(id);
    if (!parsed.ok()) {
      ch.fail("id", parsed.status().message());
    } else if (parsed->platform() == domain::Platform::kManual) {
      ch.fail("id", "manual is not a sales channel");
    } else if (!seen.insert(id).second) {
      ch.fail("id", "duplicate channel " + id);
    } else {
      c.channel = *parsed;
    }
    base::JsonReader connector = ch.object("connector", true);
    c.connector_json = connector.raw().dump();
    connector.keys();  // read by the platform's own parser later
    parse_lane(ch.object("lane"), &c);
    parse_reconcile(ch.object("reconcile"), &c);
    parse_orders_poll(ch.object("orders_poll"), &c);
    (void)ch.finish();
    out.channels.push_back(std::move(c));
  }
  base::JsonReader in = root.object("ingest");
  out.ingest.body_bytes_max =
      static_cast<size_t>(in.get_int("body_bytes_max", 1 << 20, 1024, 64 << 20));
  (void)in.finish();
  parse_velocity(root.object("velocity"), &out.velocity);
  INVSYNC_RETURN_IF_ERROR(root.finish());
  return out;
}

}  // namespace invsync::app
