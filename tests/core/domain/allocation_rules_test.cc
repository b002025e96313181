#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/domain/allocation_rules.h"

namespace invsync::domain {
namespace {

TEST(AllocationRules, ExamplesInDocumentedOrder) {
  EXPECT_EQ(sellable_quantity(Quantity(10), {}), Quantity(10));
  EXPECT_EQ(sellable_quantity(Quantity(10), {.buffer_units = 2}), Quantity(8));
  EXPECT_EQ(sellable_quantity(Quantity(1), {.buffer_units = 2}), Quantity(0));
  EXPECT_EQ(sellable_quantity(Quantity(10), {.max_units = 4}), Quantity(4));
  EXPECT_EQ(sellable_quantity(Quantity(7), {.share_percent = 50}), Quantity(3));  // rounds down
  EXPECT_EQ(sellable_quantity(Quantity(2), {.zero_below_units = 3}), Quantity(0));
  EXPECT_EQ(sellable_quantity(Quantity(3), {.zero_below_units = 3}), Quantity(3));
  EXPECT_EQ(sellable_quantity(Quantity(9), {.buffer_units = 1, .max_units = 5,
                                            .share_percent = 50, .zero_below_units = 2}),
            Quantity(3));
  EXPECT_EQ(sellable_quantity(Quantity(0), {}), Quantity(0));
}

TEST(AllocationRules, ValidationRejectsOutOfRange) {
  EXPECT_TRUE(validate_rules({.share_percent = 101}).is_invalid_argument());
  EXPECT_TRUE(validate_rules({.buffer_units = -1}).is_invalid_argument());
  EXPECT_TRUE(validate_rules({.max_units = -1}).is_invalid_argument());
  EXPECT_TRUE(validate_rules({.zero_below_units = -5}).is_invalid_argument());
  EXPECT_TRUE(validate_rules({}).ok());
}

TEST(PushPriority, LowerStockComesFirst) {
  EXPECT_EQ(push_priority_for_stock(Quantity(0)), kPushPriorityMax);
  EXPECT_GT(push_priority_for_stock(Quantity(1)), push_priority_for_stock(Quantity(5)));
  EXPECT_EQ(push_priority_for_stock(Quantity(5000)), 0);
}

AllocationRules arbitrary_rules() {
  AllocationRules r;
  r.buffer_units = *rc::gen::inRange<int64_t>(0, 50);
  if (*rc::gen::arbitrary<bool>()) r.max_units = *rc::gen::inRange<int64_t>(0, 500);
  r.share_percent = *rc::gen::inRange<uint32_t>(0, 101);
  r.zero_below_units = *rc::gen::inRange<int64_t>(0, 20);
  return r;
}

// Never more than exists, never negative, never more than the cap.
RC_GTEST_PROP(AllocationRulesProperty, SellableIsBoundedByStockAndRules, ()) {
  const auto rules = arbitrary_rules();
  const Quantity master(*rc::gen::inRange<int64_t>(0, 1'000'000));
  const Quantity q = sellable_quantity(master, rules);
  RC_ASSERT(q.units() >= 0);
  RC_ASSERT(q <= master);
  RC_ASSERT(q.units() <= std::max<int64_t>(0, master.units() - rules.buffer_units));
  if (rules.max_units) RC_ASSERT(q.units() <= *rules.max_units);
  if (master.units() < rules.zero_below_units) RC_ASSERT(q.is_zero());
}

// More stock never shows less on a channel (so a restock never lowers what a channel sells).
RC_GTEST_PROP(AllocationRulesProperty, SellableIsMonotoneInStock, ()) {
  const auto rules = arbitrary_rules();
  const int64_t a = *rc::gen::inRange<int64_t>(0, 100'000);
  const int64_t b = a + *rc::gen::inRange<int64_t>(0, 1000);
  RC_ASSERT(sellable_quantity(Quantity(a), rules) <= sellable_quantity(Quantity(b), rules));
}

}  // namespace
}  // namespace invsync::domain
