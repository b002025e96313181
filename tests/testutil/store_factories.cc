#include "tests/testutil/store_factories.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <unistd.h>

namespace invsync::testutil {
namespace {
std::mutex& schema_mutex() {
  static std::mutex m;
  return m;
}
std::map<const store::InventoryStore*, std::string>& schemas() {
  static std::map<const store::InventoryStore*, std::string> m;
  return m;
}
}  // namespace

std::string database_url() {
  const char* url = std::getenv("DATABASE_URL");
  return url == nullptr ? "" : url;
}

std::string unique_schema_name() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(salt) + "_" +
         std::to_string(counter.fetch_add(1));
}

base::Result<std::unique_ptr<store::InventoryStore>> MemoryStoreFactory::open() {
  return std::unique_ptr<store::InventoryStore>(std::make_unique<store::MemoryStore>());
}

base::Status MemoryStoreFactory::reset(std::unique_ptr<store::InventoryStore>& s) {
  s = std::make_unique<store::MemoryStore>();
  return base::Status();
}

base::Result<std::unique_ptr<store::InventoryStore>> PgStoreFactory::open() {
  const std::string url = database_url();
  if (url.empty()) {
    return base::Status::unavailable(
        "PostgreSQL tests need DATABASE_URL; `./run test` starts a throwaway cluster and sets it "
        "(scripts/pg-throwaway start prints the exports for running tests by hand)");
  }
  const std::string schema = unique_schema_name();
  auto s = store::PgStore::connect({.url = url, .schema = schema});
  if (!s.ok()) return s.status();
  auto migrated = (*s)->migrate();
  if (!migrated.ok()) return migrated.status();
  std::unique_ptr<store::InventoryStore> out = std::move(s).value();
  std::lock_guard lock(schema_mutex());
  schemas()[out.get()] = schema;
  return out;
}

void PgStoreFactory::close(store::InventoryStore& s) {
  auto& pg = dynamic_cast<store::PgStore&>(s);
  (void)pg.drop_schema_for_test();
  std::lock_guard lock(schema_mutex());
  schemas().erase(&s);
}

base::Status PgStoreFactory::reset(std::unique_ptr<store::InventoryStore>& s) {
  return dynamic_cast<store::PgStore&>(*s).truncate_all_for_test();
}

base::Result<std::unique_ptr<store::PgStore>> PgStoreFactory::open_sibling(
    const store::InventoryStore& s) {
  std::string schema;
  {
    std::lock_guard lock(schema_mutex());
    auto it = schemas().find(&s);
    if (it == schemas().end()) return base::Status::not_found("not a PgStoreFactory store");
    schema = it->second;
  }
  return store::PgStore::connect({.url = database_url(), .schema = schema});
}

}  // namespace invsync::testutil
