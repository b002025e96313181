// AmazonConnector against the Amazon SP-API mock on simulated time (no sleeps), plus scripted
// responses for payloads the mock never produces.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/base/json_reader.h"
#include "core/base/prng.h"
#include "core/connector/amazon/amazon_config.h"
#include "core/connector/amazon/amazon_connector.h"
#include "mocks/amazon/amazon_mock.h"
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

constexpr char kBase[] = "https://sellingpartnerapi-eu.amazon.com";
constexpr int64_t kWallOriginS = 1'795'737'600;  // the mock's wall origin, 2026-11-27T00:00Z

// Passes requests on to the network, recording them; `tamper` may change them first.
class RecordingClient final : public base::HttpClient {
 public:
  explicit RecordingClient(base::HttpClient& inner) : inner_(inner) {}
  void send(HttpRequest request, base::HttpCallback callback) override {
    if (tamper) tamper(request);
    requests.push_back(request);
    inner_.send(std::move(request), std::move(callback));
  }
  std::vector<HttpRequest> with_path_prefix(std::string_view prefix) const {
    std::vector<HttpRequest> out;
    for (const auto& r : requests) {
      if (r.path().substr(0, prefix.size()) == prefix) out.push_back(r);
    }
    return out;
  }

  std::function<void(HttpRequest&)> tamper;
  std::vector<HttpRequest> requests;

 private:
  base::HttpClient& inner_;
};

// Answers every request with `respond(request)` one millisecond later.
class ScriptedClient final : public base::HttpClient {
 public:
  explicit ScriptedClient(sim::SimScheduler& scheduler) : scheduler_(scheduler) {}
  void send(HttpRequest request, base::HttpCallback callback) override {
    requests.push_back(request);
    base::Result<HttpResponse> r = respond(request);
    scheduler_.run_after(Duration::milliseconds(1),
                         [callback = std::move(callback), r = std::move(r)] { callback(r); });
  }

  std::function<base::Result<HttpResponse>(const HttpRequest&)> respond;
  std::vector<HttpRequest> requests;

 private:
  sim::SimScheduler& scheduler_;
};

HttpResponse token_response() {
  return HttpResponse::json(200, R"({"access_token":"Atza|scripted","token_type":"bearer",)"
                                 R"("expires_in":3600})");
}

mocks::AmazonMockConfig default_mock_config() {
  mocks::AmazonMockConfig c;
  c.base_url = kBase;
  return c;
}

PushItem item(std::string_view sku, int64_t quantity) {
  return PushItem{ListingRef{Sku::from_trusted(sku), "{}"}, Quantity(quantity), std::nullopt,
                  "key-" + std::string(sku)};
}

ListingRef listing(std::string_view sku) { return ListingRef{Sku::from_trusted(sku), "{}"}; }

class AmazonConnectorTest : public ::testing::Test {
 protected:
  AmazonConnectorTest() : AmazonConnectorTest(default_mock_config()) {}
  explicit AmazonConnectorTest(mocks::AmazonMockConfig mock_config)
      : clock_(base::WallTime::from_unix_s(kWallOriginS)),
        scheduler_(clock_),
        net_(scheduler_),
        api_(net_),
        auth_(net_),
        scripted_(scheduler_),
        mock_(std::move(mock_config), 7) {
    net_.add_host(kBase, mock_);
  }

  AmazonConnectorConfig config(AmazonPushMode mode = AmazonPushMode::kPatch) const {
    AmazonConnectorConfig c;
    c.channel = domain::ChannelId::from_trusted("amazon:uk");
    c.base_url = kBase;
    c.lwa_base_url = kBase;
    c.client_id = mock_.config().lwa_client_id;
    c.client_secret = mock_.config().lwa_client_secret;
    c.refresh_token = mock_.config().refresh_tokens.front();
    c.seller_id = mock_.config().seller_id;
    c.marketplace_id = mock_.config().marketplace_id;
    c.mode = mode;
    if (mode == AmazonPushMode::kFeed) c.limits.push_batch_count_max = 10'000;
    c.orders_start = "2026-11-26T23:00:00Z";
    return c;
  }

  std::unique_ptr<AmazonConnector> make(AmazonConnectorConfig c) {
    auto connector = std::make_unique<AmazonConnector>(
        std::move(c), ConnectorDeps{clock_, scheduler_, prng_, api_, auth_});
    connector->set_async_result_handler([this](std::vector<PushItemResult> r) {
      for (auto& one : r) async_.push_back(std::move(one));
    });
    return connector;
  }
  std::unique_ptr<AmazonConnector> make(AmazonPushMode mode = AmazonPushMode::kPatch) {
    return make(config(mode));
  }
  // A connector whose SP-API and token requests are answered by `scripted_`.
  std::unique_ptr<AmazonConnector> make_scripted(AmazonPushMode mode = AmazonPushMode::kPatch) {
    return std::make_unique<AmazonConnector>(
        config(mode), ConnectorDeps{clock_, scheduler_, prng_, scripted_, scripted_});
  }

  void add(std::string_view sku, int64_t quantity) {
    ASSERT_TRUE(mock_.add_item({std::string(sku), quantity, ""}).ok());
  }
  void faults(std::string_view json) { ASSERT_TRUE(mock_.set_faults_json(json).ok()) << json; }

  // Runs the push until its callback (not the feed tracking that may follow).
  std::vector<PushItemResult> push(Connector& c, std::vector<PushItem> items) {
    std::optional<std::vector<PushItemResult>> out;
    c.push(std::move(items), [&](std::vector<PushItemResult> r) { out = std::move(r); });
    while (!out && scheduler_.run_next()) {
    }
    EXPECT_TRUE(out.has_value());
    return out.value_or(std::vector<PushItemResult>{});
  }
  PushItemResult push_one(Connector& c, std::string_view sku, int64_t quantity) {
    auto results = push(c, {item(sku, quantity)});
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? PushItemResult{.sku = Sku::from_trusted(sku)} : results[0];
  }
  base::Result<std::vector<ChannelQuantity>> read(Connector& c, std::vector<ListingRef> l) {
    std::optional<base::Result<std::vector<ChannelQuantity>>> out;
    c.read(std::move(l), [&](base::Result<std::vector<ChannelQuantity>> r) { out = std::move(r); });
    while (!out && scheduler_.run_next()) {
    }
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : base::Result<std::vector<ChannelQuantity>>(
                                       base::Status::internal("no callback"));
  }
  std::optional<Quantity> read_one(Connector& c, std::string_view sku) {
    auto r = read(c, {listing(sku)});
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() && r->size() == 1 ? (*r)[0].quantity : std::nullopt;
  }
  base::Result<PolledOrders> poll(Connector& c, const std::string& cursor) {
    std::optional<base::Result<PolledOrders>> out;
    c.poll_orders(cursor, [&](base::Result<PolledOrders> r) { out = std::move(r); });
    while (!out && scheduler_.run_next()) {
    }
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : base::Result<PolledOrders>(base::Status::internal("none"));
  }
  void advance(Duration d) { scheduler_.run_until(clock_.monotonic_now() + d); }

  base::ManualClock clock_;
  sim::SimScheduler scheduler_;
  sim::SimNetwork net_;
  RecordingClient api_;
  RecordingClient auth_;
  ScriptedClient scripted_;
  base::Prng prng_{1};
  mocks::AmazonMock mock_;
  std::vector<PushItemResult> async_;
};

// ---------------------------------------------------------------------------------------------
// Configuration and limits

constexpr char kMinimalConfig[] = R"({
  "channel": "amazon:uk", "base_url": "https://sellingpartnerapi-eu.amazon.com",
  "client_id": "cid", "client_secret": "csecret", "refresh_token": "Atzr|r",
  "seller_id": "A3SELLER", "marketplace_id": "A1F83G8C2ARO7P"})";

TEST(AmazonConnectorConfig, ParsesRequiredKeysAndDefaults) {
  base::JsonReader r = base::JsonReader::parse(kMinimalConfig);
  AmazonConnectorConfig c;
  ASSERT_TRUE(parse_amazon_connector_config(r, &c).ok()) << r.status().to_string();
  EXPECT_EQ(c.channel.str(), "amazon:uk");
  EXPECT_EQ(c.lwa_base_url, "https://api.amazon.com");
  EXPECT_EQ(c.mode, AmazonPushMode::kPatch);
  EXPECT_EQ(c.feed_poll_interval, Duration::seconds(60));
  EXPECT_EQ(c.token_refresh_margin, Duration::seconds(60));
  EXPECT_EQ(c.limits.request_rate_micro_per_s, 5'000'000);
  EXPECT_EQ(c.limits.request_burst_count, 5);
  EXPECT_EQ(c.limits.push_batch_count_max, 1);
  EXPECT_EQ(c.limits.read_batch_count_max, 1);
}

TEST(AmazonConnectorConfig, FeedModeAndOptionalKeys) {
  nlohmann::json j = nlohmann::json::parse(kMinimalConfig);
  j["mode"] = "feed";
  j["lwa_base_url"] = "https://api.amazon.co.uk";
  j["feed_poll_interval_s"] = 30;
  j["token_refresh_margin_s"] = 120;
  j["request_timeout_ms"] = 5000;
  j["orders_start"] = "2026-11-01T00:00:00Z";
  j["request_rate_per_s"] = 0.5;
  base::JsonReader r = base::JsonReader::parse(j.dump());
  AmazonConnectorConfig c;
  ASSERT_TRUE(parse_amazon_connector_config(r, &c).ok()) << r.status().to_string();
  EXPECT_EQ(c.mode, AmazonPushMode::kFeed);
  EXPECT_EQ(c.limits.push_batch_count_max, 10'000);
  EXPECT_EQ(c.limits.request_rate_micro_per_s, 500'000);
  EXPECT_EQ(c.feed_poll_interval, Duration::seconds(30));
  EXPECT_EQ(c.token_refresh_margin, Duration::seconds(120));
  EXPECT_EQ(c.request_timeout, Duration::milliseconds(5000));
  EXPECT_EQ(c.orders_start, "2026-11-01T00:00:00Z");
}

TEST(AmazonConnectorConfig, RejectsUnknownKeysMissingSecretsAndOtherPlatforms) {
  auto parse_with = [](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(kMinimalConfig);
    edit(j);
    base::JsonReader r = base::JsonReader::parse(j.dump());
    AmazonConnectorConfig c;
    return parse_amazon_connector_config(r, &c);
  };
  EXPECT_FALSE(parse_with([](auto& j) { j["sellerid"] = "x"; }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j.erase("refresh_token"); }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j["client_secret"] = ""; }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j["channel"] = "shopify:uk"; }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j["mode"] = "xml"; }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j["base_url"] = "sellingpartnerapi-eu"; }).ok());
  EXPECT_FALSE(parse_with([](auto& j) { j["orders_start"] = "yesterday"; }).ok());
  const base::Status st = parse_with([](auto& j) { j["client_secret"] = 5; });
  EXPECT_EQ(st.message().find("csecret"), std::string::npos);
}

TEST_F(AmazonConnectorTest, LimitsFollowTheMode) {
  auto patch = make(AmazonPushMode::kPatch);
  EXPECT_EQ(patch->limits().request_rate_micro_per_s, 5'000'000);
  EXPECT_EQ(patch->limits().request_burst_count, 5);
  EXPECT_EQ(patch->limits().push_batch_count_max, 1);
  EXPECT_EQ(patch->limits().read_batch_count_max, 1);
  EXPECT_EQ(patch->channel().str(), "amazon:uk");
  auto feed = make(AmazonPushMode::kFeed);
  EXPECT_EQ(feed->limits().push_batch_count_max, 10'000);
  EXPECT_EQ(feed->limits().read_batch_count_max, 1);
}

// ---------------------------------------------------------------------------------------------
// Patch pushes

TEST_F(AmazonConnectorTest, PatchPushLandsOnTheMock) {
  add("SKU-1", 3);
  auto c = make();
  const PushItemResult r = push_one(*c, "SKU-1", 7);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(mock_.counts().at("SKU-1"), 7);

  ASSERT_EQ(auth_.requests.size(), 1u);  // one LWA exchange
  const HttpRequest& token = auth_.requests[0];
  EXPECT_EQ(token.method, "POST");
  EXPECT_EQ(token.target, "/auth/o2/token");
  EXPECT_EQ(token.headers.get("content-type"),
            "application/x-www-form-urlencoded;charset=UTF-8");
  EXPECT_EQ(token.body.rfind("grant_type=refresh_token&refresh_token=Atzr%7C", 0), 0u);
  const HttpRequest& patch = api_.requests.back();
  EXPECT_EQ(patch.method, "PATCH");
  EXPECT_EQ(patch.base_url, kBase);
  EXPECT_EQ(patch.target, "/listings/2021-08-01/items/A3INVSYNCMOCK1/SKU-1?marketplaceIds="
                          "A1F83G8C2ARO7P");
  EXPECT_TRUE(patch.headers.has("x-amz-access-token"));
  EXPECT_TRUE(patch.headers.has("user-agent"));
  EXPECT_EQ(patch.timeout, Duration::seconds(30));
  EXPECT_EQ(nlohmann::json::parse(patch.body),
            nlohmann::json::parse(R"({"productType":"PRODUCT","patches":[{"op":"replace",)"
                                  R"("path":"/attributes/fulfillment_availability","value":)"
                                  R"([{"fulfillment_channel_code":"DEFAULT","quantity":7}]}]})"));
}

TEST_F(AmazonConnectorTest, PatchPushPercentEncodesTheSku) {
  add("MY SKU/1", 1);
  auto c = make();
  const PushItemResult r = push_one(*c, "MY SKU/1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(mock_.counts().at("MY SKU/1"), 4);
  EXPECT_NE(api_.requests.back().target.find("/MY%20SKU%2F1?"), std::string::npos);
}

TEST_F(AmazonConnectorTest, UnknownListingIsPermanent) {
  auto c = make();
  const PushItemResult r = push_one(*c, "NOPE-1", 4);  // the mock: 200 INVALID, code 4000003
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent) << r.error;
  EXPECT_NE(r.error.find("NOPE-1"), std::string::npos) << r.error;
}

TEST_F(AmazonConnectorTest, NotFoundAndBadRequestArePermanent) {
  auto c = make_scripted();
  int32_t status = 404;
  scripted_.respond = [&](const HttpRequest& req) -> base::Result<HttpResponse> {
    if (req.target == "/auth/o2/token") return token_response();
    return HttpResponse::json(status, R"({"errors":[{"code":"NOT_FOUND","message":"SKU 'X-1' )"
                                      R"(not found in marketplace A1F83G8C2ARO7P"}]})");
  };
  PushItemResult r = push_one(*c, "X-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_EQ(r.http_status, 404);
  EXPECT_NE(r.error.find("NOT_FOUND"), std::string::npos) << r.error;
  status = 400;
  EXPECT_EQ(push_one(*c, "X-1", 4).outcome, PushOutcome::kPermanent);
  status = 500;
  EXPECT_EQ(push_one(*c, "X-1", 4).outcome, PushOutcome::kTransient);
}

TEST_F(AmazonConnectorTest, InvalidSubmissionIsPermanentWithIssueMessages) {
  auto c = make_scripted();
  scripted_.respond = [](const HttpRequest& req) -> base::Result<HttpResponse> {
    if (req.target == "/auth/o2/token") return token_response();
    return HttpResponse::json(200, R"({"sku":"SKU-1","status":"INVALID","submissionId":"s1",)"
                                   R"("issues":[{"code":"90000900","message":"The attributes are )"
                                   R"(invalid.","severity":"ERROR","categories":[]}]})");
  };
  const PushItemResult r = push_one(*c, "SKU-1", 4);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_NE(r.error.find("The attributes are invalid."), std::string::npos) << r.error;
}

TEST_F(AmazonConnectorTest, PushOfSeveralSkusGivesOneResultEach) {
  add("A-1", 0);
  add("B-1", 0);
  auto c = make();
  const auto results = push(*c, {item("A-1", 1), item("NOPE-2", 2), item("B-1", 3)});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].sku.str(), "A-1");
  EXPECT_EQ(results[0].outcome, PushOutcome::kDone);
  EXPECT_EQ(results[1].outcome, PushOutcome::kPermanent);
  EXPECT_EQ(results[2].outcome, PushOutcome::kDone);
  EXPECT_EQ(mock_.counts().at("B-1"), 3);
}

// ---------------------------------------------------------------------------------------------
// LWA tokens

TEST_F(AmazonConnectorTest, AccessTokenIsCachedUntilExpiryMinusMarginThenRefreshed) {
  add("SKU-1", 0);
  auto c = make();
  auto token_requests = [&] { return auth_.with_path_prefix("/auth/o2/token").size(); };
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  EXPECT_EQ(push_one(*c, "SKU-1", 2).outcome, PushOutcome::kDone);
  EXPECT_EQ(token_requests(), 1u);
  advance(Duration::seconds(3600 - 60 - 5));
  EXPECT_EQ(push_one(*c, "SKU-1", 3).outcome, PushOutcome::kDone);
  EXPECT_EQ(token_requests(), 1u);
  advance(Duration::seconds(10));  // inside the 60 s margin: refreshed before use
  EXPECT_EQ(push_one(*c, "SKU-1", 4).outcome, PushOutcome::kDone);
  EXPECT_EQ(token_requests(), 2u);
  EXPECT_EQ(mock_.counts().at("SKU-1"), 4);
}

TEST_F(AmazonConnectorTest, ConcurrentRequestsShareOneTokenExchange) {
  add("A-1", 0);
  add("B-1", 0);
  auto c = make();
  const auto results = push(*c, {item("A-1", 1), item("B-1", 2)});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(auth_.with_path_prefix("/auth/o2/token").size(), 1u);
}

TEST_F(AmazonConnectorTest, RejectedAccessTokenIsRefreshedOnceAndTheRequestRetried) {
  add("SKU-1", 0);
  auto c = make();
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  int tampered = 0;
  api_.tamper = [&](HttpRequest& r) {
    if (r.path().rfind("/listings/", 0) == 0 && tampered++ == 0) {
      r.headers.set("x-amz-access-token", "Atza|revoked");
    }
  };
  const PushItemResult r = push_one(*c, "SKU-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(tampered, 2);
  EXPECT_EQ(auth_.with_path_prefix("/auth/o2/token").size(), 2u);
  EXPECT_EQ(mock_.counts().at("SKU-1"), 5);
}

TEST_F(AmazonConnectorTest, TokenRejectedTwiceIsNotRetriedAgain) {
  add("SKU-1", 0);
  auto c = make();
  api_.tamper = [&](HttpRequest& r) {
    if (r.path().rfind("/listings/", 0) == 0) r.headers.set("x-amz-access-token", "Atza|bad");
  };
  const PushItemResult r = push_one(*c, "SKU-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent) << r.error;
  EXPECT_EQ(r.http_status, 403);
  EXPECT_EQ(api_.with_path_prefix("/listings/").size(), 2u);
}

TEST_F(AmazonConnectorTest, RevokedRefreshTokenIsPermanentWithoutSecrets) {
  add("SKU-1", 0);
  AmazonConnectorConfig cfg = config();
  cfg.refresh_token = "Atzr|revoked-refresh-token";
  auto c = make(cfg);
  const PushItemResult r = push_one(*c, "SKU-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_NE(r.error.find("invalid_grant"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("revoked-refresh-token"), std::string::npos);
  EXPECT_EQ(r.error.find(cfg.client_secret), std::string::npos);
  EXPECT_TRUE(api_.with_path_prefix("/listings/").empty());
}

TEST_F(AmazonConnectorTest, WrongClientSecretIsPermanentWithoutSecrets) {
  add("SKU-1", 0);
  AmazonConnectorConfig cfg = config();
  cfg.client_secret = "not-the-secret";
  auto c = make(cfg);
  const PushItemResult r = push_one(*c, "SKU-1", 5);
  EXPECT_EQ(r.outcome, PushOutcome::kPermanent);
  EXPECT_NE(r.error.find("invalid_client"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("not-the-secret"), std::string::npos);
  auto read_result = read(*c, {listing("SKU-1")});
  EXPECT_EQ(read_result.status().code(), base::StatusCode::kUnauthenticated);
}

// ---------------------------------------------------------------------------------------------
// Failure shapes of patch pushes

class AmazonThrottledTest : public AmazonConnectorTest {
 protected:
  static mocks::AmazonMockConfig throttled() {
    mocks::AmazonMockConfig c = default_mock_config();
    c.rate_limits["patchListingsItem"] = {1'000, 1};  // 0.001 req/s, burst 1
    c.rate_limits["getListingsItem"] = {1'000, 1};
    return c;
  }
  AmazonThrottledTest() : AmazonConnectorTest(throttled()) {}
};

TEST_F(AmazonThrottledTest, ThrottledPatchIsRateLimitedWithDefaultRetryAfter) {
  add("SKU-1", 0);
  auto c = make();
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  const PushItemResult r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kRateLimited) << r.error;
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.retry_after, Duration::milliseconds(200));  // 1 / (5 per second)
  EXPECT_NE(r.error.find("QuotaExceeded"), std::string::npos) << r.error;
  EXPECT_EQ(mock_.counts().at("SKU-1"), 1);
}

TEST_F(AmazonThrottledTest, ThrottledReadIsRateLimited) {
  add("SKU-1", 2);
  auto c = make();
  EXPECT_EQ(read_one(*c, "SKU-1"), Quantity(2));
  auto r = read(*c, {listing("SKU-1")});
  EXPECT_EQ(r.status().code(), base::StatusCode::kRateLimited);
  EXPECT_EQ(r.status().retry_after(), Duration::milliseconds(200));
}

TEST_F(AmazonThrottledTest, ObserveLimitsOnRealMockResponses) {
  add("SKU-1", 0);
  auto c = make();
  // The mock's own responses to the connector's request, sent again directly.
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  const HttpRequest patch = api_.requests.back();
  HttpResponse throttled = mock_.handle(patch, clock_.monotonic_now());
  ASSERT_EQ(throttled.status, 429);
  const LimitFeedback f429 = c->observe_limits(throttled);
  EXPECT_EQ(f429.retry_after, Duration::milliseconds(200));
  EXPECT_FALSE(f429.remaining_count.has_value());
  advance(Duration::seconds(2000));
  HttpResponse accepted = mock_.handle(patch, clock_.monotonic_now());
  ASSERT_EQ(accepted.status, 200);
  EXPECT_TRUE(accepted.headers.has("x-amzn-RateLimit-Limit"));
  const LimitFeedback f200 = c->observe_limits(accepted);
  EXPECT_FALSE(f200.retry_after.has_value());
  EXPECT_FALSE(f200.remaining_count.has_value());
}

TEST_F(AmazonConnectorTest, Html503IsTransient) {
  add("SKU-1", 0);
  auto c = make();
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);  // token first
  faults(R"({"http_503_html_percent":100})");
  const PushItemResult r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_NE(r.error.find("HTML"), std::string::npos) << r.error;
  auto rr = read(*c, {listing("SKU-1")});
  EXPECT_EQ(rr.status().code(), base::StatusCode::kUnavailable);
}

TEST_F(AmazonConnectorTest, Empty200IsTransient) {
  add("SKU-1", 0);
  auto c = make();
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  faults(R"({"empty_200_percent":100})");
  const PushItemResult r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.http_status, 200);
  auto rr = read(*c, {listing("SKU-1")});
  EXPECT_EQ(rr.status().code(), base::StatusCode::kUnavailable);
}

TEST_F(AmazonConnectorTest, ServerErrorsAreTransient) {
  add("SKU-1", 0);
  auto c = make();
  EXPECT_EQ(push_one(*c, "SKU-1", 1).outcome, PushOutcome::kDone);
  faults(R"({"error_rate_percent":100})");
  const PushItemResult r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient) << r.error;
  EXPECT_GE(r.http_status, 500);
}

TEST_F(AmazonConnectorTest, TimeoutsAndRefusedConnectionsAreTransient) {
  add("SKU-1", 0);
  auto c = make();
  faults(R"({"outage":"timeout"})");
  PushItemResult r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  EXPECT_EQ(r.http_status, 0);
  faults(R"({"outage":"refused"})");
  r = push_one(*c, "SKU-1", 2);
  EXPECT_EQ(r.outcome, PushOutcome::kTransient);
  faults(R"({"outage":"none"})");
  EXPECT_EQ(push_one(*c, "SKU-1", 2).outcome, PushOutcome::kDone);
}

// ---------------------------------------------------------------------------------------------
// Reads

TEST_F(AmazonConnectorTest, ReadsReturnWhatTheMockHolds) {
  add("SKU-1", 11);
  add("SKU-2", 0);
  auto c = make();
  EXPECT_EQ(read_one(*c, "SKU-1"), Quantity(11));
  EXPECT_EQ(read_one(*c, "SKU-2"), Quantity(0));
  EXPECT_EQ(push_one(*c, "SKU-2", 6).outcome, PushOutcome::kDone);
  EXPECT_EQ(read_one(*c, "SKU-2"), Quantity(6));
  const HttpRequest& get = api_.requests.back();
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.target, "/listings/2021-08-01/items/A3INVSYNCMOCK1/SKU-2?marketplaceIds="
                        "A1F83G8C2ARO7P&includedData=fulfillmentAvailability");
}

TEST_F(AmazonConnectorTest, UnknownListingReadsAsNullopt) {
  add("SKU-1", 2);
  auto c = make();
  auto r = read(*c, {listing("SKU-1"), listing("NOPE-1")});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].sku.str(), "SKU-1");
  EXPECT_EQ((*r)[0].quantity, Quantity(2));
  EXPECT_EQ((*r)[1].sku.str(), "NOPE-1");
  EXPECT_FALSE((*r)[1].quantity.has_value());
}

TEST_F(AmazonConnectorTest, ReadUsesTheLiveOfferQuantityNotTheAttribute) {
  auto c = make_scripted();
  scripted_.respond = [](const HttpRequest& req) -> base::Result<HttpResponse> {
    if (req.target == "/auth/o2/token") return token_response();
    return HttpResponse::json(
        200, R"({"sku":"SKU-1","attributes":{"fulfillment_availability":[{"fulfillment_channel_)"
             R"(code":"DEFAULT","quantity":9}]},"fulfillmentAvailability":[{"fulfillmentChannel)"
             R"(Code":"AMAZON_EU","quantity":50},{"fulfillmentChannelCode":"DEFAULT",)"
             R"("quantity":4}]})");
  };
  EXPECT_EQ(read_one(*c, "SKU-1"), Quantity(4));
}

TEST_F(AmazonConnectorTest, MalformedReadBodyIsCorruption) {
  auto c = make_scripted();
  scripted_.respond = [](const HttpRequest& req) -> base::Result<HttpResponse> {
    if (req.target == "/auth/o2/token") return token_response();
    return HttpResponse::json(200, R"({"fulfillmentAvailability":[{"fulfillmentChannelCode":)"
                                   R"("DEFAULT","quantity":"many"}]})");
  };
  auto r = read(*c, {listing("SKU-1")});
  EXPECT_EQ(r.status().code(), base::StatusCode::kCorruption);
}

// ---------------------------------------------------------------------------------------------
// Feed pushes

TEST_F(AmazonConnectorTest, FeedPushIsAcceptedThenConfirmedDoneAndLands) {
  add("A-1", 1);
  add("B-1", 1);
  add("C-1", 1);
  auto c = make(AmazonPushMode::kFeed);
  const auto results = push(*c, {item("A-1", 10), item("B-1", 20), item("C-1", 0)});
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_EQ(r.outcome, PushOutcome::kAccepted) << r.error;
  EXPECT_EQ(c->tracked_feed_count(), 1u);
  EXPECT_TRUE(async_.empty());
  EXPECT_EQ(mock_.counts().at("A-1"), 1);  // not applied before the feed is processed

  scheduler_.run_all();
  ASSERT_EQ(async_.size(), 3u);
  for (const auto& r : async_) EXPECT_EQ(r.outcome, PushOutcome::kDone) << r.error;
  EXPECT_EQ(async_[1].sku.str(), "B-1");
  EXPECT_EQ(async_[1].channel_quantity, Quantity(20));
  EXPECT_EQ(c->tracked_feed_count(), 0u);
  EXPECT_EQ(mock_.counts().at("A-1"), 10);
  EXPECT_EQ(mock_.counts().at("B-1"), 20);
  EXPECT_EQ(mock_.counts().at("C-1"), 0);
  EXPECT_EQ(read_one(*c, "B-1"), Quantity(20));
}

TEST_F(AmazonConnectorTest, FeedRequestsFollowTheFeedsApi) {
  add("A-1", 1);
  auto c = make(AmazonPushMode::kFeed);
  (void)push(*c, {item("A-1", 10)});
  scheduler_.run_all();
  std::vector<HttpRequest> sp;
  for (const auto& r : api_.requests) sp.push_back(r);
  ASSERT_GE(sp.size(), 4u);
  // createFeedDocument
  EXPECT_EQ(sp[0].method, "POST");
  EXPECT_EQ(sp[0].target, "/feeds/2021-06-30/documents");
  EXPECT_EQ(nlohmann::json::parse(sp[0].body)["contentType"], "application/json; charset=UTF-8");
  // upload to the presigned URL with the same Content-Type and no access token
  EXPECT_EQ(sp[1].method, "PUT");
  EXPECT_EQ(sp[1].base_url, kBase);
  EXPECT_EQ(sp[1].target.rfind("/s3/tortuga/", 0), 0u);
  EXPECT_EQ(sp[1].headers.get("content-type"), "application/json; charset=UTF-8");
  EXPECT_FALSE(sp[1].headers.has("x-amz-access-token"));
  const auto doc = nlohmann::json::parse(sp[1].body);
  EXPECT_EQ(doc["header"]["sellerId"], "A3INVSYNCMOCK1");
  EXPECT_EQ(doc["header"]["version"], "2.0");
  EXPECT_EQ(doc["messages"][0]["messageId"], 1);
  EXPECT_EQ(doc["messages"][0]["sku"], "A-1");
  EXPECT_EQ(doc["messages"][0]["operationType"], "PATCH");
  EXPECT_EQ(doc["messages"][0]["productType"], "PRODUCT");
  EXPECT_EQ(doc["messages"][0]["patches"][0]["value"][0]["quantity"], 10);
  // createFeed
  EXPECT_EQ(sp[2].target, "/feeds/2021-06-30/feeds");
  const auto feed = nlohmann::json::parse(sp[2].body);
  EXPECT_EQ(feed["feedType"], "JSON_LISTINGS_FEED");
  EXPECT_EQ(feed["marketplaceIds"][0], "A1F83G8C2ARO7P");
  EXPECT_FALSE(feed["inputFeedDocumentId"].get<std::string>().empty());
  // getFeed polls, spaced by the poll interval, then the report
  EXPECT_EQ(sp[3].target.rfind("/feeds/2021-06-30/feeds/", 0), 0u);
  EXPECT_EQ(api_.with_path_prefix("/feeds/2021-06-30/documents/").size(), 1u);
}

TEST_F(AmazonConnectorTest, FeedReportErrorsArePermanentPerSku) {
  add("A-1", 1);
  add("C-1", 1);
  auto c = make(AmazonPushMode::kFeed);
  const auto results = push(*c, {item("A-1", 5), item("NOPE-9", 6), item("C-1", 7)});
  ASSERT_EQ(results.size(), 3u);
  scheduler_.run_all();
  ASSERT_EQ(async_.size(), 3u);
  EXPECT_EQ(async_[0].outcome, PushOutcome::kDone) << async_[0].error;
  EXPECT_EQ(async_[1].sku.str(), "NOPE-9");
  EXPECT_EQ(async_[1].outcome, PushOutcome::kPermanent);
  EXPECT_FALSE(async_[1].error.empty());
  EXPECT_EQ(async_[2].outcome, PushOutcome::kDone) << async_[2].error;
  EXPECT_EQ(mock_.counts().at("C-1"), 7);
}

TEST_F(AmazonConnectorTest, FeedDoneButNeverAppliedIsVisibleToRead) {
  add("A-1", 3);
  auto c = make(AmazonPushMode::kFeed);
  faults(R"({"not_applied_percent":100})");
  const auto results = push(*c, {item("A-1", 9)});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, PushOutcome::kAccepted);
  scheduler_.run_all();
  ASSERT_EQ(async_.size(), 1u);
  EXPECT_EQ(async_[0].outcome, PushOutcome::kDone);  // Amazon reports success...
  EXPECT_EQ(read_one(*c, "A-1"), Quantity(3));       // ...but the live offer still shows 3
}

TEST_F(AmazonConnectorTest, FatalFeedIsTransientForAllItsSkus) {
  add("A-1", 3);
  add("B-1", 3);
  auto c = make(AmazonPushMode::kFeed);
  faults(R"({"feed_fatal_percent":100})");
  (void)push(*c, {item("A-1", 9), item("B-1", 8)});
  scheduler_.run_all();
  ASSERT_EQ(async_.size(), 2u);
  for (const auto& r : async_) {
    EXPECT_EQ(r.outcome, PushOutcome::kTransient);
    EXPECT_NE(r.error.find("FATAL"), std::string::npos) << r.error;
  }
  EXPECT_EQ(mock_.counts().at("A-1"), 3);
}

TEST_F(AmazonConnectorTest, FeedIsPolledAtTheConfiguredInterval) {
  add("A-1", 3);
  AmazonConnectorConfig cfg = config(AmazonPushMode::kFeed);
  cfg.feed_poll_interval = Duration::seconds(20);
  auto c = make(cfg);
  faults(R"({"feed_in_queue_ms_min":50000,"feed_in_queue_ms_max":50000,)"
         R"("feed_in_progress_ms_min":50000,"feed_in_progress_ms_max":50000})");
  (void)push(*c, {item("A-1", 9)});
  const base::Instant submitted = clock_.monotonic_now();
  advance(Duration::seconds(19));
  EXPECT_TRUE(api_.with_path_prefix("/feeds/2021-06-30/feeds/").empty());
  advance(Duration::seconds(2));
  EXPECT_EQ(api_.with_path_prefix("/feeds/2021-06-30/feeds/").size(), 1u);
  scheduler_.run_all();
  ASSERT_EQ(async_.size(), 1u);
  // DONE after ~100 s: polls at 20, 40, 60, 80, 100 (+ one if the boundary is missed).
  const size_t polls = api_.with_path_prefix("/feeds/2021-06-30/feeds/").size();
  EXPECT_GE(polls, 5u);
  EXPECT_LE(polls, 6u);
  EXPECT_LE(clock_.monotonic_now() - submitted, Duration::seconds(150));
}

TEST_F(AmazonConnectorTest, FeedSubmissionCapIsRateLimitedUntilTheOldestLeavesTheWindow) {
  add("A-1", 0);
  auto c = make(AmazonPushMode::kFeed);
  const base::Instant first = clock_.monotonic_now();
  for (int i = 0; i < 5; ++i) {
    const auto r = push(*c, {item("A-1", i + 1)});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].outcome, PushOutcome::kAccepted) << i << " " << r[0].error;
    advance(Duration::seconds(10));
  }
  const auto r = push(*c, {item("A-1", 9)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].outcome, PushOutcome::kRateLimited) << r[0].error;
  EXPECT_EQ(r[0].http_status, 429);
  // The first submission happened just after `first`; it leaves the window 5 min later.
  const Duration until = (first + Duration::minutes(5)) - clock_.monotonic_now();
  EXPECT_GT(r[0].retry_after, until - Duration::seconds(2));
  EXPECT_LE(r[0].retry_after, until + Duration::seconds(2));
}

TEST_F(AmazonConnectorTest, DestroyingTheConnectorStopsFeedTracking) {
  add("A-1", 0);
  auto c = make(AmazonPushMode::kFeed);
  (void)push(*c, {item("A-1", 4)});
  EXPECT_EQ(c->tracked_feed_count(), 1u);
  c.reset();
  scheduler_.run_all();
  EXPECT_TRUE(async_.empty());
}

// ---------------------------------------------------------------------------------------------
// Orders

TEST_F(AmazonConnectorTest, PolledOrdersParseIntoSales) {
  add("SKU-1", 10);
  add("SKU-2", 10);
  auto c = make();
  const auto placed = mock_.place_order("SKU-1", 2, clock_.monotonic_now());
  ASSERT_TRUE(placed.accepted) << placed.reason;
  advance(Duration::seconds(30));
  const auto placed2 = mock_.place_order("SKU-2", 1, clock_.monotonic_now());
  ASSERT_TRUE(placed2.accepted);
  advance(Duration::minutes(4));
  auto r = poll(*c, "");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->events.size(), 2u);
  const domain::OrderEvent& e = r->events[0];
  EXPECT_EQ(e.key.channel.str(), "amazon:uk");
  EXPECT_EQ(e.key.external_order_id, placed.order_id);
  EXPECT_FALSE(e.key.line_key.empty());
  EXPECT_EQ(e.key.kind, EventKind::kSale);
  EXPECT_EQ(e.sku.str(), "SKU-1");
  EXPECT_EQ(e.quantity, Quantity(2));
  EXPECT_EQ(r->events[1].key.external_order_id, placed2.order_id);
  EXPECT_FALSE(r->more);
  EXPECT_FALSE(r->next_cursor.empty());
  const auto orders_requests = api_.with_path_prefix("/orders/v0/orders");
  EXPECT_EQ(orders_requests[0].target,
            "/orders/v0/orders?MarketplaceIds=A1F83G8C2ARO7P&LastUpdatedAfter="
            "2026-11-26T23%3A00%3A00Z");
  EXPECT_EQ(orders_requests[1].path(), "/orders/v0/orders/" + placed.order_id + "/orderItems");

  advance(Duration::minutes(5));
  auto again = poll(*c, r->next_cursor);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  // Only orders updated since (Pending -> Unshipped counts as an update); never older ones twice
  // except at the inclusive boundary.
  for (const auto& ev : again->events) EXPECT_EQ(ev.key.kind, EventKind::kSale);
}

TEST_F(AmazonConnectorTest, CancelledOrderGivesSaleAndCancelForItsLines) {
  add("SKU-1", 10);
  auto c = make();
  const auto placed = mock_.place_order("SKU-1", 3, clock_.monotonic_now());
  ASSERT_TRUE(placed.accepted);
  advance(Duration::seconds(90));
  ASSERT_TRUE(mock_.cancel_order(placed.order_id, clock_.monotonic_now()).ok());
  advance(Duration::minutes(4));
  auto r = poll(*c, "");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].key.kind, EventKind::kSale);
  EXPECT_EQ(r->events[1].key.kind, EventKind::kCancel);
  EXPECT_EQ(r->events[1].key.external_order_id, placed.order_id);
  EXPECT_EQ(r->events[1].key.line_key, r->events[0].key.line_key);
  EXPECT_EQ(r->events[1].quantity, Quantity(3));
  EXPECT_EQ(r->events[1].sku.str(), "SKU-1");
}

TEST_F(AmazonConnectorTest, NextTokenIsFollowedWithOnlyMarketplaceIds) {
  add("SKU-1", 10);
  AmazonConnectorConfig cfg = config();
  cfg.orders_page_size = 1;
  auto c = make(cfg);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(mock_.place_order("SKU-1", 1, clock_.monotonic_now()).order_id);
    advance(Duration::seconds(10));
  }
  advance(Duration::minutes(4));
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto r = poll(*c, cursor);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    for (const auto& e : r->events) seen.push_back(e.key.external_order_id);
    cursor = r->next_cursor;
    if (!r->more) break;
  }
  EXPECT_EQ(seen, ids);
  const auto list = api_.with_path_prefix("/orders/v0/orders");
  std::vector<std::string> page_targets;
  for (const auto& req : list) {
    if (req.path() == "/orders/v0/orders") page_targets.push_back(req.target);
  }
  ASSERT_GE(page_targets.size(), 3u);
  EXPECT_NE(page_targets[0].find("MaxResultsPerPage=1"), std::string::npos);
  EXPECT_EQ(page_targets[1].rfind("/orders/v0/orders?MarketplaceIds=A1F83G8C2ARO7P&NextToken=",
                                  0),
            0u);
  EXPECT_EQ(page_targets[1].find("LastUpdated"), std::string::npos);
}

TEST_F(AmazonConnectorTest, PollDoesNotAskForTheLastTwoMinutes) {
  auto c = make();
  const std::string recent = base::format_iso8601_utc(clock_.wall_now());
  auto r = poll(*c, recent);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->events.empty());
  EXPECT_EQ(r->next_cursor, recent);
  EXPECT_TRUE(api_.requests.empty());
  EXPECT_TRUE(auth_.requests.empty());
}

TEST_F(AmazonConnectorTest, PollCursorAdvancesWhenNothingHappened) {
  auto c = make();
  advance(Duration::minutes(10));
  auto r = poll(*c, "");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->events.empty());
  EXPECT_GT(r->next_cursor, std::string("2026-11-26T23:00:00Z"));
}

TEST_F(AmazonConnectorTest, MalformedOrderPayloadsAreRefused) {
  auto c = make_scripted();
  std::string items_body;
  scripted_.respond = [&](const HttpRequest& req) -> base::Result<HttpResponse> {
    if (req.target == "/auth/o2/token") return token_response();
    if (req.path() == "/orders/v0/orders") {
      return HttpResponse::json(200, R"({"payload":{"Orders":[{"AmazonOrderId":"203-1-1",)"
                                     R"("PurchaseDate":"2026-11-26T23:10:00Z","LastUpdateDate":)"
                                     R"("2026-11-26T23:10:00Z","OrderStatus":"Unshipped"}]}})");
    }
    return HttpResponse::json(200, items_body);
  };
  items_body = R"({"payload":{"AmazonOrderId":"203-1-1","OrderItems":[{"ASIN":"B0","OrderItemId":)"
               R"("111","QuantityOrdered":1}]}})";  // no SellerSKU
  EXPECT_EQ(poll(*c, "").status().code(), base::StatusCode::kCorruption);
  items_body = R"({"payload":{"AmazonOrderId":"203-1-1","OrderItems":[{"ASIN":"B0","OrderItemId":)"
               R"("111","QuantityOrdered":"one","SellerSKU":"SKU-1"}]}})";
  EXPECT_EQ(poll(*c, "").status().code(), base::StatusCode::kCorruption);
  items_body = "not json";
  EXPECT_EQ(poll(*c, "").status().code(), base::StatusCode::kCorruption);
  items_body = R"({"payload":{"AmazonOrderId":"203-1-1","OrderItems":[{"ASIN":"B0","OrderItemId":)"
               R"("111","QuantityOrdered":2,"SellerSKU":"SKU-1"}]}})";
  auto ok = poll(*c, "");
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  ASSERT_EQ(ok->events.size(), 1u);
  EXPECT_EQ(ok->events[0].key.line_key, "111");
  EXPECT_EQ(ok->next_cursor, "2026-11-26T23:10:00Z");
  EXPECT_EQ(poll(*c, "garbage").status().code(), base::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// Webhooks

TEST_F(AmazonConnectorTest, WebhooksAreRefusedAsAmazonHasNone) {
  auto c = make();
  HttpRequest req;
  req.method = "POST";
  req.target = "/webhooks/amazon/notifications";
  req.body = R"({"NotificationType":"ORDER_CHANGE"})";
  auto r = c->parse_webhook(req);
  EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("polling"), std::string::npos);
}

}  // namespace
}  // namespace invsync::connector
