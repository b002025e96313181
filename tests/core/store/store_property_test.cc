// RapidCheck properties of the InventoryStore contract, run against both stores over random
// sequences of sales, cancels, refunds, restocks, adjustments and exact duplicates. The expected
// values come from a small independent model written here, not from the domain code.
// Each property runs RapidCheck's default 100 cases (RC_PARAMS="max_success=N" raises it; a
// failure prints RC_PARAMS="reproduce=..." to replay it).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "tests/testutil/store_factories.h"

namespace invsync::store {
namespace {

using base::Duration;
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

const std::vector<std::string> kSkus = {"S0", "S1", "S2"};
const std::vector<ChannelId> kChannels = {ChannelId::from_trusted("shopify:p"),
                                          ChannelId::from_trusted("etsy:p")};

// --- the independent model ------------------------------------------------------------------
struct Model {
  std::map<std::string, int64_t> master, initial;
  std::set<std::tuple<std::string, std::string, std::string, int>> seen;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> sale_taken, returned;
  std::map<std::string, int64_t> added, removed, oversold;  // per SKU, for conservation

  // Returns (outcome, applied, oversold) the store must report.
  std::tuple<EventOutcome, int64_t, int64_t> apply(const OrderEvent& e) {
    const std::string& s = e.sku.str();
    if (master.count(s) == 0) return {EventOutcome::kUnknownSku, 0, 0};
    auto key = std::make_tuple(e.key.channel.str(), e.key.external_order_id, e.key.line_key,
                               static_cast<int>(e.key.kind));
    if (!seen.insert(key).second) return {EventOutcome::kDuplicate, 0, 0};
    const auto line = std::make_tuple(e.key.channel.str(), e.key.external_order_id, e.key.line_key);
    int64_t q = e.quantity.units();
    const bool removal = e.key.kind == EventKind::kSale || (e.key.kind == EventKind::kAdjust && q < 0);
    if (removal) {
      q = q < 0 ? -q : q;
      const int64_t take = std::min(q, master[s]);
      master[s] -= take;
      removed[s] += take;
      oversold[s] += q - take;
      if (e.key.kind == EventKind::kSale) sale_taken[line] = take;
      return {take < q ? EventOutcome::kOversold : EventOutcome::kApplied, take, q - take};
    }
    int64_t add = q;
    if (e.key.kind == EventKind::kRefundNoRestock) add = 0;
    if (e.key.kind == EventKind::kCancel || e.key.kind == EventKind::kRefundRestock) {
      if (sale_taken.count(line) != 0) add = std::max<int64_t>(0, std::min(q, sale_taken[line] - returned[line]));
      returned[line] += add;
    }
    master[s] += add;
    added[s] += add;
    return {EventOutcome::kApplied, add, 0};
  }
};

// --- random event sequences -------------------------------------------------------------------
struct Script {
  std::map<std::string, int64_t> initial;
  std::vector<std::vector<OrderEvent>> batches;
};

OrderEvent random_event(int n) {
  const auto kind = *rc::gen::element(EventKind::kSale, EventKind::kSale, EventKind::kSale,
                                      EventKind::kCancel, EventKind::kRefundRestock,
                                      EventKind::kRefundNoRestock, EventKind::kRestock,
                                      EventKind::kAdjust);
  // Few orders and lines, so cancels and refunds often hit an earlier sale's line.
  const int order = *rc::gen::inRange(0, std::max(1, n / 2 + 1));
  int64_t q = *rc::gen::inRange<int64_t>(1, 6);
  if (kind == EventKind::kAdjust && *rc::gen::arbitrary<bool>()) q = -q;
  const std::string sku_name = *rc::gen::inRange(0, 10) == 0 ? "GHOST" : *rc::gen::elementOf(kSkus);
  // A line of a real order names one SKU, so the line key carries it.
  return OrderEvent{{*rc::gen::elementOf(kChannels), "O" + std::to_string(order),
                     "L" + std::to_string(*rc::gen::inRange(0, 2)) + "-" + sku_name, kind},
                    Sku::from_trusted(sku_name), Quantity(q), ""};
}

Script random_script() {
  Script s;
  for (const auto& name : kSkus) s.initial[name] = *rc::gen::inRange<int64_t>(0, 8);
  const int count = *rc::gen::inRange(1, 40);
  std::vector<OrderEvent> all;
  for (int i = 0; i < count; ++i) {
    if (!all.empty() && *rc::gen::inRange(0, 5) == 0) {
      all.push_back(all[static_cast<size_t>(*rc::gen::inRange<size_t>(0, all.size()))]);  // exact duplicate
    } else {
      all.push_back(random_event(i));
    }
  }
  for (size_t i = 0; i < all.size();) {
    const size_t size = std::min(all.size() - i, static_cast<size_t>(*rc::gen::inRange(1, 4)));
    s.batches.emplace_back(all.begin() + static_cast<long>(i), all.begin() + static_cast<long>(i + size));
    i += size;
  }
  return s;
}

// --- property bodies, shared by both stores ----------------------------------------------------
void load(InventoryStore& store, const Script& script) {
  std::vector<ProductSpec> p;
  for (const auto& [name, q] : script.initial) p.push_back({Sku::from_trusted(name), Quantity(q)});
  RC_ASSERT(store.upsert_products(p, kT0).ok());
  for (const auto& name : kSkus) {
    for (const auto& ch : kChannels) {
      RC_ASSERT(store.upsert_listing({.channel = ch, .sku = Sku::from_trusted(name)}).ok());
    }
  }
}

void never_negative_and_conservation(InventoryStore& store) {
  const Script script = random_script();
  load(store, script);
  Model model;
  model.master = script.initial;
  model.initial = script.initial;
  for (const auto& batch : script.batches) {
    auto results = store.apply_orders(batch, kT0);
    RC_ASSERT(results.ok());
    RC_ASSERT(results->size() == batch.size());
    // Events of one SKU apply in order; different SKUs are independent, so the model can take
    // the batch in the given order.
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto [outcome, applied, oversold] = model.apply(batch[i]);
      RC_ASSERT((*results)[i].outcome == outcome);
      RC_ASSERT((*results)[i].applied_units.units() == applied);
      RC_ASSERT((*results)[i].oversold_units.units() == oversold);
      RC_ASSERT(!(*results)[i].master_after.is_negative());
    }
    for (const auto& name : kSkus) {
      auto p = store.product(Sku::from_trusted(name));
      RC_ASSERT(p.ok());
      RC_ASSERT(!p->master.is_negative());
      RC_ASSERT(p->master.units() == model.master[name]);
    }
  }
  // Conservation from the store's own records: initial + units added - units removed = master,
  // and the oversold units recorded are exactly the ones the model says were missing.
  for (const auto& name : kSkus) {
    auto events = store.events_for_sku(Sku::from_trusted(name), 100000);
    RC_ASSERT(events.ok());
    int64_t added = 0, removed = 0, oversold = 0;
    for (const auto& e : *events) {
      const bool removal = e.key.kind == EventKind::kSale ||
                           (e.key.kind == EventKind::kAdjust && e.quantity.is_negative());
      (removal ? removed : added) += e.applied_units.units();
      oversold += e.oversold_units.units();
    }
    auto p = store.product(Sku::from_trusted(name));
    RC_ASSERT(p.ok());
    RC_ASSERT(script.initial.at(name) + added - removed == p->master.units());
    RC_ASSERT(oversold == model.oversold[name]);
  }
}

void replay_changes_nothing(InventoryStore& store) {
  const Script script = random_script();
  load(store, script);
  for (const auto& batch : script.batches) RC_ASSERT(store.apply_orders(batch, kT0).ok());
  std::map<std::string, int64_t> before;
  for (const auto& name : kSkus) before[name] = store.product(Sku::from_trusted(name))->master.units();
  auto jobs_before = store.list_jobs(std::nullopt);
  RC_ASSERT(jobs_before.ok());
  // Replay every batch (in a different order), later: nothing changes.
  for (auto it = script.batches.rbegin(); it != script.batches.rend(); ++it) {
    auto r = store.apply_orders(*it, kT0 + Duration::hours(1));
    RC_ASSERT(r.ok());
    for (size_t i = 0; i < r->size(); ++i) {
      const bool ghost = (*it)[i].sku.str() == "GHOST";
      RC_ASSERT((*r)[i].outcome == (ghost ? EventOutcome::kUnknownSku : EventOutcome::kDuplicate));
      RC_ASSERT((*r)[i].applied_units.is_zero());
    }
  }
  for (const auto& name : kSkus) {
    RC_ASSERT(store.product(Sku::from_trusted(name))->master.units() == before[name]);
  }
  auto jobs_after = store.list_jobs(std::nullopt);
  RC_ASSERT(jobs_after.ok());
  RC_ASSERT(jobs_after->size() == jobs_before->size());
  for (size_t i = 0; i < jobs_after->size(); ++i) {
    RC_ASSERT((*jobs_after)[i].change_seq == (*jobs_before)[i].change_seq);
    RC_ASSERT((*jobs_after)[i].due_at == (*jobs_before)[i].due_at);
  }
}

void one_job_per_channel_and_sku(InventoryStore& store) {
  const Script script = random_script();
  load(store, script);
  const int extra = *rc::gen::inRange(0, 20);
  size_t b = 0;
  for (int i = 0; i < extra || b < script.batches.size(); ++i) {
    if (b < script.batches.size()) RC_ASSERT(store.apply_orders(script.batches[b++], kT0).ok());
    if (i < extra) {
      const auto& ch = *rc::gen::elementOf(kChannels);
      const Sku s = Sku::from_trusted(*rc::gen::elementOf(kSkus));
      const int32_t priority = *rc::gen::inRange(0, domain::kPushPriorityMax + 1);
      RC_ASSERT(store.enqueue_push(ch, s, priority, kT0 + Duration::seconds(*rc::gen::inRange(0, 60))).ok());
    }
  }
  auto jobs = store.list_jobs(std::nullopt);
  RC_ASSERT(jobs.ok());
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& j : *jobs) RC_ASSERT(keys.insert({j.channel.str(), j.sku.str()}).second);
  RC_ASSERT(keys.size() <= kSkus.size() * kChannels.size());
}

void completed_after_newer_change_stays_due(InventoryStore& store) {
  const Script script = random_script();
  load(store, script);
  const ChannelId& ch = kChannels[0];
  const Sku s = Sku::from_trusted(*rc::gen::elementOf(kSkus));
  RC_ASSERT(store.enqueue_push(ch, s, 1, kT0).ok());
  auto claims = store.claim_due(ch, kT0, up_to(100));
  RC_ASSERT(claims.ok());
  RC_ASSERT(claims->size() == 1u);
  // Zero or more changes of the SKU land while the push is in flight.
  const int changes = *rc::gen::inRange(0, 3);
  for (int i = 0; i < changes; ++i) {
    if (*rc::gen::arbitrary<bool>()) {
      RC_ASSERT(store.enqueue_push(ch, s, *rc::gen::inRange(0, 1001), kT0 + Duration::seconds(1)).ok());
    } else {
      const OrderEvent e{{kChannels[1], "X" + std::to_string(i), "1", EventKind::kRestock}, s,
                         Quantity(1), ""};
      RC_ASSERT(store.apply_orders(std::span(&e, 1), kT0 + Duration::seconds(1)).ok());
    }
  }
  auto done = store.complete(claims->front());
  RC_ASSERT(done.ok());
  RC_ASSERT(*done == (changes == 0));
  auto jobs = store.list_jobs(ch);
  RC_ASSERT(jobs.ok());
  bool found = false;
  for (const auto& j : *jobs) {
    if (j.sku != s) continue;
    found = true;
    RC_ASSERT(j.state == JobState::kPending);
    RC_ASSERT(j.due_at <= kT0 + Duration::seconds(1));
  }
  RC_ASSERT(found == (changes > 0));
  // And a claim at that time picks it up again.
  auto again = store.claim_due(ch, kT0 + Duration::seconds(1), up_to(100));
  RC_ASSERT(again.ok());
  RC_ASSERT(again->size() == (changes > 0 ? 1u : 0u));
}

// claim_due's order against a sort written here: aged jobs first (earliest due), then priority,
// then hot SKUs (refresh_velocity's top percent, also checked), then due time, then SKU.
void claim_order_follows_the_contract(InventoryStore& store) {
  const ChannelId& ch = kChannels[0];
  std::vector<ProductSpec> p;
  for (const auto& name : kSkus) p.push_back({Sku::from_trusted(name), Quantity(5000)});
  RC_ASSERT(store.upsert_products(p, kT0).ok());
  for (const auto& name : kSkus) {
    RC_ASSERT(store.upsert_listing({.channel = ch, .sku = Sku::from_trusted(name)}).ok());
  }
  std::vector<std::pair<int64_t, std::string>> sold;  // (units, sku) of the SKUs that sold
  for (const auto& name : kSkus) {
    const int64_t units = *rc::gen::inRange<int64_t>(0, 4);
    if (units == 0) continue;
    const OrderEvent e{{kChannels[1], "H-" + name, "1", EventKind::kSale}, Sku::from_trusted(name),
                       Quantity(units), ""};
    RC_ASSERT(store.apply_orders(std::span(&e, 1), kT0).ok());
    sold.emplace_back(units, name);
  }
  auto sale_jobs = store.claim_due(ch, kT0, up_to(100));  // the sales' pushes: out of the way
  RC_ASSERT(sale_jobs.ok());
  for (const auto& c : *sale_jobs) RC_ASSERT(store.complete(c).ok());
  const int32_t percent = *rc::gen::inRange(0, 101);
  auto hot_count = store.refresh_velocity(kT0, Duration::hours(7 * 24), percent);
  RC_ASSERT(hot_count.ok());
  std::sort(sold.begin(), sold.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const size_t hot_max = (kSkus.size() * static_cast<size_t>(percent) + 99) / 100;
  std::set<std::string> hot;
  for (size_t i = 0; i < std::min(hot_max, sold.size()); ++i) hot.insert(sold[i].second);
  RC_ASSERT(*hot_count == static_cast<int64_t>(hot.size()));

  struct Job {
    std::string sku;
    int32_t priority = 0;
    WallTime due_at;
  };
  std::vector<Job> jobs;
  for (const auto& name : kSkus) {
    if (!*rc::gen::arbitrary<bool>()) continue;
    Job j{name, *rc::gen::inRange(0, 3), kT0 + Duration::seconds(*rc::gen::inRange(0, 4) * 30)};
    RC_ASSERT(store.enqueue_push(ch, Sku::from_trusted(name), j.priority, j.due_at).ok());
    jobs.push_back(j);
  }
  const WallTime now = kT0 + Duration::seconds(100);
  ClaimOptions options = up_to(*rc::gen::inRange(1, 4));
  if (*rc::gen::arbitrary<bool>()) {
    options.aging_bound = Duration::seconds(*rc::gen::inRange(0, 4) * 25);
  }
  const auto aged = [&](const Job& j) {
    return options.aging_bound && j.due_at < now - *options.aging_bound;
  };
  std::sort(jobs.begin(), jobs.end(), [&](const Job& a, const Job& b) {
    if (aged(a) != aged(b)) return aged(a);
    if (!aged(a) && a.priority != b.priority) return a.priority > b.priority;
    if (!aged(a) && hot.count(a.sku) != hot.count(b.sku)) return hot.count(a.sku) > 0;
    if (a.due_at != b.due_at) return a.due_at < b.due_at;
    return a.sku < b.sku;
  });
  const auto take = static_cast<size_t>(options.count_max);
  if (jobs.size() > take) jobs.resize(take);
  auto claims = store.claim_due(ch, now, options);
  RC_ASSERT(claims.ok());
  RC_ASSERT(claims->size() == jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    RC_ASSERT((*claims)[i].sku.str() == jobs[i].sku);
    RC_ASSERT((*claims)[i].velocity_hot == (hot.count(jobs[i].sku) > 0));
  }
}

// --- one TEST per (store, property) -------------------------------------------------------------
template <typename Factory>
void check_property(const char* name, void (*body)(InventoryStore&)) {
  auto opened = Factory::open();
  ASSERT_TRUE(opened.ok()) << Factory::kName << " store unavailable: " << opened.status().to_string();
  std::unique_ptr<InventoryStore> store = std::move(opened).value();
  const bool ok = rc::check(name, [&] {
    RC_ASSERT(Factory::reset(store).ok());
    body(*store);
  });
  EXPECT_TRUE(ok) << name;
  Factory::close(*store);
}

#define INVSYNC_STORE_PROPERTY(Name, body)                                                   \
  TEST(StoreProperty, Memory##Name) {                                                        \
    check_property<testutil::MemoryStoreFactory>("Memory " #Name, body);                     \
  }                                                                                          \
  TEST(StoreProperty, Postgres##Name) {                                                      \
    check_property<testutil::PgStoreFactory>("Postgres " #Name, body);                       \
  }

INVSYNC_STORE_PROPERTY(NeverNegativeAndConservation, never_negative_and_conservation)
INVSYNC_STORE_PROPERTY(ReplayChangesNothing, replay_changes_nothing)
INVSYNC_STORE_PROPERTY(AtMostOneJobPerChannelAndSku, one_job_per_channel_and_sku)
INVSYNC_STORE_PROPERTY(CompletedAfterNewerChangeStaysDue, completed_after_newer_change_stays_due)
INVSYNC_STORE_PROPERTY(ClaimOrderFollowsTheContract, claim_order_follows_the_contract)

}  // namespace
}  // namespace invsync::store
