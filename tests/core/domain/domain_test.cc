#include <gtest/gtest.h>

#include <string>

#include "core/domain/channel_id.h"
#include "core/domain/order_event.h"
#include "core/domain/quantity.h"
#include "core/domain/sku.h"

namespace invsync::domain {
namespace {

TEST(Sku, ValidatesLengthAndCharacters) {
  EXPECT_TRUE(Sku::parse("TEE-BLK-M").ok());
  EXPECT_TRUE(Sku::parse(std::string(kSkuBytesMax, 'A')).ok());
  const auto too_long = Sku::parse(std::string(kSkuBytesMax + 1, 'A'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.status().is_invalid_argument());
  EXPECT_NE(too_long.status().message().find("limit is 100"), std::string::npos);
  EXPECT_FALSE(Sku::parse("").ok());
  EXPECT_FALSE(Sku::parse(" padded").ok());
  EXPECT_FALSE(Sku::parse("tab\there").ok());
  EXPECT_FALSE(Sku::parse("caf\xc3\xa9").ok());
}

TEST(ChannelId, ParsesPlatformAndAccount) {
  auto c = ChannelId::parse("shopify:uk-store");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->platform(), Platform::kShopify);
  EXPECT_EQ(c->account(), "uk-store");
  EXPECT_EQ(c->str(), "shopify:uk-store");
  EXPECT_FALSE(ChannelId::parse("ebay:x").ok());
  EXPECT_FALSE(ChannelId::parse("shopify").ok());
  EXPECT_FALSE(ChannelId::parse("shopify:").ok());
  EXPECT_FALSE(ChannelId::parse("shopify:UPPER").ok());
}

TEST(Quantity, CheckedConstructionAndArithmetic) {
  EXPECT_TRUE(Quantity::checked(kQuantityUnitsMax).ok());
  EXPECT_FALSE(Quantity::checked(kQuantityUnitsMax + 1).ok());
  EXPECT_EQ((Quantity(5) - Quantity(7)).units(), -2);
  EXPECT_EQ(min(Quantity(3), Quantity(2)), Quantity(2));
}

TEST(QuantityDeathTest, OverflowAsserts) {
  EXPECT_DEATH((void)(Quantity(INT64_MAX) + Quantity(1)), "assertion failed");
}

OrderEvent sale(std::string order, std::string line, int64_t q) {
  return OrderEvent{{ChannelId::from_trusted("etsy:shop"), std::move(order), std::move(line),
                     EventKind::kSale},
                    Sku::from_trusted("MUG-1"), Quantity(q), ""};
}

TEST(OrderEvent, ValidatesKeyAndQuantity) {
  EXPECT_TRUE(validate_event(sale("R1", "T1", 1)).ok());
  EXPECT_TRUE(validate_event(sale("R1", "T1", 0)).is_invalid_argument());
  EXPECT_TRUE(validate_event(sale("R1", "T1", -3)).is_invalid_argument());
  EXPECT_TRUE(validate_event(sale("", "T1", 1)).is_invalid_argument());
  EXPECT_TRUE(validate_event(sale("R1", "", 1)).is_invalid_argument());
  EXPECT_TRUE(validate_event(sale(std::string(kExternalOrderIdBytesMax + 1, '9'), "T1", 1))
                  .is_invalid_argument());
  EXPECT_TRUE(validate_event(sale("R1", std::string(kLineKeyBytesMax + 1, '9'), 1))
                  .is_invalid_argument());
  EXPECT_TRUE(validate_event(sale("R\n1", "T1", 1)).is_invalid_argument());
  OrderEvent adjust = sale("A1", "1", -4);
  adjust.key.kind = EventKind::kAdjust;
  EXPECT_TRUE(validate_event(adjust).ok());
  adjust.quantity = Quantity(0);
  EXPECT_TRUE(validate_event(adjust).is_invalid_argument());
}

TEST(OrderEvent, KindAndOutcomeNamesRoundTrip) {
  for (EventKind k : {EventKind::kSale, EventKind::kCancel, EventKind::kRefundRestock,
                      EventKind::kRefundNoRestock, EventKind::kRestock, EventKind::kAdjust}) {
    auto back = parse_event_kind(event_kind_name(k));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, k);
  }
  EXPECT_FALSE(parse_event_kind("teleport").ok());
  EXPECT_EQ(*parse_event_outcome("oversold"), EventOutcome::kOversold);
}

TEST(EventEffect, SaleTakesWhatExistsAndRecordsTheRest) {
  const auto e = compute_event_effect(EventKind::kSale, Quantity(5), Quantity(3), std::nullopt);
  EXPECT_EQ(e.delta, Quantity(-3));
  EXPECT_EQ(e.result.outcome, EventOutcome::kOversold);
  EXPECT_EQ(e.result.applied_units, Quantity(3));
  EXPECT_EQ(e.result.oversold_units, Quantity(2));
  EXPECT_EQ(e.result.master_after, Quantity(0));
}

TEST(EventEffect, CancelReturnsOnlyWhatTheSaleTook) {
  // The sale of 5 found 3: the cancel can give back 3, not 5.
  auto e = compute_event_effect(EventKind::kCancel, Quantity(5), Quantity(0), Quantity(3));
  EXPECT_EQ(e.delta, Quantity(3));
  // A cancel that overtook its sale credits in full; the late sale nets it out.
  e = compute_event_effect(EventKind::kCancel, Quantity(5), Quantity(0), std::nullopt);
  EXPECT_EQ(e.delta, Quantity(5));
  e = compute_event_effect(EventKind::kRefundNoRestock, Quantity(2), Quantity(4), Quantity(2));
  EXPECT_EQ(e.delta, Quantity(0));
  EXPECT_EQ(e.result.outcome, EventOutcome::kApplied);
}

}  // namespace
}  // namespace invsync::domain
