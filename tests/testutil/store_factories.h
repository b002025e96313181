// Store factories for tests that run one contract against every InventoryStore implementation.
// The PostgreSQL factory connects to DATABASE_URL (./run test starts a throwaway cluster and sets
// it) and gives each store its own schema, dropped afterwards, so tests can run in parallel.
// When no database is reachable, opening fails with a message saying so: never a silent skip.
#pragma once

#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/store/inventory_store.h"
#include "core/store/memory_store.h"
#include "core/store/pg/pg_store.h"

namespace invsync::testutil {

struct MemoryStoreFactory {
  static constexpr const char* kName = "Memory";
  static base::Result<std::unique_ptr<store::InventoryStore>> open();
  static void close(store::InventoryStore&) {}
  // Empties the store between property cases.
  static base::Status reset(std::unique_ptr<store::InventoryStore>& s);
};

struct PgStoreFactory {
  static constexpr const char* kName = "Postgres";
  static base::Result<std::unique_ptr<store::InventoryStore>> open();
  static void close(store::InventoryStore& s);
  static base::Status reset(std::unique_ptr<store::InventoryStore>& s);
  // A connection to the same schema as `s` (for concurrency tests).
  static base::Result<std::unique_ptr<store::PgStore>> open_sibling(const store::InventoryStore& s);
};

// A fresh, unique schema name for this process.
std::string unique_schema_name();
// DATABASE_URL or empty.
std::string database_url();

}  // namespace invsync::testutil
