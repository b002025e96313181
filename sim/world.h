// The simulated world: one scenario run from a seed. It builds the four mock platforms, routes the
// unchanged production core (the same app::Service wiring as `invsync serve`) to them over the
// simulated network, drives the workload's customers against the platforms' storefronts, delivers
// the platforms' webhooks to the core's ingest handlers, applies the scenario's fault timeline,
// and lets the Auditor judge every step. Single-threaded, virtual time: a day runs in seconds.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/store/inventory_store.h"
#include "sim/report.h"
#include "sim/scenario.h"

namespace invsync::sim {

enum class Policy : uint8_t { kInvsync, kBaseline };
std::string_view policy_name(Policy p);

struct RunOptions {
  uint64_t seed = 1;
  Policy policy = Policy::kInvsync;
  bool progress = false;  // a progress bar on stderr
  // Builds the hub's store; empty = MemoryStore. (invsync-sim --store postgres passes PgStore.)
  std::function<base::Result<std::unique_ptr<store::InventoryStore>>()> make_store;
  // Test-only: a MemoryStore whose sales skip the stock check (a deliberately broken core).
  bool break_stock_check_for_test = false;
  std::string reproduce_command;  // printed with violations
};

base::Result<SimReport> run_simulation(const Scenario& scenario, const RunOptions& options);

}  // namespace invsync::sim
