// The store race demo (`invsync demo-race`): four channel threads, each with its own PostgreSQL
// connection, sell a small catalogue with few units per SKU at the same time, with duplicate
// webhook deliveries mixed in. It shows what the hub guarantees before any sync runs: no count
// below zero, every missing unit recorded as oversold (never hidden), duplicates applied once,
// and the outbox coalescing many orders into one pending push per channel and SKU.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/status.h"

namespace invsync::app {

struct StoreRaceOptions {
  std::string database_url;
  std::string schema = "invsync_demo";
  uint64_t seed = 1;
  int32_t sku_count = 40;
  int32_t orders_per_channel = 120;
  int32_t duplicate_percent = 3;
};

// Prints its report on stdout. Fails with a Status if the database is unreachable or an invariant
// does not hold (which would be a bug).
base::Status run_store_race_demo(const StoreRaceOptions& options);

}  // namespace invsync::app
