// WebhookIngest over a real signed Shopify webhook (from the Shopify mock's storefront), the real
// Shopify connector and a MemoryStore: the status codes and that nothing is recorded when a
// request is refused.
#include <gtest/gtest.h>

#include "core/base/crypto.h"
#include "core/connector/shopify/shopify_config.h"
#include "core/connector/shopify/shopify_connector.h"
#include "core/ingest/webhook_ingest.h"
#include "core/store/memory_store.h"
#include "mocks/shopify/shopify_mock.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"

namespace invsync::ingest {
namespace {

using domain::Quantity;
using domain::Sku;

class IngestTest : public ::testing::Test {
 protected:
  IngestTest() : scheduler_(clock_), net_(scheduler_), prng_(1), mock_(mocks::ShopifyMockConfig{}, 7) {
    connector::ShopifyConnectorConfig c;
    c.channel = channel_;
    c.base_url = "https://shop.example";
    c.access_token = "shpat_invsync_mock";
    c.app_secret = mocks::ShopifyMockConfig{}.app_secret;
    c.location_id = mocks::ShopifyMockConfig{}.location_id;
    connector_ = std::make_unique<connector::ShopifyConnector>(
        c, connector::ConnectorDeps{clock_, scheduler_, prng_, net_, net_});
    ingest_ = std::make_unique<WebhookIngest>(store_, clock_, *connector_, alerts_, IngestOptions{});
    std::vector<store::ProductSpec> p = {{Sku::from_trusted("TEE"), Quantity(5)}};
    EXPECT_TRUE(store_.upsert_products(p, clock_.wall_now()).ok());
    EXPECT_TRUE(mock_.add_item({"TEE", 5, ""}).ok());
  }

  // The orders/create webhook the mock sends for a storefront order of `quantity` TEE.
  base::HttpRequest order_webhook(int64_t quantity) {
    EXPECT_TRUE(mock_.place_order("TEE", quantity, clock_.monotonic_now()).accepted);
    clock_.advance(base::Duration::seconds(1));
    for (auto& d : mock_.take_due_webhooks(clock_.monotonic_now())) {
      if (d.request.headers.get("X-Shopify-Topic") == "orders/create") return d.request;
    }
    ADD_FAILURE() << "no orders/create webhook";
    return {};
  }
  int64_t master() { return store_.product(Sku::from_trusted("TEE"))->master.units(); }
  size_t events() { return store_.events_for_sku(Sku::from_trusted("TEE"), 100)->size(); }

  domain::ChannelId channel_ = domain::ChannelId::from_trusted("shopify:main");
  base::ManualClock clock_;
  sim::SimScheduler scheduler_;
  sim::SimNetwork net_;
  base::Prng prng_;
  mocks::ShopifyMock mock_;
  store::MemoryStore store_;
  sync::RecordingAlertSink alerts_;
  std::unique_ptr<connector::ShopifyConnector> connector_;
  std::unique_ptr<WebhookIngest> ingest_;
};

TEST_F(IngestTest, SignedOrderIsAppliedAndAcknowledgedOnce) {
  const base::HttpRequest webhook = order_webhook(2);
  EXPECT_EQ(ingest_->handle(webhook).status, 200);
  EXPECT_EQ(master(), 3);
  // At-least-once delivery: the same webhook again is acknowledged and changes nothing.
  EXPECT_EQ(ingest_->handle(webhook).status, 200);
  EXPECT_EQ(master(), 3);
  EXPECT_EQ(events(), 1u);
  EXPECT_EQ(ingest_->stats().duplicates, 1);
}

TEST_F(IngestTest, TamperedBodyIsRefusedWithNothingRecorded) {
  base::HttpRequest webhook = order_webhook(2);
  const size_t at = webhook.body.find("\"quantity\":2");
  ASSERT_NE(at, std::string::npos);
  webhook.body[at + 11] = '1';  // one byte: 2 -> 1
  EXPECT_EQ(ingest_->handle(webhook).status, 401);
  webhook.headers.erase("X-Shopify-Hmac-Sha256");
  EXPECT_EQ(ingest_->handle(webhook).status, 401);
  EXPECT_EQ(master(), 5);
  EXPECT_EQ(events(), 0u);
  EXPECT_EQ(ingest_->stats().unauthenticated, 2);
}

TEST_F(IngestTest, MalformedPayloadIsRefusedWithNothingRecorded) {
  base::HttpRequest webhook = order_webhook(1);
  webhook.body = R"({"id": 1, "line_items": "not a list"})";
  webhook.headers.set("X-Shopify-Hmac-Sha256",
                      base::base64_encode(base::hmac_sha256(mocks::ShopifyMockConfig{}.app_secret,
                                                            webhook.body)));
  EXPECT_EQ(ingest_->handle(webhook).status, 400);
  EXPECT_EQ(master(), 5);
  EXPECT_EQ(events(), 0u);
}

TEST_F(IngestTest, OversizedBodyIs413) {
  base::HttpRequest webhook = order_webhook(1);
  webhook.body.append(IngestOptions{}.body_bytes_max, ' ');
  EXPECT_EQ(ingest_->handle(webhook).status, 413);
  EXPECT_EQ(events(), 0u);
}

TEST_F(IngestTest, StoreUnavailableIs503SoThePlatformRetries) {
  const base::HttpRequest webhook = order_webhook(1);
  store_.set_unavailable(true);
  EXPECT_EQ(ingest_->handle(webhook).status, 503);
  store_.set_unavailable(false);
  EXPECT_EQ(master(), 5);
  EXPECT_EQ(ingest_->handle(webhook).status, 200);  // the platform's retry
  EXPECT_EQ(master(), 4);
}

TEST_F(IngestTest, OversoldOrderIsAcknowledgedAndAlerted) {
  ASSERT_TRUE(store_.set_stock(Sku::from_trusted("TEE"), Quantity(1), "count", "r1", clock_.wall_now()).ok());
  EXPECT_EQ(ingest_->handle(order_webhook(3)).status, 200);
  EXPECT_EQ(master(), 0);
  ASSERT_EQ(alerts_.alerts().size(), 1u);
  EXPECT_EQ(alerts_.alerts()[0].kind, "oversold");
}

}  // namespace
}  // namespace invsync::ingest
