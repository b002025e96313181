// Scenario: one simulated trading period, read strictly from scenarios/*.json (every key is
// documented in scenarios/README.md; an unknown key or a bad value is an error naming its path).
// It says what the shop sells (SKUs, initial stock), how customers arrive (a piecewise-linear
// order rate, channel shares, Zipf popularity, flash sales), what happens to the stock otherwise
// (restocks, cancellations), how each channel is configured (rate limits, allocation rules,
// webhook behaviour), and which faults strike when.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/time.h"

namespace invsync::sim {

struct RatePoint {
  double at_h = 0;
  double orders_per_h = 0;
};

struct FlashSale {
  double start_h = 0;
  double duration_min = 30;
  double multiplier = 10;  // the rate of orders for the sale's SKUs is multiplied by this
  int64_t sku_count = 20;  // the most popular SKUs after the first `sku_offset`
  int64_t sku_offset = 0;
};

struct Restock {
  double at_h = 0;
  int64_t sku_count = 100;  // the SKUs with the least stock at that moment
  int64_t units = 20;
};

struct ChannelSpec {
  std::string platform;  // shopify | amazon | etsy | woocommerce
  std::string account = "main";
  uint32_t share_percent = 25;
  std::optional<double> rate_per_s;
  std::optional<int64_t> burst;
  int64_t buffer_units = 0;
  std::optional<int64_t> max_units;
  uint32_t stock_share_percent = 100;
  int64_t zero_below_units = 0;
  int64_t webhook_latency_ms_min = 50;
  int64_t webhook_latency_ms_max = 2'000;
  int64_t api_latency_ms_base = 80;
  int64_t api_latency_ms_jitter = 120;
  uint32_t webhook_duplicate_percent = 0;
  uint32_t webhook_drop_percent = 0;
  int64_t orders_poll_interval_s = 60;
  std::string amazon_mode = "patch";  // patch | feed
  int64_t feed_dwell_s_min = 60;
  int64_t feed_dwell_s_max = 600;
  std::optional<int64_t> daily_request_limit;     // Etsy's rolling-day quota (mock default 10,000)
  std::optional<double> order_items_rate_per_s;   // Amazon getOrderItems (mock default 0.5/s)
};

struct FaultWindow {
  double start_h = 0;
  double end_h = 0;
  std::string channel;      // platform name of the channel hit
  std::string faults_json;  // the mock's fault settings while the window lasts
  std::string label;
};

struct Scenario {
  std::string name;
  std::string path;  // the file it came from
  uint64_t seed = 1;
  double duration_h = 24;
  double drain_h = 1;  // quiet time after the last order, for convergence
  int64_t sku_count = 1'000;
  double zipf_s = 1.0;
  uint32_t low_stock_percent = 70;
  int64_t low_stock_min = 1, low_stock_max = 5;
  int64_t high_stock_min = 20, high_stock_max = 200;
  std::vector<RatePoint> rate_curve;
  uint32_t single_unit_percent = 85;
  int64_t quantity_max = 3;
  uint32_t cancel_percent = 2;
  int64_t cancel_delay_s_min = 60, cancel_delay_s_max = 3'600;
  std::vector<FlashSale> flash_sales;
  std::vector<Restock> restocks;
  std::vector<ChannelSpec> channels;
  int64_t reconcile_interval_s = 900;
  std::vector<int64_t> retry_delays_s = {30, 120, 600, 3'600};
  std::vector<FaultWindow> faults;
  int64_t convergence_bound_s = 1'800;
};

// Reads and validates a scenario; errors name the key path ("scenarios/x.json: $.orders.rate...").
base::Result<Scenario> parse_scenario(std::string_view json, const std::string& path);
base::Result<Scenario> load_scenario(const std::string& path);
// Replaces the value at a dotted path ("channels.amazon.buffer_units", "reconcile_interval_s") in
// the scenario JSON text and re-parses it: how `sweep` varies one parameter.
base::Result<Scenario> load_scenario_with(const std::string& path, const std::string& param,
                                          const std::string& value_json);

}  // namespace invsync::sim
