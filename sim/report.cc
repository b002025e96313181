#include "sim/report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace invsync::sim {
namespace {

std::string fmt(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

}  // namespace

std::string hex64(uint64_t v) { return fmt("%016llx", static_cast<unsigned long long>(v)); }

std::string format_summary(const SimReport& r) {
  const auto& t = r.totals;
  std::string out;
  out += fmt("invsync-sim: %s (%s), policy %s, seed %llu\n", r.scenario.c_str(),
             r.scenario_path.c_str(), r.policy.c_str(), static_cast<unsigned long long>(r.seed));
  out += fmt("  simulated %.1f h in %.2f s wall (%.0f simulated orders/s, %lld events, %lld MB RSS)\n",
             r.simulated_h, r.wall_s,
             r.wall_s > 0 ? static_cast<double>(t.orders_accepted + t.orders_refused) / r.wall_s : 0.0,
             static_cast<long long>(r.events_executed), static_cast<long long>(r.rss_mb));
  out += fmt("  orders: %lld accepted (%lld units), %lld refused by channels, %lld lost sales "
             "(refused while the hub had stock)\n",
             static_cast<long long>(t.orders_accepted), static_cast<long long>(t.units_sold),
             static_cast<long long>(t.orders_refused), static_cast<long long>(t.lost_sales));
  out += fmt("  oversells: %lld units in %lld orders (sold by channels beyond the stock that existed)\n",
             static_cast<long long>(t.oversold_units), static_cast<long long>(t.oversold_orders));
  out += fmt("  hub: %lld events applied, %lld duplicates ignored, %lld units recorded as oversold\n",
             static_cast<long long>(t.events_applied), static_cast<long long>(t.duplicates),
             static_cast<long long>(t.hub_oversold_units));
  out += fmt("  order-to-every-channel latency (non-Amazon): p50 %.2f s, p95 %.2f s, p99 %.2f s, "
             "max %.1f s over %lld orders\n",
             r.latency_p50_s, r.latency_p95_s, r.latency_p99_s, r.latency_max_s,
             static_cast<long long>(r.latency_samples));
  out += fmt("  API calls: %lld (%.2f per order), peak queue depth %lld, alerts %lld\n",
             static_cast<long long>(r.api_calls), r.api_calls_per_order,
             static_cast<long long>(r.peak_queue_depth), static_cast<long long>(r.alerts));
  out += fmt("  %-22s %8s %9s %9s %6s %6s %8s %10s %7s %9s\n", "channel", "orders", "oversold",
             "API calls", "429s", "5xx", "no reply", "peak queue", "parked", "SKUs/push");
  for (const auto& c : r.channels) {
    const double per_push = c.pushes == 0 ? 0.0
                                          : static_cast<double>(c.items_pushed) /
                                                static_cast<double>(c.pushes);
    out += fmt("  %-22s %8lld %9lld %9lld %6lld %6lld %8lld %10lld %7lld %9.2f\n", c.name.c_str(),
               static_cast<long long>(c.orders), static_cast<long long>(c.oversold_units),
               static_cast<long long>(c.api_calls), static_cast<long long>(c.rate_limited),
               static_cast<long long>(c.server_errors), static_cast<long long>(c.transport_failures),
               static_cast<long long>(c.peak_queue_depth), static_cast<long long>(c.parked),
               per_push);
  }
  out += fmt("  convergence: %lld of %lld channel listings match the hub's allocation once quiet\n",
             static_cast<long long>(t.convergence_checked - t.convergence_mismatches),
             static_cast<long long>(t.convergence_checked));
  out += fmt("  hub vs real stock: %lld SKUs differ (%lld units the hub believes in that do not exist)\n",
             static_cast<long long>(t.hub_truth_mismatches),
             static_cast<long long>(t.hub_truth_excess_units));
  if (r.violations.empty()) {
    out += "  invariants: OK (never negative, conservation, no double apply)\n";
  } else {
    out += fmt("  INVARIANT VIOLATIONS: %zu\n", r.violations.size());
    for (size_t i = 0; i < std::min<size_t>(r.violations.size(), 10); ++i) {
      out += fmt("    at %.1f s: %s\n", r.violations[i].at.seconds_for_display(),
                 r.violations[i].what.c_str());
    }
    out += "  reproduce: " + r.reproduce + "\n";
  }
  out += "  trace_hash " + hex64(r.trace_hash) + "\n";
  return out;
}

std::string format_comparison(const SimReport& a, const SimReport& b) {
  std::string out = fmt("%-40s %14s %14s\n", "same seed and workload", a.policy.c_str(), b.policy.c_str());
  auto row = [&](const char* name, double x, double y, const char* f) {
    out += fmt("%-40s ", name) + fmt(f, x) + " " + fmt(f, y) + "\n";
  };
  row("oversold units", static_cast<double>(a.totals.oversold_units),
      static_cast<double>(b.totals.oversold_units), "%14.0f");
  row("orders with an oversell", static_cast<double>(a.totals.oversold_orders),
      static_cast<double>(b.totals.oversold_orders), "%14.0f");
  row("lost sales (orders)", static_cast<double>(a.totals.lost_sales),
      static_cast<double>(b.totals.lost_sales), "%14.0f");
  row("latency p50 (s, non-Amazon)", a.latency_p50_s, b.latency_p50_s, "%14.2f");
  row("latency p99 (s, non-Amazon)", a.latency_p99_s, b.latency_p99_s, "%14.2f");
  row("API calls", static_cast<double>(a.api_calls), static_cast<double>(b.api_calls), "%14.0f");
  row("API calls per order", a.api_calls_per_order, b.api_calls_per_order, "%14.2f");
  row("peak queue depth", static_cast<double>(a.peak_queue_depth),
      static_cast<double>(b.peak_queue_depth), "%14.0f");
  row("alerts", static_cast<double>(a.alerts), static_cast<double>(b.alerts), "%14.0f");
  row("convergence mismatches at the end", static_cast<double>(a.totals.convergence_mismatches),
      static_cast<double>(b.totals.convergence_mismatches), "%14.0f");
  if (b.totals.oversold_units > 0) {
    out += fmt("invsync oversells %.1f%% of what the baseline does.\n",
               100.0 * static_cast<double>(a.totals.oversold_units) /
                   static_cast<double>(b.totals.oversold_units));
  }
  return out;
}

std::string report_json(const SimReport& r) {
  nlohmann::json j;
  j["scenario"] = r.scenario;
  j["scenario_path"] = r.scenario_path;
  j["policy"] = r.policy;
  j["seed"] = r.seed;
  j["simulated_h"] = r.simulated_h;
  j["wall_s"] = r.wall_s;
  j["rss_mb"] = r.rss_mb;
  j["events_executed"] = r.events_executed;
  const auto& t = r.totals;
  j["orders"] = {{"accepted", t.orders_accepted}, {"units_sold", t.units_sold},
                 {"refused", t.orders_refused}, {"lost_sales", t.lost_sales},
                 {"lost_units", t.lost_units}};
  j["oversold"] = {{"units", t.oversold_units}, {"orders", t.oversold_orders}};
  j["hub"] = {{"events_applied", t.events_applied}, {"duplicates", t.duplicates},
              {"oversold_units_recorded", t.hub_oversold_units}};
  j["latency_s"] = {{"p50", r.latency_p50_s}, {"p95", r.latency_p95_s}, {"p99", r.latency_p99_s},
                    {"max", r.latency_max_s}, {"samples", r.latency_samples}};
  j["api_calls"] = r.api_calls;
  j["api_calls_per_order"] = r.api_calls_per_order;
  j["peak_queue_depth"] = r.peak_queue_depth;
  j["alerts"] = r.alerts;
  j["convergence"] = {{"checked", t.convergence_checked}, {"mismatches", t.convergence_mismatches}};
  j["hub_vs_truth"] = {{"skus_differing", t.hub_truth_mismatches},
                       {"excess_units", t.hub_truth_excess_units}};
  for (const auto& c : r.channels) {
    j["channels"].push_back({{"name", c.name}, {"orders", c.orders},
                             {"oversold_units", c.oversold_units},
                             {"oversold_by_cause", c.oversold_by_cause},
                             {"api_calls", c.api_calls}, {"rate_limited", c.rate_limited},
                             {"server_errors", c.server_errors},
                             {"transport_failures", c.transport_failures},
                             {"peak_queue_depth", c.peak_queue_depth}, {"parked", c.parked},
                             {"final_queue_depth", c.final_queue_depth},
                             {"pushes", c.pushes}, {"items_pushed", c.items_pushed},
                             {"platform_stats", c.platform_stats}});
  }
  j["violations"] = nlohmann::json::array();
  for (const auto& v : r.violations) j["violations"].push_back({{"at_s", v.at.s()}, {"what", v.what}});
  j["trace_hash"] = hex64(r.trace_hash);
  if (!r.violations.empty()) j["reproduce"] = r.reproduce;
  return j.dump(2);
}

}  // namespace invsync::sim
