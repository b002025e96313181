// EtsyConnector against the Etsy mock on simulated time: pushes (GET-then-PUT, other SKUs kept,
// the all-zero rule and listing deactivation), reads, receipt polling, the ORDER_PAID webhook,
// OAuth refresh-token rotation, outcome classification and limit headers.
#include "core/connector/etsy/etsy_connector.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "core/connector/etsy/etsy_payloads.h"
#include "mocks/etsy/etsy_mock.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"

namespace invsync::connector {
namespace {

using base::Duration;
using domain::EventKind;
using domain::Quantity;
using domain::Sku;

constexpr const char* kBaseUrl = "https://openapi.etsy.com";
const base::WallTime kWallOrigin = base::WallTime::from_unix_s(1'767'225'600);

class EtsyConnectorTest : public ::testing::Test {
 protected:
  // Builds the mock (after tweaking its config) with listing "g" = {A-1: 5, A-2: 3} and the
  // single-SKU listing B-1: 2, then the connector (after tweaking its config).
  void start(std::function<void(mocks::EtsyMockConfig&)> tweak_mock = {},
             std::function<void(EtsyConnectorConfig&)> tweak_connector = {}) {
    if (tweak_mock) tweak_mock(mock_config_);
    mock_ = std::make_unique<mocks::EtsyMock>(mock_config_, 11);
    ASSERT_TRUE(mock_->add_item({"A-1", 5, "g"}).ok());
    ASSERT_TRUE(mock_->add_item({"A-2", 3, "g"}).ok());
    ASSERT_TRUE(mock_->add_item({"B-1", 2, ""}).ok());
    net_.add_host(kBaseUrl, *mock_);
    config_.channel = domain::ChannelId::from_trusted("etsy:shop");
    config_.base_url = kBaseUrl;
    config_.token_base_url = kBaseUrl;
    config_.shop_id = mock_config_.shop_id;
    config_.keystring = mock_config_.keystring;
    config_.shared_secret = mock_config_.shared_secret;
    config_.refresh_token = mock_config_.initial_refresh_tokens.front();
    config_.webhook_signing_secret = mock_config_.webhook_signing_secret;
    if (tweak_connector) tweak_connector(config_);
    make_connector();
  }

  void make_connector() {
    connector_ = std::make_unique<EtsyConnector>(
        config_, ConnectorDeps{clock_, scheduler_, prng_, net_, net_});
  }

  ListingRef ref(const std::string& sku) {
    return ListingRef{Sku::from_trusted(sku), mock_->external_ids_json(sku).value_or("{}")};
  }

  PushItem item(const std::string& sku, int64_t quantity) {
    return PushItem{ref(sku), Quantity(quantity), std::nullopt, "k-" + sku};
  }

  std::vector<PushItemResult> push(std::vector<PushItem> items) {
    std::optional<std::vector<PushItemResult>> out;
    advance(Duration::seconds(1));  // the test's own calls stay under 10/s
    int calls = 0;
    connector_->push(std::move(items), [&](std::vector<PushItemResult> r) {
      ++calls;
      out = std::move(r);
    });
    scheduler_.run_all();
    EXPECT_EQ(calls, 1);
    return out.value_or(std::vector<PushItemResult>{});
  }

  PushItemResult push_one(const std::string& sku, int64_t quantity) {
    std::vector<PushItemResult> r = push({item(sku, quantity)});
    EXPECT_EQ(r.size(), 1u);
    return r.empty() ? PushItemResult{.sku = Sku::from_trusted(sku)} : r.front();
  }

  base::Result<std::vector<ChannelQuantity>> read(std::vector<ListingRef> refs) {
    std::optional<base::Result<std::vector<ChannelQuantity>>> out;
    advance(Duration::seconds(1));  // the test's own calls stay under 10/s
    connector_->read(std::move(refs), [&](base::Result<std::vector<ChannelQuantity>> r) {
      EXPECT_FALSE(out.has_value());
      out = std::move(r);
    });
    scheduler_.run_all();
    if (!out) return base::Status::internal("no callback");
    return std::move(*out);
  }

  base::Result<PolledOrders> poll(const std::string& cursor) {
    std::optional<base::Result<PolledOrders>> out;
    advance(Duration::seconds(1));  // the test's own calls stay under 10/s
    connector_->poll_orders(cursor, [&](base::Result<PolledOrders> r) {
      EXPECT_FALSE(out.has_value());
      out = std::move(r);
    });
    scheduler_.run_all();
    if (!out) return base::Status::internal("no callback");
    return std::move(*out);
  }

  void advance(Duration d) { scheduler_.run_until(clock_.monotonic_now() + d); }

  // A raw authorised API call straight to the mock (for observe_limits on real responses).
  // A raw authorised GET straight to the mock (observe_limits on real responses). It spends the
  // connector's refresh token, so the rotated one is handed back to the connector.
  base::HttpResponse raw_get(const std::string& target) {
    base::HttpRequest token;
    token.method = "POST";
    token.target = "/v3/public/oauth/token";
    token.headers.set("x-api-key", mock_->api_key_header());
    token.headers.set("content-type", "application/x-www-form-urlencoded");
    token.body = "grant_type=refresh_token&client_id=" + mock_config_.keystring +
                 "&refresh_token=" + connector_->refresh_token();
    const base::HttpResponse t = mock_->handle(token, clock_.monotonic_now());
    const nlohmann::json j = nlohmann::json::parse(t.body);
    connector_->set_refresh_token(j["refresh_token"].get<std::string>());
    base::HttpRequest q;
    q.target = target;
    q.headers.set("x-api-key", mock_->api_key_header());
    q.headers.set("authorization", "Bearer " + j["access_token"].get<std::string>());
    return mock_->handle(q, clock_.monotonic_now());
  }

  int64_t listing_of(const std::string& sku) { return mock_->listing_id_of(sku).value_or(0); }

  mocks::EtsyMockConfig mock_config_;
  base::ManualClock clock_{kWallOrigin};
  sim::SimScheduler scheduler_{clock_};
  sim::SimNetwork net_{scheduler_};
  base::Prng prng_{5};
  std::unique_ptr<mocks::EtsyMock> mock_;
  EtsyConnectorConfig config_;
  std::unique_ptr<EtsyConnector> connector_;
};

// ------------------------------------------------------------------------------ config, limits

TEST(EtsyConnectorConfig, ParsesStrictlyWithDefaults) {
  base::JsonReader r = base::JsonReader::parse(R"({"channel":"etsy:crafts","shop_id":42,
      "keystring":"k","shared_secret":"s","refresh_token":"r","token_base_url":"https://t",
      "limits":{"rate_per_s":5,"burst":7}})");
  EtsyConnectorConfig c;
  ASSERT_TRUE(parse_etsy_connector_config(r, &c).ok());
  EXPECT_EQ(c.channel.str(), "etsy:crafts");
  EXPECT_EQ(c.base_url, "https://openapi.etsy.com");
  EXPECT_EQ(c.token_base_url, "https://t");
  EXPECT_EQ(c.shop_id, 42);
  EXPECT_EQ(c.limits.request_rate_micro_per_s, 5'000'000);
  EXPECT_EQ(c.limits.request_burst_count, 7);
  EXPECT_EQ(c.limits.push_batch_count_max, 1);
  EXPECT_EQ(c.limits.read_batch_count_max, 100);
  EXPECT_EQ(c.request_timeout, Duration::seconds(15));
  EXPECT_TRUE(validate_etsy_connector_config(c).ok());
}

TEST(EtsyConnectorConfig, RejectsUnknownKeysWrongPlatformAndBadSecretWithoutEchoingIt) {
  EtsyConnectorConfig c;
  base::JsonReader unknown = base::JsonReader::parse(R"({"channel":"etsy:a","shop_id":1,"x":1})");
  EXPECT_FALSE(parse_etsy_connector_config(unknown, &c).ok());
  base::JsonReader shopify = base::JsonReader::parse(R"({"channel":"shopify:a","shop_id":1})");
  EXPECT_FALSE(parse_etsy_connector_config(shopify, &c).ok());
  base::JsonReader no_shop = base::JsonReader::parse(R"({"channel":"etsy:a"})");
  EXPECT_FALSE(parse_etsy_connector_config(no_shop, &c).ok());
  base::JsonReader bad_limit = base::JsonReader::parse(
      R"({"channel":"etsy:a","shop_id":1,"limits":{"read_batch_max":101}})");
  EXPECT_FALSE(parse_etsy_connector_config(bad_limit, &c).ok());
  base::JsonReader secret = base::JsonReader::parse(
      R"({"channel":"etsy:a","shop_id":1,"webhook_signing_secret":"TOPSECRET"})");
  const base::Status st = parse_etsy_connector_config(secret, &c);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message().find("TOPSECRET"), std::string::npos);
  EXPECT_FALSE(validate_etsy_connector_config(EtsyConnectorConfig{}).ok());
}

TEST_F(EtsyConnectorTest, LimitsAreEtsysDefaults) {
  start();
  EXPECT_EQ(connector_->channel().str(), "etsy:shop");
  EXPECT_EQ(connector_->limits().request_rate_micro_per_s, 10'000'000);
  EXPECT_EQ(connector_->limits().request_burst_count, 10);
  EXPECT_EQ(connector_->limits().push_batch_count_max, 1);
  EXPECT_EQ(connector_->limits().read_batch_count_max, 100);
}

// ------------------------------------------------------------------------------ push

TEST_F(EtsyConnectorTest, PushLandsAndLeavesTheListingsOtherSkusUntouched) {
  start();
  const PushItemResult r = push_one("A-1", 7);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(r.channel_quantity, Quantity(7));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(mock_->counts().at("A-1"), 7);
  EXPECT_EQ(mock_->counts().at("A-2"), 3);
  EXPECT_EQ(mock_->counts().at("B-1"), 2);
  EXPECT_EQ(mock_->listing_state(listing_of("A-1")), "active");
}

TEST_F(EtsyConnectorTest, SeveralSkusOfOneListingGoInOnePut) {
  start();
  const std::vector<PushItemResult> r = push({item("A-1", 1), item("A-2", 9)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].outcome, PushOutcome::kDone);
  EXPECT_EQ(r[1].outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_->counts().at("A-1"), 1);
  EXPECT_EQ(mock_->counts().at("A-2"), 9);
}

TEST_F(EtsyConnectorTest, QuantitiesAboveNineHundredNinetyNineAreCappedAndSaidSo) {
  start();
  const PushItemResult r = push_one("B-1", 5000);
  EXPECT_EQ(r.outcome, PushOutcome::kDone);
  EXPECT_EQ(r.channel_quantity, Quantity(999));
  EXPECT_NE(r.error.find("capped"), std::string::npos);
  EXPECT_EQ(mock_->counts().at("B-1"), 999);
}

TEST_F(EtsyConnectorTest, OneSkuAtZeroIsSentWhenAnotherKeepsStock) {
  start();
  const PushItemResult r = push_one("A-2", 0);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(mock_->counts().at("A-2"), 0);
  EXPECT_EQ(mock_->counts().at("A-1"), 5);
  EXPECT_EQ(mock_->listing_state(listing_of("A-1")), "active");
}

TEST_F(EtsyConnectorTest, AListingWhoseSkusAllGoToZeroIsDeactivatedNotSentAllZeros) {
  start();
  ASSERT_EQ(push_one("A-2", 0).outcome, PushOutcome::kDone);
  const PushItemResult r = push_one("A-1", 0);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(r.channel_quantity, Quantity(0));
  const int64_t listing = listing_of("A-1");
  EXPECT_EQ(mock_->listing_state(listing), "inactive");
  // Nothing on the inactive listing is for sale, whatever the placeholder offering holds.
  base::Result<std::vector<ChannelQuantity>> q = read({ref("A-1"), ref("A-2")});
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ((*q)[0].quantity, Quantity(0));
  EXPECT_EQ((*q)[1].quantity, Quantity(0));
  EXPECT_FALSE(mock_->place_order("A-1", 1, clock_.monotonic_now()).accepted);
  // Pushing 0 again changes nothing.
  EXPECT_EQ(push_one("A-2", 0).outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_->listing_state(listing), "inactive");

  // Stock returns for the other SKU: the placeholder unit goes back to 0 and the listing is active.
  const PushItemResult back = push_one("A-2", 4);
  EXPECT_EQ(back.outcome, PushOutcome::kDone) << back.error;
  EXPECT_EQ(mock_->listing_state(listing), "active");
  EXPECT_EQ(mock_->counts().at("A-2"), 4);
  EXPECT_EQ(mock_->counts().at("A-1"), 0);
}

TEST_F(EtsyConnectorTest, ASingleSkuListingAtZeroIsDeactivatedAndReactivatedWhenStockReturns) {
  start();
  const int64_t listing = listing_of("B-1");
  EXPECT_EQ(push_one("B-1", 0).outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_->listing_state(listing), "inactive");
  base::Result<std::vector<ChannelQuantity>> q = read({ref("B-1")});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)[0].quantity, Quantity(0));
  EXPECT_EQ(push_one("B-1", 6).outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_->listing_state(listing), "active");
  EXPECT_EQ(mock_->counts().at("B-1"), 6);
}

TEST_F(EtsyConnectorTest, UnknownListingAndUnknownSkuArePermanent) {
  start();
  const std::vector<PushItemResult> gone =
      push({PushItem{ListingRef{Sku::from_trusted("Z-9"), R"({"listing_id":999})"}, Quantity(1),
                     std::nullopt, "k"}});
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(gone[0].http_status, 404);
  // A SKU that is not a product of the listing named by its ids.
  const std::vector<PushItemResult> stranger =
      push({PushItem{ListingRef{Sku::from_trusted("Z-9"), *mock_->external_ids_json("B-1")},
                     Quantity(1), std::nullopt, "k"}});
  EXPECT_EQ(stranger.at(0).outcome, PushOutcome::kPermanent);
  EXPECT_EQ(mock_->counts().at("B-1"), 2);
  const std::vector<PushItemResult> no_ids =
      push({PushItem{ListingRef{Sku::from_trusted("B-1"), "{}"}, Quantity(1), std::nullopt, "k"}});
  EXPECT_EQ(no_ids.at(0).outcome, PushOutcome::kPermanent);
}

TEST_F(EtsyConnectorTest, PerSecondRateLimitIsRateLimitedWithRetryAfter) {
  start([](mocks::EtsyMockConfig& m) { m.per_second_limit = 2; });
  // Token + GET + PUT in one second: the third call is over the per-second limit.
  const PushItemResult r = push_one("B-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kRateLimited) << r.error;
  EXPECT_EQ(r.http_status, 429);
  EXPECT_GT(r.retry_after, Duration::zero());
  EXPECT_LE(r.retry_after, Duration::seconds(1));
  advance(Duration::seconds(2));
  EXPECT_EQ(push_one("B-1", 4).outcome, PushOutcome::kDone);  // token cached: GET + PUT fit
  EXPECT_EQ(mock_->counts().at("B-1"), 4);
}

TEST_F(EtsyConnectorTest, DailyLimitIsRateLimitedWithTheRetryAfterHeader) {
  start([](mocks::EtsyMockConfig& m) { m.per_day_limit = 2; });
  const PushItemResult r = push_one("B-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kRateLimited) << r.error;
  EXPECT_EQ(r.http_status, 429);
  EXPECT_GT(r.retry_after, Duration::seconds(60));
}

TEST_F(EtsyConnectorTest, OutagesAndTimeoutsAreTransient) {
  start([](mocks::EtsyMockConfig&) {},
        [](EtsyConnectorConfig& c) { c.request_timeout = Duration::seconds(3); });
  ASSERT_EQ(push_one("B-1", 4).outcome, PushOutcome::kDone);  // token cached
  ASSERT_TRUE(mock_->set_faults_json(R"({"outage":"http_503"})").ok());
  PushItemResult r = push_one("B-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.http_status, 503);
  ASSERT_TRUE(mock_->set_faults_json(R"({"outage":"timeout"})").ok());
  r = push_one("B-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.http_status, 0);
  ASSERT_TRUE(mock_->set_faults_json(R"({"outage":"refused"})").ok());
  EXPECT_EQ(push_one("B-1", 5).outcome, PushOutcome::kTransient);
  ASSERT_TRUE(mock_->set_faults_json(R"({"error_rate_percent":100})").ok());
  EXPECT_EQ(push_one("B-1", 5).outcome, PushOutcome::kTransient);
  ASSERT_TRUE(mock_->set_faults_json("{}").ok());
  EXPECT_EQ(push_one("B-1", 5).outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_->counts().at("B-1"), 5);
}

// ------------------------------------------------------------------------------ OAuth

TEST_F(EtsyConnectorTest, RefreshTokenRotationWorksAcrossAnAccessTokenExpiry) {
  start();
  std::vector<std::string> rotated;
  connector_->set_refresh_token_listener([&](const std::string& t) { rotated.push_back(t); });
  const std::string initial = connector_->refresh_token();
  ASSERT_EQ(push_one("A-1", 6).outcome, PushOutcome::kDone);
  ASSERT_EQ(rotated.size(), 1u);
  EXPECT_NE(connector_->refresh_token(), initial);
  EXPECT_EQ(rotated.back(), connector_->refresh_token());
  ASSERT_EQ(push_one("A-1", 7).outcome, PushOutcome::kDone);
  EXPECT_EQ(rotated.size(), 1u);  // the cached access token was reused

  advance(Duration::minutes(61));
  const PushItemResult r = push_one("A-1", 8);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(mock_->counts().at("A-1"), 8);
  ASSERT_EQ(rotated.size(), 2u);
  EXPECT_NE(rotated[1], rotated[0]);

  // The first refresh token was revoked by the rotation: a connector still holding it is told
  // to re-authorise, without the token in the reason.
  config_.refresh_token = initial;
  make_connector();
  const PushItemResult revoked = push_one("A-1", 9);
  EXPECT_EQ(revoked.outcome, PushOutcome::kPermanent);
  EXPECT_NE(revoked.error.find("invalid_grant"), std::string::npos);
  EXPECT_EQ(revoked.error.find(initial), std::string::npos);
  EXPECT_EQ(revoked.error.find(mock_config_.shared_secret), std::string::npos);
  EXPECT_EQ(mock_->counts().at("A-1"), 8);
}

TEST_F(EtsyConnectorTest, AnExpiredTokenAnswer401IsRefreshedAndRetriedOnce) {
  // No refresh margin and 1 s of latency each way: the connector still trusts a token that the
  // platform already considers expired when the request arrives.
  start([](mocks::EtsyMockConfig&) {},
        [](EtsyConnectorConfig& c) { c.token_refresh_margin = Duration::zero(); });
  ASSERT_TRUE(mock_->set_faults_json(R"({"latency_ms_base":2000})").ok());
  std::vector<std::string> rotated;
  connector_->set_refresh_token_listener([&](const std::string& t) { rotated.push_back(t); });
  const base::Instant t0 = clock_.monotonic_now();
  ASSERT_EQ(push_one("B-1", 3).outcome, PushOutcome::kDone);
  ASSERT_EQ(rotated.size(), 1u);
  // The token was issued at t0 + 1 s (platform) and received at t0 + 2 s (connector).
  scheduler_.run_until(t0 + Duration::seconds(3600) + Duration::milliseconds(500));
  const PushItemResult r = push_one("B-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(rotated.size(), 2u);
  EXPECT_EQ(mock_->counts().at("B-1"), 4);
  EXPECT_GE(net_.stats().at(kBaseUrl).by_status.count(401), 1u);
}

TEST_F(EtsyConnectorTest, RevokedTokensArePermanent) {
  start();
  ASSERT_EQ(push_one("B-1", 3).outcome, PushOutcome::kDone);
  mock_->revoke_all_tokens();  // the merchant changed their password
  const PushItemResult r = push_one("B-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_EQ(mock_->counts().at("B-1"), 3);
}

// ------------------------------------------------------------------------------ read

TEST_F(EtsyConnectorTest, ReadsReturnWhatTheMockHolds) {
  start();
  ASSERT_TRUE(mock_->place_order("A-1", 2, clock_.monotonic_now()).accepted);
  base::Result<std::vector<ChannelQuantity>> q = read({ref("A-1"), ref("A-2"), ref("B-1")});
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ((*q)[0].sku.str(), "A-1");
  EXPECT_EQ((*q)[0].quantity, Quantity(3));
  EXPECT_EQ((*q)[1].quantity, Quantity(3));
  EXPECT_EQ((*q)[2].quantity, Quantity(2));
  for (const ChannelQuantity& c : *q)
    EXPECT_EQ(c.quantity->units(), mock_->counts().at(c.sku.str()));
}

TEST_F(EtsyConnectorTest, ReadFallsBackPerListingWhenOneIdIsUnknown) {
  start();
  const ListingRef gone{Sku::from_trusted("Z-9"), R"({"listing_id":999})"};
  base::Result<std::vector<ChannelQuantity>> q = read({ref("A-2"), gone, ref("B-1")});
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ((*q)[0].quantity, Quantity(3));
  EXPECT_EQ((*q)[1].quantity, std::nullopt);
  EXPECT_EQ((*q)[2].quantity, Quantity(2));
  // A lone unknown listing needs no fallback; a SKU missing from its listing is unknown too.
  base::Result<std::vector<ChannelQuantity>> lone = read({gone});
  ASSERT_TRUE(lone.ok());
  EXPECT_EQ((*lone)[0].quantity, std::nullopt);
  const ListingRef stranger{Sku::from_trusted("Z-9"), *mock_->external_ids_json("B-1")};
  base::Result<std::vector<ChannelQuantity>> s = read({stranger});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0].quantity, std::nullopt);
}

TEST_F(EtsyConnectorTest, ReadErrorsAreStatuses) {
  start();
  ASSERT_TRUE(read({ref("B-1")}).ok());
  ASSERT_TRUE(mock_->set_faults_json(R"({"outage":"http_502"})").ok());
  base::Result<std::vector<ChannelQuantity>> q = read({ref("B-1")});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), base::StatusCode::kUnavailable);
}

// ------------------------------------------------------------------------------ poll

TEST_F(EtsyConnectorTest, PolledReceiptsParseIntoSalesAndCancellations) {
  start();
  const mocks::PlaceOrderResult a = mock_->place_order("A-1", 2, clock_.monotonic_now());
  const mocks::PlaceOrderResult b = mock_->place_order("B-1", 1, clock_.monotonic_now());
  ASSERT_TRUE(a.accepted && b.accepted);
  advance(Duration::seconds(30));
  ASSERT_TRUE(mock_->cancel_order(b.order_id, clock_.monotonic_now()).ok());
  advance(Duration::seconds(30));
  base::Result<PolledOrders> p = poll("");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_FALSE(p->more);
  ASSERT_EQ(p->events.size(), 3u);
  int sales = 0, cancels = 0;
  for (const domain::OrderEvent& e : p->events) {
    EXPECT_EQ(e.key.channel.str(), "etsy:shop");
    EXPECT_FALSE(e.key.line_key.empty());
    EXPECT_TRUE(domain::validate_event(e).ok());
    if (e.key.kind == EventKind::kSale) ++sales;
    if (e.key.kind == EventKind::kCancel) {
      ++cancels;
      EXPECT_EQ(e.key.external_order_id, b.order_id);
      EXPECT_EQ(e.sku.str(), "B-1");
      EXPECT_EQ(e.quantity, Quantity(1));
    }
    if (e.key.external_order_id == a.order_id) {
      EXPECT_EQ(e.sku.str(), "A-1");
      EXPECT_EQ(e.quantity, Quantity(2));
    }
  }
  EXPECT_EQ(sales, 2);
  EXPECT_EQ(cancels, 1);
  // The next cursor starts a little before the newest update: re-reads inside that overlap are
  // duplicates (the store dedupes them); a new receipt is found.
  std::set<domain::EventKey> keys;
  for (const domain::OrderEvent& e : p->events) keys.insert(e.key);
  advance(Duration::minutes(10));
  const mocks::PlaceOrderResult c = mock_->place_order("A-2", 1, clock_.monotonic_now());
  advance(Duration::seconds(5));
  base::Result<PolledOrders> fresh = poll(p->next_cursor);
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  int new_events = 0;
  for (const domain::OrderEvent& e : fresh->events) {
    if (keys.count(e.key) != 0) continue;
    ++new_events;
    EXPECT_EQ(e.key.external_order_id, c.order_id);
    EXPECT_EQ(e.key.kind, EventKind::kSale);
  }
  EXPECT_EQ(new_events, 1);
  // A cursor past every update finds nothing.
  advance(Duration::minutes(10));
  base::Result<PolledOrders> quiet = poll(fresh->next_cursor);
  ASSERT_TRUE(quiet.ok());
  for (const domain::OrderEvent& e : quiet->events) {
    EXPECT_EQ(e.key.external_order_id, c.order_id);  // only the overlap's re-read
  }
}

TEST_F(EtsyConnectorTest, PollPagesWithOffsetUntilAShortPage) {
  start({}, [](EtsyConnectorConfig& c) { c.poll_page_limit = 2; });
  std::set<std::string> orders;
  for (int i = 0; i < 5; ++i) {
    const mocks::PlaceOrderResult o = mock_->place_order("A-1", 1, clock_.monotonic_now());
    ASSERT_TRUE(o.accepted) << o.reason;
    orders.insert(o.order_id);
    advance(Duration::seconds(1));
  }
  advance(Duration::seconds(5));
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (bool more = true; more && pages < 10; ++pages) {
    base::Result<PolledOrders> p = poll(cursor);
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    for (const auto& e : p->events) seen.insert(e.key.external_order_id);
    more = p->more;
    cursor = p->next_cursor;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, orders);
}

TEST_F(EtsyConnectorTest, ReceiptsShiftingBetweenPagesOnlyCauseHarmlessReReads) {
  start({}, [](EtsyConnectorConfig& c) { c.poll_page_limit = 2; });
  ASSERT_TRUE(mock_->set_faults_json(R"({"receipt_page_shift":1})").ok());
  std::set<std::string> orders;
  for (int i = 0; i < 5; ++i) {
    orders.insert(mock_->place_order("A-1", 1, clock_.monotonic_now()).order_id);
    advance(Duration::seconds(1));
  }
  advance(Duration::seconds(5));
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (bool more = true; more && pages < 20; ++pages) {
    base::Result<PolledOrders> p = poll(cursor);
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    for (const auto& e : p->events) seen.insert(e.key.external_order_id);
    more = p->more;
    cursor = p->next_cursor;
  }
  EXPECT_LT(pages, 20);
  EXPECT_EQ(seen, orders);
}

TEST_F(EtsyConnectorTest, MalformedCursorAndReceiptsAreInvalidArgument) {
  start();
  base::Result<PolledOrders> p = poll("not-a-cursor");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), base::StatusCode::kInvalidArgument);
  const auto channel = domain::ChannelId::from_trusted("etsy:shop");
  EXPECT_EQ(etsy::parse_receipts(R"({"results":[{"receipt_id":1,"transactions":[
      {"transaction_id":2,"sku":"","quantity":1}]}]})",
                                 channel)
                .status()
                .code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(etsy::parse_receipts(R"({"results":[{"receipt_id":1,"transactions":[
      {"transaction_id":2,"sku":"A","quantity":0}]}]})",
                                 channel)
                .status()
                .code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(etsy::parse_receipts(R"({"count":1})", channel).status().code(),
            base::StatusCode::kInvalidArgument);
}

// ------------------------------------------------------------------------------ webhooks

class EtsyWebhookTest : public EtsyConnectorTest {
 protected:
  void SetUp() override {
    start([](mocks::EtsyMockConfig& m) { m.webhook_enabled = true; });
  }

  base::HttpRequest delivery() {
    EXPECT_TRUE(mock_->place_order("A-1", 1, clock_.monotonic_now()).accepted);
    std::vector<mocks::WebhookDelivery> due = mock_->take_due_webhooks(clock_.monotonic_now());
    EXPECT_FALSE(due.empty());
    return due.empty() ? base::HttpRequest{} : due.front().request;
  }

  // Signs `body` the Standard Webhooks way with the mock's secret.
  base::HttpRequest signed_request(const std::string& body) {
    const std::string secret = mock_config_.webhook_signing_secret.substr(6);
    const std::string key = *base::base64_decode(secret);
    base::HttpRequest r;
    r.method = "POST";
    r.body = body;
    r.headers.set("webhook-id", "msg_1");
    r.headers.set("webhook-timestamp", "1767225600");
    r.headers.set("webhook-signature", "v1,AAAA v1," + base::base64_encode(base::hmac_sha256(
                                                           key, "msg_1.1767225600." + body)));
    return r;
  }
};

TEST_F(EtsyWebhookTest, OrderPaidFromTheStorefrontMeansPollNow) {
  const base::HttpRequest request = delivery();
  base::Result<ParsedWebhook> parsed = connector_->parse_webhook(request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->poll_now);
  EXPECT_FALSE(parsed->ignorable);
  EXPECT_TRUE(parsed->events.empty());
}

TEST_F(EtsyWebhookTest, ATamperedBodyIsUnauthenticated) {
  base::HttpRequest request = delivery();
  ASSERT_FALSE(request.body.empty());
  request.body[request.body.size() / 2] ^= 0x01;
  base::Result<ParsedWebhook> parsed = connector_->parse_webhook(request);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), base::StatusCode::kUnauthenticated);
  base::HttpRequest unsigned_request = delivery();
  unsigned_request.headers.erase("webhook-signature");
  EXPECT_EQ(connector_->parse_webhook(unsigned_request).status().code(),
            base::StatusCode::kUnauthenticated);
  // The wrong secret.
  config_.webhook_signing_secret = "whsec_" + base::base64_encode("another secret");
  make_connector();
  EXPECT_EQ(connector_->parse_webhook(delivery()).status().code(),
            base::StatusCode::kUnauthenticated);
}

TEST_F(EtsyWebhookTest, MalformedPayloadsAreInvalidArgumentAndOtherTopicsIgnorable) {
  EXPECT_EQ(connector_->parse_webhook(signed_request("{not json")).status().code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(connector_->parse_webhook(signed_request(R"({"shop_id":1})")).status().code(),
            base::StatusCode::kInvalidArgument);
  base::Result<ParsedWebhook> other =
      connector_->parse_webhook(signed_request(R"({"event_type":"listing.updated"})"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->ignorable);
  EXPECT_FALSE(other->poll_now);
}

// ------------------------------------------------------------------------------ limits

TEST_F(EtsyConnectorTest, ObserveLimitsReadsRealMockHeaders) {
  start();
  const base::HttpResponse ok =
      raw_get("/v3/application/listings/" + std::to_string(listing_of("B-1")) + "/inventory");
  ASSERT_EQ(ok.status, 200);
  const LimitFeedback f = connector_->observe_limits(ok);
  EXPECT_EQ(f.limit_count, 10);
  ASSERT_TRUE(f.remaining_count.has_value());
  EXPECT_GE(*f.remaining_count, 0);
  EXPECT_LT(*f.remaining_count, 10);
  EXPECT_FALSE(f.retry_after.has_value());
  // A per-second 429 from the mock: 12 calls in the same instant.
  base::HttpResponse limited;
  for (int i = 0; i < 12 && limited.status != 429; ++i) {
    base::HttpRequest q;
    q.target = "/v3/application/listings/" + std::to_string(listing_of("B-1")) + "/inventory";
    q.headers.set("x-api-key", mock_->api_key_header());
    limited = mock_->handle(q, clock_.monotonic_now());
  }
  ASSERT_EQ(limited.status, 429);
  const LimitFeedback l = connector_->observe_limits(limited);
  ASSERT_TRUE(l.retry_after.has_value());
  EXPECT_GT(*l.retry_after, Duration::zero());
}

TEST_F(EtsyConnectorTest, ObserveLimitsAcceptsTheMisspelledHeader) {
  start(
      [](mocks::EtsyMockConfig& m) { m.remaining_this_second_header = "x-remaining-this-secon"; });
  const base::HttpResponse ok =
      raw_get("/v3/application/listings/" + std::to_string(listing_of("B-1")) + "/inventory");
  ASSERT_TRUE(ok.headers.has("x-remaining-this-secon"));
  EXPECT_TRUE(connector_->observe_limits(ok).remaining_count.has_value());
  base::HttpResponse daily;
  daily.status = 429;
  daily.body = R"({"error":"Exceeded daily rate limit"})";
  daily.headers.set("retry-after", "86400");
  daily.headers.set("x-remaining-today", "0");
  const LimitFeedback f = connector_->observe_limits(daily);
  EXPECT_EQ(f.retry_after, Duration::seconds(86400));
  EXPECT_EQ(f.remaining_count, 0);
}

// ------------------------------------------------------------------------------ payloads

TEST(EtsyPayloads, PutBodyKeepsOtherProductsDropsReadOnlyFieldsAndUsesFloatPrices) {
  const std::string get = R"({"products":[
    {"product_id":1,"sku":"A","is_deleted":false,"property_values":[{"property_id":200,
      "property_name":"Color","scale_id":null,"scale_name":null,"value_ids":[5],"values":["Red"]}],
     "offerings":[{"offering_id":11,"quantity":4,"is_enabled":true,"is_deleted":false,
      "price":{"amount":2299,"divisor":100,"currency_code":"EUR"},"readiness_state_id":7}]},
    {"product_id":2,"sku":"B","is_deleted":false,"property_values":[{"property_id":200,
      "property_name":"Color","scale_id":null,"scale_name":null,"value_ids":[6],"values":["Blue"]}],
     "offerings":[{"offering_id":12,"quantity":2,"is_enabled":false,"is_deleted":false,
      "price":{"amount":2500,"divisor":100,"currency_code":"EUR"},"readiness_state_id":7}]}],
    "price_on_property":[200],"quantity_on_property":[200],"sku_on_property":[200],
    "readiness_state_on_property":[]})";
  base::Result<etsy::InventoryPlan> plan = etsy::plan_inventory_update(get, {{"A", 9}}, "");
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->put_needed);
  const nlohmann::json put = nlohmann::json::parse(plan->put_body);
  EXPECT_EQ(plan->put_body.find("product_id"), std::string::npos);
  EXPECT_EQ(plan->put_body.find("offering_id"), std::string::npos);
  EXPECT_EQ(plan->put_body.find("is_deleted"), std::string::npos);
  EXPECT_EQ(plan->put_body.find("scale_name"), std::string::npos);
  EXPECT_EQ(plan->put_body.find("currency_code"), std::string::npos);
  EXPECT_DOUBLE_EQ(put["products"][0]["offerings"][0]["price"].get<double>(), 22.99);
  EXPECT_EQ(put["products"][0]["offerings"][0]["quantity"], 9);
  EXPECT_EQ(put["products"][0]["offerings"][0]["readiness_state_id"], 7);
  EXPECT_EQ(put["products"][1]["offerings"][0]["quantity"], 2);
  EXPECT_EQ(put["products"][1]["offerings"][0]["is_enabled"], false);
  EXPECT_EQ(put["products"][1]["property_values"][0]["values"][0], "Blue");
  EXPECT_EQ(put["price_on_property"][0], 200);
  // Same quantity: nothing to send. Unknown SKU: reported missing.
  EXPECT_FALSE(etsy::plan_inventory_update(get, {{"A", 4}}, "")->put_needed);
  EXPECT_EQ(etsy::plan_inventory_update(get, {{"Q", 4}}, "")->missing_skus.size(), 1u);
  // Both to zero: one placeholder unit, never all zeros.
  base::Result<etsy::InventoryPlan> zero =
      etsy::plan_inventory_update(get, {{"A", 0}, {"B", 0}}, "");
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->no_stock);
  EXPECT_EQ(zero->placeholder_sku, "A");
  EXPECT_EQ(nlohmann::json::parse(zero->put_body)["products"][0]["offerings"][0]["quantity"], 1);
  // B's units are on a disabled offering: not for sale, so A at 0 leaves no stock either.
  base::Result<etsy::InventoryPlan> a_zero = etsy::plan_inventory_update(get, {{"A", 0}}, "");
  ASSERT_TRUE(a_zero.ok());
  EXPECT_TRUE(a_zero->no_stock);
  EXPECT_EQ(a_zero->placeholder_sku, "A");
  // A placeholder left earlier is cleared once real stock returns elsewhere.
  base::Result<etsy::InventoryPlan> back = etsy::plan_inventory_update(
      R"({"products":[{"sku":"A","offerings":[{"quantity":1,"is_enabled":true,"price":1.0}]},
                      {"sku":"B","offerings":[{"quantity":0,"is_enabled":true,"price":1.0}]}]})",
      {{"B", 3}}, "A");
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->no_stock);
  EXPECT_TRUE(back->placeholder_cleared);
  EXPECT_TRUE(back->stock_returns);
  const nlohmann::json put_back = nlohmann::json::parse(back->put_body);
  EXPECT_EQ(put_back["products"][0]["offerings"][0]["quantity"], 0);
  EXPECT_EQ(put_back["products"][1]["offerings"][0]["quantity"], 3);
}

// Bodies are read as nlohmann read them: any valid JSON (integers beyond 64 bits, a byte order
// mark, deep nesting), the last of duplicate keys, ids as numeric strings.
TEST(EtsyPayloads, BodiesMeanWhatNlohmannReadInThem) {
  const domain::ChannelId channel = domain::ChannelId::from_trusted("etsy:main");
  const std::string receipts =
      "\xEF\xBB\xBF"
      R"({"results":[{"receipt_id":"31","status":"paid","status":"canceled",
      "updated_timestamp":18446744073709551616,"transactions":[{"transaction_id":41,
      "quantity":1,"quantity":2,"sku":"MUG","big":-99999999999999999999}]}]})";
  base::Result<etsy::ReceiptPage> page = etsy::parse_receipts(receipts, channel);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->events.size(), 2u);  // the later "status" wins: a sale and its cancel
  EXPECT_EQ(page->events[0].key.external_order_id, "31");
  EXPECT_EQ(page->events[0].quantity.units(), 2);
  EXPECT_FALSE(page->max_updated_unix_s.has_value());  // 2^64 is a float beyond any id
  EXPECT_EQ(etsy::parse_receipts(R"({"results":[{"receipt_id":1)", channel).status().code(),
            base::StatusCode::kUnavailable);
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  base::Result<etsy::ReceiptPage> nested = etsy::parse_receipts(
      R"({"results":[{"receipt_id":7,"note":)" + deep + R"(,"transactions":[]}]})", channel);
  ASSERT_TRUE(nested.ok()) << nested.status().message();
  EXPECT_EQ(nested->result_count, 1);
  EXPECT_EQ(etsy::listing_id_of(R"({"listing_id":"17","listing_id":18})"), 18);
  EXPECT_EQ(etsy::listing_id_of(R"({"listing_id":9223372036854775808})"), std::nullopt);
  base::Result<etsy::InventoryPlan> plan = etsy::plan_inventory_update(
      R"({"products":[{"sku":"A","offerings":[{"quantity":1,"is_enabled":true,"price":1.5,
          "extra":1e999999999999999999999}]}]})",
      {{"A", 3}}, "");
  EXPECT_EQ(plan.status().code(), base::StatusCode::kUnavailable);  // 1e999... is no number
}

}  // namespace
}  // namespace invsync::connector
