#include "core/app/serve_api.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/app/explain_format.h"
#include "core/base/assert.h"
#include "core/base/json_reader.h"

namespace invsync::app {
namespace {

using nlohmann::json;

int32_t http_status_of(const base::Status& st) {
  switch (st.code()) {
    case base::StatusCode::kInvalidArgument: return 400;
    case base::StatusCode::kNotFound: return 404;
    case base::StatusCode::kUnavailable:
    case base::StatusCode::kTimeout: return 503;
    default: return 500;
  }
}

base::HttpResponse error_reply(int32_t status, const std::string& message) {
  return base::HttpResponse::json(status, json{{"error", message}}.dump());
}

base::HttpResponse error_reply(const base::Status& st) {
  return error_reply(http_status_of(st), st.message());
}

json lane_json(const sync::LaneStats& s, int32_t in_flight) {
  return {{"pushes", s.pushes}, {"items_pushed", s.items_pushed}, {"done", s.done},
          {"accepted", s.accepted}, {"conflicts", s.conflicts}, {"rate_limited", s.rate_limited},
          {"transient", s.transient}, {"permanent", s.permanent}, {"parked", s.parked},
          {"released", s.released}, {"store_errors", s.store_errors}, {"in_flight", in_flight}};
}

json ingest_json(const ingest::IngestStats& s) {
  return {{"requests", s.requests}, {"too_large", s.too_large},
          {"unauthenticated", s.unauthenticated}, {"malformed", s.malformed},
          {"ignored", s.ignored}, {"store_unavailable", s.store_unavailable},
          {"events", s.events}, {"applied", s.applied}, {"duplicates", s.duplicates},
          {"oversold", s.oversold}, {"unknown_sku", s.unknown_sku}};
}

// Prometheus label values escape backslash, quote and newline.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Appends one metric family: HELP/TYPE lines, then the samples.
struct Family {
  std::string* out;
  Family(std::string* o, const std::string& name, const std::string& type, const std::string& help)
      : out(o), name_(name) {
    *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& labels, int64_t value) {
    const std::string braced = labels.empty() ? "" : "{" + labels + "}";
    *out += name_ + braced + " " + std::to_string(value) + "\n";
  }
  std::string name_;
};

}  // namespace

ServeApi::ServeApi(ServeApiDeps deps) : deps_(std::move(deps)) {
  started_ = deps_.clock.monotonic_now();
}

Service::Channel* ServeApi::find_channel(const domain::ChannelId& channel) {
  for (const auto& ch : deps_.service.channels()) {
    if (ch->config.channel == channel) return ch.get();
  }
  return nullptr;
}

std::string ServeApi::new_request_id() {
  char buf[32];
  std::snprintf(buf, sizeof buf, "admin-%016llx",
                static_cast<unsigned long long>(deps_.prng.next_u64()));
  return buf;
}

base::HttpResponse ServeApi::webhook(const std::string& channel,
                                     const base::HttpRequest& request) {
  auto id = domain::ChannelId::parse(channel);
  ingest::WebhookIngest* in = id.ok() ? deps_.service.ingest(*id) : nullptr;
  if (in == nullptr) {
    ++webhooks_by_status_[{"unknown", 404}];
    return error_reply(404, "unknown channel");
  }
  base::HttpResponse reply = in->handle(request);
  ++webhooks_by_status_[{id->str(), reply.status}];
  return reply;
}

base::HttpResponse ServeApi::healthz() {
  // Any answer from the store (a missing probe SKU included) proves it is reachable.
  const auto probe = deps_.store.product(domain::Sku::from_trusted("invsync-healthz-probe"));
  if (!probe.ok() && !probe.status().is_not_found()) {
    return error_reply(503, "store unavailable: " + probe.status().message());
  }
  return base::HttpResponse::json(200, R"({"ok":true})");
}

void ServeApi::count_rejected(const std::string& endpoint, int32_t status) {
  ++rejected_by_status_[{endpoint, status}];
}

base::HttpResponse ServeApi::metrics() {
  std::string out;
  const auto& channels = deps_.service.channels();
  auto each_lane = [&](Family f, auto value) {
    for (const auto& ch : channels) {
      f.sample("channel=\"" + label(ch->config.channel.str()) + "\"", value(*ch));
    }
  };
  each_lane(Family(&out, "invsync_lane_owned", "gauge", "1 when this instance drives the lane"),
            [&](const Service::Channel& c) -> int64_t {
              return deps_.lane_owned(c.config.channel);
            });
  each_lane(Family(&out, "invsync_lane_pushes_total", "counter", "push calls to the platform"),
            [](const Service::Channel& c) { return c.lane->stats().pushes; });
  each_lane(Family(&out, "invsync_lane_items_pushed_total", "counter", "SKUs in push calls"),
            [](const Service::Channel& c) { return c.lane->stats().items_pushed; });
  each_lane(Family(&out, "invsync_lane_rate_limited_total", "counter", "pushed items answered 429"),
            [](const Service::Channel& c) { return c.lane->stats().rate_limited; });
  each_lane(Family(&out, "invsync_lane_parked_total", "counter", "jobs parked after failing"),
            [](const Service::Channel& c) { return c.lane->stats().parked; });
  each_lane(Family(&out, "invsync_lane_in_flight", "gauge", "push calls in flight"),
            [](const Service::Channel& c) -> int64_t { return c.lane->in_flight(); });
  Family results(&out, "invsync_lane_push_results_total", "counter", "pushed items by outcome");
  for (const auto& ch : channels) {
    const sync::LaneStats& s = ch->lane->stats();
    const std::string c = "channel=\"" + label(ch->config.channel.str()) + "\",outcome=\"";
    const std::pair<const char*, int64_t> outcomes[] = {
        {"done", s.done}, {"accepted", s.accepted}, {"conflict", s.conflicts},
        {"rate_limited", s.rate_limited}, {"transient", s.transient},
        {"permanent", s.permanent}};
    for (const auto& [name, value] : outcomes) results.sample(c + name + "\"", value);
  }
  Family events(&out, "invsync_ingest_events_total", "counter", "webhook order events by outcome");
  for (const auto& ch : channels) {
    const ingest::IngestStats& s = ch->ingest->stats();
    const std::string c = "channel=\"" + label(ch->config.channel.str()) + "\",outcome=\"";
    const std::pair<const char*, int64_t> outcomes[] = {
        {"applied", s.applied}, {"duplicate", s.duplicates}, {"oversold", s.oversold},
        {"unknown_sku", s.unknown_sku}};
    for (const auto& [name, value] : outcomes) events.sample(c + name + "\"", value);
  }
  Family hooks(&out, "invsync_webhooks_received_total", "counter", "webhook requests by reply");
  for (const auto& [key, n] : webhooks_by_status_) {
    hooks.sample("channel=\"" + label(key.first) + "\",status=\"" + std::to_string(key.second) +
                     "\"",
                 n);
  }
  Family rejected(&out, "invsync_http_rejected_total", "counter",
                  "requests answered by the HTTP layer itself (auth, loop timeout)");
  for (const auto& [key, n] : rejected_by_status_) {
    rejected.sample("endpoint=\"" + label(key.first) + "\",status=\"" +
                        std::to_string(key.second) + "\"",
                    n);
  }
  Family admin(&out, "invsync_admin_requests_total", "counter", "authenticated admin requests");
  admin.sample("", admin_requests_);
  Family uptime(&out, "invsync_uptime_seconds", "gauge", "seconds since the service started");
  uptime.sample("", (deps_.clock.monotonic_now() - started_).s());
  return base::HttpResponse::text(200, "text/plain; version=0.0.4; charset=utf-8", out);
}

base::HttpResponse ServeApi::stock(const std::string& sku_text, const base::HttpRequest& request) {
  ++admin_requests_;
  auto sku = domain::Sku::parse(sku_text);
  if (!sku.ok()) return error_reply(sku.status());
  base::JsonReader r = base::JsonReader::parse(request.body, "$");
  if (!r.ok()) return error_reply(r.status());
  const bool set = r.has("set");
  const bool adjust = r.has("adjust");
  if (set == adjust) return error_reply(400, "body needs exactly one of \"set\" or \"adjust\"");
  const int64_t n = set ? r.get_int("set", std::nullopt, 0, domain::kQuantityUnitsMax)
                        : r.get_int("adjust", std::nullopt, -domain::kQuantityUnitsMax,
                                    domain::kQuantityUnitsMax);
  const std::string reason =
      r.get_string("reason", set ? "set by admin API" : "adjusted by admin API");
  std::string request_id = r.get_string("request_id", "");
  const base::Status parsed = r.finish();
  if (!parsed.ok()) return error_reply(parsed);
  if (request_id.empty()) request_id = new_request_id();
  const base::WallTime now = deps_.clock.wall_now();
  base::Result<domain::EventResult> result = base::Status::internal("unset");
  if (set) {
    // A SKU seen for the first time is created with the count it is being set to.
    const store::ProductSpec spec{*sku, domain::Quantity(n)};
    auto created = deps_.store.upsert_products(std::span(&spec, 1), now);
    if (!created.ok()) return error_reply(created.status());
    result = deps_.store.set_stock(*sku, domain::Quantity(n), reason, request_id, now);
  } else {
    result = deps_.store.adjust_stock(*sku, domain::Quantity(n), reason, request_id, now);
  }
  if (!result.ok()) return error_reply(result.status());
  if (result->outcome == domain::EventOutcome::kUnknownSku) {
    return error_reply(404, "unknown sku " + sku->str() + " (create it with \"set\")");
  }
  deps_.service.poke_all();
  return base::HttpResponse::json(
      200, json{{"sku", sku->str()}, {"request_id", request_id},
                {"outcome", std::string(domain::event_outcome_name(result->outcome))},
                {"master", result->master_after.units()}}
               .dump());
}

base::HttpResponse ServeApi::listing(const std::string& channel_text, const std::string& sku_text,
                                     const base::HttpRequest& request) {
  ++admin_requests_;
  auto channel = domain::ChannelId::parse(channel_text);
  if (!channel.ok()) return error_reply(channel.status());
  if (find_channel(*channel) == nullptr) return error_reply(404, "unknown channel");
  auto sku = domain::Sku::parse(sku_text);
  if (!sku.ok()) return error_reply(sku.status());
  base::JsonReader r = base::JsonReader::parse(request.body, "$");
  if (!r.ok()) return error_reply(r.status());
  store::ChannelListing l{.channel = *channel, .sku = *sku};
  base::JsonReader ids = r.object("external_ids", true);
  l.external_ids_json = ids.raw().dump();
  ids.keys();  // the connector reads them
  base::JsonReader rules = r.object("rules");
  l.rules.buffer_units = rules.get_int("buffer_units", 0, 0, domain::kQuantityUnitsMax);
  if (rules.has("max_units")) {
    l.rules.max_units = rules.get_int("max_units", std::nullopt, 0, domain::kQuantityUnitsMax);
  }
  l.rules.share_percent = static_cast<uint32_t>(rules.get_int("share_percent", 100, 0, 100));
  l.rules.zero_below_units = rules.get_int("zero_below_units", 0, 0, domain::kQuantityUnitsMax);
  (void)rules.finish();
  const base::Status parsed = r.finish();
  if (!parsed.ok()) return error_reply(parsed);
  if (const base::Status st = domain::validate_rules(l.rules); !st.ok()) return error_reply(st);
  if (const base::Status st = deps_.store.upsert_listing(l); !st.ok()) return error_reply(st);
  // The channel learns the current count now, not at the next change.
  const base::Status queued = deps_.store.enqueue_push(*channel, *sku, domain::kPushPriorityMax,
                                                       deps_.clock.wall_now());
  if (!queued.ok()) return error_reply(queued);
  deps_.service.poke_all();
  return base::HttpResponse::json(200,
                                  json{{"channel", channel->str()}, {"sku", sku->str()}}.dump());
}

base::HttpResponse ServeApi::explain(const std::string& sku_text) {
  ++admin_requests_;
  auto sku = domain::Sku::parse(sku_text);
  if (!sku.ok()) return error_reply(sku.status());
  auto x = deps_.store.explain(*sku, 20);
  if (!x.ok()) return error_reply(x.status());
  return base::HttpResponse::text(200, "text/plain; charset=utf-8", format_explanation(*x));
}

base::HttpResponse ServeApi::status() {
  ++admin_requests_;
  json channels = json::array();
  for (const auto& ch : deps_.service.channels()) {
    channels.push_back({{"id", ch->config.channel.str()},
                        {"lane_owned", deps_.lane_owned(ch->config.channel)},
                        {"reconcile_enabled", ch->config.reconcile_enabled},
                        {"orders_poll_enabled", ch->config.orders_poll_enabled},
                        {"lane", lane_json(ch->lane->stats(), ch->lane->in_flight())},
                        {"ingest", ingest_json(ch->ingest->stats())}});
  }
  return base::HttpResponse::json(
      200, json{{"channels", channels}, {"prng_seed", deps_.prng_seed},
                {"uptime_s", (deps_.clock.monotonic_now() - started_).s()}}
               .dump(2));
}

}  // namespace invsync::app
