#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "core/base/prng.h"
#include "core/base/url.h"
#include "core/connector/woocommerce/woocommerce_connector.h"
#include "mocks/woocommerce/woocommerce_mock.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"

namespace invsync::connector {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using domain::EventKind;
using domain::Quantity;
using domain::Sku;

constexpr char kBaseUrl[] = "https://shop.example";
constexpr char kSecret[] = "invsync-woo-secret";
constexpr int64_t kMockWallOriginS = 1767225600;  // the mock's wall clock at Instant()

WooCommerceConnectorConfig connector_config() {
  WooCommerceConnectorConfig c;
  c.channel = domain::ChannelId::from_trusted("woocommerce:test");
  c.base_url = kBaseUrl;
  c.consumer_key = "ck_test";
  c.consumer_secret = "cs_test";
  c.webhook_secret = kSecret;
  return c;
}

PushItem item(const std::string& sku, int64_t quantity, std::string ids = "{}") {
  return PushItem{.listing = {Sku::from_trusted(sku), std::move(ids)},
                  .quantity = Quantity(quantity),
                  .last_known = std::nullopt,
                  .idempotency_key = "k-" + sku};
}

// A signed Hookshot delivery of `body` for `topic`, as WooCommerce sends it.
HttpRequest signed_webhook(const std::string& topic, const std::string& body,
                           const std::string& secret = kSecret) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/webhooks/woocommerce";
  r.body = body;
  r.headers.set("Content-Type", "application/json");
  r.headers.set("X-WC-Webhook-Topic", topic);
  r.headers.set("X-WC-Webhook-Signature",
                base::base64_encode(base::hmac_sha256(secret, body)));
  return r;
}

// An HttpClient answering from a queue of canned responses (for status shapes the mock does not
// produce, such as 429 or a ModSecurity 501 on POST), recording every request.
class CannedClient final : public base::HttpClient {
 public:
  explicit CannedClient(base::Scheduler& scheduler) : scheduler_(scheduler) {}
  void reply(int32_t status, std::string body, std::string content_type = "application/json",
             std::map<std::string, std::string> headers = {}) {
    HttpResponse r = HttpResponse::text(status, std::move(content_type), std::move(body));
    for (auto& [k, v] : headers) r.headers.set(k, v);
    replies_.push_back(std::move(r));
  }
  void send(HttpRequest request, base::HttpCallback callback) override {
    requests.push_back(request);
    if (replies_.empty()) {
      scheduler_.post([cb = std::move(callback)] { cb(base::Status::unavailable("refused")); });
      return;
    }
    HttpResponse r = std::move(replies_.front());
    replies_.pop_front();
    scheduler_.post([cb = std::move(callback), r = std::move(r)] { cb(r); });
  }
  std::vector<HttpRequest> requests;

 private:
  base::Scheduler& scheduler_;
  std::deque<HttpResponse> replies_;
};

// The mock serves GET/PUT /orders/<id> but not the GET /orders list (mocks/woocommerce/
// mocks/README.md). This test-only shim answers the list from the mock's own order JSON (fetched with
// GET /orders/<id>), filtered by modified_after (exclusive, GMT), sorted by date_modified_gmt and
// paginated with X-WP-TotalPages, as WooCommerce does; everything else goes to the network.
class OrdersListShim final : public base::HttpClient {
 public:
  OrdersListShim(sim::SimScheduler& scheduler, base::HttpClient& next, mocks::WooCommerceMock& mock)
      : scheduler_(scheduler), next_(next), mock_(mock) {}
  void send(HttpRequest request, base::HttpCallback callback) override {
    if (request.path() != "/wp-json/wc/v3/orders") {
      next_.send(std::move(request), std::move(callback));
      return;
    }
    const auto params = base::parse_query(request.query()).value();
    const std::string after = base::query_param(params, "modified_after").value_or("");
    const int64_t page = std::stoll(base::query_param(params, "page").value_or("1"));
    const int64_t per_page = std::stoll(base::query_param(params, "per_page").value_or("10"));
    std::vector<nlohmann::json> orders;
    for (const auto& accepted : mock_.accepted_orders()) {
      HttpRequest get;
      get.target = "/wp-json/wc/v3/orders/" + accepted.order_id +
                   "?consumer_key=ck_test&consumer_secret=cs_test";
      const HttpResponse r = mock_.handle(get, scheduler_.clock().monotonic_now());
      nlohmann::json order = nlohmann::json::parse(r.body);
      if (order.at("date_modified_gmt").get<std::string>() > after) orders.push_back(order);
    }
    std::stable_sort(orders.begin(), orders.end(), [](const auto& a, const auto& b) {
      return a.at("date_modified_gmt").template get<std::string>() <
             b.at("date_modified_gmt").template get<std::string>();
    });
    nlohmann::json body = nlohmann::json::array();
    for (int64_t i = (page - 1) * per_page; i < page * per_page && i < std::ssize(orders); ++i) {
      body.push_back(orders[static_cast<size_t>(i)]);
    }
    HttpResponse response = HttpResponse::json(200, body.dump());
    const int64_t pages = (std::ssize(orders) + per_page - 1) / per_page;
    response.headers.set("X-WP-Total", std::to_string(orders.size()));
    response.headers.set("X-WP-TotalPages", std::to_string(pages));
    ++list_requests;
    scheduler_.post([cb = std::move(callback), response] { cb(response); });
  }
  int64_t list_requests = 0;

 private:
  sim::SimScheduler& scheduler_;
  base::HttpClient& next_;
  mocks::WooCommerceMock& mock_;
};

class WooCommerceConnectorTest : public ::testing::Test {
 protected:
  WooCommerceConnectorTest() {
    net_.add_host(kBaseUrl, mock_);
    EXPECT_TRUE(mock_.add_item({"SIMPLE-1", 10, ""}).ok());
    EXPECT_TRUE(mock_.add_item({"SIMPLE-2", 4, ""}).ok());
    EXPECT_TRUE(mock_.add_item({"TEE-S", 5, "TEE"}).ok());
    EXPECT_TRUE(mock_.add_item({"TEE-M", 6, "TEE"}).ok());
    connector_ = std::make_unique<WooCommerceConnector>(connector_config(), deps());
  }

  ConnectorDeps deps() { return ConnectorDeps{clock_, scheduler_, prng_, net_, net_}; }
  std::string ids(const std::string& sku) { return mock_.external_ids_json(sku).value(); }
  void faults(const std::string& json) { ASSERT_TRUE(mock_.set_faults_json(json).ok()) << json; }
  int64_t requests() {
    const auto& st = net_.stats();
    const auto it = st.find(kBaseUrl);
    return it == st.end() ? 0 : it->second.requests;
  }

  std::vector<PushItemResult> push(WooCommerceConnector& c, std::vector<PushItem> items) {
    std::optional<std::vector<PushItemResult>> out;
    int calls = 0;
    c.push(std::move(items), [&](std::vector<PushItemResult> r) {
      ++calls;
      out = std::move(r);
    });
    scheduler_.run_all();
    EXPECT_EQ(calls, 1);
    return out.value_or(std::vector<PushItemResult>{});
  }
  std::vector<PushItemResult> push(std::vector<PushItem> items) {
    return push(*connector_, std::move(items));
  }

  base::Result<std::vector<ChannelQuantity>> read(std::vector<ListingRef> listings) {
    std::optional<base::Result<std::vector<ChannelQuantity>>> out;
    connector_->read(std::move(listings), [&](auto r) { out.emplace(std::move(r)); });
    scheduler_.run_all();
    EXPECT_TRUE(out.has_value());
    return out.value_or(base::Status::internal("no callback"));
  }

  base::Result<PolledOrders> poll(const std::string& cursor) {
    std::optional<base::Result<PolledOrders>> out;
    OrdersListShim shim(scheduler_, net_, mock_);
    WooCommerceConnector c(connector_config(),
                           ConnectorDeps{clock_, scheduler_, prng_, shim, net_});
    c.poll_orders(cursor, [&](auto r) { out.emplace(std::move(r)); });
    scheduler_.run_all();
    EXPECT_TRUE(out.has_value());
    return out.value_or(base::Status::internal("no callback"));
  }

  // Every webhook the mock has due within `horizon`, the receiver answering 200.
  std::vector<mocks::WebhookDelivery> deliveries(Duration horizon = Duration::minutes(15)) {
    const base::Instant at = clock_.monotonic_now() + horizon;
    auto due = mock_.take_due_webhooks(at);
    for (const auto& d : due) mock_.on_webhook_result(d.delivery_id, 200, at);
    return due;
  }

  base::ManualClock clock_{base::WallTime::from_unix_s(kMockWallOriginS)};
  sim::SimScheduler scheduler_{clock_};
  sim::SimNetwork net_{scheduler_};
  base::Prng prng_{42};
  mocks::WooCommerceMock mock_{mocks::WooCommerceMockConfig{}, 7};
  std::unique_ptr<WooCommerceConnector> connector_;
};

// --- limits and config ---

TEST_F(WooCommerceConnectorTest, LimitsAreTheCaseStudyWooCommerceLimits) {
  const ConnectorLimits& l = connector_->limits();
  EXPECT_EQ(l.request_rate_micro_per_s, 5'000'000);
  EXPECT_EQ(l.request_burst_count, 5);
  EXPECT_EQ(l.push_batch_count_max, 100);
  EXPECT_EQ(l.read_batch_count_max, 100);
  EXPECT_EQ(connector_->channel().str(), "woocommerce:test");
}

TEST(WooCommerceConfig, ParsesWithDefaultsAndRejectsUnknownKeys) {
  auto r = base::JsonReader::parse(R"({"channel":"woocommerce:uk","base_url":"https://s.example/",
      "consumer_key":"ck","consumer_secret":"cs","webhook_secret":"w"})");
  WooCommerceConnectorConfig c;
  ASSERT_TRUE(parse_woocommerce_connector_config(r, &c).ok());
  EXPECT_EQ(c.channel.str(), "woocommerce:uk");
  EXPECT_EQ(c.base_url, "https://s.example");
  EXPECT_EQ(c.auth_mode, WooCommerceAuthMode::kQuery);
  EXPECT_EQ(c.request_timeout, Duration::seconds(30));
  EXPECT_EQ(c.limits.request_rate_micro_per_s, 5'000'000);
  EXPECT_EQ(c.limits.push_batch_count_max, 100);

  auto bad = base::JsonReader::parse(R"({"channel":"woocommerce:uk","base_url":"https://s",
      "consumer_key":"ck","consumer_secret":"cs","limits":{"push_batch_count_max":101}})");
  EXPECT_FALSE(parse_woocommerce_connector_config(bad, &c).ok());
  auto unknown = base::JsonReader::parse(R"({"channel":"woocommerce:uk","base_url":"https://s",
      "consumer_key":"ck","consumer_secret":"cs","colour":"red"})");
  const base::Status st = parse_woocommerce_connector_config(unknown, &c);
  EXPECT_NE(st.message().find("colour"), std::string::npos);
}

TEST(WooCommerceConfig, BasicAuthNeedsHttpsAndChannelMustBeWooCommerce) {
  WooCommerceConnectorConfig c;
  auto basic_http = base::JsonReader::parse(R"({"channel":"woocommerce:uk",
      "base_url":"http://s.example","consumer_key":"ck","consumer_secret":"cs",
      "auth_mode":"basic"})");
  EXPECT_FALSE(parse_woocommerce_connector_config(basic_http, &c).ok());
  auto shopify = base::JsonReader::parse(R"({"channel":"shopify:uk",
      "base_url":"https://s.example","consumer_key":"ck","consumer_secret":"cs"})");
  EXPECT_FALSE(parse_woocommerce_connector_config(shopify, &c).ok());
  auto secret_free = base::JsonReader::parse(R"({"channel":"woocommerce:uk",
      "base_url":"https://s.example","consumer_key":"ck","consumer_secret":"cs",
      "auth_mode":"basic","poll_start":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(parse_woocommerce_connector_config(secret_free, &c).ok());
  EXPECT_EQ(c.poll_start, base::WallTime::from_unix_s(kMockWallOriginS));
}

// --- push ---

TEST_F(WooCommerceConnectorTest, PushesOfSimpleProductsAndVariationsLand) {
  const auto results = push({item("SIMPLE-1", 3, ids("SIMPLE-1")), item("TEE-S", 0, ids("TEE-S")),
                             item("TEE-M", 9, ids("TEE-M")), item("SIMPLE-2", 7, ids("SIMPLE-2"))});
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.sku.str() << " " << r.error;
    EXPECT_EQ(r.http_status, 200);
  }
  EXPECT_EQ(results[1].channel_quantity, Quantity(0));
  EXPECT_EQ(requests(), 2);  // products/batch + products/<parent>/variations/batch
  const auto counts = mock_.counts();
  EXPECT_EQ(counts.at("SIMPLE-1"), 3);
  EXPECT_EQ(counts.at("SIMPLE-2"), 7);
  EXPECT_EQ(counts.at("TEE-S"), 0);
  EXPECT_EQ(counts.at("TEE-M"), 9);
}

TEST_F(WooCommerceConnectorTest, PushWithoutIdsLooksTheSkuUpOnceAndCachesIt) {
  auto results = push({item("SIMPLE-1", 2), item("TEE-M", 1)});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kDone) << results[0].error;
  EXPECT_EQ(results[1].outcome, PushOutcome::kDone) << results[1].error;
  EXPECT_EQ(requests(), 3);  // lookup + two batches
  EXPECT_EQ(mock_.counts().at("SIMPLE-1"), 2);
  EXPECT_EQ(mock_.counts().at("TEE-M"), 1);
  const auto tee = connector_->cached_ids("TEE-M");
  ASSERT_TRUE(tee.has_value());
  EXPECT_NE(tee->variation_id, 0);
  EXPECT_GT(tee->product_id, 0);
  results = push({item("SIMPLE-1", 8), item("TEE-M", 4)});
  EXPECT_EQ(requests(), 5);  // no second lookup
  EXPECT_EQ(mock_.counts().at("SIMPLE-1"), 8);
  EXPECT_EQ(mock_.counts().at("TEE-M"), 4);
}

TEST_F(WooCommerceConnectorTest, UnknownListingIsPermanent) {
  const auto results =
      push({item("NOPE-1", 2), item("SIMPLE-1", 2, R"({"product_id":999999,"variation_id":0})"),
            item("SIMPLE-2", 1, ids("SIMPLE-2"))});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kPermanent);  // the SKU lookup found nothing
  EXPECT_EQ(results[1].outcome, PushOutcome::kPermanent) << results[1].error;  // invalid id
  EXPECT_EQ(results[2].outcome, PushOutcome::kDone) << results[2].error;
  EXPECT_EQ(mock_.counts().at("SIMPLE-2"), 1);
  EXPECT_EQ(mock_.counts().at("SIMPLE-1"), 10);
}

TEST_F(WooCommerceConnectorTest, HtmlOutagesTimeoutsAndChallengePagesAreTransient) {
  faults(R"({"outage":"http_503"})");
  auto r = push({item("SIMPLE-1", 3, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.at(0).http_status, 503);
  faults(R"({"outage":"http_502"})");
  r = push({item("SIMPLE-1", 3, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.at(0).http_status, 502);
  faults(R"({"outage":"timeout"})");
  r = push({item("SIMPLE-1", 3, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.at(0).http_status, 0);
  faults(R"({"challenge_page_percent":100})");
  r = push({item("SIMPLE-1", 3, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.at(0).http_status, 200);
  EXPECT_EQ(mock_.counts().at("SIMPLE-1"), 10);
  faults("{}");
  r = push({item("SIMPLE-1", 3, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kDone);
}

TEST_F(WooCommerceConnectorTest, PhpWarningsBeforeTheJsonAreTolerated) {
  faults(R"({"php_warning_percent":100})");
  const auto r = push({item("SIMPLE-1", 6, ids("SIMPLE-1")), item("TEE-S", 2)});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kDone) << r.at(0).error;
  EXPECT_EQ(r.at(1).outcome, PushOutcome::kDone) << r.at(1).error;
  EXPECT_EQ(mock_.counts().at("SIMPLE-1"), 6);
  EXPECT_EQ(mock_.counts().at("TEE-S"), 2);
  auto q = read({{Sku::from_trusted("SIMPLE-1"), ids("SIMPLE-1")},
                 {Sku::from_trusted("TEE-M"), "{}"}});
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(q->at(0).quantity, Quantity(6));
  EXPECT_EQ(q->at(1).quantity, Quantity(6));
}

TEST_F(WooCommerceConnectorTest, StrippedAuthorizationBreaksBasicButNotQueryAuth) {
  faults(R"({"strip_authorization":true})");
  WooCommerceConnectorConfig basic = connector_config();
  basic.auth_mode = WooCommerceAuthMode::kBasic;
  WooCommerceConnector basic_connector(basic, deps());
  auto r = push(basic_connector, {item("SIMPLE-1", 1, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kPermanent);
  EXPECT_EQ(r.at(0).http_status, 401);
  r = push({item("SIMPLE-1", 1, ids("SIMPLE-1"))});  // query-string auth
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kDone) << r.at(0).error;
  faults("{}");
  r = push(basic_connector, {item("SIMPLE-2", 2, ids("SIMPLE-2"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kDone) << r.at(0).error;
  EXPECT_EQ(mock_.counts().at("SIMPLE-2"), 2);
}

TEST_F(WooCommerceConnectorTest, WrongSecretIsPermanentAndNeverLeaksIntoErrors) {
  WooCommerceConnectorConfig bad = connector_config();
  bad.consumer_secret = "cs_wrong_secret_value";
  WooCommerceConnector c(bad, deps());
  const auto r = push(c, {item("SIMPLE-1", 1, ids("SIMPLE-1"))});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kPermanent);
  EXPECT_EQ(r.at(0).http_status, 401);
  EXPECT_EQ(r.at(0).error.find("cs_wrong"), std::string::npos);
}

TEST_F(WooCommerceConnectorTest, EmptyPushCallsBackOnce) {
  EXPECT_TRUE(push({}).empty());
  EXPECT_EQ(requests(), 0);
}

// Status shapes the mock does not produce, from canned responses.
class WooCommerceCannedTest : public ::testing::Test {
 protected:
  std::vector<PushItemResult> push(std::vector<PushItem> items) {
    WooCommerceConnector c(connector_config(),
                           ConnectorDeps{clock_, scheduler_, prng_, client_, client_});
    std::vector<PushItemResult> out;
    c.push(std::move(items), [&](std::vector<PushItemResult> r) { out = std::move(r); });
    scheduler_.run_all();
    return out;
  }
  base::ManualClock clock_;
  sim::SimScheduler scheduler_{clock_};
  base::Prng prng_{1};
  CannedClient client_{scheduler_};
};

constexpr char kIds1[] = R"({"product_id":11,"variation_id":0})";
constexpr char kIds2[] = R"({"product_id":12})";

TEST_F(WooCommerceCannedTest, RateLimitedCarriesRetryAfter) {
  client_.reply(429, R"({"code":"too_many","message":"slow down"})", "application/json",
                {{"Retry-After", "7"}});
  const auto r = push({item("A-1", 1, kIds1)});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kRateLimited);
  EXPECT_EQ(r.at(0).retry_after, Duration::seconds(7));
  EXPECT_EQ(r.at(0).http_status, 429);
}

TEST_F(WooCommerceCannedTest, ModSecurity501AndGatewayPagesAreTransient) {
  client_.reply(501, "<html><body>Method Not Implemented</body></html>", "text/html");
  client_.reply(504, "<html><body>Gateway Timeout</body></html>", "text/html");
  EXPECT_EQ(push({item("A-1", 1, kIds1)}).at(0).outcome, PushOutcome::kTransient);
  EXPECT_EQ(push({item("A-1", 1, kIds1)}).at(0).outcome, PushOutcome::kTransient);
}

TEST_F(WooCommerceCannedTest, TooLargeAndAuthErrorsArePermanent) {
  client_.reply(413, R"({"code":"woocommerce_rest_request_entity_too_large","message":"x",
      "data":{"status":413}})");
  client_.reply(401, R"({"code":"woocommerce_rest_cannot_edit","message":"Sorry",
      "data":{"status":401}})");
  auto r = push({item("A-1", 1, kIds1), item("B-1", 1, kIds2)});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kPermanent);
  EXPECT_EQ(r.at(1).outcome, PushOutcome::kPermanent);
  r = push({item("A-1", 1, kIds1)});
  EXPECT_EQ(r.at(0).outcome, PushOutcome::kPermanent);
  EXPECT_NE(r.at(0).error.find("woocommerce_rest_cannot_edit"), std::string::npos);
}

TEST_F(WooCommerceCannedTest, PerItemErrorsAndMissingItemsAreClassifiedOneByOne) {
  client_.reply(200, R"(<br />
<b>Warning</b>:  Undefined array key "x" in <b>/var/www/a[1].php</b> on line <b>3</b><br />
{"update":[{"id":11,"error":{"code":"woocommerce_rest_product_invalid_id","message":"Invalid ID.",
 "data":{"status":400}}},{"id":12,"error":{"code":"db_error","message":"x","data":{"status":500}}},
 {"id":13,"manage_stock":true,"stock_quantity":null},{"id":14,"manage_stock":true,
 "stock_quantity":5}]})", "text/html; charset=UTF-8");
  const auto r = push({item("A-1", 1, kIds1), item("B-1", 1, kIds2),
                       item("C-1", 1, R"({"product_id":13})"),
                       item("D-1", 5, R"({"product_id":14})"),
                       item("E-1", 1, R"({"product_id":15})")});
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(r[1].outcome, PushOutcome::kTransient);
  EXPECT_EQ(r[2].outcome, PushOutcome::kPermanent);  // stock management off: not applied
  EXPECT_EQ(r[3].outcome, PushOutcome::kDone);
  EXPECT_EQ(r[4].outcome, PushOutcome::kTransient);  // absent from the response
  ASSERT_EQ(client_.requests.size(), 1u);
  const HttpRequest& sent = client_.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_TRUE(sent.target.starts_with("/wp-json/wc/v3/products/batch?consumer_key=ck_test"));
  EXPECT_EQ(sent.base_url, kBaseUrl);
  EXPECT_EQ(sent.timeout, Duration::seconds(30));
  EXPECT_NE(sent.body.find(R"({"id":11,"manage_stock":true,"stock_quantity":1})"),
            std::string::npos);
}

// A batch reply means what nlohmann read in it: the last of a repeated key counts, an integer past
// 64 bits is a float (so no stock quantity).
TEST_F(WooCommerceCannedTest, BatchRepliesMeanWhatNlohmannReadInThem) {
  client_.reply(200, R"({"update":[{"id":11,"stock_quantity":9,"stock_quantity":1,
      "note":18446744073709551616},{"id":12,"stock_quantity":99999999999999999999}]})");
  const auto r = push({item("A-1", 1, kIds1), item("B-1", 2, kIds2)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].outcome, PushOutcome::kDone);
  EXPECT_EQ(r[1].outcome, PushOutcome::kPermanent);  // stock_quantity is no whole number
}

// --- read ---

TEST_F(WooCommerceConnectorTest, ReadsReturnWhatTheMockHolds) {
  auto q = read({{Sku::from_trusted("SIMPLE-1"), ids("SIMPLE-1")},
                 {Sku::from_trusted("TEE-S"), ids("TEE-S")},
                 {Sku::from_trusted("TEE-M"), "{}"},
                 {Sku::from_trusted("SIMPLE-2"), "{}"},
                 {Sku::from_trusted("GHOST-9"), "{}"}});
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ(q->at(0).quantity, Quantity(10));
  EXPECT_EQ(q->at(1).quantity, Quantity(5));
  EXPECT_EQ(q->at(2).quantity, Quantity(6));
  EXPECT_EQ(q->at(3).quantity, Quantity(4));
  EXPECT_EQ(q->at(4).quantity, std::nullopt);
  EXPECT_EQ(q->at(4).sku.str(), "GHOST-9");
  EXPECT_TRUE(connector_->cached_ids("TEE-M").has_value());
  // After a push, a read shows the pushed value.
  push({item("TEE-M", 13)});
  q = read({{Sku::from_trusted("TEE-M"), ids("TEE-M")}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at(0).quantity, Quantity(13));
}

TEST_F(WooCommerceConnectorTest, ReadFailuresBecomeStatuses) {
  faults(R"({"challenge_page_percent":100})");
  auto q = read({{Sku::from_trusted("SIMPLE-1"), ids("SIMPLE-1")}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), base::StatusCode::kUnavailable);
  faults(R"({"outage":"timeout"})");
  q = read({{Sku::from_trusted("SIMPLE-1"), ids("SIMPLE-1")}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), base::StatusCode::kTimeout);
}

// --- webhooks ---

TEST_F(WooCommerceConnectorTest, StorefrontOrderWebhooksParseIntoSaleThenSaleAndCancel) {
  const auto placed = mock_.place_order("SIMPLE-1", 2, clock_.monotonic_now());
  ASSERT_TRUE(placed.accepted) << placed.reason;
  std::vector<domain::OrderEvent> events;
  int ignorable = 0;
  for (const auto& d : deliveries()) {
    auto parsed = connector_->parse_webhook(d.request);
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    ignorable += parsed->ignorable ? 1 : 0;
    for (auto& e : parsed->events) events.push_back(e);
  }
  EXPECT_GE(ignorable, 1);  // product.updated
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) {
    EXPECT_EQ(e.key.kind, EventKind::kSale);
    EXPECT_EQ(e.key.external_order_id, placed.order_id);
    EXPECT_EQ(e.key.channel.str(), "woocommerce:test");
    EXPECT_EQ(e.sku.str(), "SIMPLE-1");
    EXPECT_EQ(e.quantity, Quantity(2));
    EXPECT_FALSE(e.key.line_key.empty());
  }
  clock_.advance(Duration::minutes(20));
  ASSERT_TRUE(mock_.cancel_order(placed.order_id, clock_.monotonic_now()).ok());
  std::vector<domain::OrderEvent> after;
  for (const auto& d : deliveries()) {
    auto parsed = connector_->parse_webhook(d.request);
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    for (auto& e : parsed->events) after.push_back(e);
  }
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].key.kind, EventKind::kSale);
  EXPECT_EQ(after[1].key.kind, EventKind::kCancel);
  EXPECT_EQ(after[1].key.line_key, events[0].key.line_key);
  EXPECT_EQ(after[1].quantity, Quantity(2));
}

TEST_F(WooCommerceConnectorTest, TamperedBodyAndMissingSignatureAreUnauthenticated) {
  ASSERT_TRUE(mock_.place_order("TEE-S", 1, clock_.monotonic_now()).accepted);
  auto due = deliveries();
  ASSERT_FALSE(due.empty());
  HttpRequest tampered = due[0].request;
  const size_t at = tampered.body.find("TEE-S");
  ASSERT_NE(at, std::string::npos);
  tampered.body[at] = 'X';
  auto parsed = connector_->parse_webhook(tampered);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), base::StatusCode::kUnauthenticated);
  HttpRequest unsigned_request = due[0].request;
  unsigned_request.headers.erase("X-WC-Webhook-Signature");
  parsed = connector_->parse_webhook(unsigned_request);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), base::StatusCode::kUnauthenticated);
  auto wrong_key = signed_webhook("order.created", due[0].request.body, "another-secret");
  EXPECT_EQ(connector_->parse_webhook(wrong_key).status().code(),
            base::StatusCode::kUnauthenticated);
}

TEST_F(WooCommerceConnectorTest, CreationPingIsIgnorable) {
  ASSERT_TRUE(mock_.create_webhook("order.updated", clock_.monotonic_now()).ok());
  auto due = deliveries(Duration::minutes(1));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].request.headers.has("X-WC-Webhook-Signature"));
  auto parsed = connector_->parse_webhook(due[0].request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->ignorable);
  EXPECT_TRUE(parsed->events.empty());
}

TEST_F(WooCommerceConnectorTest, MalformedPayloadsAreInvalidArgument) {
  const auto code = [&](const HttpRequest& r) {
    return connector_->parse_webhook(r).status().code();
  };
  EXPECT_EQ(code(signed_webhook("order.created", "{not json")),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(signed_webhook("order.updated", R"({"id":5,"status":"processing"})")),
            base::StatusCode::kInvalidArgument);  // no line_items
  EXPECT_EQ(code(signed_webhook("order.updated", R"({"id":5,"status":"processing",
      "line_items":[{"id":1,"quantity":1,"sku":""}]})")),
            base::StatusCode::kInvalidArgument);  // empty SKU
  EXPECT_EQ(code(signed_webhook("order.updated", R"({"id":5,"status":"completed",
      "line_items":[{"id":1,"quantity":0,"sku":"A-1"}]})")),
            base::StatusCode::kInvalidArgument);
  HttpRequest no_topic = signed_webhook("order.created", R"({"id":1})");
  no_topic.headers.erase("X-WC-Webhook-Topic");
  EXPECT_EQ(code(no_topic), base::StatusCode::kInvalidArgument);
}

// Any valid JSON is read as nlohmann read it (a byte order mark, integers past 64 bits, nesting
// deeper than simdjson's default limit), with the last of a repeated key and ids as digit strings.
TEST_F(WooCommerceConnectorTest, WebhookBodiesMeanWhatNlohmannReadInThem) {
  auto parsed = connector_->parse_webhook(
      signed_webhook("order.updated",
                     "\xEF\xBB\xBF"
                     R"({"id":"7","status":"pending","status":"processing",
      "note":18446744073709551616,"line_items":[{"id":3,"quantity":1,"quantity":2,"sku":"A-1"}]})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(parsed->events[0].key.external_order_id, "7");
  EXPECT_EQ(parsed->events[0].quantity, Quantity(2));
  const std::string deep = R"({"id":8,"status":"completed",
      "line_items":[{"id":1,"quantity":1,"sku":"A-1"}],"meta":)" +
                           std::string(3000, '[') + std::string(3000, ']') + "}";
  parsed = connector_->parse_webhook(signed_webhook("order.updated", deep));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(connector_
                ->parse_webhook(signed_webhook("order.updated", R"({"id":9,"status":"completed",
      "line_items":[{"id":1,"quantity":18446744073709551616,"sku":"A-1"}]})"))
                .status()
                .code(),
            base::StatusCode::kInvalidArgument);  // a float quantity
}

TEST_F(WooCommerceConnectorTest, DraftOrdersAndOtherTopicsGiveNoEvents) {
  for (const char* status : {"pending", "checkout-draft", "auto-draft", "failed"}) {
    auto parsed = connector_->parse_webhook(signed_webhook(
        "order.created", std::string(R"({"id":7,"status":")") + status +
                             R"(","line_items":[{"id":3,"quantity":1,"sku":"A-1"}]})"));
    ASSERT_TRUE(parsed.ok()) << status;
    EXPECT_TRUE(parsed->events.empty()) << status;
  }
  for (const char* topic : {"product.updated", "order.deleted", "coupon.created"}) {
    auto parsed = connector_->parse_webhook(signed_webhook(topic, R"({"id":7})"));
    ASSERT_TRUE(parsed.ok()) << topic;
    EXPECT_TRUE(parsed->ignorable) << topic;
  }
  auto held = connector_->parse_webhook(signed_webhook("order.updated",
      R"({"id":7,"status":"on-hold","line_items":[{"id":3,"quantity":2,"sku":"A-1"},
      {"id":4,"quantity":1,"sku":"B-1"}]})"));
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->events.size(), 2u);
  EXPECT_EQ(held->events[1].key.line_key, "4");
  EXPECT_EQ(held->events[1].key.external_order_id, "7");
}

// --- polling ---

TEST_F(WooCommerceConnectorTest, PolledOrdersGiveEventsAndACursor) {
  const auto a = mock_.place_order("SIMPLE-1", 1, clock_.monotonic_now());
  clock_.advance(Duration::seconds(30));
  const auto b = mock_.place_order("TEE-M", 2, clock_.monotonic_now());
  ASSERT_TRUE(a.accepted && b.accepted);
  clock_.advance(Duration::seconds(30));
  ASSERT_TRUE(mock_.cancel_order(b.order_id, clock_.monotonic_now()).ok());
  clock_.advance(Duration::seconds(30));
  auto polled = poll("");
  ASSERT_TRUE(polled.ok()) << polled.status().to_string();
  EXPECT_FALSE(polled->more);
  std::map<std::pair<std::string, EventKind>, int64_t> seen;
  for (const auto& e : polled->events) {
    seen[{e.key.external_order_id, e.key.kind}] += e.quantity.units();
  }
  EXPECT_EQ((seen[{a.order_id, EventKind::kSale}]), 1);
  EXPECT_EQ((seen[{b.order_id, EventKind::kSale}]), 2);
  EXPECT_EQ((seen[{b.order_id, EventKind::kCancel}]), 2);
  EXPECT_EQ(polled->next_cursor, "2026-01-01T00:01:00");  // b's cancellation, GMT
  // Nothing new: the cursor holds; only the overlap second comes back.
  auto again = poll(polled->next_cursor);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->next_cursor, polled->next_cursor);
  for (const auto& e : again->events) EXPECT_EQ(e.key.external_order_id, b.order_id);
  EXPECT_EQ(poll("garbage").status().code(), base::StatusCode::kInvalidArgument);
}

TEST_F(WooCommerceConnectorTest, PollingWalksPagesOfOrdersModifiedInOneSecond) {
  ASSERT_TRUE(mock_.add_item({"BULK-1", 1000, ""}).ok());
  std::set<std::string> placed;
  for (int i = 0; i < 150; ++i) {
    placed.insert(mock_.place_order("BULK-1", 1, clock_.monotonic_now()).order_id);
  }
  clock_.advance(Duration::seconds(1));
  std::set<std::string> seen;
  std::string cursor;
  int polls = 0;
  do {
    auto polled = poll(cursor);
    ASSERT_TRUE(polled.ok()) << polled.status().to_string();
    for (const auto& e : polled->events) seen.insert(e.key.external_order_id);
    cursor = polled->next_cursor;
    if (!polled->more) break;
  } while (++polls < 5);
  EXPECT_EQ(seen, placed);
  // Page 1 moves the cursor to that second; page 1 of the second again (no progress), so the
  // cursor steps to page 2, the last.
  EXPECT_EQ(polls, 2);
}

TEST_F(WooCommerceCannedTest, PollSendsModifiedAfterAndStepsPagesWithinOneSecond) {
  const std::string page = R"([
    {"id":9,"status":"processing","date_modified_gmt":"2026-01-01T00:00:05",
      "line_items":[{"id":1,"quantity":1,"sku":"A-1"}]},
    {"id":10,"status":"cancelled","date_modified_gmt":"2026-01-01T00:00:05",
      "line_items":[{"id":2,"quantity":3,"sku":"B-1"}]},
    {"id":11,"status":"processing","date_modified_gmt":"2026-01-01T00:00:05",
      "line_items":[{"id":3,"quantity":1,"sku":""},{"id":4,"quantity":2,"sku":"C-1"}]}])";
  client_.reply(200, page, "application/json", {{"X-WP-TotalPages", "3"}});
  client_.reply(200, page, "application/json", {{"X-WP-TotalPages", "3"}});
  client_.reply(429, "{}", "application/json", {{"Retry-After", "2"}});
  WooCommerceConnector c(connector_config(),
                         ConnectorDeps{clock_, scheduler_, prng_, client_, client_});
  std::vector<base::Result<PolledOrders>> out;
  const auto poll = [&](const std::string& cursor) {
    c.poll_orders(cursor, [&](base::Result<PolledOrders> r) { out.push_back(std::move(r)); });
    scheduler_.run_all();
  };
  poll("2026-01-01T00:00:00");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].ok());
  EXPECT_TRUE(out[0]->more);
  EXPECT_EQ(out[0]->next_cursor, "2026-01-01T00:00:05");  // progress: page 1 of the newer time
  // 9 sale; 10 sale + cancel; 11: the SKU-less line is skipped, its good line counts
  ASSERT_EQ(out[0]->events.size(), 4u);
  EXPECT_EQ(out[0]->events[2].key.kind, EventKind::kCancel);
  EXPECT_EQ(out[0]->events[3].key.line_key, "4");
  EXPECT_EQ(out[0]->events[3].quantity, Quantity(2));
  EXPECT_EQ(client_.requests[0].target.rfind(
                "/wp-json/wc/v3/orders?modified_after=2025-12-31T23%3A59%3A59"
                "&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1",
                0),
            0u)
      << client_.requests[0].target;
  poll(out[0]->next_cursor);
  ASSERT_TRUE(out[1].ok());
  EXPECT_EQ(out[1]->next_cursor, "2026-01-01T00:00:05;page=2");  // no progress: next page
  EXPECT_NE(client_.requests[1].target.find("modified_after=2026-01-01T00%3A00%3A04"),
            std::string::npos);  // one second of overlap
  poll(out[1]->next_cursor);
  ASSERT_FALSE(out[2].ok());
  EXPECT_EQ(out[2].status().code(), base::StatusCode::kRateLimited);
  EXPECT_EQ(out[2].status().retry_after(), Duration::seconds(2));
  EXPECT_NE(client_.requests[2].target.find("&page=2"), std::string::npos);
}

// --- limit feedback ---

TEST_F(WooCommerceConnectorTest, ObserveLimitsIsEmptyOnMockResponsesExceptRetryAfter) {
  HttpRequest r;
  r.target = "/wp-json/wc/v3/products?consumer_key=ck_test&consumer_secret=cs_test";
  const HttpResponse ok = mock_.handle(r, clock_.monotonic_now());
  EXPECT_EQ(ok.status, 200);
  LimitFeedback f = connector_->observe_limits(ok);
  EXPECT_FALSE(f.remaining_count.has_value());
  EXPECT_FALSE(f.limit_count.has_value());
  EXPECT_FALSE(f.retry_after.has_value());
  faults(R"({"outage":"http_503"})");
  const HttpResponse down = mock_.handle(r, clock_.monotonic_now());
  EXPECT_EQ(down.status, 503);
  f = connector_->observe_limits(down);
  EXPECT_FALSE(f.remaining_count.has_value());
  HttpResponse throttled = HttpResponse::json(429, "{}");
  throttled.headers.set("Retry-After", "3");
  EXPECT_EQ(connector_->observe_limits(throttled).retry_after, Duration::seconds(3));
}

}  // namespace
}  // namespace invsync::connector
