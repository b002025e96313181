// ShopifyConnector against the Shopify mock on simulated time: pushes land, reads return what the
// mock holds, webhooks from the mock's storefront verify and parse, tampered or malformed bodies
// are refused, every push outcome is classified, and budgets are read from real responses.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "core/connector/shopify/shopify_connector.h"
#include "mocks/shopify/shopify_mock.h"
#include "sim/sim_network.h"
#include "sim/sim_scheduler.h"

namespace invsync::connector {
namespace {

using base::Duration;
using base::StatusCode;
using domain::EventKind;
using domain::Quantity;
using domain::Sku;
using nlohmann::json;

constexpr char kBaseUrl[] = "https://invsync-demo.myshopify.com";
constexpr char kToken[] = "shpat_invsync_mock";
constexpr char kSecret[] = "shpss_invsync_mock_secret";

// Passes requests through and records them and their responses; an optional hook runs after
// each response, before the connector sees it.
class TapClient final : public base::HttpClient {
 public:
  explicit TapClient(base::HttpClient& inner) : inner_(inner) {}
  void send(base::HttpRequest request, base::HttpCallback callback) override {
    requests.push_back(request);
    inner_.send(std::move(request),
                [this, callback = std::move(callback)](base::Result<base::HttpResponse> r) {
                  if (r.ok()) responses.push_back(*r);
                  if (after_response) after_response(requests.back(), r);
                  callback(std::move(r));
                });
  }
  std::vector<base::HttpRequest> requests;
  std::vector<base::HttpResponse> responses;
  std::function<void(const base::HttpRequest&, const base::Result<base::HttpResponse>&)>
      after_response;

 private:
  base::HttpClient& inner_;
};

json base_config() {
  return {{"channel", "shopify:demo"}, {"base_url", kBaseUrl},    {"access_token", kToken},
          {"app_secret", kSecret},     {"location_id", 655441491}};
}

ShopifyConnectorConfig make_config(const json& overrides = json::object()) {
  json j = base_config();
  j.merge_patch(overrides);
  auto reader = base::JsonReader::parse(j.dump());
  ShopifyConnectorConfig config;
  const base::Status st = parse_shopify_connector_config(reader, &config);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return config;
}

struct World {
  explicit World(mocks::ShopifyMockConfig mock_config = {}, json overrides = json::object())
      : scheduler(clock), net(scheduler), tap(net), mock(std::move(mock_config), 42) {
    net.add_host(kBaseUrl, mock);
    connector = std::make_unique<ShopifyConnector>(make_config(overrides),
                                                   ConnectorDeps{clock, scheduler, prng, tap, net});
    EXPECT_TRUE(mock.add_item({"SKU-1", 10, ""}).ok());
    EXPECT_TRUE(mock.add_item({"SKU-2", 5, ""}).ok());
    EXPECT_TRUE(mock.add_item({"SKU-3", 0, ""}).ok());
  }

  ListingRef listing(const std::string& sku) {
    return ListingRef{Sku::from_trusted(sku), mock.external_ids_json(sku).value_or("{}")};
  }
  PushItem item(const std::string& sku, int64_t quantity, std::optional<int64_t> last_known) {
    return PushItem{listing(sku), Quantity(quantity),
                    last_known ? std::optional(Quantity(*last_known)) : std::nullopt,
                    "job-" + sku + "-" + std::to_string(quantity)};
  }
  std::vector<PushItemResult> push(std::vector<PushItem> items) {
    std::optional<std::vector<PushItemResult>> out;
    int calls = 0;
    connector->push(std::move(items), [&](std::vector<PushItemResult> r) {
      ++calls;
      out = std::move(r);
    });
    scheduler.run_all();
    EXPECT_EQ(calls, 1);
    return out.value_or(std::vector<PushItemResult>{});
  }
  base::Result<std::vector<ChannelQuantity>> read(std::vector<ListingRef> listings) {
    std::optional<base::Result<std::vector<ChannelQuantity>>> out;
    connector->read(std::move(listings), [&](auto r) { out.emplace(std::move(r)); });
    scheduler.run_all();
    EXPECT_TRUE(out.has_value());
    return out.value_or(base::Status::internal("no callback"));
  }
  base::Result<PolledOrders> poll(const std::string& cursor) {
    std::optional<base::Result<PolledOrders>> out;
    connector->poll_orders(cursor, [&](auto r) { out.emplace(std::move(r)); });
    scheduler.run_all();
    EXPECT_TRUE(out.has_value());
    return out.value_or(base::Status::internal("no callback"));
  }
  // Deliveries of the mock that are due within a minute, in send order.
  std::vector<mocks::WebhookDelivery> webhooks() {
    clock.advance(Duration::minutes(1));
    return mock.take_due_webhooks(clock.monotonic_now());
  }
  const mocks::WebhookDelivery* first_of(const std::vector<mocks::WebhookDelivery>& ds,
                                         const std::string& topic) {
    for (const auto& d : ds) {
      if (d.request.headers.get("X-Shopify-Topic") == topic) return &d;
    }
    return nullptr;
  }
  void faults(const std::string& j) { ASSERT_TRUE(mock.set_faults_json(j).ok()) << j; }

  base::ManualClock clock;
  sim::SimScheduler scheduler;
  sim::SimNetwork net;
  TapClient tap;
  base::Prng prng{7};
  mocks::ShopifyMock mock;
  std::unique_ptr<ShopifyConnector> connector;
};

std::string sign(const std::string& secret, const std::string& body) {
  return base::base64_encode(base::hmac_sha256(secret, body));
}

base::HttpRequest webhook(const std::string& topic, const std::string& body,
                          const std::string& secret = kSecret) {
  base::HttpRequest r;
  r.method = "POST";
  r.target = "/webhooks/shopify";
  r.body = body;
  r.headers.set("X-Shopify-Topic", topic);
  r.headers.set("X-Shopify-Hmac-Sha256", sign(secret, body));
  return r;
}


// ---------- configuration and limits ----------

TEST(ShopifyConnectorConfig, ParsesRequiredKeysWithDefaults) {
  const ShopifyConnectorConfig c = make_config();
  EXPECT_EQ(c.channel.str(), "shopify:demo");
  EXPECT_EQ(c.api_version, "2026-01");
  EXPECT_EQ(c.location_id, 655441491);
  EXPECT_EQ(c.request_timeout, Duration::seconds(10));
  EXPECT_EQ(c.limits.request_rate_micro_per_s, 2'000'000);
  EXPECT_EQ(c.limits.request_burst_count, 40);
  EXPECT_EQ(c.limits.push_batch_count_max, 250);
  EXPECT_EQ(c.limits.read_batch_count_max, 50);
  EXPECT_EQ(c.push_cost_points, 10);
  EXPECT_TRUE(c.previous_app_secret.empty());
}

TEST(ShopifyConnectorConfig, AcceptsGidLocationAndOverrides) {
  const ShopifyConnectorConfig c = make_config(
      {{"location_id", "gid://shopify/Location/77"}, {"api_version", "2026-04"},
       {"request_timeout_ms", 2500}, {"push_batch_count_max", 100},
       {"previous_app_secret", "old"}, {"base_url", std::string(kBaseUrl) + "/"}});
  EXPECT_EQ(c.location_id, 77);
  EXPECT_EQ(c.api_version, "2026-04");
  EXPECT_EQ(c.request_timeout, Duration::milliseconds(2500));
  EXPECT_EQ(c.limits.push_batch_count_max, 100);
  EXPECT_EQ(c.previous_app_secret, "old");
  EXPECT_EQ(c.base_url, kBaseUrl);
}

TEST(ShopifyConnectorConfig, RejectsBadValuesWithTheirKeyPathAndNoSecrets) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"surprise", 1}}, "$.surprise"},
      {{{"api_version", "2025-10"}}, "$.api_version"},
      {{{"location_id", "gid://shopify/Product/1"}}, "$.location_id"},
      {{{"channel", "amazon:uk"}}, "$.channel"},
      {{{"push_batch_count_max", 251}}, "$.push_batch_count_max"},
      {{{"access_token", ""}}, "$.access_token"},
      {{{"app_secret", nullptr}}, "$.app_secret"},
  };
  for (const auto& [patch, path] : cases) {
    json j = base_config();
    j.merge_patch(patch);
    auto reader = base::JsonReader::parse(j.dump());
    ShopifyConnectorConfig c;
    const base::Status st = parse_shopify_connector_config(reader, &c);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << patch.dump();
    EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find(kToken), std::string::npos);
    EXPECT_EQ(st.message().find(kSecret), std::string::npos);
  }
}

TEST(ShopifyConnector, LimitsAreTheConfiguredValues) {
  World w({}, {{"request_burst_count", 30}, {"read_batch_count_max", 20}});
  EXPECT_EQ(w.connector->channel().str(), "shopify:demo");
  EXPECT_EQ(w.connector->limits().request_rate_micro_per_s, 2'000'000);
  EXPECT_EQ(w.connector->limits().request_burst_count, 30);
  EXPECT_EQ(w.connector->limits().push_batch_count_max, 250);
  EXPECT_EQ(w.connector->limits().read_batch_count_max, 20);
}

// ---------- push ----------

TEST(ShopifyConnector, PushesLandAsOneCompareAndSetMutation) {
  World w;
  const auto results = w.push({w.item("SKU-1", 7, 10), w.item("SKU-2", 9, std::nullopt)});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.sku.str() << ": " << r.error;
    EXPECT_EQ(r.http_status, 200);
  }
  EXPECT_EQ(results[0].channel_quantity, Quantity(7));
  EXPECT_EQ(w.mock.counts().at("SKU-1"), 7);
  EXPECT_EQ(w.mock.counts().at("SKU-2"), 9);
  ASSERT_EQ(w.tap.requests.size(), 1u);  // one exchange for the batch
  const base::HttpRequest& req = w.tap.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/admin/api/2026-01/graphql.json");
  EXPECT_EQ(req.base_url, kBaseUrl);
  EXPECT_EQ(req.timeout, Duration::seconds(10));
  EXPECT_EQ(req.headers.get("X-Shopify-Access-Token"), kToken);
  const json body = json::parse(req.body);
  EXPECT_NE(body["query"].get<std::string>().find("@idempotent(key: \""), std::string::npos);
  const json& input = body["variables"]["input"];
  EXPECT_EQ(input["name"], "available");
  EXPECT_EQ(input["reason"], "correction");
  EXPECT_EQ(input["referenceDocumentUri"].get<std::string>().rfind("gid://invsync/SyncJob/", 0),
            0u);
  ASSERT_EQ(input["quantities"].size(), 2u);
  EXPECT_EQ(input["quantities"][0]["inventoryItemId"], "gid://shopify/InventoryItem/39072856");
  EXPECT_EQ(input["quantities"][0]["locationId"], "gid://shopify/Location/655441491");
  EXPECT_EQ(input["quantities"][0]["changeFromQuantity"], 10);
  EXPECT_TRUE(input["quantities"][1]["changeFromQuantity"].is_null());
  EXPECT_TRUE(input["quantities"][1].contains("changeFromQuantity"));
}

TEST(ShopifyConnector, ResendingTheSamePushIsDeduplicatedByItsIdempotencyKey) {
  World w;
  ASSERT_EQ(w.push({w.item("SKU-1", 7, 10)})[0].outcome, PushOutcome::kDone);
  ASSERT_TRUE(w.mock.place_order("SKU-1", 2, w.clock.monotonic_now()).accepted);  // 7 -> 5
  const auto again = w.push({w.item("SKU-1", 7, 10)});  // a resend after, say, a timeout
  EXPECT_EQ(again[0].outcome, PushOutcome::kDone);
  EXPECT_EQ(w.mock.counts().at("SKU-1"), 5);  // replayed, not applied twice
  ASSERT_EQ(w.tap.requests.size(), 2u);
  EXPECT_EQ(json::parse(w.tap.requests[0].body)["query"],
            json::parse(w.tap.requests[1].body)["query"]);
}

TEST(ShopifyConnector, StaleCompareRereadsAndRetriesOnceWithTheFreshValue) {
  World w;
  ASSERT_TRUE(w.mock.place_order("SKU-1", 3, w.clock.monotonic_now()).accepted);  // 10 -> 7
  const auto results = w.push({w.item("SKU-1", 4, 10), w.item("SKU-2", 6, 5)});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kDone) << results[0].error;
  EXPECT_EQ(results[1].outcome, PushOutcome::kDone) << results[1].error;
  EXPECT_EQ(w.mock.counts().at("SKU-1"), 4);  // the hub's absolute value wins
  EXPECT_EQ(w.mock.counts().at("SKU-2"), 6);
  ASSERT_EQ(w.tap.requests.size(), 3u);  // set, re-read, set again
  EXPECT_EQ(w.tap.requests[1].method, "GET");
  EXPECT_NE(w.tap.requests[1].target.find("inventory_levels.json?inventory_item_ids=39072856"),
            std::string::npos);
  const json retry = json::parse(w.tap.requests[2].body)["variables"]["input"]["quantities"];
  for (const auto& q : retry) {
    if (q["inventoryItemId"] == "gid://shopify/InventoryItem/39072856") {
      EXPECT_EQ(q["changeFromQuantity"], 7);
    }
  }
  EXPECT_NE(json::parse(w.tap.requests[0].body)["query"],
            json::parse(w.tap.requests[2].body)["query"]);  // a new idempotency key
}

TEST(ShopifyConnector, StaleAgainAfterTheRereadIsAConflictWithTheChannelQuantity) {
  World w;
  ASSERT_TRUE(w.mock.place_order("SKU-1", 3, w.clock.monotonic_now()).accepted);  // 10 -> 7
  w.tap.after_response = [&](const base::HttpRequest& req, const auto&) {
    if (req.method == "GET") {  // a customer buys between our re-read and the retry: 7 -> 6
      EXPECT_TRUE(w.mock.place_order("SKU-1", 1, w.clock.monotonic_now()).accepted);
    }
  };
  const auto results = w.push({w.item("SKU-1", 4, 10)});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kConflict);
  EXPECT_EQ(results[0].channel_quantity, Quantity(7));  // what the re-read saw
  EXPECT_NE(results[0].error.find("CHANGE_FROM_QUANTITY_STALE"), std::string::npos);
  EXPECT_EQ(w.mock.counts().at("SKU-1"), 6);
  EXPECT_EQ(w.tap.requests.size(), 3u);  // retried once only
}

TEST(ShopifyConnector, InvalidItemIsPermanentAndTheRestOfTheBatchLands) {
  World w;
  PushItem bad = w.item("SKU-2", 3, std::nullopt);
  bad.listing.external_ids_json = R"({"inventory_item_id":"gid://shopify/InventoryItem/999999"})";
  const auto results = w.push({w.item("SKU-1", 8, 10), bad, w.item("SKU-3", 2, 0)});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kDone) << results[0].error;
  EXPECT_EQ(results[1].outcome, PushOutcome::kPermanent);
  EXPECT_NE(results[1].error.find("INVALID_INVENTORY_ITEM"), std::string::npos) << results[1].error;
  EXPECT_EQ(results[2].outcome, PushOutcome::kDone) << results[2].error;
  EXPECT_EQ(w.mock.counts().at("SKU-1"), 8);
  EXPECT_EQ(w.mock.counts().at("SKU-3"), 2);
  // Shopify rejects the whole input on a userError: the valid items are sent again without it.
  ASSERT_EQ(w.tap.requests.size(), 2u);
  EXPECT_EQ(json::parse(w.tap.requests[1].body)["variables"]["input"]["quantities"].size(), 2u);
}

TEST(ShopifyConnector, ListingWithoutInventoryItemIsPermanentWithoutARequest) {
  World w;
  PushItem none = w.item("SKU-1", 3, std::nullopt);
  none.listing.external_ids_json = "{}";
  const auto results = w.push({none});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(results[0].http_status, 0);
  EXPECT_TRUE(w.tap.requests.empty());
}

TEST(ShopifyConnector, UntrackedItemIsPermanent) {
  World w;
  ASSERT_TRUE(w.mock.set_tracked("SKU-2", false).ok());
  const auto results = w.push({w.item("SKU-2", 3, std::nullopt)});
  EXPECT_EQ(results[0].outcome, PushOutcome::kPermanent);
  EXPECT_NE(results[0].error.find("NON_MUTABLE_INVENTORY_ITEM"), std::string::npos);
}

// ---------- push outcomes under faults ----------

TEST(ShopifyConnector, ThrottledGraphqlIsRateLimitedWithTheWaitForTheMissingPoints) {
  mocks::ShopifyMockConfig mc;
  mc.graphql_bucket_max = 15;
  mc.graphql_restore_rate_per_s = 1;
  World w(mc);
  ASSERT_EQ(w.push({w.item("SKU-1", 7, std::nullopt)})[0].outcome, PushOutcome::kDone);
  const auto results = w.push({w.item("SKU-2", 4, std::nullopt)});
  EXPECT_EQ(results[0].outcome, PushOutcome::kRateLimited);
  EXPECT_EQ(results[0].http_status, 200);
  // requested 11 points, 4 left, restoring 1 per second
  EXPECT_EQ(results[0].retry_after, Duration::seconds(7));
  EXPECT_EQ(w.mock.counts().at("SKU-2"), 5);
}

TEST(ShopifyConnector, ThrottledWith429IsRateLimited) {
  mocks::ShopifyMockConfig mc;
  mc.graphql_bucket_max = 15;
  World w(mc);
  w.faults(R"({"throttled_status": 429})");
  ASSERT_EQ(w.push({w.item("SKU-1", 7, std::nullopt)})[0].outcome, PushOutcome::kDone);
  const auto results = w.push({w.item("SKU-2", 4, std::nullopt)});
  EXPECT_EQ(results[0].outcome, PushOutcome::kRateLimited);
  EXPECT_EQ(results[0].http_status, 429);
  EXPECT_GT(results[0].retry_after, Duration());
}

TEST(ShopifyConnector, OutagesTimeoutsAndServerErrorsAreTransient) {
  struct Case {
    const char* faults;
    int32_t http_status;
  };
  const std::vector<Case> cases = {
      {R"({"outage": "http_503"})", 503}, {R"({"outage": "http_502"})", 502},
      {R"({"outage": "timeout"})", 0},    {R"({"outage": "refused"})", 0},
      {R"({"error_rate_percent": 100})", 500}};
  for (const Case& c : cases) {
    World w;
    w.faults(c.faults);
    const auto results = w.push({w.item("SKU-1", 7, std::nullopt)});
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, PushOutcome::kTransient) << c.faults;
    EXPECT_EQ(results[0].http_status, c.http_status) << c.faults << " " << results[0].error;
    EXPECT_FALSE(results[0].error.empty());
  }
}

TEST(ShopifyConnector, TimeoutIsTheConfiguredRequestTimeout) {
  World w({}, {{"request_timeout_ms", 3000}});
  w.faults(R"({"outage": "timeout"})");
  const base::Instant start = w.clock.monotonic_now();
  EXPECT_EQ(w.push({w.item("SKU-1", 7, std::nullopt)})[0].outcome, PushOutcome::kTransient);
  EXPECT_EQ(w.clock.monotonic_now() - start, Duration::seconds(3));
}

TEST(ShopifyConnector, BadTokenIsPermanentAndTheErrorHoldsNoToken) {
  World w({}, {{"access_token", "shpat_wrong_token_123"}});
  const auto results = w.push({w.item("SKU-1", 7, std::nullopt)});
  EXPECT_EQ(results[0].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(results[0].http_status, 401);
  EXPECT_NE(results[0].error.find("Invalid API key"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[0].error.find("shpat_wrong_token_123"), std::string::npos);
}

TEST(ShopifyConnector, MissingScopeAndRetiredVersionArePermanent) {
  mocks::ShopifyMockConfig mc;
  mc.access_tokens = {{kToken, {"read_inventory"}}};
  World scoped(mc);
  const auto denied = scoped.push({scoped.item("SKU-1", 7, std::nullopt)});
  EXPECT_EQ(denied[0].outcome, PushOutcome::kPermanent) << denied[0].error;
  EXPECT_EQ(scoped.mock.counts().at("SKU-1"), 10);

  World retired({}, {{"api_version", "2030-01"}});
  const auto gone = retired.push({retired.item("SKU-1", 7, std::nullopt)});
  EXPECT_EQ(gone[0].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(gone[0].http_status, 404);
  EXPECT_NE(gone[0].error.find("Not Found"), std::string::npos);
}

// ---------- read ----------

TEST(ShopifyConnector, ReadsReturnWhatTheMockHolds) {
  World w;
  ASSERT_TRUE(w.mock.place_order("SKU-1", 2, w.clock.monotonic_now()).accepted);
  ListingRef unknown{Sku::from_trusted("GHOST"), R"({"inventory_item_id":999999})"};
  ListingRef no_ids{Sku::from_trusted("NOIDS"), "{}"};
  const auto read = w.read({w.listing("SKU-1"), w.listing("SKU-2"), unknown, no_ids,
                            w.listing("SKU-3")});
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(read->size(), 5u);
  EXPECT_EQ((*read)[0].sku.str(), "SKU-1");
  EXPECT_EQ((*read)[0].quantity, Quantity(w.mock.counts().at("SKU-1")));
  EXPECT_EQ((*read)[0].quantity, Quantity(8));
  EXPECT_EQ((*read)[1].quantity, Quantity(5));
  EXPECT_EQ((*read)[2].quantity, std::nullopt);
  EXPECT_EQ((*read)[3].quantity, std::nullopt);
  EXPECT_EQ((*read)[4].quantity, Quantity(0));
  ASSERT_EQ(w.tap.requests.size(), 1u);
  EXPECT_EQ(w.tap.requests[0].target,
            "/admin/api/2026-01/inventory_levels.json?inventory_item_ids=39072856%2C39072857%2C"
            "999999%2C39072858&location_ids=655441491&limit=250");
}

TEST(ShopifyConnector, ReadErrorsCarryTheirStatus) {
  mocks::ShopifyMockConfig mc;
  mc.rest_bucket_size = 1;
  World w(mc);
  ASSERT_TRUE(w.read({w.listing("SKU-1")}).ok());
  const auto limited = w.read({w.listing("SKU-1")});
  EXPECT_EQ(limited.status().code(), StatusCode::kRateLimited);
  EXPECT_GT(limited.status().retry_after(), Duration());

  World down;
  down.faults(R"({"outage": "http_503"})");
  EXPECT_EQ(down.read({down.listing("SKU-1")}).status().code(), StatusCode::kUnavailable);
  World bad({}, {{"access_token", "nope"}});
  EXPECT_EQ(bad.read({bad.listing("SKU-1")}).status().code(), StatusCode::kUnauthenticated);
}

// ---------- webhooks ----------

TEST(ShopifyConnector, OrderWebhookFromTheStorefrontParsesToSales) {
  World w;
  const auto placed = w.mock.place_order("SKU-1", 2, w.clock.monotonic_now());
  ASSERT_TRUE(placed.accepted);
  const auto deliveries = w.webhooks();
  const auto* created = w.first_of(deliveries, "orders/create");
  ASSERT_NE(created, nullptr);
  const auto parsed = w.connector->parse_webhook(created->request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_FALSE(parsed->ignorable);
  ASSERT_EQ(parsed->events.size(), 1u);
  const domain::OrderEvent& e = parsed->events[0];
  EXPECT_EQ(e.key.channel.str(), "shopify:demo");
  EXPECT_EQ(e.key.external_order_id, placed.order_id);
  EXPECT_FALSE(e.key.line_key.empty());
  EXPECT_EQ(e.key.kind, EventKind::kSale);
  EXPECT_EQ(e.sku.str(), "SKU-1");
  EXPECT_EQ(e.quantity, Quantity(2));
  // the level update that follows is only an echo of the change
  const auto* level = w.first_of(deliveries, "inventory_levels/update");
  ASSERT_NE(level, nullptr);
  const auto echo = w.connector->parse_webhook(level->request);
  ASSERT_TRUE(echo.ok());
  EXPECT_TRUE(echo->ignorable);
  EXPECT_TRUE(echo->events.empty());
}

TEST(ShopifyConnector, CancelledOrderGivesTheSaleAndTheCancelForEachLine) {
  World w;
  const auto placed = w.mock.place_order("SKU-2", 3, w.clock.monotonic_now());
  ASSERT_TRUE(placed.accepted);
  ASSERT_TRUE(w.mock.cancel_order(placed.order_id, w.clock.monotonic_now()).ok());
  const auto deliveries = w.webhooks();
  const auto* cancelled = w.first_of(deliveries, "orders/cancelled");
  ASSERT_NE(cancelled, nullptr);
  const auto parsed = w.connector->parse_webhook(cancelled->request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->events.size(), 2u);
  EXPECT_EQ(parsed->events[0].key.kind, EventKind::kSale);
  EXPECT_EQ(parsed->events[1].key.kind, EventKind::kCancel);
  for (const auto& e : parsed->events) {
    EXPECT_EQ(e.key.external_order_id, placed.order_id);
    EXPECT_EQ(e.key.line_key, parsed->events[0].key.line_key);
    EXPECT_EQ(e.sku.str(), "SKU-2");
    EXPECT_EQ(e.quantity, Quantity(3));
  }
}

TEST(ShopifyConnector, RefundsMapTheirRestockType) {
  World w;
  const auto a = w.mock.place_order("SKU-1", 2, w.clock.monotonic_now());
  const auto b = w.mock.place_order("SKU-2", 2, w.clock.monotonic_now());
  ASSERT_TRUE(a.accepted && b.accepted);
  std::string line_a;
  for (const auto& d : w.webhooks()) {
    const auto p = w.connector->parse_webhook(d.request);
    if (p.ok() && !p->events.empty() && p->events[0].key.external_order_id == a.order_id) {
      line_a = p->events[0].key.line_key;
    }
  }
  ASSERT_TRUE(w.mock.create_refund(a.order_id, 1, "return", w.clock.monotonic_now()).ok());
  ASSERT_TRUE(w.mock.create_refund(b.order_id, 2, "no_restock", w.clock.monotonic_now()).ok());
  std::vector<domain::OrderEvent> events;
  for (const auto& d : w.webhooks()) {
    if (d.request.headers.get("X-Shopify-Topic") != "refunds/create") continue;
    const auto p = w.connector->parse_webhook(d.request);
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    events.insert(events.end(), p->events.begin(), p->events.end());
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key.kind, EventKind::kRefundRestock);
  EXPECT_EQ(events[0].key.external_order_id, a.order_id);
  EXPECT_EQ(events[0].key.line_key, line_a);  // matches the sale's line
  EXPECT_EQ(events[0].quantity, Quantity(1));
  EXPECT_EQ(events[1].key.kind, EventKind::kRefundNoRestock);
  EXPECT_EQ(events[1].key.external_order_id, b.order_id);
  EXPECT_EQ(events[1].sku.str(), "SKU-2");
  EXPECT_EQ(events[1].quantity, Quantity(2));
}

TEST(ShopifyConnector, UntrackedLinesAreSkipped) {
  World w;
  ASSERT_TRUE(w.mock.set_tracked("SKU-2", false).ok());
  ASSERT_TRUE(w.mock.place_order("SKU-2", 1, w.clock.monotonic_now()).accepted);
  const auto deliveries = w.webhooks();
  const auto* created = w.first_of(deliveries, "orders/create");
  ASSERT_NE(created, nullptr);
  const auto parsed = w.connector->parse_webhook(created->request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->events.empty());
}

TEST(ShopifyConnector, TamperedOrUnsignedWebhooksAreRefused) {
  World w;
  ASSERT_TRUE(w.mock.place_order("SKU-1", 1, w.clock.monotonic_now()).accepted);
  const auto deliveries = w.webhooks();
  const auto* created = w.first_of(deliveries, "orders/create");
  ASSERT_NE(created, nullptr);
  base::HttpRequest tampered = created->request;
  const size_t at = tampered.body.find("\"quantity\":1");
  ASSERT_NE(at, std::string::npos);
  tampered.body[at + 11] = '9';  // one byte: 1 unit becomes 9
  EXPECT_EQ(w.connector->parse_webhook(tampered).status().code(), StatusCode::kUnauthenticated);
  base::HttpRequest unsigned_request = created->request;
  unsigned_request.headers.erase("X-Shopify-Hmac-Sha256");
  EXPECT_EQ(w.connector->parse_webhook(unsigned_request).status().code(),
            StatusCode::kUnauthenticated);
  const base::HttpRequest other_key = webhook("orders/create", created->request.body, "guess");
  EXPECT_EQ(w.connector->parse_webhook(other_key).status().code(), StatusCode::kUnauthenticated);
  // header names are case-insensitive (HTTP/2 lowercases them)
  base::HttpRequest lower;
  lower.body = created->request.body;
  lower.headers.set("x-shopify-topic", "orders/create");
  lower.headers.set("x-shopify-hmac-sha256", sign(kSecret, lower.body));
  EXPECT_TRUE(w.connector->parse_webhook(lower).ok());
}

TEST(ShopifyConnector, PreviousSecretIsAcceptedDuringRotation) {
  mocks::ShopifyMockConfig mc;
  mc.old_app_secret = "shpss_previous";
  mc.secret_rotated_at_ms = 0;
  World without(mc);
  World with(mc, {{"previous_app_secret", "shpss_previous"}});
  for (World* w : {&without, &with}) {
    ASSERT_TRUE(w->mock.place_order("SKU-1", 1, w->clock.monotonic_now()).accepted);
  }
  const auto d1 = without.webhooks();
  const auto d2 = with.webhooks();
  ASSERT_NE(without.first_of(d1, "orders/create"), nullptr);
  ASSERT_NE(with.first_of(d2, "orders/create"), nullptr);
  EXPECT_EQ(without.connector->parse_webhook(without.first_of(d1, "orders/create")->request)
                .status().code(),
            StatusCode::kUnauthenticated);
  const auto parsed = with.connector->parse_webhook(with.first_of(d2, "orders/create")->request);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->events.size(), 1u);
}

TEST(ShopifyConnector, MalformedWebhooksAreInvalidArguments) {
  World w;
  const std::string order_without_sku =
      R"({"id":1,"line_items":[{"id":2,"quantity":1,"variant_inventory_management":"shopify"}]})";
  const std::string bad_sku = R"({"id":1,"line_items":[{"id":2,"quantity":1,"sku":" x"}]})";
  const std::string zero_quantity = R"({"id":1,"line_items":[{"id":2,"quantity":0,"sku":"A"}]})";
  const std::string no_order_id = R"({"line_items":[{"id":2,"quantity":1,"sku":"A"}]})";
  const std::string refund_no_type = R"({"order_id":1,"refund_line_items":[
      {"line_item_id":2,"quantity":1,"line_item":{"sku":"A"}}]})";
  const std::vector<base::HttpRequest> cases = {
      webhook("orders/create", "not json"),
      webhook("orders/create", "[1,2]"),
      webhook("orders/create", order_without_sku),
      webhook("orders/create", bad_sku),
      webhook("orders/create", zero_quantity),
      webhook("orders/cancelled", no_order_id),
      webhook("refunds/create", refund_no_type),
      webhook("refunds/create", R"({"order_id":1})"),
  };
  for (const auto& r : cases) {
    EXPECT_EQ(w.connector->parse_webhook(r).status().code(), StatusCode::kInvalidArgument)
        << r.body;
  }
  base::HttpRequest no_topic = webhook("orders/create", R"({"id":1,"line_items":[]})");
  no_topic.headers.erase("X-Shopify-Topic");
  EXPECT_EQ(w.connector->parse_webhook(no_topic).status().code(), StatusCode::kInvalidArgument);
}

TEST(ShopifyConnector, DocShapedPayloadsWithGidsAndUnknownTopicsParse) {
  World w;
  const std::string order = R"({"id":"gid://shopify/Order/450789469","cancelled_at":null,
    "line_items":[{"id":466157049,"quantity":1,"sku":"IPOD2008GREEN",
                   "variant_inventory_management":"shopify"},
                  {"id":518995019,"quantity":1,"sku":null,"variant_inventory_management":null}]})";
  const auto parsed = w.connector->parse_webhook(webhook("orders/updated", order));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->events.size(), 1u);  // the untracked gift-card-like line is skipped
  EXPECT_EQ(parsed->events[0].key.external_order_id, "450789469");
  EXPECT_EQ(parsed->events[0].key.line_key, "466157049");
  const auto other = w.connector->parse_webhook(webhook("products/update", "{}"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->ignorable);
}

// ---------- limits feedback ----------

TEST(ShopifyConnector, ObservesGraphqlPointsAndTheRestCallLimit) {
  World w;
  ASSERT_EQ(w.push({w.item("SKU-1", 7, std::nullopt)})[0].outcome, PushOutcome::kDone);
  ASSERT_TRUE(w.read({w.listing("SKU-1")}).ok());
  ASSERT_EQ(w.tap.responses.size(), 2u);
  const json cost = json::parse(w.tap.responses[0].body)["extensions"]["cost"]["throttleStatus"];
  const LimitFeedback graphql = w.connector->observe_limits(w.tap.responses[0]);
  EXPECT_EQ(graphql.limit_count, cost["maximumAvailable"].get<int64_t>() / 10);
  EXPECT_EQ(graphql.remaining_count, cost["currentlyAvailable"].get<int64_t>() / 10);
  EXPECT_EQ(graphql.limit_count, 100);  // 1000 points / 10 per push
  EXPECT_FALSE(graphql.retry_after.has_value());
  const LimitFeedback rest = w.connector->observe_limits(w.tap.responses[1]);
  EXPECT_EQ(rest.limit_count, 40);
  EXPECT_EQ(rest.remaining_count, 39);  // "1/40"
}

TEST(ShopifyConnector, ObservesRetryAfterOn429AndTheWaitWhenThrottled) {
  mocks::ShopifyMockConfig mc;
  mc.rest_bucket_size = 1;
  mc.graphql_bucket_max = 15;
  mc.graphql_restore_rate_per_s = 1;
  World w(mc);
  ASSERT_TRUE(w.read({w.listing("SKU-1")}).ok());
  ASSERT_FALSE(w.read({w.listing("SKU-1")}).ok());
  const base::HttpResponse& limited = w.tap.responses.back();
  ASSERT_EQ(limited.status, 429);
  const LimitFeedback rest = w.connector->observe_limits(limited);
  ASSERT_TRUE(rest.retry_after.has_value());
  EXPECT_GT(*rest.retry_after, Duration());
  EXPECT_EQ(rest.remaining_count, 0);

  ASSERT_EQ(w.push({w.item("SKU-1", 7, std::nullopt)})[0].outcome, PushOutcome::kDone);
  ASSERT_EQ(w.push({w.item("SKU-2", 7, std::nullopt)})[0].outcome, PushOutcome::kRateLimited);
  const LimitFeedback throttled = w.connector->observe_limits(w.tap.responses.back());
  EXPECT_EQ(throttled.retry_after, Duration::seconds(7));
  EXPECT_EQ(throttled.remaining_count, 0);  // 4 points: less than one push
  EXPECT_EQ(throttled.limit_count, 1);
}

// ---------- order polling ----------

TEST(ShopifyConnector, PollRequestsOrdersJsonAndTheMockHasNoSuchEndpoint) {
  World w({}, {{"orders_start", "2026-11-27T00:00:00Z"}});
  const auto polled = w.poll("");
  EXPECT_EQ(polled.status().code(), StatusCode::kNotFound);  // the mock does not serve orders
  ASSERT_EQ(w.tap.requests.size(), 1u);
  EXPECT_EQ(w.tap.requests[0].target,
            "/admin/api/2026-01/orders.json?limit=250&status=any&order=updated_at%20asc"
            "&updated_at_min=2026-11-27T00%3A00%3A00Z");
  EXPECT_EQ(w.poll("yesterday").status().code(), StatusCode::kInvalidArgument);
}

// Answers every request with one canned response (for endpoints the mock does not serve).
class CannedClient final : public base::HttpClient {
 public:
  CannedClient(base::Scheduler& scheduler, base::HttpResponse response)
      : scheduler_(scheduler), response_(std::move(response)) {}
  void send(base::HttpRequest request, base::HttpCallback callback) override {
    requests.push_back(std::move(request));
    scheduler_.post([this, callback = std::move(callback)] { callback(response_); });
  }
  void set_response(base::HttpResponse response) { response_ = std::move(response); }
  std::vector<base::HttpRequest> requests;

 private:
  base::Scheduler& scheduler_;
  base::HttpResponse response_;
};

TEST(ShopifyConnector, PolledOrdersPageMapsToEventsAndFollowsTheNextLink) {
  // Shapes from Shopify's REST order fixtures (shared/platforms/shopify-woocommerce.md, [S8]).
  const std::string page = R"({"orders":[
    {"id":450789469,"updated_at":"2026-11-27T03:00:00-05:00","cancelled_at":null,
     "line_items":[{"id":466157049,"sku":"SKU-1","quantity":2,
                    "variant_inventory_management":"shopify"}],"refunds":[]},
    {"id":450789470,"updated_at":"2026-11-27T04:30:00-05:00",
     "cancelled_at":"2026-11-27T04:30:00-05:00",
     "line_items":[{"id":466157050,"sku":"SKU-2","quantity":1,
                    "variant_inventory_management":"shopify"}],
     "refunds":[{"id":509562969,"refund_line_items":[{"id":1,"line_item_id":466157050,
       "quantity":1,"restock_type":"cancel"}]}]}]})";
  base::HttpResponse response = base::HttpResponse::json(200, page);
  response.headers.set("Link", std::string("<") + kBaseUrl +
                                   "/admin/api/2026-01/orders.json?limit=250&page_info=abc123>; "
                                   "rel=\"next\"");
  base::ManualClock clock;
  sim::SimScheduler scheduler(clock);
  base::Prng prng(1);
  CannedClient api(scheduler, response);
  ShopifyConnector connector(make_config(), ConnectorDeps{clock, scheduler, prng, api, api});
  std::optional<base::Result<PolledOrders>> out;
  connector.poll_orders("2026-11-27T00:00:00Z", [&](auto r) { out.emplace(std::move(r)); });
  scheduler.run_all();
  ASSERT_TRUE(out && out->ok()) << out->status().to_string();
  const PolledOrders& polled = **out;
  ASSERT_EQ(polled.events.size(), 4u);  // sale; sale + cancel + refund restock
  EXPECT_EQ(polled.events[0].key.kind, EventKind::kSale);
  EXPECT_EQ(polled.events[2].key.kind, EventKind::kCancel);
  EXPECT_EQ(polled.events[3].key.kind, EventKind::kRefundRestock);
  EXPECT_EQ(polled.events[3].key.line_key, "466157050");
  EXPECT_EQ(polled.events[3].sku.str(), "SKU-2");  // taken from the order's line
  EXPECT_TRUE(polled.more);
  EXPECT_EQ(polled.next_cursor, "page_info:abc123|2026-11-27T09:30:00.000000Z");

  const std::string cursor = polled.next_cursor;
  out.reset();
  api.set_response(base::HttpResponse::json(200, R"({"orders":[]})"));
  api.requests.clear();
  connector.poll_orders(cursor, [&](auto r) { out.emplace(std::move(r)); });
  scheduler.run_all();
  ASSERT_TRUE(out && out->ok()) << out->status().to_string();
  EXPECT_FALSE((*out)->more);
  EXPECT_EQ((*out)->next_cursor, "2026-11-27T09:30:00.000000Z");  // the latest updated_at
  ASSERT_EQ(api.requests.size(), 1u);
  EXPECT_EQ(api.requests[0].target, "/admin/api/2026-01/orders.json?limit=250&page_info=abc123");
}
// ---------- bodies: written and read as nlohmann wrote and read them ----------

TEST(ShopifyConnector, SetMutationBodyIsTheCompactSortedJsonOfBefore) {
  World w;
  ASSERT_EQ(w.push({w.item("SKU-1", 7, 10), w.item("SKU-2", 9, std::nullopt)})[0].outcome,
            PushOutcome::kDone);
  ASSERT_EQ(w.tap.requests.size(), 1u);
  const std::string& body = w.tap.requests[0].body;
  EXPECT_EQ(json::parse(body).dump(), body);  // nlohmann's own form: compact, keys sorted
  EXPECT_NE(body.find(R"("quantities":[{"changeFromQuantity":10,"inventoryItemId":)"
                      R"("gid://shopify/InventoryItem/39072856","locationId":)"
                      R"("gid://shopify/Location/655441491","quantity":7},)"
                      R"({"changeFromQuantity":null,)"),
            std::string::npos)
      << body;
}

TEST(ShopifyConnector, ObservingEachResponseFirstChangesNoResult) {
  // As the lane does: observe_limits() on every response, then the exchange's callback.
  World observed;
  observed.tap.after_response = [&](const base::HttpRequest&,
                                    const base::Result<base::HttpResponse>& r) {
    if (r.ok()) (void)observed.connector->observe_limits(*r);
  };
  World plain;
  for (World* w : {&observed, &plain}) {
    ASSERT_TRUE(w->mock.place_order("SKU-1", 3, w->clock.monotonic_now()).accepted);  // 10 -> 7
  }
  const auto a = observed.push({observed.item("SKU-1", 4, 10), observed.item("SKU-2", 1, 5)});
  const auto b = plain.push({plain.item("SKU-1", 4, 10), plain.item("SKU-2", 1, 5)});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].outcome, b[i].outcome);
    EXPECT_EQ(a[i].channel_quantity, b[i].channel_quantity);
    EXPECT_EQ(a[i].error, b[i].error);
  }
  EXPECT_EQ(a[0].outcome, PushOutcome::kDone);  // stale compare, re-read, retried
  EXPECT_EQ(observed.tap.requests.size(), 3u);
  EXPECT_EQ(observed.mock.counts(), plain.mock.counts());
}

TEST(ShopifyConnector, WebhookBodiesAreReadAsNlohmannReadThem) {
  World w;
  const std::string lines = R"("line_items":[{"id":7,"sku":"SKU-9","sku":"SKU-1","quantity":2}])";
  // A byte order mark is accepted; of a repeated key the last one counts.
  auto parsed =
      w.connector->parse_webhook(webhook("orders/create", "\xEF\xBB\xBF{\"id\":5," + lines + "}"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(parsed->events[0].sku.str(), "SKU-1");
  EXPECT_EQ(parsed->events[0].key.external_order_id, "5");
  // An integer beyond 64 bits is a float to nlohmann: no whole-number quantity.
  parsed = w.connector->parse_webhook(
      webhook("orders/create",
              R"({"id":5,"line_items":[{"id":7,"sku":"SKU-1","quantity":99999999999999999999}]})"));
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace invsync::connector
