// invsync-sim: the deterministic workbench.
//   invsync-sim SCENARIO [--seed N] [--policy invsync|baseline] [--compare] [--json FILE]
//               [--html FILE] [--store memory|postgres] [--rate-percent P]
//   invsync-sim sweep SCENARIO --param PATH --values A,B,C [--seed N] [--html FILE]
//   invsync-sim check --seeds N [--rate-percent P] [--sku-percent P] SCENARIO...
// Exit status: 0 fine, 1 an invariant was violated (a `reproduce:` line says how to replay it),
// 2 bad usage or a bad scenario file (the message names the key path).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/store/pg/pg_store.h"
#include "sim/report.h"
#include "sim/scenario.h"
#include "sim/sweep_report.h"
#include "sim/world.h"

#ifndef INVSYNC_GIT_SHA
#define INVSYNC_GIT_SHA "unknown"
#endif

namespace {

using namespace invsync;

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool compare = false;
};

constexpr const char* kUsage =
    "usage: invsync-sim SCENARIO [--seed N] [--policy invsync|baseline] [--compare]\n"
    "                   [--json FILE] [--html FILE] [--store memory|postgres] [--rate-percent P]\n"
    "       invsync-sim sweep SCENARIO --param PATH --values A,B,C [--seed N] [--html FILE]\n"
    "       invsync-sim check --seeds N [--rate-percent P] [--sku-percent P] SCENARIO...\n";

int usage(const std::string& why) {
  std::fprintf(stderr, "invsync-sim: %s\n%s", why.c_str(), kUsage);
  return 2;
}

std::optional<Args> parse_args(int argc, char** argv, std::string* error) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--compare") {
      a.compare = true;
    } else if (s.rfind("--", 0) == 0) {
      if (i + 1 >= argc) {
        *error = s + " needs a value";
        return std::nullopt;
      }
      a.flags[s.substr(2)] = argv[++i];
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

bool parse_u64(const std::string& s, uint64_t* out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19) return false;
  *out = std::stoull(s);
  return true;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

void scale_rate(sim::Scenario* s, uint64_t percent) {
  for (auto& p : s->rate_curve) p.orders_per_h = p.orders_per_h * static_cast<double>(percent) / 100.0;
}

// A smaller catalogue (at least 20 SKUs) for bounded checks: flash sales and restocks shrink with
// it so they still fit. Reconciliation reads every listing, so this is what bounds a check's time.
void scale_skus(sim::Scenario* s, uint64_t percent) {
  if (percent >= 100) return;
  const int64_t n = std::max<int64_t>(20, s->sku_count * static_cast<int64_t>(percent) / 100);
  const int64_t scale = std::max<int64_t>(1, s->sku_count / n);
  s->sku_count = n;
  for (auto& f : s->flash_sales) {
    f.sku_offset = std::min(n - 1, f.sku_offset / scale);
    f.sku_count = std::max<int64_t>(1, std::min(n - f.sku_offset, f.sku_count / scale));
  }
  for (auto& r : s->restocks) r.sku_count = std::max<int64_t>(1, std::min(n, r.sku_count / scale));
}

std::string reproduce_line(const std::string& path, uint64_t seed, const std::string& policy,
                           uint64_t rate_percent) {
  std::string line = "invsync-sim " + path + " --seed " + std::to_string(seed) + " --policy " + policy;
  if (rate_percent != 100) line += " --rate-percent " + std::to_string(rate_percent);
  return line + " (git " INVSYNC_GIT_SHA ")";
}

base::Result<std::unique_ptr<store::InventoryStore>> make_pg_store() {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    return base::Status::invalid_argument("--store postgres needs DATABASE_URL");
  }
  auto s = store::PgStore::connect({.url = url, .schema = "sim_" + std::to_string(::getpid())});
  if (!s.ok()) return s.status();
  auto migrated = (*s)->migrate();
  if (!migrated.ok()) return migrated.status();
  INVSYNC_RETURN_IF_ERROR((*s)->truncate_all_for_test());
  return std::unique_ptr<store::InventoryStore>(std::move(s).value());
}

int run_one(const Args& a) {
  if (a.positional.size() != 1) return usage("expected one SCENARIO file");
  auto scenario = sim::load_scenario(a.positional[0]);
  if (!scenario.ok()) {
    std::fprintf(stderr, "invsync-sim: %s\n", scenario.status().message().c_str());
    return 2;
  }
  uint64_t seed = scenario->seed, rate_percent = 100;
  if (a.flags.count("seed") && !parse_u64(a.flags.at("seed"), &seed)) return usage("--seed needs a whole number");
  if (a.flags.count("rate-percent") && !parse_u64(a.flags.at("rate-percent"), &rate_percent)) {
    return usage("--rate-percent needs a whole number");
  }
  scale_rate(&*scenario, rate_percent);
  const std::string policy = a.flags.count("policy") ? a.flags.at("policy") : "invsync";
  if (policy != "invsync" && policy != "baseline") return usage("--policy is invsync or baseline");
  const std::string store = a.flags.count("store") ? a.flags.at("store") : "memory";
  if (store != "memory" && store != "postgres") return usage("--store is memory or postgres");
  for (const auto& [k, v] : a.flags) {
    if (k != "seed" && k != "policy" && k != "json" && k != "html" && k != "store" && k != "rate-percent") {
      return usage("unknown flag --" + k);
    }
  }
  std::printf("invsync-sim: scenario %s, seed %llu\n", scenario->name.c_str(),
              static_cast<unsigned long long>(seed));
  auto run = [&](sim::Policy p) {
    sim::RunOptions o;
    o.seed = seed;
    o.policy = p;
    o.progress = true;
    if (store == "postgres") o.make_store = make_pg_store;
    o.reproduce_command = reproduce_line(a.positional[0], seed, std::string(sim::policy_name(p)), rate_percent);
    return sim::run_simulation(*scenario, o);
  };
  const sim::Policy main_policy = policy == "baseline" ? sim::Policy::kBaseline : sim::Policy::kInvsync;
  auto report = run(a.compare ? sim::Policy::kInvsync : main_policy);
  if (!report.ok()) {
    std::fprintf(stderr, "invsync-sim: %s\n", report.status().to_string().c_str());
    return 2;
  }
  std::fputs(sim::format_summary(*report).c_str(), stdout);
  bool violated = !report->violations.empty();
  if (a.compare) {
    auto baseline = run(sim::Policy::kBaseline);
    if (!baseline.ok()) {
      std::fprintf(stderr, "invsync-sim: %s\n", baseline.status().to_string().c_str());
      return 2;
    }
    std::fputs(sim::format_summary(*baseline).c_str(), stdout);
    std::printf("\n%s", sim::format_comparison(*report, *baseline).c_str());
    // The baseline is the design being replaced: its failures to converge are findings, not a
    // failed run. The exit status judges the invsync policy.
    if (!baseline->violations.empty()) {
      std::printf("(the baseline policy's %zu violations above are part of the comparison)\n",
                  baseline->violations.size());
    }
  }
  if (a.flags.count("json") && !write_file(a.flags.at("json"), sim::report_json(*report))) {
    std::fprintf(stderr, "invsync-sim: cannot write %s\n", a.flags.at("json").c_str());
    return 2;
  }
  if (a.flags.count("html")) {
    if (!write_file(a.flags.at("html"), sim::report_html(*report))) {
      std::fprintf(stderr, "invsync-sim: cannot write %s\n", a.flags.at("html").c_str());
      return 2;
    }
    std::printf("HTML report: %s\n", a.flags.at("html").c_str());
  }
  return violated ? 1 : 0;
}

int run_sweep(const Args& a) {
  if (a.positional.size() != 2) return usage("sweep needs one SCENARIO");
  if (!a.flags.count("param") || !a.flags.count("values")) return usage("sweep needs --param and --values");
  std::vector<std::string> values;
  std::stringstream ss(a.flags.at("values"));
  for (std::string v; std::getline(ss, v, ',');) values.push_back(v);
  if (values.empty()) return usage("--values is empty");
  std::vector<sim::SweepPoint> points;
  bool violated = false;
  for (const std::string& v : values) {
    auto scenario = sim::load_scenario_with(a.positional[1], a.flags.at("param"), v);
    if (!scenario.ok()) {
      std::fprintf(stderr, "invsync-sim: %s\n", scenario.status().message().c_str());
      return 2;
    }
    uint64_t seed = scenario->seed;
    if (a.flags.count("seed") && !parse_u64(a.flags.at("seed"), &seed)) return usage("--seed needs a whole number");
    sim::RunOptions o;
    o.seed = seed;
    o.reproduce_command = reproduce_line(a.positional[1], seed, "invsync", 100) + " with " +
                          a.flags.at("param") + "=" + v;
    auto r = sim::run_simulation(*scenario, o);
    if (!r.ok()) {
      std::fprintf(stderr, "invsync-sim: %s\n", r.status().to_string().c_str());
      return 2;
    }
    violated = violated || !r->violations.empty();
    points.push_back({v, *r});
  }
  std::fputs(sim::format_sweep(a.flags.at("param"), points).c_str(), stdout);
  if (a.flags.count("html")) {
    if (!write_file(a.flags.at("html"), sim::sweep_html(a.flags.at("param"), points))) return 2;
    std::printf("HTML report: %s\n", a.flags.at("html").c_str());
  }
  return violated ? 1 : 0;
}

int run_check(const Args& a) {
  uint64_t seeds = 0, rate_percent = 100;
  if (!a.flags.count("seeds") || !parse_u64(a.flags.at("seeds"), &seeds) || seeds == 0) {
    return usage("check needs --seeds N (N >= 1)");
  }
  if (a.flags.count("rate-percent") && !parse_u64(a.flags.at("rate-percent"), &rate_percent)) {
    return usage("--rate-percent needs a whole number");
  }
  uint64_t sku_percent = 100;
  if (a.flags.count("sku-percent") &&
      (!parse_u64(a.flags.at("sku-percent"), &sku_percent) || sku_percent == 0 || sku_percent > 100)) {
    return usage("--sku-percent needs a whole number from 1 to 100");
  }
  if (a.positional.size() < 2) return usage("check needs at least one SCENARIO");
  int failures = 0, runs = 0;
  for (size_t f = 1; f < a.positional.size(); ++f) {
    auto scenario = sim::load_scenario(a.positional[f]);
    if (!scenario.ok()) {
      std::fprintf(stderr, "invsync-sim: %s\n", scenario.status().message().c_str());
      return 2;
    }
    scale_rate(&*scenario, rate_percent);
    scale_skus(&*scenario, sku_percent);
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
      sim::RunOptions o;
      o.seed = seed;
      o.reproduce_command = reproduce_line(a.positional[f], seed, "invsync", rate_percent) +
                            (sku_percent == 100 ? "" : " with check --sku-percent " +
                                                           std::to_string(sku_percent));
      auto r = sim::run_simulation(*scenario, o);
      ++runs;
      if (!r.ok()) {
        std::fprintf(stderr, "invsync-sim: %s\n", r.status().to_string().c_str());
        return 2;
      }
      const bool bad = !r->violations.empty();
      std::printf("%s seed %llu: %s, %lld orders, %lld oversold units, trace_hash %s (%.1f s)\n",
                  a.positional[f].c_str(), static_cast<unsigned long long>(seed), bad ? "FAIL" : "ok",
                  static_cast<long long>(r->totals.orders_accepted),
                  static_cast<long long>(r->totals.oversold_units), sim::hex64(r->trace_hash).c_str(),
                  r->wall_s);
      if (bad) {
        ++failures;
        std::printf("  %s\n  reproduce: %s\n", r->violations.front().what.c_str(), r->reproduce.c_str());
      }
    }
  }
  std::printf("%d passed, %d failed\n", runs - failures, failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto args = parse_args(argc, argv, &error);
  if (!args) return usage(error);
  if (args->positional.empty()) return usage("no SCENARIO given");
  if (args->positional[0] == "sweep") return run_sweep(*args);
  if (args->positional[0] == "check") return run_check(*args);
  return run_one(*args);
}
