// SimReport: what one simulated run found, and how to print it: a text summary for the terminal,
// JSON for tools, and a self-contained HTML page with SVG charts (no network needed to view it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/auditor.h"

namespace invsync::sim {

struct ChannelReport {
  std::string name;
  int64_t orders = 0;
  int64_t oversold_units = 0;
  int64_t api_calls = 0;
  int64_t rate_limited = 0;  // 429 answers
  int64_t server_errors = 0; // 5xx answers
  int64_t transport_failures = 0;
  int64_t peak_queue_depth = 0;
  int64_t parked = 0;
  std::map<std::string, int64_t> oversold_by_cause;
  std::map<std::string, int64_t> platform_stats;  // the mock's own counters
  int64_t final_queue_depth = 0;
  int64_t pushes = 0, items_pushed = 0;  // the lane's push() calls and the SKUs in them
};

struct SimReport {
  std::string scenario;
  std::string scenario_path;
  std::string policy;
  uint64_t seed = 0;
  double simulated_h = 0;
  double wall_s = 0;
  int64_t rss_mb = 0;
  int64_t events_executed = 0;
  Auditor::Totals totals;
  double latency_p50_s = 0, latency_p95_s = 0, latency_p99_s = 0, latency_max_s = 0;
  int64_t latency_samples = 0;
  int64_t api_calls = 0;
  double api_calls_per_order = 0;
  int64_t peak_queue_depth = 0;
  int64_t alerts = 0;
  std::vector<ChannelReport> channels;
  std::vector<Violation> violations;
  uint64_t trace_hash = 0;
  std::string reproduce;
  // Time series (x in simulated minutes).
  std::vector<int64_t> orders_per_min;
  std::vector<int64_t> oversold_per_min;
  int64_t sample_every_min = 5;
  std::map<std::string, std::vector<int64_t>> queue_depth;  // per channel, every sample
  std::map<std::string, std::vector<int64_t>> api_calls_per_sample;
  std::map<std::string, std::vector<int64_t>> rate_limited_per_sample;
  int64_t latency_bucket_min = 15;
  std::vector<double> latency_p50_series_s, latency_p99_series_s;
  std::vector<std::pair<double, std::string>> alert_times;  // minute, text
  std::vector<std::pair<double, std::string>> fault_windows_min;  // start minute, label
  std::vector<double> fault_window_end_min;
};

std::string format_summary(const SimReport& r);
std::string format_comparison(const SimReport& invsync, const SimReport& baseline);
std::string report_json(const SimReport& r);
std::string report_html(const SimReport& r);
std::string hex64(uint64_t v);

}  // namespace invsync::sim
