// The sweep's output: one row per parameter value (oversells against lost sales and what it
// cost), as text and as a self-contained HTML chart: the trade-off a buffer or a rate buys.
#pragma once

#include <string>
#include <vector>

#include "sim/report.h"

namespace invsync::sim {

struct SweepPoint {
  std::string value;
  SimReport report;
};

std::string format_sweep(const std::string& param, const std::vector<SweepPoint>& points);
std::string sweep_html(const std::string& param, const std::vector<SweepPoint>& points);

}  // namespace invsync::sim
