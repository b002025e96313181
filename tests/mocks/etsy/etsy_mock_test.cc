// EtsyMock: one test per fidelity checklist item (shared/platforms/amazon-etsy.md, items 15-22,
// named EtsyFidelity.ItemNN_*), plus determinism and strict config/fault parsing. Simulated time
// only: every request passes an explicit Instant.
#include "mocks/etsy/etsy_mock.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using Json = nlohmann::json;

constexpr char kRefresh[] = "73737373.mock-initial-refresh-token";

class EtsyFidelity : public ::testing::Test {
 protected:
  void make(EtsyMockConfig config = EtsyMockConfig(), uint64_t seed = 7) {
    mock_ = std::make_unique<EtsyMock>(std::move(config), seed);
    token_.clear();
  }
  void SetUp() override { make(); }

  HttpRequest request(std::string method, std::string target, std::string body = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers.set("x-api-key", mock_->api_key_header());
    return r;
  }
  HttpResponse token_call(const std::string& form, Instant at) {
    HttpRequest r = request("POST", "/v3/public/oauth/token", form);
    r.headers.set("content-type", "application/x-www-form-urlencoded");
    return mock_->handle(r, at);
  }
  HttpResponse refresh(const std::string& refresh_token, Instant at) {
    return token_call("grant_type=refresh_token&client_id=" + mock_->config().keystring +
                          "&refresh_token=" + refresh_token,
                      at);
  }
  const std::string& token() {
    if (token_.empty()) {
      const HttpResponse r = refresh(kRefresh, now_);
      EXPECT_EQ(r.status, 200) << r.body;
      token_ = Json::parse(r.body)["access_token"].get<std::string>();
    }
    return token_;
  }
  // An authorised API call; the clock moves 150 ms first so the QPS limit stays out of the way.
  HttpResponse call(std::string method, std::string target, std::string body = "") {
    now_ += Duration::milliseconds(150);
    HttpRequest r = request(std::move(method), std::move(target), std::move(body));
    r.headers.set("Authorization", "Bearer " + token());
    return mock_->handle(r, now_);
  }
  int64_t listing(const char* sku) { return *mock_->listing_id_of(sku); }
  std::string inv_path(const char* sku) {
    return "/v3/application/listings/" + std::to_string(listing(sku)) + "/inventory";
  }
  std::string shop_path() {
    return "/v3/application/shops/" + std::to_string(mock_->config().shop_id);
  }
  void add_shirts() {
    ASSERT_TRUE(mock_->add_item({"SHIRT-S", 3, "shirt"}).ok());
    ASSERT_TRUE(mock_->add_item({"SHIRT-M", 5, "shirt"}).ok());
    ASSERT_TRUE(mock_->add_item({"MUG", 2, ""}).ok());
  }
  // The variation inventory a well-behaved client PUTs for the shirt listing.
  static Json shirt_body(int64_t qty_s, int64_t qty_m) {
    auto product = [](const char* sku, int64_t qty) {
      return Json{
          {"sku", sku},
          {"property_values",
           Json::array({{{"property_id", 513}, {"values", Json::array({sku})}}})},
          {"offerings", Json::array({{{"price", 10.0}, {"quantity", qty}, {"is_enabled", true}}})}};
    };
    return Json{{"products", Json::array({product("SHIRT-S", qty_s), product("SHIRT-M", qty_m)})},
                {"quantity_on_property", {513}},
                {"sku_on_property", {513}}};
  }

  std::unique_ptr<EtsyMock> mock_;
  Instant now_ = Instant() + Duration::hours(1);
  std::string token_;
};

std::string error_of(const HttpResponse& r) { return Json::parse(r.body)["error"]; }

// ---------------------------------------------------------------- item 15: auth headers

TEST_F(EtsyFidelity, Item15_ApiKeyMustBeKeystringColonSharedSecret) {
  add_shirts();
  const std::string path = "/v3/application/listings/" + std::to_string(listing("MUG"));
  HttpRequest r = request("GET", path);
  r.headers.erase("x-api-key");
  EXPECT_EQ(mock_->handle(r, now_).status, 403);
  r.headers.set("x-api-key", mock_->config().keystring);  // bare keystring: rejected since 2026
  const HttpResponse bare = mock_->handle(r, now_);
  EXPECT_EQ(bare.status, 403);
  EXPECT_NE(error_of(bare).find("keystring>:<shared_secret"), std::string::npos);
  r.headers.set("x-api-key", mock_->config().keystring + ":wrong");
  EXPECT_EQ(mock_->handle(r, now_).status, 403);
  r.headers.set("x-api-key", mock_->api_key_header());
  EXPECT_EQ(mock_->handle(r, now_).status, 200);
  EXPECT_EQ(mock_->stats().at("rejected_api_key"), 3);
}

TEST_F(EtsyFidelity, Item15_OAuthEndpointsNeedBearerTokenWithScope) {
  add_shirts();
  HttpResponse r = mock_->handle(request("GET", inv_path("MUG")), now_);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json::parse(r.body)["error"], "invalid_token");
  EXPECT_EQ(call("GET", inv_path("MUG")).status, 200);
  // Expired after exactly one hour.
  now_ += Duration::hours(1);
  r = call("GET", inv_path("MUG"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error":"invalid_token","error_description":"access token is expired"})");
  // A token granted listings_r only cannot write.
  EtsyMockConfig c;
  c.granted_scopes = {"listings_r"};
  c.initial_refresh_tokens = {"1.read-only"};
  make(c);
  add_shirts();
  token_ = Json::parse(refresh("1.read-only", now_).body)["access_token"];
  EXPECT_EQ(call("GET", inv_path("MUG")).status, 200);
  r = call("PUT", inv_path("MUG"), "{}");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json::parse(r.body)["error"], "insufficient_scope");
}

TEST_F(EtsyFidelity, Item15_PasswordChangeInvalidatesEveryToken) {
  add_shirts();
  EXPECT_EQ(call("GET", inv_path("MUG")).status, 200);
  mock_->revoke_all_tokens();
  EXPECT_EQ(call("GET", inv_path("MUG")).status, 401);
  EXPECT_EQ(refresh(kRefresh, now_).status, 400);
}

// ---------------------------------------------------------------- item 16: token endpoint

TEST_F(EtsyFidelity, Item16_RefreshReturnsNewTokenAndRevokesTheOldOne) {
  const HttpResponse first = refresh(kRefresh, now_);
  ASSERT_EQ(first.status, 200) << first.body;
  const Json j = Json::parse(first.body);
  EXPECT_EQ(j["expires_in"], 3600);
  EXPECT_EQ(j["token_type"], "Bearer");
  const std::string next = j["refresh_token"];
  EXPECT_NE(next, kRefresh);
  EXPECT_EQ(next.rfind("73737373.", 0), 0u);  // "<user_id>.<opaque>"
  const HttpResponse reused = refresh(kRefresh, now_ + Duration::seconds(1));
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(reused.body,
            R"({"error":"invalid_grant","error_description":"refresh_token is revoked"})");
  EXPECT_EQ(refresh(next, now_ + Duration::seconds(2)).status, 200);
}

TEST_F(EtsyFidelity, Item16_RotationGraceIsASetting) {
  EtsyMockConfig c;
  c.refresh_token_grace = Duration::seconds(60);
  make(c);
  ASSERT_EQ(refresh(kRefresh, now_).status, 200);
  EXPECT_EQ(refresh(kRefresh, now_ + Duration::seconds(59)).status, 200);
  EXPECT_EQ(refresh(kRefresh, now_ + Duration::seconds(60)).status, 400);
}

TEST_F(EtsyFidelity, Item16_RefreshTokenOlderThan90DaysIsRejected) {
  const HttpResponse r = refresh(kRefresh, Instant() + Duration::hours(24 * 90));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json::parse(r.body)["error"], "invalid_grant");
  make();
  EXPECT_EQ(refresh(kRefresh, Instant() + Duration::hours(24 * 90) - Duration::seconds(1)).status,
            200);
}

TEST_F(EtsyFidelity, Item16_AuthorizationCodeGrantVerifiesPkceS256) {
  // RFC 7636 appendix B.
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  const std::string redirect = "https://app.example/cb";
  auto grant = [&](const std::string& code, const std::string& v) {
    return token_call("grant_type=authorization_code&client_id=" + mock_->config().keystring +
                          "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code=" + code +
                          "&code_verifier=" + v,
                      now_);
  };
  std::string code = mock_->authorize(challenge, redirect, "listings_r transactions_r", now_);
  const HttpResponse wrong = grant(code, std::string(43, 'x'));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(Json::parse(wrong.body)["error"], "invalid_grant");
  EXPECT_EQ(grant(code, verifier).status, 400);  // codes are single use
  code = mock_->authorize(challenge, redirect, "listings_r transactions_r", now_);
  const HttpResponse ok = grant(code, verifier);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json::parse(ok.body)["expires_in"], 3600);
  EXPECT_TRUE(Json::parse(ok.body).contains("refresh_token"));
}

// ---------------------------------------------------------------- item 17: GET inventory

TEST_F(EtsyFidelity, Item17_GetInventoryReturnsProductTreeWithMoneyPrice) {
  add_shirts();
  EXPECT_EQ(listing("SHIRT-S"), listing("SHIRT-M"));
  EXPECT_NE(listing("SHIRT-S"), listing("MUG"));
  const Json ids = Json::parse(*mock_->external_ids_json("SHIRT-M"));
  EXPECT_EQ(ids["listing_id"], listing("SHIRT-M"));
  EXPECT_EQ(ids["shop_id"], mock_->config().shop_id);
  const HttpResponse r = call("GET", inv_path("SHIRT-S"));
  ASSERT_EQ(r.status, 200);
  const Json inv = Json::parse(r.body);
  ASSERT_EQ(inv["products"].size(), 2u);
  const Json& m = inv["products"][1];
  EXPECT_EQ(m["product_id"], ids["product_id"]);
  EXPECT_EQ(m["sku"], "SHIRT-M");
  EXPECT_EQ(m["property_values"][0]["property_id"], 513);
  EXPECT_EQ(m["property_values"][0]["values"][0], "SHIRT-M");
  EXPECT_EQ(m["offerings"][0]["quantity"], 5);
  EXPECT_EQ(m["offerings"][0]["price"],
            (Json{{"amount", 1000}, {"divisor", 100}, {"currency_code", "USD"}}));
  EXPECT_EQ(inv["quantity_on_property"], Json::array({513}));
  EXPECT_EQ(inv["sku_on_property"], Json::array({513}));
}

TEST_F(EtsyFidelity, Item17_BatchInventoryCapsAt100AndUnknownIdFailsWholeRequest) {
  add_shirts();
  const std::string a = std::to_string(listing("SHIRT-S"));
  const std::string b = std::to_string(listing("MUG"));
  HttpResponse r =
      call("GET", "/v3/application/listings/batch/inventory?listing_ids=" + a + "," + b);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = Json::parse(r.body);
  EXPECT_EQ(j["count"], 2);
  EXPECT_EQ(j["results"][1]["listing_id"], listing("MUG"));
  EXPECT_EQ(j["results"][1]["inventory"]["products"][0]["sku"], "MUG");
  r = call("GET", "/v3/application/listings/batch/inventory?listing_ids=" + a + ",999");
  EXPECT_EQ(r.status, 404);
  std::string many = a;
  for (int i = 0; i < 100; ++i) many += "," + a;
  EXPECT_EQ(call("GET", "/v3/application/listings/batch/inventory?listing_ids=" + many).status,
            400);
}

// ---------------------------------------------------------------- item 18: PUT inventory

TEST_F(EtsyFidelity, Item18_PutIsFullReplaceAndOmittedProductsAreDeleted) {
  add_shirts();
  Json body = shirt_body(7, 9);
  HttpResponse r = call("PUT", inv_path("SHIRT-S"), body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(mock_->counts().at("SHIRT-S"), 7);
  EXPECT_EQ(mock_->counts().at("SHIRT-M"), 9);
  body["products"].erase(1);
  r = call("PUT", inv_path("SHIRT-S"), body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["products"].size(), 1u);
  EXPECT_EQ(mock_->counts().count("SHIRT-M"), 0u);
  EXPECT_FALSE(mock_->place_order("SHIRT-M", 1, now_).accepted);
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), R"({"price_on_property":[]})").body,
            R"({"error":"Missing input parameter: [products]"})");
}

TEST_F(EtsyFidelity, Item18_PutRejectsMoneyPriceAndReadOnlyFields) {
  add_shirts();
  const Json good = Json::parse(call("GET", inv_path("SHIRT-S")).body);
  // Sending the GET response back unchanged fails: read-only fields and Money prices.
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), good.dump()).status, 400);
  auto put_with = [&](const std::function<void(Json&)>& edit) {
    Json body = shirt_body(1, 1);
    edit(body);
    return call("PUT", inv_path("SHIRT-S"), body.dump());
  };
  HttpResponse r = put_with([](Json& b) {
    b["products"][0]["offerings"][0]["price"] = {{"amount", 1000}, {"divisor", 100}};
  });
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("Money"), std::string::npos);
  EXPECT_EQ(put_with([](Json& b) { b["products"][0]["product_id"] = 1; }).status, 400);
  EXPECT_EQ(put_with([](Json& b) { b["products"][0]["is_deleted"] = false; }).status, 400);
  EXPECT_EQ(put_with([](Json& b) { b["products"][0]["offerings"][0]["offering_id"] = 1; }).status,
            400);
  EXPECT_EQ(put_with([](Json& b) {
              b["products"][0]["property_values"][0]["scale_name"] = nullptr;
            }).status,
            400);
  EXPECT_EQ(put_with([](Json&) {}).status, 200);
}

// Any valid JSON is read (a byte order mark, integers beyond 64 bits); a repeated key counts once,
// with its last value; malformed JSON is refused.
TEST_F(EtsyFidelity, Item18_PutReadsAnyValidJsonAndTheLastOfARepeatedKey) {
  add_shirts();
  const std::string body =
      "\xEF\xBB\xBF"
      R"({"products":[{"sku":"MUG","offerings":[{"price":2.5,"quantity":-1,
      "quantity":7,"is_enabled":true,"note":18446744073709551616}]}]})";
  ASSERT_EQ(call("PUT", inv_path("MUG"), body).status, 200);
  EXPECT_EQ(mock_->counts().at("MUG"), 7);
  EXPECT_EQ(call("PUT", inv_path("MUG"), R"({"products":[}")").body,
            R"({"error":"Request body is not valid JSON"})");
  EXPECT_EQ(error_of(call("PUT", inv_path("MUG"),
                          R"({"products":[{"sku":"MUG","offerings":[{"price":2.5,
                             "quantity":18446744073709551616,"is_enabled":true}]}]})")),
            "Missing input parameter: [products[0].offerings[0].quantity]");
}

TEST_F(EtsyFidelity, Item18_ValuesVaryingOffTheirOnPropertyFail) {
  add_shirts();
  Json body = shirt_body(4, 6);
  body["quantity_on_property"] = Json::array();
  HttpResponse r = call("PUT", inv_path("SHIRT-S"), body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("quantity_on_property"), std::string::npos);
  body = shirt_body(4, 4);
  body["quantity_on_property"] = Json::array();  // same quantity everywhere: fine
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), body.dump()).status, 200);
  body = shirt_body(4, 6);
  body["sku_on_property"] = Json::array();
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), body.dump()).status, 400);
}

TEST_F(EtsyFidelity, Item18_MissingPropertyValuesOnVariationListing) {
  add_shirts();
  Json body = shirt_body(1, 1);
  body["products"][1].erase("property_values");
  const HttpResponse r = call("PUT", inv_path("SHIRT-S"), body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"Property values can't be empty"})");
}

// ---------------------------------------------------------------- item 19: quantity rules

TEST_F(EtsyFidelity, Item19_AllOfferingsAtZeroRejected) {
  add_shirts();
  const HttpResponse r = call("PUT", inv_path("SHIRT-S"), shirt_body(0, 0).dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"One offering must have quantity greater than 0"})");
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), shirt_body(0, 1).dump()).status, 200);
}

TEST_F(EtsyFidelity, Item19_OfferingQuantityAbove999Rejected) {
  add_shirts();
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), shirt_body(1000, 1).dump()).status, 400);
  EXPECT_EQ(call("PUT", inv_path("SHIRT-S"), shirt_body(999, 1).dump()).status, 200);
}

TEST_F(EtsyFidelity, Item19_ListingQuantityIsSumAndLastSaleSetsSoldOut) {
  add_shirts();
  const std::string path = "/v3/application/listings/" + std::to_string(listing("SHIRT-S"));
  EXPECT_EQ(Json::parse(call("GET", path).body)["quantity"], 8);
  // The storefront sells against each offering's own count (how overselling happens).
  EXPECT_FALSE(mock_->place_order("SHIRT-S", 4, now_).accepted);
  EXPECT_TRUE(mock_->place_order("SHIRT-S", 3, now_).accepted);
  EXPECT_FALSE(mock_->place_order("SHIRT-S", 1, now_).accepted);
  EXPECT_EQ(mock_->listing_state(listing("SHIRT-S")), "active");
  EXPECT_TRUE(mock_->place_order("SHIRT-M", 5, now_).accepted);
  EXPECT_EQ(mock_->listing_state(listing("SHIRT-S")), "sold_out");
  const Json l = Json::parse(call("GET", path).body);
  EXPECT_EQ(l["quantity"], 0);
  EXPECT_EQ(l["state"], "sold_out");
  EXPECT_EQ(mock_->counts().at("SHIRT-M"), 0);
}

TEST_F(EtsyFidelity, Item19_UpdateListingIgnoresQuantityAndPrice) {
  add_shirts();
  const std::string path = shop_path() + "/listings/" + std::to_string(listing("MUG"));
  const HttpResponse r = call("PATCH", path, "quantity=50&price=99.00&title=Mug");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["quantity"], 2);
  EXPECT_EQ(mock_->counts().at("MUG"), 2);
  EXPECT_EQ(call("PATCH", path, "state=sold_out").status, 400);
}

TEST_F(EtsyFidelity, Item19_InactiveOnlyWhileAnOfferingHasStock) {
  add_shirts();
  const std::string path = shop_path() + "/listings/" + std::to_string(listing("MUG"));
  ASSERT_TRUE(mock_->place_order("MUG", 2, now_).accepted);
  EXPECT_EQ(call("PATCH", path, "state=inactive").status, 400);
  // The documented workaround: keep one unit, set the listing inactive; buyers cannot buy it.
  Json body = {
      {"products",
       Json::array({{{"sku", "MUG"},
                     {"offerings",
                      Json::array({{{"price", 10.0}, {"quantity", 1}, {"is_enabled", true}}})}}})}};
  ASSERT_EQ(call("PUT", inv_path("MUG"), body.dump()).status, 200);
  EXPECT_EQ(mock_->listing_state(listing("MUG")), "active");
  const HttpResponse r = call("PATCH", path, "state=inactive");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["state"], "inactive");
  EXPECT_EQ(mock_->place_order("MUG", 1, now_).reason, "listing is inactive");
  EXPECT_EQ(call("PATCH", path, "state=active").status, 200);
  EXPECT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
}

// ---------------------------------------------------------------- item 20: receipts

TEST_F(EtsyFidelity, Item20_TransactionsCarrySkuQuantityProductAndListing) {
  add_shirts();
  const auto order = mock_->place_order("SHIRT-M", 2, now_);
  ASSERT_TRUE(order.accepted);
  // Not visible before the configured delay (1 s).
  EXPECT_EQ(call("GET", shop_path() + "/receipts/" + order.order_id).status, 404);
  now_ += Duration::seconds(1);
  const HttpResponse r = call("GET", shop_path() + "/receipts/" + order.order_id);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = Json::parse(r.body);
  const Json ids = Json::parse(*mock_->external_ids_json("SHIRT-M"));
  EXPECT_EQ(j["status"], "paid");
  const Json& t = j["transactions"][0];
  EXPECT_EQ(t["sku"], "SHIRT-M");
  EXPECT_EQ(t["quantity"], 2);
  EXPECT_EQ(t["product_id"], ids["product_id"]);
  EXPECT_EQ(t["listing_id"], ids["listing_id"]);
  EXPECT_EQ(t["receipt_id"], std::stoll(order.order_id));
  EXPECT_EQ(t["price"]["amount"], 1000);
  EXPECT_EQ(t["paid_timestamp"],
            mock_->unix_seconds(now_ - Duration::seconds(1) - Duration::milliseconds(150)));
}

TEST_F(EtsyFidelity, Item20_FiltersByUnixSecondsAndPagesByOffset) {
  ASSERT_TRUE(mock_->add_item({"MUG", 999, ""}).ok());
  std::vector<int64_t> created;
  for (int i = 0; i < 30; ++i) {
    now_ += Duration::minutes(1);
    ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
    created.push_back(mock_->unix_seconds(now_));
  }
  now_ += Duration::minutes(1);
  Json page = Json::parse(call("GET", shop_path() + "/receipts").body);
  EXPECT_EQ(page["count"], 30);
  EXPECT_EQ(page["results"].size(), 25u);                           // default limit
  EXPECT_EQ(page["results"][0]["created_timestamp"], created[29]);  // created desc by default
  page =
      Json::parse(call("GET", shop_path() + "/receipts?min_created=" + std::to_string(created[20]) +
                                  "&sort_order=asc&limit=4&offset=4")
                      .body);
  EXPECT_EQ(page["count"], 10);
  ASSERT_EQ(page["results"].size(), 4u);
  EXPECT_EQ(page["results"][0]["created_timestamp"], created[24]);
  page = Json::parse(
      call("GET", shop_path() + "/receipts?max_last_modified=" + std::to_string(created[1])).body);
  EXPECT_EQ(page["count"], 2);
  EXPECT_EQ(call("GET", shop_path() + "/receipts?limit=0").status, 400);
  EXPECT_EQ(call("GET", shop_path() + "/receipts?limit=101").status, 400);
  EXPECT_EQ(call("GET", shop_path() + "/receipts?min_created=5").status, 400);
}

TEST_F(EtsyFidelity, Item20_PageShiftFaultRepeatsRowsAcrossPages) {
  ASSERT_TRUE(mock_->add_item({"MUG", 999, ""}).ok());
  for (int i = 0; i < 6; ++i) {
    now_ += Duration::seconds(10);
    ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
  }
  now_ += Duration::seconds(10);
  const Json p1 = Json::parse(call("GET", shop_path() + "/receipts?limit=3").body);
  ASSERT_TRUE(mock_->set_faults_json(R"({"receipt_page_shift":1})").ok());
  const Json p2 = Json::parse(call("GET", shop_path() + "/receipts?limit=3&offset=3").body);
  EXPECT_EQ(p2["results"][0]["receipt_id"], p1["results"][2]["receipt_id"]);  // a repeat
  // Real arrivals shift pages too: a new receipt pushes page 2 down by one.
  ASSERT_TRUE(mock_->set_faults_json("{}").ok());
  ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
  now_ += Duration::seconds(10);
  const Json p2b = Json::parse(call("GET", shop_path() + "/receipts?limit=3&offset=3").body);
  EXPECT_EQ(p2b["results"][0]["receipt_id"], p1["results"][2]["receipt_id"]);
}

TEST_F(EtsyFidelity, Item20_CancelMarksCanceledMovesUpdatedAndRestocks) {
  add_shirts();
  const auto order = mock_->place_order("MUG", 2, now_);
  ASSERT_TRUE(order.accepted);
  EXPECT_EQ(mock_->listing_state(listing("MUG")), "sold_out");
  const Instant placed = now_;
  now_ += Duration::minutes(10);
  ASSERT_TRUE(mock_->cancel_order(order.order_id, now_).ok());
  EXPECT_FALSE(mock_->cancel_order(order.order_id, now_).ok());
  EXPECT_EQ(mock_->counts().at("MUG"), 2);
  EXPECT_EQ(mock_->listing_state(listing("MUG")), "active");
  EXPECT_TRUE(mock_->accepted_orders()[0].cancelled);
  const Json j =
      Json::parse(call("GET", shop_path() + "/receipts?min_last_modified=" +
                                  std::to_string(mock_->unix_seconds(now_ - Duration::seconds(1))))
                      .body);
  ASSERT_EQ(j["count"], 1);
  EXPECT_EQ(j["results"][0]["status"], "canceled");
  EXPECT_EQ(j["results"][0]["created_timestamp"], mock_->unix_seconds(placed));
  EXPECT_GT(j["results"][0]["updated_timestamp"], j["results"][0]["created_timestamp"]);
}

TEST_F(EtsyFidelity, Item20_ReceiptReadBeforeItsCancelShowsTheCancelNextTime) {
  add_shirts();
  const auto order = mock_->place_order("MUG", 1, now_);
  ASSERT_TRUE(order.accepted);
  now_ += Duration::seconds(10);
  const std::string path = shop_path() + "/receipts/" + order.order_id;
  const Json before = Json::parse(call("GET", path).body);
  EXPECT_EQ(before["status"], "paid");
  EXPECT_EQ(Json::parse(call("GET", shop_path() + "/receipts").body)["results"][0], before);
  ASSERT_TRUE(mock_->cancel_order(order.order_id, now_).ok());
  const Json after = Json::parse(call("GET", path).body);
  EXPECT_EQ(after["status"], "canceled");
  EXPECT_EQ(after["is_paid"], false);
  EXPECT_EQ(Json::parse(call("GET", shop_path() + "/receipts").body)["results"][0], after);
}

// ---------------------------------------------------------------- item 21: rate limiting

TEST_F(EtsyFidelity, Item21_SuccessHeadersAndPerSecondOverflow) {
  add_shirts();
  token();
  const std::string path = inv_path("MUG");
  now_ = Instant() + Duration::minutes(90);  // a fresh second; the token is still valid
  HttpRequest r = request("GET", path);
  r.headers.set("Authorization", "Bearer " + token_);
  for (int i = 0; i < 10; ++i) {
    const HttpResponse ok = mock_->handle(r, now_);
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(ok.headers.get("x-limit-per-second"), "10");
    EXPECT_EQ(ok.headers.get("x-remaining-this-second"), std::to_string(9 - i));
    EXPECT_EQ(ok.headers.get("x-limit-per-day"), "10000");
    EXPECT_TRUE(ok.headers.has("x-remaining-today"));
    EXPECT_EQ(ok.headers.get("x-etsy-request-uuid")->size(), 36u);
  }
  const HttpResponse limited = mock_->handle(r, now_ + Duration::milliseconds(999));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, R"({"error":"Exceeded per second rate limit"})");
  EXPECT_EQ(limited.headers.get("X-Limit-Per-Second"), "10");
  EXPECT_EQ(limited.headers.get("X-Remaining-This-Second"), "0");
  EXPECT_EQ(mock_->handle(r, now_ + Duration::seconds(1)).status, 200);
  EXPECT_EQ(mock_->stats().at("rate_limited_per_second"), 1);
}

TEST_F(EtsyFidelity, Item21_DailyQuotaResetsOnRollingWindow) {
  EtsyMockConfig c;
  c.per_second_limit = 1000;
  c.per_day_limit = 100;
  c.day_window_buckets = 12;  // two-hour buckets; wall origin is midnight UTC
  make(c);
  ASSERT_TRUE(mock_->add_item({"MUG", 5, ""}).ok());
  HttpRequest r = request("GET", "/v3/application/listings/" + std::to_string(listing("MUG")));
  auto at = [&](Duration t) { return mock_->handle(r, Instant() + t); };
  for (int i = 0; i < 60; ++i) ASSERT_EQ(at(Duration::hours(20)).status, 200);  // 20:00
  for (int i = 0; i < 40; ++i) ASSERT_EQ(at(Duration::hours(23)).status, 200);  // 23:00
  HttpResponse limited = at(Duration::hours(23) + Duration::minutes(30));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, R"({"error":"Exceeded daily rate limit"})");
  EXPECT_EQ(limited.headers.get("x-remaining-today"), "0");
  EXPECT_EQ(limited.headers.get("retry-after"), "73800");  // until 20:00-22:00 leaves: 44:00
  // Past midnight nothing resets: the 24 h window still holds all 100 calls.
  limited = at(Duration::hours(24) + Duration::seconds(1));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.get("retry-after"), "71999");
  EXPECT_EQ(at(Duration::hours(44) - Duration::nanoseconds(1)).status, 429);
  // At 20:00 next day the 20:00-22:00 bucket expires: exactly its 60 calls come back.
  HttpResponse ok = at(Duration::hours(44));
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers.get("x-remaining-today"), "59");
  for (int i = 0; i < 59; ++i) ASSERT_EQ(at(Duration::hours(45)).status, 200);
  EXPECT_EQ(at(Duration::hours(46) - Duration::nanoseconds(1)).status, 429);
  ok = at(Duration::hours(46));  // the 22:00-24:00 bucket (40 calls) leaves
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers.get("x-remaining-today"), "39");
  EXPECT_EQ(mock_->stats().at("rate_limited_daily"), 4);
}

TEST_F(EtsyFidelity, Item21_RateLimitPercentFaultScalesBothLimits) {
  ASSERT_TRUE(mock_->add_item({"MUG", 5, ""}).ok());
  ASSERT_TRUE(mock_->set_faults_json(R"({"rate_limit_percent":20})").ok());
  HttpRequest r = request("GET", "/v3/application/listings/" + std::to_string(listing("MUG")));
  const HttpResponse ok = mock_->handle(r, now_);
  EXPECT_EQ(ok.headers.get("x-limit-per-second"), "2");
  EXPECT_EQ(ok.headers.get("x-limit-per-day"), "2000");
  EXPECT_EQ(mock_->handle(r, now_).status, 200);
  EXPECT_EQ(mock_->handle(r, now_).status, 429);
}

// ---------------------------------------------------------------- item 22: webhooks

EtsyMockConfig webhook_config() {
  EtsyMockConfig c;
  c.webhook_enabled = true;
  return c;
}

TEST_F(EtsyFidelity, Item22_OrderPaidWebhookIsFlatAndSigned) {
  make(webhook_config());
  ASSERT_TRUE(mock_->add_item({"MUG", 5, ""}).ok());
  const auto order = mock_->place_order("MUG", 1, now_);
  EXPECT_EQ(mock_->next_wakeup(), now_);
  auto due = mock_->take_due_webhooks(now_);
  ASSERT_EQ(due.size(), 1u);
  const HttpRequest& w = due[0].request;
  EXPECT_EQ(w.method, "POST");
  EXPECT_EQ(w.target, "/webhooks/etsy");
  const std::string shop = std::to_string(mock_->config().shop_id);
  EXPECT_EQ(w.body, R"({"event_type":"order.paid","resource_url":"https://openapi.etsy.com/v3/)"
                    R"(application/shops/)" +
                        shop + "/receipts/" + order.order_id + R"(","shop_id":)" + shop + "}");
  const std::string id(*w.headers.get("webhook-id"));
  const std::string ts(*w.headers.get("webhook-timestamp"));
  EXPECT_EQ(ts, std::to_string(mock_->unix_seconds(now_)));
  const std::string key = *base::base64_decode(mock_->config().webhook_signing_secret.substr(6));
  EXPECT_EQ(*w.headers.get("webhook-signature"),
            "v1," + base::base64_encode(base::hmac_sha256(key, id + "." + ts + "." + w.body)));
  mock_->on_webhook_result(due[0].delivery_id, 200, now_);
  EXPECT_EQ(mock_->stats().at("webhooks_delivered"), 1);
  EXPECT_EQ(mock_->next_wakeup(), now_ + Duration::seconds(1));  // receipt becomes visible
}

TEST_F(EtsyFidelity, Item22_RetriesNon2xxOnTheSchedule) {
  make(webhook_config());
  ASSERT_TRUE(mock_->add_item({"MUG", 5, ""}).ok());
  ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
  const std::vector<Duration> gaps = {
      Duration::seconds(5), Duration::minutes(5), Duration::minutes(30), Duration::hours(2),
      Duration::hours(5),   Duration::hours(10),  Duration::hours(10)};
  auto due = mock_->take_due_webhooks(now_);
  ASSERT_EQ(due.size(), 1u);
  const std::string id(*due[0].request.headers.get("webhook-id"));
  for (const Duration gap : gaps) {
    mock_->on_webhook_result(due[0].delivery_id, 503, now_);
    EXPECT_TRUE(mock_->take_due_webhooks(now_ + gap - Duration::nanoseconds(1)).empty());
    now_ += gap;
    due = mock_->take_due_webhooks(now_);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].request.headers.get("webhook-id"), id);  // same message, new attempt
  }
  mock_->on_webhook_result(due[0].delivery_id, 0, now_);  // 8th attempt fails too
  EXPECT_EQ(mock_->stats().at("webhooks_gave_up"), 1);
  EXPECT_EQ(mock_->stats().at("webhooks_sent"), 8);
  EXPECT_FALSE(mock_->next_wakeup().has_value());
}

TEST_F(EtsyFidelity, Item22_DropAndDuplicateFaultsExercisePolling) {
  make(webhook_config());
  ASSERT_TRUE(mock_->add_item({"MUG", 50, ""}).ok());
  ASSERT_TRUE(mock_->set_faults_json(R"({"webhook_drop_percent":100})").ok());
  ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
  EXPECT_TRUE(mock_->take_due_webhooks(now_ + Duration::hours(1)).empty());
  EXPECT_EQ(mock_->stats().at("webhooks_dropped"), 1);
  ASSERT_TRUE(mock_->set_faults_json(R"({"webhook_duplicate_percent":100})").ok());
  ASSERT_TRUE(mock_->place_order("MUG", 1, now_).accepted);
  const auto due = mock_->take_due_webhooks(now_ + Duration::hours(1));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].request.body, due[1].request.body);
  // Polling still sees both orders.
  now_ += Duration::hours(1);
  EXPECT_EQ(Json::parse(call("GET", shop_path() + "/receipts").body)["count"], 2);
}

// ---------------------------------------------------------------- determinism, config, faults

std::string scripted_session(uint64_t seed) {
  EtsyMockConfig c = webhook_config();
  EtsyMock m(c, seed);
  std::string transcript;
  (void)m.add_item({"A", 3, "g"});
  (void)m.add_item({"B", 4, "g"});
  (void)m.set_faults_json(R"({"error_rate_percent":20,"webhook_duplicate_percent":50})");
  Instant t = Instant() + Duration::hours(3);
  auto send = [&](HttpRequest r) {
    r.headers.set("x-api-key", m.api_key_header());
    const HttpResponse resp = m.handle(r, t);
    transcript += std::to_string(resp.status) + "|" + resp.body + "|";
    for (const auto& [k, v] : resp.headers.entries()) transcript += k + "=" + v + ";";
    transcript += "\n";
    return resp;
  };
  HttpResponse tok = send({.method = "POST",
                           .target = "/v3/public/oauth/token",
                           .body = std::string("grant_type=refresh_token&client_id=") +
                                   c.keystring + "&refresh_token=" + kRefresh});
  const std::string access = tok.status == 200 ? Json::parse(tok.body)["access_token"] : "";
  for (int i = 0; i < 20; ++i) {
    t += Duration::milliseconds(300);
    (void)m.place_order(i % 2 ? "A" : "B", 1, t);
    HttpRequest r{
        .method = "GET",
        .target = "/v3/application/shops/" + std::to_string(c.shop_id) + "/receipts?limit=3"};
    r.headers.set("Authorization", "Bearer " + access);
    send(r);
    for (const auto& d : m.take_due_webhooks(t + Duration::seconds(5))) {
      transcript +=
          d.delivery_id + d.request.body + std::string(*d.request.headers.get("webhook-signature"));
    }
    transcript += std::to_string(static_cast<int>(m.network(t).latency.ms()));
  }
  return transcript;
}

TEST(EtsyDeterminism, SameSeedSameInputsByteIdenticalResponses) {
  const std::string a = scripted_session(11);
  EXPECT_EQ(a, scripted_session(11));
  EXPECT_NE(a, scripted_session(12));
  EXPECT_NE(a.find("Server Error"), std::string::npos);
}

TEST(EtsyConfig, ParsesAndRejectsWithKeyPaths) {
  auto parse = [](const char* json, EtsyMockConfig* c) {
    base::JsonReader r = base::JsonReader::parse(json, "$.etsy");
    return parse_etsy_mock_config(r, c);
  };
  EtsyMockConfig c;
  ASSERT_TRUE(parse(R"({"shop_id":5,"limits":{"per_second":3,"per_day":50,"day_window_buckets":24},
      "oauth":{"refresh_token_grace_s":30,"initial_refresh_tokens":["9.x"]},
      "webhook":{"enabled":true,"retry_schedule_s":[0,1],"signature_prefix":""},
      "receipt_visibility_delay_ms":0})",
                    &c)
                  .ok());
  EXPECT_EQ(c.shop_id, 5);
  EXPECT_EQ(c.per_day_limit, 50);
  EXPECT_EQ(c.day_window_buckets, 24);
  EXPECT_EQ(c.refresh_token_grace, Duration::seconds(30));
  EXPECT_EQ(c.webhook_retry_schedule.size(), 2u);
  EXPECT_EQ(c.receipt_visibility_delay, Duration::zero());
  const EtsyMockConfig before = c;
  base::Status st = parse(R"({"limits":{"day_window_buckets":7}})", &c);
  EXPECT_EQ(st.message(),
            "$.etsy.limits.day_window_buckets: must divide 86400 (whole-second buckets)");
  st = parse(R"({"webhook":{"signing_secret":"nope"}})", &c);
  EXPECT_EQ(st.message().rfind("$.etsy.webhook.signing_secret:", 0), 0u);
  st = parse(R"({"oauth":{"bogus":1}})", &c);
  EXPECT_EQ(st.message(), "$.etsy.oauth.bogus: unknown key");
  st = parse(R"({"per_day":1})", &c);
  EXPECT_EQ(st.message(), "$.etsy.per_day: unknown key");
  EXPECT_EQ(c.per_day_limit, before.per_day_limit);  // nothing changed on error
}

TEST(EtsyFaults, StrictAndNothingChangesOnError) {
  EtsyMock m(EtsyMockConfig(), 1);
  ASSERT_TRUE(m.add_item({"MUG", 5, ""}).ok());
  base::Status st = m.set_faults_json(R"({"receipt_page_shift":101})");
  EXPECT_EQ(st.message(), "$.receipt_page_shift: must be between 0 and 100, got 101");
  st = m.set_faults_json(R"({"rate_limit_percent":10,"nope":true})");
  EXPECT_EQ(st.message(), "$.nope: unknown key");
  HttpRequest r{.method = "GET",
                .target = "/v3/application/listings/" + std::to_string(*m.listing_id_of("MUG"))};
  r.headers.set("x-api-key", m.api_key_header());
  EXPECT_EQ(m.handle(r, Instant()).headers.get("x-limit-per-second"), "10");  // unchanged
  ASSERT_TRUE(m.set_faults_json(R"({"outage":"http_503"})").ok());
  EXPECT_EQ(m.handle(r, Instant()).status, 503);
  ASSERT_TRUE(m.set_faults_json(R"({"error_rate_percent":100})").ok());
  const HttpResponse err = m.handle(r, Instant() + Duration::seconds(1));
  EXPECT_EQ(err.status, 500);
  EXPECT_EQ(err.body, R"({"error":"Server Error"})");
  ASSERT_TRUE(m.set_faults_json(R"({"outage":"timeout"})").ok());
  EXPECT_EQ(m.network(Instant()).transport, NetworkConditions::Transport::kTimeout);
}

}  // namespace
}  // namespace invsync::mocks
