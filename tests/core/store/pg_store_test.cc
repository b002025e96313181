// PostgreSQL-only behaviour: migrations, the schema's own guard rails, concurrency on a hot SKU,
// and what happens when the database cannot be reached.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/testutil/store_factories.h"

namespace invsync::store {
namespace {

using base::WallTime;
using domain::ChannelId;
using domain::EventKind;
using domain::OrderEvent;
using domain::Quantity;
using domain::Sku;

const WallTime kT0 = WallTime::from_unix_s(1'800'000'000);

std::unique_ptr<PgStore> connect_fresh_schema() {
  const std::string url = testutil::database_url();
  EXPECT_FALSE(url.empty()) << "DATABASE_URL is not set: run the tests through ./run test";
  if (url.empty()) return nullptr;
  auto s = PgStore::connect({.url = url, .schema = testutil::unique_schema_name()});
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(PgStore, MigrationsApplyInOrderExactlyOnce) {
  auto s = connect_fresh_schema();
  ASSERT_NE(s, nullptr);
  auto first = s->migrate();
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  ASSERT_EQ(first->size(), embedded_migrations().size());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i], embedded_migrations()[i].version);
  }
  auto second = s->migrate();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  EXPECT_TRUE(s->drop_schema_for_test().ok());
}

TEST(PgStore, ConcurrentMigrationsDoNotRace) {
  ASSERT_FALSE(testutil::database_url().empty()) << "DATABASE_URL is not set";
  // Four connections to one schema migrate at once: exactly one applies each version.
  std::atomic<int> applied{0}, failed{0};
  std::vector<std::thread> threads;
  const std::string url = testutil::database_url();
  const std::string schema = "t_race_" + testutil::unique_schema_name();
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto s = PgStore::connect({.url = url, .schema = schema});
      if (!s.ok()) {
        ++failed;
        return;
      }
      auto r = (*s)->migrate();
      if (!r.ok()) {
        ++failed;
        return;
      }
      applied += static_cast<int>(r->size());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(embedded_migrations().size()));
  auto cleanup = PgStore::connect({.url = url, .schema = schema});
  ASSERT_TRUE(cleanup.ok());
  EXPECT_TRUE((*cleanup)->drop_schema_for_test().ok());
}

TEST(PgStore, UnreachableDatabaseIsUnavailableNotACrash) {
  auto s = PgStore::connect({.url = "postgresql://postgres@127.0.0.1:1/none",
                             .connect_timeout = base::Duration::seconds(2)});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().is_unavailable()) << s.status().to_string();
  EXPECT_NE(s.status().message().find("cannot connect"), std::string::npos);
  EXPECT_TRUE(PgStore::connect({.url = ""}).status().is_invalid_argument());
}

// At least 8 connections sell one hot SKU with limited stock at once: the applied units equal the
// stock exactly, every other unit is recorded as oversold, the master ends at 0, and a reader
// polling throughout never sees it below 0.
TEST(PgStore, HotSkuUnderEightConnectionsSellsExactlyTheStock) {
  auto opened = testutil::PgStoreFactory::open();
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  std::unique_ptr<InventoryStore> base_store = std::move(opened).value();
  constexpr int64_t kStock = 300;
  constexpr int kConnections = 8;
  constexpr int kOrdersPerConnection = 120;  // 960 units wanted for 300 in stock
  const Sku hot = Sku::from_trusted("HOT-1");
  std::vector<ProductSpec> p = {{hot, Quantity(kStock)}};
  ASSERT_TRUE(base_store->upsert_products(p, kT0).ok());
  for (const char* ch : {"shopify:a", "amazon:a", "etsy:a", "woocommerce:a"}) {
    ASSERT_TRUE(base_store->upsert_listing({.channel = ChannelId::from_trusted(ch), .sku = hot}).ok());
  }
  std::atomic<int64_t> applied{0}, oversold{0}, errors{0}, negative_reads{0}, reads{0};
  std::atomic<bool> done{false};
  std::thread reader([&] {
    auto s = testutil::PgStoreFactory::open_sibling(*base_store);
    if (!s.ok()) {
      ++errors;
      return;
    }
    while (!done.load()) {
      auto prod = (*s)->product(hot);
      if (!prod.ok()) {
        ++errors;
        continue;
      }
      ++reads;
      if (prod->master.is_negative()) ++negative_reads;
    }
  });
  std::vector<std::thread> sellers;
  for (int c = 0; c < kConnections; ++c) {
    sellers.emplace_back([&, c] {
      auto s = testutil::PgStoreFactory::open_sibling(*base_store);
      if (!s.ok()) {
        ++errors;
        return;
      }
      const auto channel = ChannelId::from_trusted(c % 2 == 0 ? "shopify:a" : "amazon:a");
      for (int n = 0; n < kOrdersPerConnection;) {
        // Odd connections send small batches (group commit), even ones single events.
        const int batch = c % 2 == 0 ? 1 : 4;
        std::vector<OrderEvent> events;
        for (int b = 0; b < batch && n < kOrdersPerConnection; ++b, ++n) {
          events.push_back({{channel, "C" + std::to_string(c) + "-" + std::to_string(n), "1",
                             EventKind::kSale},
                            hot, Quantity(1), ""});
        }
        auto r = (*s)->apply_orders(events, kT0);
        if (!r.ok()) {
          ++errors;
          ADD_FAILURE() << r.status().to_string();
          return;
        }
        for (const auto& res : *r) {
          applied += res.applied_units.units();
          oversold += res.oversold_units.units();
          if (res.master_after.is_negative()) ++negative_reads;
        }
      }
    });
  }
  for (auto& t : sellers) t.join();
  done = true;
  reader.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(applied.load(), kStock);
  EXPECT_EQ(oversold.load(), int64_t{kConnections} * kOrdersPerConnection - kStock);
  EXPECT_EQ(negative_reads.load(), 0);
  EXPECT_GT(reads.load(), 0);
  auto prod = base_store->product(hot);
  ASSERT_TRUE(prod.ok());
  EXPECT_EQ(prod->master, Quantity(0));
  // The store's own record agrees with what the callers were told.
  auto events = base_store->events_for_sku(hot, 100000);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), static_cast<size_t>(kConnections * kOrdersPerConnection));
  int64_t recorded_applied = 0, recorded_oversold = 0;
  for (const auto& e : *events) {
    recorded_applied += e.applied_units.units();
    recorded_oversold += e.oversold_units.units();
  }
  EXPECT_EQ(recorded_applied, kStock);
  EXPECT_EQ(recorded_oversold, oversold.load());
  // 960 orders, 4 listings: still only one pending job per channel.
  auto jobs = base_store->list_jobs(std::nullopt);
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(jobs->size(), 4u);
  testutil::PgStoreFactory::close(*base_store);
}

}  // namespace
}  // namespace invsync::store
