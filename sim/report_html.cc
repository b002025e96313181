// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network) with the
// summary table and the charts: orders and oversells per minute with fault windows and alerts,
// queue depth per channel, latency p50/p99 over time, API calls and 429s per channel.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/report.h"

namespace invsync::sim {
namespace {

struct Series {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (minute, value)
  bool bars = false;
};

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

const char* kColors[] = {"#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#be123c"};

std::string chart(const std::string& id, const std::string& title, const std::string& y_label,
                  double x_max, const std::vector<Series>& series, const SimReport& r,
                  bool with_events) {
  const double w = 960, h = 260, left = 60, right = 20, top = 30, bottom = 40;
  double y_max = 1;
  for (const auto& s : series) {
    for (const auto& p : s.points) y_max = std::max(y_max, p.second);
  }
  y_max *= 1.1;
  auto x = [&](double m) { return left + (w - left - right) * (x_max <= 0 ? 0 : m / x_max); };
  auto y = [&](double v) { return top + (h - top - bottom) * (1 - v / y_max); };
  std::string svg = "<figure id=\"" + id + "\"><figcaption>" + esc(title) + "</figcaption>";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(w) + " " + num(h) +
         "\" width=\"100%\" role=\"img\" aria-label=\"" + esc(title) + "\">";
  if (with_events) {
    for (size_t i = 0; i < r.fault_windows_min.size(); ++i) {
      const double a = x(r.fault_windows_min[i].first), b = x(r.fault_window_end_min[i]);
      svg += "<rect x=\"" + num(a) + "\" y=\"" + num(top) + "\" width=\"" + num(std::max(1.0, b - a)) +
             "\" height=\"" + num(h - top - bottom) + "\" fill=\"#fde68a\" opacity=\"0.5\"><title>" +
             esc(r.fault_windows_min[i].second) + "</title></rect>";
    }
  }
  svg += "<line x1=\"" + num(left) + "\" y1=\"" + num(h - bottom) + "\" x2=\"" + num(w - right) +
         "\" y2=\"" + num(h - bottom) + "\" stroke=\"#333\"/>";
  svg += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" +
         num(h - bottom) + "\" stroke=\"#333\"/>";
  for (int i = 0; i <= 4; ++i) {
    const double v = y_max * i / 4;
    svg += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y(v) + 4) +
           "\" text-anchor=\"end\" font-size=\"11\">" + num(v) + "</text>";
  }
  const double step_h = x_max > 24 * 60 ? 240 : (x_max > 6 * 60 ? 120 : 60);
  for (double m = 0; m <= x_max; m += step_h) {
    svg += "<text x=\"" + num(x(m)) + "\" y=\"" + num(h - bottom + 16) +
           "\" text-anchor=\"middle\" font-size=\"11\">" + num(m / 60) + " h</text>";
  }
  svg += "<text x=\"12\" y=\"" + num(top - 10) + "\" font-size=\"11\">" + esc(y_label) + "</text>";
  for (size_t si = 0; si < series.size(); ++si) {
    const Series& s = series[si];
    if (s.bars) {
      for (const auto& p : s.points) {
        if (p.second <= 0) continue;
        svg += "<rect x=\"" + num(x(p.first)) + "\" y=\"" + num(y(p.second)) + "\" width=\"2\" height=\"" +
               num(h - bottom - y(p.second)) + "\" fill=\"" + s.color + "\"/>";
      }
    } else if (!s.points.empty()) {
      std::string d;
      for (const auto& p : s.points) d += (d.empty() ? "M" : " L") + num(x(p.first)) + " " + num(y(p.second));
      svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"1.5\"/>";
    }
    svg += "<rect x=\"" + num(left + 10 + 150 * static_cast<double>(si)) + "\" y=\"6\" width=\"10\" height=\"10\" fill=\"" +
           s.color + "\"/><text x=\"" + num(left + 24 + 150 * static_cast<double>(si)) +
           "\" y=\"15\" font-size=\"11\">" + esc(s.name) + "</text>";
  }
  if (with_events) {
    for (const auto& [minute, text] : r.alert_times) {
      svg += "<circle cx=\"" + num(x(minute)) + "\" cy=\"" + num(top + 4) +
             "\" r=\"3\" fill=\"#dc2626\"><title>" + esc(text) + "</title></circle>";
    }
  }
  svg += "</svg></figure>\n";
  return svg;
}

}  // namespace

std::string report_html(const SimReport& r) {
  const double x_max = r.simulated_h * 60;
  std::vector<Series> orders = {{"orders/min", kColors[0], {}, false}, {"oversold units/min", "#dc2626", {}, true}};
  for (size_t m = 0; m < r.orders_per_min.size(); ++m) {
    orders[0].points.push_back({static_cast<double>(m), static_cast<double>(r.orders_per_min[m])});
  }
  for (size_t m = 0; m < r.oversold_per_min.size(); ++m) {
    orders[1].points.push_back({static_cast<double>(m), static_cast<double>(r.oversold_per_min[m])});
  }
  std::vector<Series> queues, calls, limited;
  size_t ci = 0;
  for (const auto& [name, samples] : r.queue_depth) {
    Series s{name, kColors[ci % 6], {}, false};
    for (size_t i = 0; i < samples.size(); ++i) {
      s.points.push_back({static_cast<double>((i + 1) * static_cast<size_t>(r.sample_every_min)),
                          static_cast<double>(samples[i])});
    }
    queues.push_back(s);
    Series c{name, kColors[ci % 6], {}, false}, l{name + " 429s", kColors[ci % 6], {}, true};
    const auto& cs = r.api_calls_per_sample.at(name);
    const auto& ls = r.rate_limited_per_sample.at(name);
    for (size_t i = 0; i < cs.size(); ++i) {
      const double m = static_cast<double>((i + 1) * static_cast<size_t>(r.sample_every_min));
      c.points.push_back({m, static_cast<double>(cs[i])});
      l.points.push_back({m, static_cast<double>(ls[i])});
    }
    calls.push_back(c);
    limited.push_back(l);
    ++ci;
  }
  std::vector<Series> latency = {{"p50", kColors[1], {}, false}, {"p99", kColors[2], {}, false}};
  for (size_t b = 0; b < r.latency_p50_series_s.size(); ++b) {
    const double m = static_cast<double>((b + 1) * static_cast<size_t>(r.latency_bucket_min));
    if (std::isnan(r.latency_p50_series_s[b])) continue;  // no orders finished in this bucket
    latency[0].points.push_back({m, r.latency_p50_series_s[b]});
    latency[1].points.push_back({m, r.latency_p99_series_s[b]});
  }
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>invsync simulation: " +
      esc(r.scenario) + "</title><style>body{font-family:system-ui,sans-serif;margin:24px;color:#111}"
      "figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}"
      "pre{background:#f4f4f5;padding:12px;overflow:auto}</style></head><body>\n";
  html += "<h1>invsync simulation: " + esc(r.scenario) + "</h1>\n";
  html += "<p>policy <b>" + esc(r.policy) + "</b>, seed " + std::to_string(r.seed) +
          ", trace_hash <code>" + hex64(r.trace_hash) + "</code>. Yellow bands: fault windows; red dots: alerts.</p>\n";
  html += "<pre>" + esc(format_summary(r)) + "</pre>\n";
  html += chart("orders", "Orders per minute and oversold units", "per minute", x_max, orders, r, true);
  html += chart("queues", "Queue depth per channel (pending pushes)", "jobs", x_max, queues, r, true);
  html += chart("latency", "Order-to-every-channel latency (non-Amazon)", "seconds", x_max, latency, r, true);
  html += chart("api", "API calls per channel (per " + std::to_string(r.sample_every_min) + " min)", "calls",
                x_max, calls, r, true);
  html += chart("throttled", "429 answers per channel (per " + std::to_string(r.sample_every_min) + " min)",
                "429s", x_max, limited, r, true);
  html += "</body></html>\n";
  return html;
}

}  // namespace invsync::sim
