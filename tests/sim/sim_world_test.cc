// The simulated world end to end: determinism, the auditor catching a deliberately broken core,
// strict scenario errors, every shipped scenario parsing, and the invsync-sim CLI (--compare,
// sweep, bad files) and its self-contained HTML report.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/store/forwarding_store.h"
#include "core/store/memory_store.h"
#include "sim/report.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace invsync::sim {
namespace {

const std::string kSourceDir = INVSYNC_SOURCE_DIR;
const std::string kSimBinary = INVSYNC_SIM_BINARY;

// A small, fast scenario: 2 h of orders on 60 SKUs with a steep flash sale on low-stock SKUs (so
// that channels sell beyond the stock and a broken store check shows), half an hour of drain.
constexpr const char* kSmallScenario = R"json({
  "name": "small",
  "seed": 77,
  "duration_h": 2,
  "drain_h": 0.5,
  "catalog": {"sku_count": 60, "zipf_s": 1.0, "low_stock_percent": 80,
              "low_stock_units_min": 1, "low_stock_units_max": 3,
              "high_stock_units_min": 10, "high_stock_units_max": 30},
  "orders": {"rate_curve": [{"at_h": 0, "orders_per_h": 120}, {"at_h": 2, "orders_per_h": 120}],
             "single_unit_percent": 80, "quantity_max": 3, "cancel_percent": 5,
             "cancel_delay_s_min": 60, "cancel_delay_s_max": 600},
  "flash_sales": [{"start_h": 0.5, "duration_min": 20, "multiplier": 40, "sku_count": 6,
                   "sku_offset": 2}],
  "restocks": [{"at_h": 1, "sku_count": 5, "units": 4}],
  "channels": [
    {"platform": "shopify", "share_percent": 40, "rate_per_s": 2, "burst": 40},
    {"platform": "amazon", "share_percent": 30, "rate_per_s": 2, "burst": 30,
     "feed_dwell_s_min": 60, "feed_dwell_s_max": 300},
    {"platform": "etsy", "share_percent": 10, "rate_per_s": 10, "burst": 10},
    {"platform": "woocommerce", "share_percent": 20, "rate_per_s": 5, "burst": 5}
  ],
  "sync": {"reconcile_interval_s": 600, "retry_delays_s": [30, 120]},
  "faults": [{"label": "woo down", "channel": "woocommerce", "start_h": 0.6, "end_h": 0.8,
              "set": {"outage": "http_503"}}]
})json";

Scenario small_scenario() {
  auto s = parse_scenario(kSmallScenario, "small.json");
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return *s;
}

SimReport run(const Scenario& s, uint64_t seed, bool broken = false) {
  RunOptions o;
  o.seed = seed;
  o.break_stock_check_for_test = broken;
  o.reproduce_command = "invsync-sim " + s.path + " --seed " + std::to_string(seed);
  auto r = run_simulation(s, o);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : SimReport{};
}

// Replaces the first `from` in `text` (which must be there) with `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

struct Command {
  int exit_code = -1;
  std::string out;
};

// Runs `command` through the shell; `out` is its stdout (append "2>&1" to see stderr too).
Command shell(const std::string& command) {
  Command c;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return c;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) c.out.append(buf, n);
  const int status = ::pclose(p);
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return c;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sim_world_test.XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file) << text;
    return file;
  }

 private:
  std::string path_;
};

// --- 1. determinism ---

TEST(SimWorld, SameSeedSameTraceHashOtherSeedAnotherHash) {
  const Scenario s = small_scenario();
  const SimReport a = run(s, 5);
  const SimReport b = run(s, 5);
  const SimReport c = run(s, 6);
  EXPECT_GT(a.totals.orders_accepted, 50);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.totals.orders_accepted, b.totals.orders_accepted);
  EXPECT_EQ(a.totals.oversold_units, b.totals.oversold_units);
  EXPECT_EQ(a.events_executed, b.events_executed);
  EXPECT_NE(a.trace_hash, c.trace_hash);
  EXPECT_TRUE(a.violations.empty()) << format_summary(a);
}

// --- 2. the auditor catches a broken core ---

// A store that loses one unit of every delivery (restock) but reports the full quantity applied:
// a broken core the auditor must catch by conservation, while the master never goes negative.
// It owns the MemoryStore it forwards to (a base declared first, so it exists before the
// ForwardingStore base refers to it).
struct OwnedMemoryStore {
  store::MemoryStore memory;
};

class ShortRestockStore final : private OwnedMemoryStore, public store::ForwardingStore {
 public:
  ShortRestockStore() : ForwardingStore(memory) {}
  base::Result<std::vector<domain::EventResult>> apply_orders(
      std::span<const domain::OrderEvent> events, base::WallTime now) override {
    std::vector<domain::OrderEvent> shorted(events.begin(), events.end());
    std::vector<bool> cut(shorted.size(), false);
    for (size_t i = 0; i < shorted.size(); ++i) {
      if (shorted[i].key.kind == domain::EventKind::kRestock && shorted[i].quantity.units() > 1) {
        shorted[i].quantity = domain::Quantity(shorted[i].quantity.units() - 1);
        cut[i] = true;
      }
    }
    auto results = target().apply_orders(shorted, now);
    if (!results.ok()) return results;
    for (size_t i = 0; i < results->size(); ++i) {
      auto& r = (*results)[i];
      if (cut[i] && r.outcome == domain::EventOutcome::kApplied) {
        r.applied_units = domain::Quantity(r.applied_units.units() + 1);
        ++units_lost_;
      }
    }
    return results;
  }
  static int64_t units_lost_;  // across instances: the world owns the store it is given
};
int64_t ShortRestockStore::units_lost_ = 0;

TEST(SimWorld, BrokenStoreIsAConservationViolationWithAReproduceLine) {
  const Scenario s = small_scenario();
  ShortRestockStore::units_lost_ = 0;
  RunOptions o;
  o.seed = 5;
  o.reproduce_command = "invsync-sim small.json --seed 5";
  o.make_store = []() -> base::Result<std::unique_ptr<store::InventoryStore>> {
    return std::unique_ptr<store::InventoryStore>(std::make_unique<ShortRestockStore>());
  };
  auto r = run_simulation(s, o);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_GT(ShortRestockStore::units_lost_, 0) << "the scenario's restock must reach the store";
  ASSERT_FALSE(r->violations.empty()) << format_summary(*r);
  EXPECT_NE(r->violations.front().what.find("conservation broken on SKU-"), std::string::npos)
      << r->violations.front().what;
  EXPECT_EQ(r->reproduce, "invsync-sim small.json --seed 5");
  const std::string summary = format_summary(*r);
  EXPECT_NE(summary.find("INVARIANT VIOLATIONS"), std::string::npos) << summary;
  EXPECT_NE(summary.find("reproduce: invsync-sim small.json --seed 5"), std::string::npos)
      << summary;
  EXPECT_NE(report_json(*r).find("\"reproduce\": \"invsync-sim small.json --seed 5\""),
            std::string::npos);
  // A healthy run of the same seed prints no reproduce line.
  const SimReport healthy = run(s, 5);
  EXPECT_TRUE(healthy.violations.empty()) << format_summary(healthy);
  EXPECT_EQ(format_summary(healthy).find("reproduce:"), std::string::npos);
}

// A core whose sales skip the stock check drives a master negative: the auditor must report it
// (with a reproduce line) rather than the run aborting.
TEST(SimWorldDeathTest, BrokenStockCheckIsReportedNotAborted) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Scenario s = small_scenario();
  EXPECT_EXIT(
      {
        const SimReport r = run(s, 5, /*broken=*/true);
        std::fputs(format_summary(r).c_str(), stderr);
        bool negative = false;
        for (const Violation& v : r.violations) {
          negative = negative || v.what.find("negative") != std::string::npos ||
                     v.what.find("conservation") != std::string::npos;
        }
        std::exit(negative ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "reproduce: invsync-sim small.json --seed 5");
}

// --- 3. malformed scenarios: one clear error naming the key path ---

struct BadCase {
  const char* what;
  const char* from;
  const char* to;
  const char* expected;  // in the error message
};

const BadCase kBadCases[] = {
    {"unknown key", "\"zipf_s\": 1.0,", "\"zipf_s\": 1.0, \"zipf_q\": 2,",
     "$.catalog.zipf_q: unknown key"},
    {"unknown top-level key", "\"drain_h\": 0.5,", "\"drain_h\": 0.5, \"drain_hours\": 1,",
     "$.drain_hours: unknown key"},
    {"wrong type", "\"duration_h\": 2,", "\"duration_h\": \"2\",",
     "$.duration_h: must be a number"},
    {"wrong type in an array element", "\"burst\": 30,", "\"burst\": 2.5,",
     "$.channels[1].burst: must be a whole number"},
    {"out of range", "\"rate_per_s\": 10,", "\"rate_per_s\": 0,", "$.channels[2].rate_per_s"},
    {"out of range percent", "\"cancel_percent\": 5,", "\"cancel_percent\": 101,",
     "$.orders.cancel_percent: must be between 0 and 100"},
    {"shares not adding to 100", "\"share_percent\": 40,", "\"share_percent\": 41,",
     "$.channels: share_percent must add up to 100"},
    {"out of range, platform-specific key", "\"platform\": \"etsy\", \"share_percent\": 10",
     "\"platform\": \"etsy\", \"share_percent\": 10, \"daily_request_limit\": 0",
     "$.channels[2].daily_request_limit"},
};

TEST(SimScenario, MalformedFilesGiveOneErrorNamingTheKeyPath) {
  for (const BadCase& c : kBadCases) {
    SCOPED_TRACE(c.what);
    const std::string text = replaced(kSmallScenario, c.from, c.to);
    auto s = parse_scenario(text, "bad.json");
    ASSERT_FALSE(s.ok());
    const std::string msg = s.status().message();
    EXPECT_EQ(msg.rfind("bad.json: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one error, one line: " << msg;
  }
  // Not JSON at all.
  auto s = parse_scenario("{\"name\": ", "bad.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("bad.json"), std::string::npos);
  // Consistency checks name the key, too.
  s = parse_scenario(replaced(kSmallScenario, "\"low_stock_units_max\": 3",
                              "\"low_stock_units_max\": 0"), "bad.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("$.catalog.low_stock_units_min"), std::string::npos);
  s = parse_scenario(replaced(kSmallScenario, "\"end_h\": 0.8", "\"end_h\": 0.5"), "bad.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("$.faults[0].end_h: must be after start_h"),
            std::string::npos) << s.status().message();
}

TEST(SimCli, BadScenarioFileExitsTwoAndNamesThePathOnStderr) {
  TempDir dir;
  const std::string bad = dir.write(
      "bad.json", replaced(kSmallScenario, "\"rate_per_s\": 10,", "\"rate_per_s\": -1,"));
  // stdout to /dev/null, stderr into the pipe: the message must be on stderr.
  const Command c = shell(kSimBinary + " " + bad + " 2>&1 >/dev/null");
  EXPECT_EQ(c.exit_code, 2) << c.out;
  EXPECT_NE(c.out.find(bad + ": $.channels[2].rate_per_s: must be between"), std::string::npos)
      << c.out;
  EXPECT_EQ(std::count(c.out.begin(), c.out.end(), '\n'), 1) << "one line: " << c.out;
  const std::string unknown = dir.write(
      "unknown.json", replaced(kSmallScenario, "\"sync\": {", "\"sync\": {\"retries\": 3, "));
  const Command u = shell(kSimBinary + " " + unknown + " 2>&1 >/dev/null");
  EXPECT_EQ(u.exit_code, 2) << u.out;
  EXPECT_NE(u.out.find("$.sync.retries: unknown key"), std::string::npos) << u.out;
  const Command missing = shell(kSimBinary + " " + dir.write("x", "") + ".nope 2>&1 >/dev/null");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
}

// --- 4. every shipped scenario parses ---

TEST(SimScenario, EveryShippedScenarioParses) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kSourceDir + "/scenarios")) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 7u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    auto s = load_scenario(f);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    EXPECT_FALSE(s->name.empty());
    EXPECT_EQ(std::filesystem::path(f).stem().string(), s->name) << "file name = scenario name";
  }
}

// --- 5. --compare ---

TEST(SimCli, CompareOnTheCaseStudyPrintsBothPolicies) {
  const Command c =
      shell(kSimBinary + " " + kSourceDir + "/scenarios/case-study.json --compare 2>/dev/null");
  EXPECT_EQ(c.exit_code, 0) << c.out;
  EXPECT_NE(c.out.find("policy invsync"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("policy baseline"), std::string::npos) << c.out;
  const size_t table = c.out.find("same seed and workload");
  ASSERT_NE(table, std::string::npos) << c.out;
  const std::string rows = c.out.substr(table);
  for (const char* row : {"invsync", "baseline", "oversold units", "orders with an oversell",
                          "lost sales (orders)", "latency p50 (s, non-Amazon)",
                          "latency p99 (s, non-Amazon)", "API calls per order", "peak queue depth",
                          "convergence mismatches at the end"}) {
    EXPECT_NE(rows.find(row), std::string::npos) << row << "\n" << rows;
  }
}

// --- 6. sweep ---

TEST(SimCli, SweepPrintsARowPerValue) {
  const Command c = shell(kSimBinary + " sweep " + kSourceDir +
                          "/scenarios/case-study.json --param channels.woocommerce.buffer_units "
                          "--values 0,2 2>/dev/null");
  EXPECT_EQ(c.exit_code, 0) << c.out;
  EXPECT_NE(c.out.find("sweep of channels.woocommerce.buffer_units"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("oversold units"), std::string::npos) << c.out;
  std::vector<std::string> value_rows;
  size_t start = 0;
  while (start < c.out.size()) {
    size_t end = c.out.find('\n', start);
    if (end == std::string::npos) end = c.out.size();
    const std::string line = c.out.substr(start, end - start);
    if (line.rfind("0 ", 0) == 0 || line.rfind("2 ", 0) == 0) value_rows.push_back(line);
    start = end + 1;
  }
  ASSERT_EQ(value_rows.size(), 2u) << c.out;
  EXPECT_EQ(value_rows[0][0], '0');
  EXPECT_EQ(value_rows[1][0], '2');
  // A parameter that does not exist is a usage error naming it.
  const Command bad = shell(kSimBinary + " sweep " + kSourceDir +
                            "/scenarios/case-study.json --param channels.ebay.buffer_units "
                            "--values 1 2>&1 >/dev/null");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("ebay"), std::string::npos) << bad.out;
}

// --- 7. the HTML report is self-contained ---

TEST(SimReportHtml, SelfContainedWithAnSvgPerChart) {
  const SimReport r = run(small_scenario(), 5);
  const std::string html = report_html(r);
  std::string rest = html;
  const std::string xmlns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (size_t at; (at = rest.find(xmlns)) != std::string::npos;) rest.erase(at, xmlns.size());
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
  EXPECT_EQ(rest.find("<script src"), std::string::npos);
  EXPECT_EQ(rest.find("<link"), std::string::npos);
  for (const char* id : {"orders", "queues", "latency", "api", "throttled"}) {
    SCOPED_TRACE(id);
    const size_t fig = html.find(std::string("<figure id=\"") + id + "\"");
    ASSERT_NE(fig, std::string::npos);
    const size_t svg = html.find("<svg", fig);
    const size_t end = html.find("</figure>", fig);
    ASSERT_NE(svg, std::string::npos);
    EXPECT_LT(svg, end) << "the chart's <svg> is inside its figure";
    EXPECT_LT(html.find("</svg>", svg), end);
  }
  size_t svgs = 0;
  for (size_t at = 0; (at = html.find("<svg", at)) != std::string::npos; ++at) ++svgs;
  EXPECT_EQ(svgs, 5u);
  EXPECT_NE(html.find(hex64(r.trace_hash)), std::string::npos);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace invsync::sim
