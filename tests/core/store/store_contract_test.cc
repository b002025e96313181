// One contract, two stores: every test here runs against MemoryStore and PgStore (PostgreSQL from
// DATABASE_URL). A test that cannot reach PostgreSQL fails and says why; it never skips.
#include <gtest/gtest.h>

#include <set>

#include "tests/testutil/store_factories.h"

namespace invsync::store {
namespace {

using base::Duration;
using base::StatusCode;
using base::WallTime;
using domain::ChannelId;
using domain::EventKind;
using domain::EventOutcome;
using domain::OrderEvent;
using domain::Quantity;
using domain::Sku;

const WallTime kT0 = WallTime::from_unix_s(1'800'000'000);

// claim_due options: up to `count_max` jobs leased for `lease`, no aging.
ClaimOptions up_to(int32_t count_max, Duration lease = Duration::seconds(30)) {
  return ClaimOptions{.count_max = count_max, .lease = lease};
}
const ChannelId kShopify = ChannelId::from_trusted("shopify:main");
const ChannelId kAmazon = ChannelId::from_trusted("amazon:uk");
const ChannelId kEtsy = ChannelId::from_trusted("etsy:shop");

Sku sku(const char* s) { return Sku::from_trusted(s); }

OrderEvent event(const ChannelId& ch, std::string order, EventKind kind, const char* s,
                 int64_t q, std::string line = "1") {
  return OrderEvent{{ch, std::move(order), std::move(line), kind}, sku(s), Quantity(q), ""};
}

template <typename Factory>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Factory::open();
    ASSERT_TRUE(opened.ok()) << Factory::kName << " store unavailable: "
                             << opened.status().to_string();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    if (store_) Factory::close(*store_);
  }
  InventoryStore& s() { return *store_; }

  // Two products with listings on Shopify and Amazon; MUG only on Etsy.
  void seed() {
    std::vector<ProductSpec> p = {{sku("TEE"), Quantity(5)}, {sku("MUG"), Quantity(2)}};
    auto created = s().upsert_products(p, kT0);
    ASSERT_TRUE(created.ok()) << created.status().to_string();
    ASSERT_EQ(*created, 2);
    for (const auto& ch : {kShopify, kAmazon}) {
      ASSERT_TRUE(s().upsert_listing({.channel = ch, .sku = sku("TEE")}).ok());
    }
    ASSERT_TRUE(s().upsert_listing({.channel = kEtsy, .sku = sku("MUG")}).ok());
  }
  domain::EventResult apply1(const OrderEvent& e, WallTime at = kT0) {
    auto r = s().apply_orders(std::span(&e, 1), at);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->front() : domain::EventResult{};
  }
  int64_t master(const char* name) {
    auto p = s().product(sku(name));
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->master.units() : -1;
  }
  std::vector<PushJob> jobs(const std::optional<ChannelId>& ch = std::nullopt) {
    auto j = s().list_jobs(ch);
    EXPECT_TRUE(j.ok()) << j.status().to_string();
    return j.ok() ? *j : std::vector<PushJob>{};
  }
  JobClaim claim_one(const ChannelId& ch, WallTime now) {
    auto c = s().claim_due(ch, now, up_to(10));
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    EXPECT_EQ(c.ok() ? c->size() : 0u, 1u);
    return c.ok() && !c->empty() ? c->front() : JobClaim{.channel = ch, .sku = sku("TEE")};
  }

  // Products with `stock` each (>= 1000: equal stock priority 0), listed on Shopify only.
  void add_shopify_products(std::initializer_list<const char*> names, int64_t stock = 5000) {
    std::vector<ProductSpec> p;
    for (const char* n : names) p.push_back({sku(n), Quantity(stock)});
    ASSERT_TRUE(s().upsert_products(p, kT0).ok());
    for (const char* n : names) {
      ASSERT_TRUE(s().upsert_listing({.channel = kShopify, .sku = sku(n)}).ok());
    }
  }
  // `units` of `name` sold on Amazon (not listed there: only Shopify gets a job) at `at`.
  void sell(const char* name, int64_t units, WallTime at) {
    apply1(event(kAmazon, "V" + std::to_string(++orders_), EventKind::kSale, name, units), at);
  }

  std::unique_ptr<InventoryStore> store_;
  int orders_ = 0;
};

struct FactoryNames {
  template <typename T>
  static std::string GetName(int) {
    return T::kName;
  }
};
using Factories = ::testing::Types<testutil::MemoryStoreFactory, testutil::PgStoreFactory>;
TYPED_TEST_SUITE(StoreContract, Factories, FactoryNames);

TYPED_TEST(StoreContract, UpsertProductsCreatesOnceAndKeepsCount) {
  this->seed();
  std::vector<ProductSpec> again = {{sku("TEE"), Quantity(99)}, {sku("CAP"), Quantity(1)}};
  auto created = this->s().upsert_products(again, kT0);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(*created, 1);
  EXPECT_EQ(this->master("TEE"), 5);
  EXPECT_EQ(this->master("CAP"), 1);
  std::vector<ProductSpec> negative = {{sku("BAD"), Quantity(-1)}};
  EXPECT_EQ(this->s().upsert_products(negative, kT0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(this->s().product(sku("BAD")).status().is_not_found());
}

TYPED_TEST(StoreContract, UpsertListingNeedsProductAndKeepsPushedState) {
  this->seed();
  EXPECT_TRUE(this->s().upsert_listing({.channel = kShopify, .sku = sku("NOPE")}).is_not_found());
  EXPECT_TRUE(this->s()
                  .upsert_listing({.channel = ChannelId::from_trusted("manual:admin"), .sku = sku("TEE")})
                  .is_invalid_argument());
  ChannelListing bad{.channel = kShopify, .sku = sku("TEE")};
  bad.rules.share_percent = 150;
  EXPECT_TRUE(this->s().upsert_listing(bad).is_invalid_argument());
  ASSERT_TRUE(this->s().record_pushed(kShopify, sku("TEE"), Quantity(4), kT0).ok());
  ChannelListing update{.channel = kShopify, .sku = sku("TEE"),
                        .external_ids_json = R"({"inventory_item_id":808950810})"};
  update.rules.buffer_units = 2;
  ASSERT_TRUE(this->s().upsert_listing(update).ok());
  auto listings = this->s().listings_for_sku(sku("TEE"));
  ASSERT_TRUE(listings.ok());
  ASSERT_EQ(listings->size(), 2u);
  const ChannelListing& l = (*listings)[1];  // ordered by channel: amazon, shopify
  EXPECT_EQ(l.channel, kShopify);
  EXPECT_EQ(l.rules.buffer_units, 2);
  EXPECT_EQ(l.last_pushed, Quantity(4));
  EXPECT_EQ(l.last_pushed_at, kT0);
  EXPECT_NE(l.external_ids_json.find("808950810"), std::string::npos);
  auto by_channel = this->s().listings_for_channel(kEtsy);
  ASSERT_TRUE(by_channel.ok());
  ASSERT_EQ(by_channel->size(), 1u);
  EXPECT_EQ(by_channel->front().sku, sku("MUG"));
}

TYPED_TEST(StoreContract, SaleDecrementsAndEnqueuesOnePushPerListing) {
  this->seed();
  const auto r = this->apply1(event(kShopify, "1001", EventKind::kSale, "TEE", 2));
  EXPECT_EQ(r.outcome, EventOutcome::kApplied);
  EXPECT_EQ(r.applied_units, Quantity(2));
  EXPECT_EQ(r.oversold_units, Quantity(0));
  EXPECT_EQ(r.master_after, Quantity(3));
  EXPECT_EQ(this->master("TEE"), 3);
  const auto all = this->jobs();
  ASSERT_EQ(all.size(), 2u);  // the selling channel is told too (absolute value repairs drift)
  EXPECT_EQ(all[0].channel, kAmazon);
  EXPECT_EQ(all[1].channel, kShopify);
  for (const auto& j : all) {
    EXPECT_EQ(j.sku, sku("TEE"));
    EXPECT_EQ(j.state, JobState::kPending);
    EXPECT_EQ(j.due_at, kT0);
    EXPECT_EQ(j.priority, domain::push_priority_for_stock(Quantity(3)));
    EXPECT_EQ(j.attempt, 0);
  }
  auto p = this->s().product(sku("TEE"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->version, 1);
}

TYPED_TEST(StoreContract, OversellTakesWhatExistsAndRecordsTheShortfall) {
  this->seed();
  const auto r = this->apply1(event(kAmazon, "A-1", EventKind::kSale, "MUG", 5));
  EXPECT_EQ(r.outcome, EventOutcome::kOversold);
  EXPECT_EQ(r.applied_units, Quantity(2));
  EXPECT_EQ(r.oversold_units, Quantity(3));
  EXPECT_EQ(r.master_after, Quantity(0));
  const auto r2 = this->apply1(event(kAmazon, "A-2", EventKind::kSale, "MUG", 1));
  EXPECT_EQ(r2.outcome, EventOutcome::kOversold);
  EXPECT_EQ(r2.applied_units, Quantity(0));
  EXPECT_EQ(r2.oversold_units, Quantity(1));
  EXPECT_EQ(this->master("MUG"), 0);
  auto events = this->s().events_for_sku(sku("MUG"), 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].oversold_units, Quantity(3));
  EXPECT_EQ((*events)[0].outcome, EventOutcome::kOversold);
  EXPECT_EQ((*events)[1].key.external_order_id, "A-2");
}

TYPED_TEST(StoreContract, DuplicateChangesNothing) {
  this->seed();
  const auto e = event(kShopify, "1001", EventKind::kSale, "TEE", 2);
  this->apply1(e);
  const auto jobs_before = this->jobs();
  const auto r = this->apply1(e, kT0 + Duration::seconds(5));
  EXPECT_EQ(r.outcome, EventOutcome::kDuplicate);
  EXPECT_EQ(r.applied_units, Quantity(0));
  EXPECT_EQ(r.master_after, Quantity(3));
  EXPECT_EQ(this->master("TEE"), 3);
  auto events = this->s().events_for_sku(sku("TEE"), 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
  const auto jobs_after = this->jobs();
  ASSERT_EQ(jobs_after.size(), jobs_before.size());
  for (size_t i = 0; i < jobs_after.size(); ++i) {
    EXPECT_EQ(jobs_after[i].change_seq, jobs_before[i].change_seq);
  }
  // Same order and line, different kind: a different event.
  const auto cancel = this->apply1(event(kShopify, "1001", EventKind::kCancel, "TEE", 2));
  EXPECT_EQ(cancel.outcome, EventOutcome::kApplied);
  EXPECT_EQ(this->master("TEE"), 5);
}

TYPED_TEST(StoreContract, UnknownSkuChangesNothing) {
  this->seed();
  std::vector<OrderEvent> batch = {event(kShopify, "1", EventKind::kSale, "GHOST", 1),
                                   event(kShopify, "2", EventKind::kSale, "TEE", 1)};
  auto r = this->s().apply_orders(batch, kT0);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ((*r)[0].outcome, EventOutcome::kUnknownSku);
  EXPECT_EQ((*r)[0].applied_units, Quantity(0));
  EXPECT_EQ((*r)[1].outcome, EventOutcome::kApplied);
  EXPECT_TRUE(this->s().product(sku("GHOST")).status().is_not_found());
  // Once the product exists, the same event applies (it was not recorded as seen).
  std::vector<ProductSpec> ghost = {{sku("GHOST"), Quantity(3)}};
  ASSERT_TRUE(this->s().upsert_products(ghost, kT0).ok());
  EXPECT_EQ(this->apply1(batch[0]).outcome, EventOutcome::kApplied);
  EXPECT_EQ(this->master("GHOST"), 2);
}

TYPED_TEST(StoreContract, InvalidEventFailsTheWholeBatchBeforeWriting) {
  this->seed();
  const auto good = event(kShopify, "1", EventKind::kSale, "TEE", 1);
  for (const auto& bad : {event(kShopify, "2", EventKind::kSale, "TEE", 0),
                          event(kShopify, "3", EventKind::kRestock, "TEE", -2),
                          event(kShopify, "", EventKind::kSale, "TEE", 1),
                          event(kShopify, "4", EventKind::kSale, "TEE", 1, ""),
                          event(kShopify, std::string(200, '7'), EventKind::kSale, "TEE", 1),
                          event(kShopify, "5\x01", EventKind::kSale, "TEE", 1)}) {
    std::vector<OrderEvent> batch = {good, bad};
    auto r = this->s().apply_orders(batch, kT0);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().to_string();
    EXPECT_FALSE(r.status().message().empty());
  }
  EXPECT_EQ(this->master("TEE"), 5);
  EXPECT_TRUE(this->jobs().empty());
  auto events = this->s().events_for_sku(sku("TEE"), 10);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TYPED_TEST(StoreContract, CancelReturnsOnlyWhatTheSaleTook) {
  this->seed();
  this->apply1(event(kEtsy, "R9", EventKind::kSale, "MUG", 3));  // takes 2, 1 oversold
  EXPECT_EQ(this->master("MUG"), 0);
  const auto c = this->apply1(event(kEtsy, "R9", EventKind::kCancel, "MUG", 3));
  EXPECT_EQ(c.applied_units, Quantity(2));
  EXPECT_EQ(this->master("MUG"), 2);
  // A refund with restock of the same line cannot return the units a second time.
  const auto again = this->apply1(event(kEtsy, "R9", EventKind::kRefundRestock, "MUG", 3));
  EXPECT_EQ(again.outcome, EventOutcome::kApplied);
  EXPECT_EQ(again.applied_units, Quantity(0));
  EXPECT_EQ(this->master("MUG"), 2);
}

TYPED_TEST(StoreContract, CancelThatOvertakesItsSaleNetsOut) {
  this->seed();
  this->apply1(event(kShopify, "1002", EventKind::kCancel, "TEE", 2, "L7"));
  EXPECT_EQ(this->master("TEE"), 7);
  this->apply1(event(kShopify, "1002", EventKind::kSale, "TEE", 2, "L7"));
  EXPECT_EQ(this->master("TEE"), 5);
}

TYPED_TEST(StoreContract, RefundsAndRestocks) {
  this->seed();
  this->apply1(event(kShopify, "1003", EventKind::kSale, "TEE", 2));
  const auto no_restock = this->apply1(event(kShopify, "1003", EventKind::kRefundNoRestock, "TEE", 2));
  EXPECT_EQ(no_restock.outcome, EventOutcome::kApplied);
  EXPECT_EQ(no_restock.applied_units, Quantity(0));
  EXPECT_EQ(this->master("TEE"), 3);
  const auto restock = this->apply1(event(store::manual_channel(), "PO-77", EventKind::kRestock, "TEE", 10));
  EXPECT_EQ(restock.applied_units, Quantity(10));
  EXPECT_EQ(this->master("TEE"), 13);
}

TYPED_TEST(StoreContract, SetAndAdjustStockAreRecordedAndIdempotent) {
  this->seed();
  auto r = this->s().set_stock(sku("TEE"), Quantity(12), "cycle count", "req-1", kT0);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->master_after, Quantity(12));
  EXPECT_EQ(this->master("TEE"), 12);
  this->apply1(event(kShopify, "1", EventKind::kSale, "TEE", 1));
  auto replay = this->s().set_stock(sku("TEE"), Quantity(12), "cycle count", "req-1", kT0);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->outcome, EventOutcome::kDuplicate);
  EXPECT_EQ(this->master("TEE"), 11);  // the replay did not undo the sale
  auto same = this->s().set_stock(sku("TEE"), Quantity(11), "no change", "req-2", kT0);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->outcome, EventOutcome::kApplied);
  auto adjust = this->s().adjust_stock(sku("TEE"), Quantity(-20), "flood damage", "req-3", kT0);
  ASSERT_TRUE(adjust.ok());
  EXPECT_EQ(adjust->applied_units, Quantity(11));
  EXPECT_EQ(adjust->oversold_units, Quantity(9));
  EXPECT_EQ(this->master("TEE"), 0);
  EXPECT_TRUE(this->s().set_stock(sku("NOPE"), Quantity(1), "x", "req-4", kT0).status().is_not_found());
  EXPECT_TRUE(this->s().set_stock(sku("TEE"), Quantity(-1), "x", "req-5", kT0).status().is_invalid_argument());
  EXPECT_TRUE(this->s().set_stock(sku("TEE"), Quantity(1), "x", "", kT0).status().is_invalid_argument());
  EXPECT_EQ(this->master("TEE"), 0);
  auto events = this->s().events_for_sku(sku("TEE"), 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].key.kind, EventKind::kAdjust);
  EXPECT_EQ((*events)[0].quantity, Quantity(7));
  EXPECT_EQ((*events)[0].reason, "cycle count");
  EXPECT_EQ((*events)[2].quantity, Quantity(0));
}

TYPED_TEST(StoreContract, EnqueueCoalescesToOneJobKeepingHighestPriorityAndEarliestDue) {
  this->seed();
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 10, kT0 + Duration::seconds(60)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 500, kT0 + Duration::seconds(90)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 20, kT0 + Duration::seconds(30)).ok());
  const auto all = this->jobs(kShopify);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].priority, 500);
  EXPECT_EQ(all[0].due_at, kT0 + Duration::seconds(30));
  EXPECT_EQ(all[0].change_seq, 3);
  EXPECT_TRUE(this->s().enqueue_push(kEtsy, sku("TEE"), 1, kT0).is_not_found());
  EXPECT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 5000, kT0).is_invalid_argument());
}

TYPED_TEST(StoreContract, NewChangeDoesNotCutAFailureBackoffShort) {
  this->seed();
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 10, kT0).ok());
  const JobClaim c = this->claim_one(kShopify, kT0);
  const WallTime backoff = kT0 + Duration::seconds(30);
  ASSERT_TRUE(this->s().reschedule(c, backoff, "HTTP 503", true).ok());
  this->apply1(event(kShopify, "1", EventKind::kSale, "TEE", 1), kT0 + Duration::seconds(1));
  const auto all = this->jobs(kShopify);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].due_at, backoff);
  EXPECT_EQ(all[0].attempt, 1);
  EXPECT_EQ(all[0].last_error, "HTTP 503");
}

TYPED_TEST(StoreContract, ClaimTakesDueJobsByPriorityThenDueAndLeasesThem) {
  std::vector<ProductSpec> p;
  for (const char* n : {"A", "B", "C", "D"}) p.push_back({sku(n), Quantity(100)});
  ASSERT_TRUE(this->s().upsert_products(p, kT0).ok());
  for (const char* n : {"A", "B", "C", "D"}) {
    ASSERT_TRUE(this->s().upsert_listing({.channel = kShopify, .sku = sku(n)}).ok());
  }
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("A"), 5, kT0 + Duration::seconds(2)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("B"), 9, kT0 + Duration::seconds(3)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("C"), 5, kT0 + Duration::seconds(1)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("D"), 9, kT0 + Duration::seconds(99)).ok());
  auto claims = this->s().claim_due(kShopify, kT0 + Duration::seconds(10), up_to(10));
  ASSERT_TRUE(claims.ok()) << claims.status().to_string();
  ASSERT_EQ(claims->size(), 3u);  // D is not due
  EXPECT_EQ((*claims)[0].sku, sku("B"));
  EXPECT_EQ((*claims)[1].sku, sku("C"));
  EXPECT_EQ((*claims)[2].sku, sku("A"));
  // Claimed jobs are not claimed again while the lease holds...
  auto none = this->s().claim_due(kShopify, kT0 + Duration::seconds(20), up_to(10));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // ...and are claimable once it expires; the old holder has lost it.
  auto again = this->s().claim_due(kShopify, kT0 + Duration::seconds(41), up_to(2));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ((*again)[0].sku, sku("B"));
  EXPECT_GT((*again)[0].claim_token, (*claims)[0].claim_token);
  const auto lost = this->s().complete((*claims)[0]);
  EXPECT_EQ(lost.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->s().reschedule((*claims)[0], kT0, "x", true).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->s().park((*claims)[0], "x").code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(this->s()
                  .claim_due(kShopify, kT0, up_to(0, Duration::seconds(1)))
                  .status()
                  .is_invalid_argument());
}

TYPED_TEST(StoreContract, CompleteRemovesTheJobUnlessANewerChangeArrived) {
  this->seed();
  this->apply1(event(kShopify, "1", EventKind::kSale, "TEE", 1));
  const JobClaim first = this->claim_one(kShopify, kT0);
  auto done = this->s().complete(first);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_TRUE(*done);
  EXPECT_TRUE(this->jobs(kShopify).empty());

  this->apply1(event(kShopify, "2", EventKind::kSale, "TEE", 1));
  const JobClaim second = this->claim_one(kShopify, kT0);
  // While the push is in flight another sale lands: the push carried a stale quantity.
  this->apply1(event(kAmazon, "3", EventKind::kSale, "TEE", 1), kT0 + Duration::seconds(1));
  auto kept = this->s().complete(second);
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(*kept);
  const auto all = this->jobs(kShopify);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, JobState::kPending);
  EXPECT_LE(all[0].due_at, kT0 + Duration::seconds(1));
  const JobClaim third = this->claim_one(kShopify, kT0 + Duration::seconds(1));
  EXPECT_TRUE(*this->s().complete(third));
}

TYPED_TEST(StoreContract, RescheduleCountsFailuresButNotRateLimits) {
  this->seed();
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 1, kT0).ok());
  JobClaim c = this->claim_one(kShopify, kT0);
  ASSERT_TRUE(this->s().reschedule(c, kT0 + Duration::seconds(2), "429", false).ok());
  EXPECT_EQ(this->jobs(kShopify)[0].attempt, 0);
  auto early = this->s().claim_due(kShopify, kT0 + Duration::seconds(1), up_to(5));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  c = this->claim_one(kShopify, kT0 + Duration::seconds(2));
  ASSERT_TRUE(this->s().reschedule(c, kT0 + Duration::seconds(32), "HTTP 502", true).ok());
  const auto j = this->jobs(kShopify)[0];
  EXPECT_EQ(j.attempt, 1);
  EXPECT_EQ(j.due_at, kT0 + Duration::seconds(32));
  EXPECT_FALSE(j.claimed_until.has_value());
}

TYPED_TEST(StoreContract, ReleaseBackoffMakesFailedJobsDueNowKeepingAttempts) {
  this->seed();
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 1, kT0).ok());
  ASSERT_TRUE(this->s().enqueue_push(kAmazon, sku("TEE"), 1, kT0).ok());
  const JobClaim c = this->claim_one(kShopify, kT0);
  ASSERT_TRUE(this->s().reschedule(c, kT0 + Duration::minutes(10), "HTTP 503", true).ok());
  const WallTime now = kT0 + Duration::seconds(40);
  auto n = this->s().release_backoff(kShopify, now);
  ASSERT_TRUE(n.ok()) << n.status().to_string();
  EXPECT_EQ(*n, 1);
  auto j = this->jobs(kShopify);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].due_at, now);
  EXPECT_EQ(j[0].attempt, 1);
  EXPECT_EQ(this->jobs(kAmazon)[0].due_at, kT0);  // other channels and fresh jobs untouched
  EXPECT_EQ(*this->s().release_backoff(kShopify, now), 0);
}

TYPED_TEST(StoreContract, ParkedJobsWaitForUnpark) {
  this->seed();
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("TEE"), 1, kT0).ok());
  const JobClaim c = this->claim_one(kShopify, kT0);
  ASSERT_TRUE(this->s().park(c, "5 attempts failed: HTTP 503").ok());
  auto j = this->jobs(kShopify);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].state, JobState::kParked);
  EXPECT_EQ(j[0].park_reason, "5 attempts failed: HTTP 503");
  auto none = this->s().claim_due(kShopify, kT0 + Duration::hours(5), up_to(5));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto n = this->s().unpark(kShopify, kT0 + Duration::hours(1));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  j = this->jobs(kShopify);
  EXPECT_EQ(j[0].state, JobState::kPending);
  EXPECT_EQ(j[0].attempt, 0);
  EXPECT_EQ(j[0].due_at, kT0 + Duration::hours(1));
}

TYPED_TEST(StoreContract, LogsAlertsAndExplain) {
  this->seed();
  this->apply1(event(kShopify, "1", EventKind::kSale, "TEE", 1));
  this->apply1(event(kAmazon, "2", EventKind::kSale, "TEE", 1), kT0 + Duration::seconds(1));
  ASSERT_TRUE(this->s().record_pushed(kAmazon, sku("TEE"), Quantity(3), kT0 + Duration::seconds(2)).ok());
  ASSERT_TRUE(this->s().record_reported(kAmazon, sku("TEE"), Quantity(4), kT0 + Duration::seconds(3)).ok());
  EXPECT_TRUE(this->s().record_pushed(kEtsy, sku("TEE"), Quantity(3), kT0).is_not_found());
  std::vector<SyncLogEntry> log = {
      {kAmazon, sku("TEE"), Quantity(3), 200, "done", "", 0, 412, kT0 + Duration::seconds(2)},
      {kShopify, sku("TEE"), Quantity(3), 429, "rate_limited", "Throttled", 0, 80,
       kT0 + Duration::seconds(2)}};
  ASSERT_TRUE(this->s().append_sync_log(log).ok());
  ASSERT_TRUE(this->s()
                  .append_alert({kAmazon, sku("TEE"), "push_parked", "gave up after 4 attempts",
                                 kT0 + Duration::seconds(4)})
                  .ok());
  ASSERT_TRUE(this->s().append_alert({std::nullopt, std::nullopt, "store", "no sku", kT0}).ok());
  auto x = this->s().explain(sku("TEE"), 10);
  ASSERT_TRUE(x.ok()) << x.status().to_string();
  EXPECT_EQ(x->product.master, Quantity(3));
  ASSERT_EQ(x->listings.size(), 2u);
  EXPECT_EQ(x->listings[0].last_reported, Quantity(4));
  ASSERT_EQ(x->recent_events.size(), 2u);
  EXPECT_EQ(x->recent_events[0].key.channel, kAmazon);  // newest first
  EXPECT_EQ(x->jobs.size(), 2u);
  ASSERT_EQ(x->recent_log.size(), 2u);
  EXPECT_EQ(x->recent_log[0].http_status, 429);
  EXPECT_EQ(x->recent_log[1].latency_ms, 412);
  ASSERT_EQ(x->recent_alerts.size(), 1u);
  EXPECT_EQ(x->recent_alerts[0].kind, "push_parked");
  auto limited = this->s().explain(sku("TEE"), 1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->recent_events.size(), 1u);
  EXPECT_TRUE(this->s().explain(sku("NOPE"), 10).status().is_not_found());
}

TYPED_TEST(StoreContract, PushPriorityFollowsTheDomainFormula) {
  std::vector<ProductSpec> p = {{sku("LOW"), Quantity(3)}, {sku("HIGH"), Quantity(5000)}};
  ASSERT_TRUE(this->s().upsert_products(p, kT0).ok());
  for (const char* n : {"LOW", "HIGH"}) {
    ASSERT_TRUE(this->s().upsert_listing({.channel = kShopify, .sku = sku(n)}).ok());
  }
  this->apply1(event(kShopify, "1", EventKind::kSale, "LOW", 1));
  this->apply1(event(kShopify, "2", EventKind::kSale, "HIGH", 1));
  const auto all = this->jobs(kShopify);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].sku, sku("HIGH"));
  EXPECT_EQ(all[0].priority, domain::push_priority_for_stock(Quantity(4999)));
  EXPECT_EQ(all[1].priority, domain::push_priority_for_stock(Quantity(2)));
}

TYPED_TEST(StoreContract, TimesKeepMicrosecondPrecision) {
  this->seed();
  const WallTime odd = WallTime::from_unix_ns(1'800'000'000'123'456'789);
  this->apply1(event(kShopify, "1", EventKind::kSale, "TEE", 1), odd);
  const auto all = this->jobs(kShopify);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].due_at, WallTime::from_unix_us(1'800'000'000'123'456));
}

// --- priority: low stock, then velocity, with aging ------------------------------------------

std::vector<std::string> skus_of(const std::vector<JobClaim>& claims) {
  std::vector<std::string> out;
  for (const auto& c : claims) out.push_back(c.sku.str());
  return out;
}

TYPED_TEST(StoreContract, HotSkuBeatsColdAtEqualStockPriority) {
  this->add_shopify_products({"A-COLD", "B-HOT"});
  this->sell("B-HOT", 5, kT0);
  const JobClaim first = this->claim_one(kShopify, kT0);
  ASSERT_TRUE(this->s().complete(first).ok());
  auto hot = this->s().refresh_velocity(kT0 + Duration::hours(1), Duration::hours(7 * 24), 50);
  ASSERT_TRUE(hot.ok()) << hot.status().to_string();
  EXPECT_EQ(*hot, 1);
  EXPECT_TRUE(this->s().product(sku("B-HOT"))->velocity_hot);
  EXPECT_FALSE(this->s().product(sku("A-COLD"))->velocity_hot);
  // Equal stock priority; the cold one is due earlier and sorts first by SKU: only heat explains
  // the hot one going first.
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("A-COLD"), 7, kT0 + Duration::seconds(1)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("B-HOT"), 7, kT0 + Duration::seconds(2)).ok());
  auto claims = this->s().claim_due(kShopify, kT0 + Duration::hours(1), up_to(10));
  ASSERT_TRUE(claims.ok()) << claims.status().to_string();
  EXPECT_EQ(skus_of(*claims), (std::vector<std::string>{"B-HOT", "A-COLD"}));
  EXPECT_TRUE((*claims)[0].velocity_hot);
  EXPECT_FALSE((*claims)[1].velocity_hot);
  auto x = this->s().explain(sku("B-HOT"), 1);
  ASSERT_TRUE(x.ok());
  EXPECT_TRUE(x->product.velocity_hot);
}

TYPED_TEST(StoreContract, LowStockBeatsHot) {
  this->add_shopify_products({"A-HOT", "B-LOW"});
  this->sell("A-HOT", 5, kT0);
  ASSERT_TRUE(this->s().complete(this->claim_one(kShopify, kT0)).ok());
  ASSERT_EQ(*this->s().refresh_velocity(kT0, Duration::hours(24), 50), 1);
  const WallTime later = kT0 + Duration::seconds(5);
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("A-HOT"), 500, later).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("B-LOW"), 501, later).ok());
  auto claims = this->s().claim_due(kShopify, later, up_to(10));
  ASSERT_TRUE(claims.ok()) << claims.status().to_string();
  EXPECT_EQ(skus_of(*claims), (std::vector<std::string>{"B-LOW", "A-HOT"}));
}

TYPED_TEST(StoreContract, AgedJobBeatsHigherPriorityFreshOne) {
  this->add_shopify_products({"A", "B", "C", "D"});
  const WallTime now = kT0 + Duration::seconds(100);
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("A"), 0, kT0 + Duration::seconds(10)).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("B"), 900, now).ok());
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("C"), 500, kT0 + Duration::seconds(20)).ok());
  // Due exactly one bound ago: not longer than the bound, so not aged.
  ASSERT_TRUE(this->s().enqueue_push(kShopify, sku("D"), 1, kT0 + Duration::seconds(40)).ok());
  const ClaimOptions one{.count_max = 1, .lease = Duration::seconds(30),
                         .aging_bound = Duration::seconds(60)};
  auto single = this->s().claim_due(kShopify, now, one);
  ASSERT_TRUE(single.ok()) << single.status().to_string();
  EXPECT_EQ(skus_of(*single), (std::vector<std::string>{"A"}));
  const ClaimOptions aging{.count_max = 10, .lease = Duration::seconds(30),
                           .aging_bound = Duration::seconds(60)};
  auto claims = this->s().claim_due(kShopify, now, aging);
  ASSERT_TRUE(claims.ok()) << claims.status().to_string();
  // Aged C next (earliest due first among the aged, whatever the priority); then by priority.
  EXPECT_EQ(skus_of(*claims), (std::vector<std::string>{"C", "B", "D"}));
  EXPECT_EQ((*claims)[0].due_at, kT0 + Duration::seconds(20));  // the due time it was claimed by
  // A claimed job waits from its claim on: a change during the push does not make it look aged.
  for (const PushJob& j : this->jobs(kShopify)) EXPECT_EQ(j.due_at, now) << j.sku.str();
  // After the leases expire, without aging: priority alone.
  const WallTime expired = now + Duration::seconds(30);
  auto plain = this->s().claim_due(kShopify, expired, up_to(10));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(skus_of(*plain), (std::vector<std::string>{"B", "C", "D", "A"}));
  const ClaimOptions negative{.count_max = 1, .aging_bound = Duration::seconds(-1)};
  EXPECT_TRUE(this->s().claim_due(kShopify, now, negative).status().is_invalid_argument());
}

TYPED_TEST(StoreContract, RefreshVelocityPicksExactlyTheTopTwentyPercentAndForgetsOldSales) {
  this->add_shopify_products({"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"});
  const WallTime now = kT0 + Duration::hours(10 * 24);
  const Duration week = Duration::hours(7 * 24);
  this->sell("P9", 100, now - Duration::hours(10 * 24));  // long before the window
  this->sell("P0", 1, now - Duration::hours(2 * 24));
  this->sell("P1", 4, now - Duration::hours(3 * 24));
  this->sell("P1", 5, now - Duration::hours(1));  // units add up over the window: 9
  this->sell("P3", 5, now - Duration::hours(24));
  this->sell("P2", 5, now - Duration::hours(5 * 24));  // ties with P3: the smaller SKU wins
  this->sell("P4", 3, now);
  // A cancellation does not make a sale less of a sale.
  this->apply1(event(kAmazon, "V-cancel", EventKind::kSale, "P5", 8), now);
  this->apply1(event(kAmazon, "V-cancel", EventKind::kCancel, "P5", 8), now);
  auto hot = this->s().refresh_velocity(now, week, 20);
  ASSERT_TRUE(hot.ok()) << hot.status().to_string();
  EXPECT_EQ(*hot, 2);  // 20% of 10 products
  std::set<std::string> hot_skus;
  for (int i = 0; i < 10; ++i) {
    const std::string n = "P" + std::to_string(i);
    if (this->s().product(sku(n.c_str()))->velocity_hot) hot_skus.insert(n);
  }
  EXPECT_EQ(hot_skus, (std::set<std::string>{"P1", "P5"}));
  // 30% of 10 is 3: the tie at 5 units goes to P2; 100% is everything that sold, no more.
  EXPECT_EQ(*this->s().refresh_velocity(now, week, 30), 3);
  EXPECT_TRUE(this->s().product(sku("P2"))->velocity_hot);
  EXPECT_FALSE(this->s().product(sku("P3"))->velocity_hot);
  EXPECT_EQ(*this->s().refresh_velocity(now, week, 100), 6);
  EXPECT_FALSE(this->s().product(sku("P9"))->velocity_hot);
  // Eight days on, everything sold is older than the window: nothing is hot any more.
  EXPECT_EQ(*this->s().refresh_velocity(now + Duration::hours(8 * 24), week, 20), 0);
  for (int i = 0; i < 10; ++i) {
    const std::string n = "P" + std::to_string(i);
    EXPECT_FALSE(this->s().product(sku(n.c_str()))->velocity_hot) << n;
  }
  // A 12-day window reaches back to P9's 100 units again.
  EXPECT_EQ(*this->s().refresh_velocity(now, Duration::hours(12 * 24), 10), 1);
  EXPECT_TRUE(this->s().product(sku("P9"))->velocity_hot);
  EXPECT_EQ(*this->s().refresh_velocity(now, week, 0), 0);
  EXPECT_TRUE(this->s().refresh_velocity(now, week, 101).status().is_invalid_argument());
  EXPECT_TRUE(this->s().refresh_velocity(now, Duration::zero(), 20).status().is_invalid_argument());
  EXPECT_TRUE(this->s()
                  .refresh_velocity(now, Duration::hours(24 * (kVelocityWindowDaysMax + 1)), 20)
                  .status()
                  .is_invalid_argument());
}

}  // namespace
}  // namespace invsync::store
