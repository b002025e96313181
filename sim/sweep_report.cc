#include "sim/sweep_report.h"

#include <algorithm>
#include <cstdio>

namespace invsync::sim {

std::string format_sweep(const std::string& param, const std::vector<SweepPoint>& points) {
  char buf[256];
  std::string out = "sweep of " + param + "\n";
  std::snprintf(buf, sizeof buf, "%-14s %14s %12s %12s %14s %10s\n", "value", "oversold units",
                "lost sales", "lost units", "p99 latency s", "API calls");
  out += buf;
  for (const auto& p : points) {
    const auto& t = p.report.totals;
    std::snprintf(buf, sizeof buf, "%-14s %14lld %12lld %12lld %14.2f %10lld\n", p.value.c_str(),
                  static_cast<long long>(t.oversold_units), static_cast<long long>(t.lost_sales),
                  static_cast<long long>(t.lost_units), p.report.latency_p99_s,
                  static_cast<long long>(p.report.api_calls));
    out += buf;
  }
  return out;
}

std::string sweep_html(const std::string& param, const std::vector<SweepPoint>& points) {
  const double w = 760, h = 320, left = 70, bottom = 50, top = 30, right = 20;
  double y_max = 1;
  for (const auto& p : points) {
    y_max = std::max({y_max, static_cast<double>(p.report.totals.oversold_units),
                      static_cast<double>(p.report.totals.lost_units)});
  }
  y_max *= 1.1;
  const double slot = (w - left - right) / static_cast<double>(std::max<size_t>(1, points.size()));
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 320\" width=\"100%\">";
  char buf[512];
  for (size_t i = 0; i < points.size(); ++i) {
    const double over = static_cast<double>(points[i].report.totals.oversold_units);
    const double lost = static_cast<double>(points[i].report.totals.lost_units);
    const double x0 = left + slot * static_cast<double>(i) + slot * 0.15;
    const double bw = slot * 0.33;
    auto bar = [&](double x, double v, const char* color, const char* what) {
      const double bh = (h - top - bottom) * v / y_max;
      std::snprintf(buf, sizeof buf,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %.0f</title></rect>",
                    x, h - bottom - bh, bw, bh, color, what, v);
      svg += buf;
    };
    bar(x0, over, "#dc2626", "oversold units");
    bar(x0 + bw, lost, "#2563eb", "lost units");
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
                  x0 + bw, h - bottom + 18, points[i].value.c_str());
    svg += buf;
  }
  std::snprintf(buf, sizeof buf,
                "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>"
                "<text x=\"%.0f\" y=\"16\" font-size=\"12\">red: oversold units, blue: lost units (max %.0f)</text>",
                left, h - bottom, w - right, h - bottom, left, y_max / 1.1);
  svg += buf;
  svg += "</svg>";
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>invsync sweep</title>"
         "<style>body{font-family:system-ui,sans-serif;margin:24px}</style></head><body><h1>Sweep of " +
         param + "</h1><figure id=\"sweep\"><figcaption>Oversells against lost sales</figcaption>" + svg +
         "</figure><pre>" + format_sweep(param, points) + "</pre></body></html>\n";
}

}  // namespace invsync::sim
