#include "sim/scenario.h"

#include <fstream>
#include <set>
#include <sstream>

#include "core/base/json_reader.h"

namespace invsync::sim {
namespace {

void parse_catalog(base::JsonReader r, Scenario* s) {
  s->sku_count = r.get_int("sku_count", std::nullopt, 1, 1'000'000);
  s->zipf_s = r.get_number("zipf_s", 1.0, 0.0, 5.0);
  s->low_stock_percent = static_cast<uint32_t>(r.get_int("low_stock_percent", 70, 0, 100));
  s->low_stock_min = r.get_int("low_stock_units_min", 1, 0, 1'000'000);
  s->low_stock_max = r.get_int("low_stock_units_max", 5, 0, 1'000'000);
  s->high_stock_min = r.get_int("high_stock_units_min", 20, 0, 1'000'000);
  s->high_stock_max = r.get_int("high_stock_units_max", 200, 0, 1'000'000);
  if (s->low_stock_min > s->low_stock_max) r.fail("low_stock_units_min", "must be <= low_stock_units_max");
  if (s->high_stock_min > s->high_stock_max) r.fail("high_stock_units_min", "must be <= high_stock_units_max");
  (void)r.finish();
}

void parse_orders(base::JsonReader r, Scenario* s) {
  double last = -1;
  for (base::JsonReader p : r.array("rate_curve", true)) {
    RatePoint pt{p.get_number("at_h", std::nullopt, 0, 24 * 365),
                 p.get_number("orders_per_h", std::nullopt, 0, 100'000'000)};
    if (pt.at_h <= last) p.fail("at_h", "rate_curve points must be in increasing at_h order");
    last = pt.at_h;
    (void)p.finish();
    s->rate_curve.push_back(pt);
  }
  if (s->rate_curve.empty()) r.fail("rate_curve", "needs at least one point");
  s->single_unit_percent = static_cast<uint32_t>(r.get_int("single_unit_percent", 85, 0, 100));
  s->quantity_max = r.get_int("quantity_max", 3, 1, 1'000);
  s->cancel_percent = static_cast<uint32_t>(r.get_int("cancel_percent", 2, 0, 100));
  s->cancel_delay_s_min = r.get_int("cancel_delay_s_min", 60, 0, 7 * 86'400);
  s->cancel_delay_s_max = r.get_int("cancel_delay_s_max", 3'600, 0, 7 * 86'400);
  if (s->cancel_delay_s_min > s->cancel_delay_s_max) r.fail("cancel_delay_s_min", "must be <= cancel_delay_s_max");
  (void)r.finish();
}

ChannelSpec parse_channel(base::JsonReader c) {
  ChannelSpec ch;
  ch.platform = c.get_enum("platform", std::nullopt, {"shopify", "amazon", "etsy", "woocommerce"});
  ch.account = c.get_string("account", "main");
  ch.share_percent = static_cast<uint32_t>(c.get_int("share_percent", std::nullopt, 0, 100));
  if (c.has("rate_per_s")) ch.rate_per_s = c.get_number("rate_per_s", std::nullopt, 0.001, 10'000);
  if (c.has("burst")) ch.burst = c.get_int("burst", std::nullopt, 1, 100'000);
  ch.buffer_units = c.get_int("buffer_units", 0, 0, 1'000'000);
  if (c.has("max_units")) ch.max_units = c.get_int("max_units", std::nullopt, 0, 1'000'000'000);
  ch.stock_share_percent = static_cast<uint32_t>(c.get_int("stock_share_percent", 100, 0, 100));
  ch.zero_below_units = c.get_int("zero_below_units", 0, 0, 1'000'000);
  ch.webhook_latency_ms_min = c.get_int("webhook_latency_ms_min", 50, 0, 86'400'000);
  ch.webhook_latency_ms_max = c.get_int("webhook_latency_ms_max", 2'000, 0, 86'400'000);
  if (ch.webhook_latency_ms_min > ch.webhook_latency_ms_max) {
    c.fail("webhook_latency_ms_min", "must be <= webhook_latency_ms_max");
  }
  ch.api_latency_ms_base = c.get_int("api_latency_ms_base", 80, 0, 600'000);
  ch.api_latency_ms_jitter = c.get_int("api_latency_ms_jitter", 120, 0, 600'000);
  ch.webhook_duplicate_percent = static_cast<uint32_t>(c.get_int("webhook_duplicate_percent", 0, 0, 100));
  ch.webhook_drop_percent = static_cast<uint32_t>(c.get_int("webhook_drop_percent", 0, 0, 100));
  ch.orders_poll_interval_s = c.get_int("orders_poll_interval_s", 60, 1, 86'400);
  ch.amazon_mode = c.get_enum("amazon_mode", "patch", {"patch", "feed"});
  ch.feed_dwell_s_min = c.get_int("feed_dwell_s_min", 60, 0, 7 * 86'400);
  ch.feed_dwell_s_max = c.get_int("feed_dwell_s_max", 600, 0, 7 * 86'400);
  if (ch.feed_dwell_s_min > ch.feed_dwell_s_max) c.fail("feed_dwell_s_min", "must be <= feed_dwell_s_max");
  if (c.has("daily_request_limit")) {
    if (ch.platform != "etsy") c.fail("daily_request_limit", "only Etsy has a daily request quota");
    ch.daily_request_limit = c.get_int("daily_request_limit", std::nullopt, 1, 100'000'000);
  }
  if (c.has("order_items_rate_per_s")) {
    if (ch.platform != "amazon") c.fail("order_items_rate_per_s", "only for Amazon");
    ch.order_items_rate_per_s = c.get_number("order_items_rate_per_s", std::nullopt, 0.001, 1000);
  }
  (void)c.finish();
  return ch;
}

}  // namespace

base::Result<Scenario> parse_scenario(std::string_view json, const std::string& path) {
  base::JsonReader root = base::JsonReader::parse(json, path + ": $");
  Scenario s;
  s.path = path;
  s.name = root.get_string("name", std::nullopt);
  s.seed = static_cast<uint64_t>(root.get_int("seed", 1, 0, INT64_MAX));
  s.duration_h = root.get_number("duration_h", std::nullopt, 0.01, 24 * 31);
  s.drain_h = root.get_number("drain_h", 1.0, 0.0, 24 * 7);
  parse_catalog(root.object("catalog", true), &s);
  parse_orders(root.object("orders", true), &s);
  for (base::JsonReader f : root.array("flash_sales")) {
    FlashSale fs{f.get_number("start_h", std::nullopt, 0, s.duration_h),
                 f.get_number("duration_min", std::nullopt, 0.1, 24 * 60),
                 f.get_number("multiplier", std::nullopt, 1, 10'000),
                 f.get_int("sku_count", std::nullopt, 1, s.sku_count),
                 f.get_int("sku_offset", 0, 0, s.sku_count)};
    (void)f.finish();
    s.flash_sales.push_back(fs);
  }
  for (base::JsonReader r : root.array("restocks")) {
    Restock rs{r.get_number("at_h", std::nullopt, 0, s.duration_h),
               r.get_int("sku_count", std::nullopt, 1, s.sku_count),
               r.get_int("units", std::nullopt, 1, 1'000'000)};
    (void)r.finish();
    s.restocks.push_back(rs);
  }
  std::set<std::string> platforms;
  uint32_t share_total = 0;
  for (base::JsonReader c : root.array("channels", true)) {
    ChannelSpec ch = parse_channel(c);
    if (!platforms.insert(ch.platform).second) c.fail("platform", "one channel per platform");
    share_total += ch.share_percent;
    s.channels.push_back(std::move(ch));
  }
  if (s.channels.empty()) root.fail("channels", "needs at least one channel");
  if (root.ok() && share_total != 100) root.fail("channels", "share_percent must add up to 100");
  base::JsonReader sync = root.object("sync");
  s.reconcile_interval_s = sync.get_int("reconcile_interval_s", 900, 1, 86'400);
  if (sync.has("retry_delays_s")) s.retry_delays_s = sync.int_array("retry_delays_s", 1, 7 * 86'400);
  (void)sync.finish();
  for (base::JsonReader f : root.array("faults")) {
    FaultWindow w;
    w.label = f.get_string("label", "");
    w.channel = f.get_enum("channel", std::nullopt, {"shopify", "amazon", "etsy", "woocommerce"});
    w.start_h = f.get_number("start_h", std::nullopt, 0, s.duration_h + s.drain_h);
    w.end_h = f.get_number("end_h", std::nullopt, 0, s.duration_h + s.drain_h);
    if (w.end_h <= w.start_h) f.fail("end_h", "must be after start_h");
    if (platforms.count(w.channel) == 0) f.fail("channel", "no such channel in this scenario");
    base::JsonReader set = f.object("set", true);
    w.faults_json = set.raw().dump();
    set.keys();  // validated by the mock when the scenario is loaded into the world
    (void)f.finish();
    s.faults.push_back(std::move(w));
  }
  s.convergence_bound_s = root.get_int("convergence_bound_s", 1'800, 1, 7 * 86'400);
  INVSYNC_RETURN_IF_ERROR(root.finish());
  return s;
}

namespace {
base::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return base::Status::not_found("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

base::Result<Scenario> load_scenario(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_scenario(*text, path);
}

base::Result<Scenario> load_scenario_with(const std::string& path, const std::string& param,
                                          const std::string& value_json) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  nlohmann::json value = nlohmann::json::parse(value_json, nullptr, false);
  if (doc.is_discarded()) return base::Status::invalid_argument(path + ": not valid JSON");
  if (value.is_discarded()) return base::Status::invalid_argument("value '" + value_json + "' is not JSON");
  nlohmann::json* node = &doc;
  std::stringstream parts(param);
  std::string part;
  std::vector<std::string> segments;
  while (std::getline(parts, part, '.')) segments.push_back(part);
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    const bool last = i + 1 == segments.size();
    if (node->is_array()) {
      // Array elements are named by their "platform" (channels) or by index.
      nlohmann::json* found = nullptr;
      for (auto& e : *node) {
        if (e.is_object() && e.value("platform", "") == seg) found = &e;
      }
      if (found == nullptr && !seg.empty() && std::isdigit(static_cast<unsigned char>(seg[0]))) {
        const size_t idx = std::stoul(seg);
        if (idx < node->size()) found = &(*node)[idx];
      }
      if (found == nullptr) return base::Status::invalid_argument("--param " + param + ": no element '" + seg + "'");
      node = found;
    } else if (node->is_object()) {
      if (last) {
        (*node)[seg] = value;
        break;
      }
      if (!node->contains(seg)) return base::Status::invalid_argument("--param " + param + ": no key '" + seg + "'");
      node = &(*node)[seg];
    } else {
      return base::Status::invalid_argument("--param " + param + ": '" + seg + "' is not inside an object or array");
    }
    if (last && node->is_object()) return base::Status::invalid_argument("--param " + param + " names an object");
  }
  return parse_scenario(doc.dump(), path + " [" + param + "=" + value_json + "]");
}

}  // namespace invsync::sim
