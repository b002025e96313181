// Tests for the WooCommerce mock: one test (or more) per fidelity checklist item 14-24 of
// shared/platforms/shopify-woocommerce.md, plus determinism and strict config/fault parsing.
#include "mocks/woocommerce/woocommerce_mock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "core/base/url.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::json;

constexpr const char* kAuth = "consumer_key=ck_test&consumer_secret=cs_test";

WooCommerceMockConfig test_config() {
  WooCommerceMockConfig c;
  c.keys = {{"ck_test", "cs_test", "read_write"}, {"ck_read", "cs_read", "read"}};
  return c;
}

// A store with simple products A (5) and B (0) and a variable product "tee" with T-S and T-M.
std::unique_ptr<WooCommerceMock> make_store(WooCommerceMockConfig c = test_config(),
                                            uint64_t seed = 7) {
  auto m = std::make_unique<WooCommerceMock>(std::move(c), seed);
  EXPECT_TRUE(m->add_item({"A", 5, ""}).ok());
  EXPECT_TRUE(m->add_item({"B", 0, ""}).ok());
  EXPECT_TRUE(m->add_item({"T-S", 3, "tee"}).ok());
  EXPECT_TRUE(m->add_item({"T-M", 4, "tee"}).ok());
  return m;
}

std::string with_auth(const std::string& path) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + kAuth;
}

HttpRequest req(std::string method, std::string target, std::string body = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty()) r.headers.set("Content-Type", "application/json");
  return r;
}

HttpResponse call(WooCommerceMock& m, std::string method, const std::string& path,
                  std::string body = "", Instant now = Instant()) {
  return m.handle(req(std::move(method), with_auth("/wp-json/wc/v3" + path), std::move(body)), now);
}

json body_of(const HttpResponse& r) { return json::parse(r.body); }

int64_t id_of(const WooCommerceMock& m, const std::string& sku, const char* field) {
  return json::parse(*m.external_ids_json(sku))[field].get<int64_t>();
}

void expect_error(const HttpResponse& r, int32_t status, const std::string& code,
                  const std::string& message = "") {
  EXPECT_EQ(r.status, status) << r.body;
  const json b = body_of(r);
  EXPECT_EQ(b["code"], code) << r.body;
  EXPECT_EQ(b["data"]["status"], status) << r.body;
  if (!message.empty()) {
    EXPECT_EQ(b["message"], message) << r.body;
  }
}

std::string basic(const std::string& user, const std::string& pass) {
  return "Basic " + base::base64_encode(user + ":" + pass);
}

std::string shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// base64(HMAC-<algo>(key, message)) computed by the openssl CLI, not by our code.
std::string openssl_hmac(const std::string& algo, const std::string& key,
                         const std::string& message) {
  // One file per test: ctest runs tests in parallel processes that share TempDir().
  const std::string path = ::testing::TempDir() + "woo_hmac_input_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".bin";
  std::ofstream(path, std::ios::binary) << message;
  return shell("openssl dgst -" + algo + " -hmac '" + key + "' -binary '" + path +
               "' | base64 -w0");
}

// --- Item 14: auth ---

TEST(WooCommerceFidelity, Item14_BasicAuthHonouredOnlyOnHttps) {
  auto https = make_store();
  HttpRequest r = req("GET", "/wp-json/wc/v3/products");
  r.headers.set("Authorization", basic("ck_test", "cs_test"));
  EXPECT_EQ(https->handle(r, Instant()).status, 200);
  WooCommerceMockConfig c = test_config();
  c.https = false;
  c.home_url = "http://shop.example/";
  auto http = make_store(c);
  expect_error(http->handle(r, Instant()), 401, "woocommerce_rest_cannot_view",
               "Sorry, you cannot list resources.");
  // Query-string keys are part of the same HTTPS-only path (unless configured otherwise).
  expect_error(call(*http, "GET", "/products"), 401, "woocommerce_rest_cannot_view");
  c.query_auth_over_http = true;
  EXPECT_EQ(call(*make_store(c), "GET", "/products").status, 200);
}

TEST(WooCommerceFidelity, Item14_QueryStringKeysTakePrecedenceOverBasic) {
  auto m = make_store();
  HttpRequest r = req("GET", with_auth("/wp-json/wc/v3/products"));
  r.headers.set("Authorization", basic("ck_test", "wrong"));
  EXPECT_EQ(m->handle(r, Instant()).status, 200);
  HttpRequest bad = req("GET", "/wp-json/wc/v3/products?consumer_key=ck_test&consumer_secret=x");
  bad.headers.set("Authorization", basic("ck_test", "cs_test"));
  expect_error(m->handle(bad, Instant()), 401, "woocommerce_rest_authentication_error",
               "Consumer secret is invalid.");
}

TEST(WooCommerceFidelity, Item14_UnknownKeyIsCannotViewOrCannotEdit) {
  auto m = make_store();
  HttpRequest r = req("GET", "/wp-json/wc/v3/products?consumer_key=ck_nobody&consumer_secret=x");
  const HttpResponse list = m->handle(r, Instant());
  expect_error(list, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
  EXPECT_FALSE(list.headers.has("WWW-Authenticate"));
  const int64_t a = id_of(*m, "A", "product_id");
  HttpRequest put = req(
      "PUT",
      "/wp-json/wc/v3/products/" + std::to_string(a) + "?consumer_key=ck_nobody&consumer_secret=x",
      R"({"stock_quantity":1})");
  expect_error(m->handle(put, Instant()), 401, "woocommerce_rest_cannot_edit",
               "Sorry, you are not allowed to edit this resource.");
}

TEST(WooCommerceFidelity, Item14_WrongSecretIs401WithWwwAuthenticate) {
  auto m = make_store();
  HttpRequest r = req("GET", "/wp-json/wc/v3/products");
  r.headers.set("Authorization", basic("ck_test", "cs_wrong"));
  const HttpResponse resp = m->handle(r, Instant());
  expect_error(resp, 401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
  EXPECT_EQ(resp.headers.get("WWW-Authenticate"),
            "Basic realm=\"WooCommerce API. Use a consumer key in the username field and a "
            "consumer secret in the password field.\"");
}

TEST(WooCommerceFidelity, Item14_ReadOnlyKeyCannotWrite) {
  auto m = make_store();
  const std::string a = std::to_string(id_of(*m, "A", "product_id"));
  HttpRequest get = req("GET", "/wp-json/wc/v3/products/" + a);
  get.headers.set("Authorization", basic("ck_read", "cs_read"));
  EXPECT_EQ(m->handle(get, Instant()).status, 200);
  HttpRequest put = req("PUT", "/wp-json/wc/v3/products/" + a, R"({"stock_quantity":9})");
  put.headers.set("Authorization", basic("ck_read", "cs_read"));
  expect_error(m->handle(put, Instant()), 401, "woocommerce_rest_authentication_error",
               "The API key provided does not have write permissions.");
  EXPECT_EQ(m->counts()["A"], 5);
}

// --- Item 15: OAuth 1.0a on HTTP ---

struct OAuthCase {
  std::string method = "GET";
  std::string path = "/wp-json/wc/v3/products";
  std::vector<std::pair<std::string, std::string>> extra;  // non-oauth query params
  int64_t timestamp = 1767225600;
  std::string nonce = "n1";
  std::string signature_method = "HMAC-SHA1";
  std::string secret = "cs_test";
};

// Builds the signed target by hand: sorted, RFC 3986-encoded params; key "secret&".
std::string oauth_target(const OAuthCase& c) {
  std::vector<std::pair<std::string, std::string>> p = c.extra;
  p.push_back({"oauth_consumer_key", "ck_test"});
  p.push_back({"oauth_nonce", c.nonce});
  p.push_back({"oauth_signature_method", c.signature_method});
  p.push_back({"oauth_timestamp", std::to_string(c.timestamp)});
  std::sort(p.begin(), p.end());
  std::string params;
  for (const auto& [k, v] : p) {
    params += (params.empty() ? "" : "&") + base::percent_encode(k) + "=" + base::percent_encode(v);
  }
  const std::string base_string = c.method + "&" +
                                  base::percent_encode("http://shop.example" + c.path) + "&" +
                                  base::percent_encode(params);
  const std::string algo = c.signature_method == "HMAC-SHA1" ? "sha1" : "sha256";
  const std::string sig = openssl_hmac(algo, c.secret + "&", base_string);
  return c.path + "?" + params + "&oauth_signature=" + base::percent_encode(sig);
}

WooCommerceMockConfig http_config() {
  WooCommerceMockConfig c = test_config();
  c.https = false;
  c.home_url = "http://shop.example/";
  return c;
}

TEST(WooCommerceFidelity, Item15_OAuth1SignaturesTimestampAndNonce) {
  auto m = make_store(http_config());
  const Instant now = Instant() + Duration::seconds(10);  // wall clock 1767225610
  OAuthCase ok;
  ok.extra = {{"sku", "A,B"}};
  const HttpResponse r = m->handle(req("GET", oauth_target(ok)), now);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).size(), 2u);
  expect_error(m->handle(req("GET", oauth_target(ok)), now), 401,
               "woocommerce_rest_authentication_error",
               "Invalid nonce - nonce has already been used.");
  OAuthCase sha256 = ok;
  sha256.nonce = "n2";
  sha256.signature_method = "HMAC-SHA256";
  EXPECT_EQ(m->handle(req("GET", oauth_target(sha256)), now).status, 200);
  OAuthCase stale = ok;
  stale.nonce = "n3";
  stale.timestamp -= 16 * 60;
  expect_error(m->handle(req("GET", oauth_target(stale)), now), 401,
               "woocommerce_rest_authentication_error", "Invalid timestamp.");
  OAuthCase forged = ok;
  forged.nonce = "n4";
  forged.secret = "not-the-secret";
  expect_error(m->handle(req("GET", oauth_target(forged)), now), 401,
               "woocommerce_rest_authentication_error",
               "Invalid signature - provided signature does not match.");
  expect_error(m->handle(req("GET", "/wp-json/wc/v3/products?oauth_consumer_key=ck_test"), now),
               401, "woocommerce_rest_authentication_missing_parameter");
  expect_error(
      m->handle(req("GET",
                    "/wp-json/wc/v3/products?oauth_consumer_key=ck_x&oauth_nonce=a&"
                    "oauth_timestamp=1&oauth_signature=x&oauth_signature_method=HMAC-SHA1"),
                now),
      401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
}

// --- Item 16: error bodies ---

TEST(WooCommerceFidelity, Item16_ErrorBodiesAndStatuses) {
  auto m = make_store();
  expect_error(call(*m, "GET", "/products/999999"), 404, "woocommerce_rest_product_invalid_id",
               "Invalid ID.");
  expect_error(call(*m, "PUT", "/products/999999", R"({"stock_quantity":1})"), 400,
               "woocommerce_rest_product_invalid_id", "Invalid ID.");
  const int64_t var = id_of(*m, "T-S", "variation_id");
  const int64_t parent = id_of(*m, "T-S", "product_id");
  expect_error(call(*m, "PUT", "/products/" + std::to_string(var), R"({"stock_quantity":1})"), 404,
               "woocommerce_rest_invalid_product_id",
               "To manipulate product variations you should use the "
               "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.");
  const int64_t a = id_of(*m, "A", "product_id");
  expect_error(
      call(*m, "PUT", "/products/" + std::to_string(a) + "/variations/" + std::to_string(var),
           R"({"stock_quantity":1})"),
      403, "woocommerce_rest_cannot_edit", "Parent product does not match current variation.");
  expect_error(call(*m, "GET", "/products/" + std::to_string(parent) + "/variations/999"), 404,
               "woocommerce_rest_product_variation_invalid_id");
  expect_error(call(*m, "GET", "/nonsense"), 404, "rest_no_route");
  expect_error(call(*m, "PUT", "/products"), 404, "rest_no_route");
  EXPECT_EQ(m->counts()["T-S"], 3);
}

// --- Item 17: manage_stock semantics ---

TEST(WooCommerceFidelity, Item17_StockWritesIgnoredWhenNotManaged) {
  auto m = make_store();
  const std::string a = "/products/" + std::to_string(id_of(*m, "A", "product_id"));
  json r = body_of(call(*m, "PUT", a, R"({"manage_stock":false,"stock_quantity":40})"));
  EXPECT_EQ(r["manage_stock"], false);
  EXPECT_TRUE(r["stock_quantity"].is_null());
  r = body_of(call(*m, "PUT", a, R"({"stock_quantity":12})"));
  EXPECT_TRUE(r["stock_quantity"].is_null());
  r = body_of(call(*m, "PUT", a, R"({"manage_stock":true,"stock_quantity":12})"));
  EXPECT_EQ(r["manage_stock"], true);
  EXPECT_EQ(r["stock_quantity"], 12);
  WooCommerceMockConfig off = test_config();
  off.manage_stock_option = false;
  auto g = make_store(off);
  const json s =
      body_of(call(*g, "PUT", "/products/" + std::to_string(id_of(*g, "A", "product_id")),
                   R"({"manage_stock":true,"stock_quantity":77})"));
  EXPECT_EQ(s["manage_stock"], false);
  EXPECT_NE(s["stock_quantity"], 77);
  EXPECT_GE(g->stats()["stock_writes_ignored"], 1);
}

TEST(WooCommerceFidelity, Item17_StockStatusRecomputedFromQuantityAndBackorders) {
  WooCommerceMockConfig c = test_config();
  c.notify_no_stock_amount = 2;
  auto m = make_store(c);
  const std::string a = "/products/" + std::to_string(id_of(*m, "A", "product_id"));
  EXPECT_EQ(body_of(call(*m, "PUT", a,
                         R"({"stock_quantity":3,"stock_status":"outofstock"})"))["stock_status"],
            "instock");
  EXPECT_EQ(body_of(call(*m, "PUT", a, R"({"stock_quantity":2})"))["stock_status"], "outofstock");
  EXPECT_EQ(body_of(call(*m, "PUT", a, R"({"backorders":"notify"})"))["stock_status"],
            "onbackorder");
  EXPECT_EQ(body_of(call(*m, "PUT", a, R"({"inventory_delta":5})"))["stock_quantity"], 7);
  expect_error(call(*m, "PUT", a, R"({"stock_quantity":"lots"})"), 400, "rest_invalid_param",
               "Invalid parameter(s): stock_quantity");
}

TEST(WooCommerceFidelity, Item17_VariationReportsManageStockParent) {
  auto m = make_store();
  const std::string parent = std::to_string(id_of(*m, "T-S", "product_id"));
  const std::string var = std::to_string(id_of(*m, "T-S", "variation_id"));
  call(*m, "PUT", "/products/" + parent, R"({"manage_stock":true,"stock_quantity":20})");
  const json v = body_of(call(*m, "PUT", "/products/" + parent + "/variations/" + var,
                              R"({"manage_stock":false,"stock_quantity":99})"));
  EXPECT_EQ(v["manage_stock"], "parent");
  EXPECT_EQ(v["stock_quantity"], 20);
  EXPECT_TRUE(m->place_order("T-S", 2, Instant()).accepted);
  EXPECT_EQ(m->counts()["T-S"], 18);  // the parent's stock moved (get_stock_managed_by_id)
  EXPECT_EQ(body_of(call(*m, "GET", "/products/" + parent))["stock_quantity"], 18);
}

// --- Item 18: SKU lookup and pagination ---

TEST(WooCommerceFidelity, Item18_SkuLookupExactCommaListAndVariations) {
  auto m = make_store();
  HttpResponse r = call(*m, "GET", "/products?sku=A,T-M");
  ASSERT_EQ(r.status, 200);
  const json list = body_of(r);
  ASSERT_EQ(list.size(), 2u);
  std::set<std::string> types;
  for (const json& p : list)
    types.insert(p["type"].get<std::string>() + ":" + p["sku"].get<std::string>());
  EXPECT_EQ(types, (std::set<std::string>{"simple:A", "variation:T-M"}));
  EXPECT_EQ(r.headers.get("X-WP-Total"), "2");
  r = call(*m, "GET", "/products?sku=T");  // exact: no partial match
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
  EXPECT_EQ(r.headers.get("X-WP-Total"), "0");
  EXPECT_EQ(r.headers.get("X-WP-TotalPages"), "0");
  EXPECT_EQ(body_of(call(*m, "GET", "/products?search_sku=T-")).size(), 2u);
}

TEST(WooCommerceFidelity, Item18_PaginationHeaders) {
  auto m = make_store();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(m->add_item({"P" + std::to_string(i), 1, ""}).ok());
  const HttpResponse r = call(*m, "GET", "/products?per_page=3&page=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body_of(r).size(), 3u);
  EXPECT_EQ(r.headers.get("X-WP-Total"), "8");  // 7 simple-or-variable products
  EXPECT_EQ(r.headers.get("X-WP-TotalPages"), "3");
  const std::string link(r.headers.get("Link").value_or(""));
  EXPECT_NE(link.find("page=1>; rel=\"prev\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=3>; rel=\"next\""), std::string::npos) << link;
  EXPECT_TRUE(link.starts_with("<https://shop.example/wp-json/wc/v3/products?")) << link;
  expect_error(call(*m, "GET", "/products?per_page=101"), 400, "rest_invalid_param");
}

TEST(WooCommerceFidelity, Item18_FieldsParameterKeepsOnlyTheNamedKeys) {
  // WordPress REST's global `_fields`: lists and single GETs carry only the named top-level keys.
  auto m = make_store();
  const HttpResponse r = call(*m, "GET", "/products?sku=A&_fields=id,sku,stock_quantity");
  ASSERT_EQ(r.status, 200);
  const json list = body_of(r);
  ASSERT_EQ(list.size(), 1u);
  std::set<std::string> keys;
  for (auto it = list[0].begin(); it != list[0].end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"id", "sku", "stock_quantity"}));
  EXPECT_EQ(list[0]["sku"], "A");
  const std::string one = "/products/" + std::to_string(list[0]["id"].get<int64_t>());
  const json single = body_of(call(*m, "GET", one + "?_fields=stock_status,_links.self"));
  keys.clear();
  for (auto it = single.begin(); it != single.end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"stock_status", "_links"}));
  // Without _fields (or empty) the whole object comes back.
  EXPECT_GT(body_of(call(*m, "GET", "/products?sku=A&_fields="))[0].size(), 10u);
}

// --- Item 19: batch ---

TEST(WooCommerceFidelity, Item19_BatchOver100ItemsIs413) {
  auto m = make_store();
  json b = {{"update", json::array()}, {"delete", json::array()}};
  for (int i = 0; i < 60; ++i) b["update"].push_back({{"id", 1}, {"stock_quantity", 1}});
  for (int i = 0; i < 41; ++i) b["delete"].push_back(1);
  expect_error(call(*m, "POST", "/products/batch", b.dump()), 413,
               "woocommerce_rest_request_entity_too_large",
               "Unable to accept more than 100 items for this request.");
  b["delete"].erase(b["delete"].begin());  // exactly 100 items is accepted
  const HttpResponse ok = call(*m, "POST", "/products/batch", b.dump());
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(body_of(ok)["update"].size(), 60u);
}

TEST(WooCommerceFidelity, Item19_MixedBatchReturns200WithPerItemErrors) {
  auto m = make_store();
  const int64_t a = id_of(*m, "A", "product_id");
  const int64_t var = id_of(*m, "T-S", "variation_id");
  const json b = {
      {"create", {{{"sku", "NEW"}, {"manage_stock", true}, {"stock_quantity", 2}}, {{"sku", "A"}}}},
      {"update",
       {{{"id", a}, {"stock_quantity", 11}},
        {{"id", 424242}, {"stock_quantity", 1}},
        {{"id", var}, {"stock_quantity", 1}}}},
      {"delete", {999999}}};
  const HttpResponse r = call(*m, "POST", "/products/batch", b.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json out = body_of(r);
  EXPECT_EQ(out["create"][0]["sku"], "NEW");
  EXPECT_EQ(out["create"][1]["id"], 0);
  EXPECT_EQ(out["create"][1]["error"]["code"], "product_invalid_sku");
  EXPECT_EQ(out["update"][0]["stock_quantity"], 11);
  EXPECT_EQ(out["update"][1]["id"], 424242);
  EXPECT_EQ(out["update"][1]["error"]["code"], "woocommerce_rest_product_invalid_id");
  EXPECT_EQ(out["update"][1]["error"]["data"]["status"], 400);
  EXPECT_EQ(out["update"][2]["error"]["code"], "woocommerce_rest_invalid_product_id");
  EXPECT_EQ(out["delete"][0]["error"]["data"]["status"], 404);
  EXPECT_EQ(m->counts()["A"], 11);
  EXPECT_EQ(m->counts()["NEW"], 2);
  const std::string parent = std::to_string(id_of(*m, "T-S", "product_id"));
  const json vb = {{"update", {{{"id", var}, {"stock_quantity", 8}}}}};
  const json v = body_of(call(*m, "POST", "/products/" + parent + "/variations/batch", vb.dump()));
  EXPECT_EQ(v["update"][0]["stock_quantity"], 8);
  EXPECT_EQ(m->counts()["T-S"], 8);
}

// --- Item 20: no rate limiting; hostile hosting ---

TEST(WooCommerceFidelity, Item20_NoRateLimitingOnWcV3) {
  auto m = make_store();
  for (int i = 0; i < 500; ++i) ASSERT_EQ(call(*m, "GET", "/products?sku=A").status, 200);
}

TEST(WooCommerceFidelity, Item20_HostileHostingFaults) {
  auto m = make_store();
  const std::string a = "/products/" + std::to_string(id_of(*m, "A", "product_id"));
  ASSERT_TRUE(m->set_faults_json(R"({"challenge_page_percent":100})").ok());
  HttpResponse r = call(*m, "GET", a);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("Content-Type"), "text/html; charset=UTF-8");
  EXPECT_NE(r.body.find("document.cookie"), std::string::npos);
  ASSERT_TRUE(m->set_faults_json(R"({"php_warning_percent":100})").ok());
  r = call(*m, "GET", a);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.starts_with("<br />\n<b>Warning</b>:"));
  EXPECT_NE(r.body.find("{\"id\":"), std::string::npos);
  ASSERT_TRUE(m->set_faults_json(R"({"put_501_percent":100})").ok());
  EXPECT_EQ(call(*m, "PUT", a, R"({"stock_quantity":1})").status, 501);
  EXPECT_EQ(call(*m, "GET", a).status, 200);
  EXPECT_EQ(m->counts()["A"], 5);
  ASSERT_TRUE(m->set_faults_json(R"({"outage":"http_503"})").ok());
  r = call(*m, "GET", a);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.get("Content-Type"), "text/html");
  ASSERT_TRUE(m->set_faults_json(R"({"outage":"refused"})").ok());
  EXPECT_EQ(m->network(Instant()).transport, NetworkConditions::Transport::kRefused);
  ASSERT_TRUE(m->set_faults_json(R"({"strip_authorization":true})").ok());
  HttpRequest b = req("GET", "/wp-json/wc/v3/products");
  b.headers.set("Authorization", basic("ck_test", "cs_test"));
  expect_error(m->handle(b, Instant()), 401, "woocommerce_rest_cannot_view");
  EXPECT_EQ(call(*m, "GET", a).status, 200);  // query-string auth still works
}

TEST(WooCommerceFidelity, Item20_SlowBatchHitsPhpMaxExecutionTime) {
  auto m = make_store();
  const int64_t a = id_of(*m, "A", "product_id");
  const int64_t b = id_of(*m, "B", "product_id");
  const json batch = {
      {"update", {{{"id", a}, {"stock_quantity", 1}}, {{"id", b}, {"stock_quantity", 1}}}}};
  ASSERT_TRUE(m->set_faults_json(R"({"slow_batch_ms":20000})").ok());
  HttpResponse r = call(*m, "POST", "/products/batch", batch.dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("X-Mock-Server-Time-Ms"), "20000");
  ASSERT_TRUE(m->set_faults_json(R"({"slow_batch_ms":60000})").ok());
  const json again = {
      {"update", {{{"id", a}, {"stock_quantity", 2}}, {{"id", b}, {"stock_quantity", 2}}}}};
  r = call(*m, "POST", "/products/batch", again.dump());
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("Maximum execution time of 30 seconds exceeded"), std::string::npos);
  EXPECT_EQ(m->counts()["A"], 2);  // the first half was done before PHP died
  EXPECT_EQ(m->counts()["B"], 1);
}

// --- Item 21: async coalesced webhooks, headers, signature ---

std::vector<WebhookDelivery> with_topic(const std::vector<WebhookDelivery>& all,
                                        const std::string& topic) {
  std::vector<WebhookDelivery> out;
  for (const auto& d : all) {
    if (d.request.headers.get("X-WC-Webhook-Topic") == topic) out.push_back(d);
  }
  return out;
}

TEST(WooCommerceFidelity, Item21_CoalescedDeliveryCarriesCurrentState) {
  auto m = make_store();
  const Instant t0 = Instant() + Duration::hours(1);
  const PlaceOrderResult order = m->place_order("A", 2, t0);
  ASSERT_TRUE(order.accepted);
  ASSERT_TRUE(m->set_order_status(order.order_id, "on-hold", t0 + Duration::seconds(5)).ok());
  ASSERT_TRUE(m->set_order_status(order.order_id, "completed", t0 + Duration::seconds(9)).ok());
  EXPECT_TRUE(m->take_due_webhooks(t0 + Duration::seconds(59)).empty());
  EXPECT_EQ(m->next_wakeup(), t0 + Duration::seconds(60));
  const auto due = m->take_due_webhooks(t0 + Duration::seconds(70));
  const auto updated = with_topic(due, "order.updated");
  ASSERT_EQ(updated.size(), 1u);  // on-hold and completed collapsed into one delivery
  EXPECT_EQ(json::parse(updated[0].request.body)["status"], "completed");
  const auto created = with_topic(due, "order.created");
  ASSERT_EQ(created.size(), 1u);
  const json o = json::parse(created[0].request.body);
  EXPECT_EQ(o["status"], "completed");  // built at delivery time, not at event time
  EXPECT_EQ(o["line_items"][0]["sku"], "A");
  EXPECT_EQ(o["line_items"][0]["variation_id"], 0);
  EXPECT_TRUE(o["line_items"][0]["price"].is_number());
  EXPECT_EQ(with_topic(due, "product.updated").size(), 1u);
  EXPECT_GE(m->stats()["webhooks_coalesced"], 1);
}

TEST(WooCommerceFidelity, Item21_WebhookHeaders) {
  auto m = make_store();
  const Instant t0 = Instant() + Duration::seconds(100);
  ASSERT_TRUE(m->place_order("T-M", 1, t0).accepted);
  const auto due = m->take_due_webhooks(t0 + Duration::minutes(5));
  const auto created = with_topic(due, "order.created");
  ASSERT_EQ(created.size(), 1u);
  const HttpRequest& r = created[0].request;
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/webhooks/woocommerce");
  EXPECT_EQ(r.timeout, Duration::seconds(60));
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(r.headers.get("User-Agent"), "WooCommerce/9.9.5 Hookshot (WordPress/6.8.2)");
  EXPECT_EQ(r.headers.get("X-WC-Webhook-Source"), "https://shop.example/");
  EXPECT_EQ(r.headers.get("X-WC-Webhook-Resource"), "order");
  EXPECT_EQ(r.headers.get("X-WC-Webhook-Event"), "created");
  EXPECT_EQ(r.headers.get("X-WC-Webhook-ID"), "1");
  const std::string delivery(r.headers.get("X-WC-Webhook-Delivery-ID").value_or(""));
  EXPECT_EQ(delivery.size(), 32u);
  EXPECT_EQ(delivery.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(r.headers.get("X-WC-Webhook-Signature"),
            base::base64_encode(base::hmac_sha256("invsync-woo-secret", r.body)));
  const json o = json::parse(r.body);
  EXPECT_EQ(o["line_items"][0]["variation_id"], id_of(*m, "T-M", "variation_id"));
  EXPECT_EQ(o["date_created_gmt"], "2026-01-01T00:01:40");
  EXPECT_EQ(o["date_created"], "2025-12-31T19:01:40");                       // site offset -05:00
  EXPECT_NE(r.body.find("https:\\/\\/shop.example\\/"), std::string::npos);  // wp_json_encode
  // Two deliveries of one webhook in the same second share a Delivery-ID (wp_hash(id . time)).
  ASSERT_TRUE(m->place_order("A", 1, t0 + Duration::minutes(6)).accepted);
  const auto later =
      with_topic(m->take_due_webhooks(t0 + Duration::minutes(7) + Duration::milliseconds(300)),
                 "order.created");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_NE(later[0].request.headers.get("X-WC-Webhook-Delivery-ID"), delivery);
}

TEST(WooCommerceFidelity, Item21_DeliveryIdRepeatsWithinOneSecond) {
  WooCommerceMockConfig c = test_config();
  c.delivery_delay = Duration::zero();
  auto m = make_store(c);
  const Instant t = Instant() + Duration::seconds(10);
  ASSERT_TRUE(m->place_order("A", 1, t).accepted);
  ASSERT_TRUE(m->place_order("A", 1, t + Duration::milliseconds(500)).accepted);
  const auto created = with_topic(m->take_due_webhooks(t + Duration::seconds(1)), "order.created");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].request.headers.get("X-WC-Webhook-Delivery-ID"),
            created[1].request.headers.get("X-WC-Webhook-Delivery-ID"));
  EXPECT_NE(created[0].delivery_id, created[1].delivery_id);
}

TEST(WooCommerceFidelity, Item21_SignatureVerifiesWithOpensslCli) {
  WooCommerceMockConfig c = test_config();
  c.webhook_secret = "plainSecret123";
  auto m = make_store(c);
  ASSERT_TRUE(m->place_order("A", 1, Instant()).accepted);
  const auto due = m->take_due_webhooks(Instant() + Duration::minutes(2));
  ASSERT_FALSE(due.empty());
  for (const WebhookDelivery& d : due) {
    EXPECT_EQ(openssl_hmac("sha256", "plainSecret123", d.request.body),
              d.request.headers.get("X-WC-Webhook-Signature"));
  }
}

// --- Item 22: success range, no retry, disable on the 7th failure ---

TEST(WooCommerceFidelity, Item22_NoRetryAndSeventhConsecutiveFailureDisables) {
  WooCommerceMockConfig c = test_config();
  c.topics = {"product.updated"};
  auto m = make_store(c);
  const std::string a = "/products/" + std::to_string(id_of(*m, "A", "product_id"));
  Instant t = Instant();
  auto deliver_one = [&](int32_t status) {
    call(*m, "PUT", a, R"({"stock_quantity":3})", t);
    const auto due = m->take_due_webhooks(t + Duration::minutes(1));
    EXPECT_EQ(due.size(), 1u);
    for (const auto& d : due) m->on_webhook_result(d.delivery_id, status, t + Duration::minutes(1));
    t += Duration::minutes(20);
  };
  for (int32_t ok : {200, 201, 204, 300, 301, 302}) deliver_one(ok);
  EXPECT_EQ(m->webhook(1)->failure_count, 0);
  for (int i = 0; i < 5; ++i) deliver_one(i % 2 == 0 ? 500 : 0);
  EXPECT_EQ(m->webhook(1)->failure_count, 5);
  deliver_one(302);  // a success resets the counter
  EXPECT_EQ(m->webhook(1)->failure_count, 0);
  EXPECT_TRUE(m->take_due_webhooks(t + Duration::hours(24)).empty());  // failures never retried
  for (int i = 0; i < 6; ++i) deliver_one(i == 0 ? 303 : 404);
  EXPECT_EQ(m->webhook(1)->status, "active");
  // The 7th failure disables; a delivery queued before that is still attempted.
  call(*m, "PUT", a, R"({"stock_quantity":4})", t);
  auto seventh = m->take_due_webhooks(t + Duration::minutes(1));
  const std::string b = "/products/" + std::to_string(id_of(*m, "B", "product_id"));
  call(*m, "PUT", b, R"({"stock_quantity":4})", t + Duration::minutes(1));
  ASSERT_EQ(seventh.size(), 1u);
  m->on_webhook_result(seventh[0].delivery_id, 0, t + Duration::minutes(1));
  EXPECT_EQ(m->webhook(1)->status, "disabled");
  EXPECT_EQ(m->stats()["webhook_disabled"], 1);
  EXPECT_EQ(m->take_due_webhooks(t + Duration::minutes(3)).size(), 1u);  // queued one still sent
  call(*m, "PUT", a, R"({"stock_quantity":5})", t + Duration::minutes(4));
  EXPECT_TRUE(m->take_due_webhooks(t + Duration::hours(1)).empty());
  EXPECT_EQ(m->stats()["webhooks_failed"], 12);
  ASSERT_TRUE(m->set_webhook_status(1, "active").ok());
  call(*m, "PUT", a, R"({"stock_quantity":6})", t + Duration::hours(2));
  EXPECT_EQ(m->take_due_webhooks(t + Duration::hours(3)).size(), 1u);
}

// --- Item 23: ping ---

TEST(WooCommerceFidelity, Item23_CreatingAWebhookSendsUnsignedPing) {
  auto m = make_store();
  const Instant t = Instant() + Duration::seconds(3);
  auto id = m->create_webhook("order.updated", t);
  ASSERT_TRUE(id.ok());
  const auto due = m->take_due_webhooks(t);
  ASSERT_EQ(due.size(), 1u);
  const HttpRequest& r = due[0].request;
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "webhook_id=" + std::to_string(*id));
  EXPECT_EQ(r.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  for (const auto& [name, value] : r.headers.entries()) {
    EXPECT_FALSE(name.starts_with("X-WC-")) << name;
  }
  m->on_webhook_result(due[0].delivery_id, 204, t);  // only exactly 200 passes
  EXPECT_EQ(m->stats()["pings_failed"], 1);
  EXPECT_EQ(m->webhook(*id)->status, "active");  // REST ignores the ping result
  EXPECT_FALSE(m->create_webhook("coupon.created", t).ok());
  WooCommerceMockConfig c = test_config();
  c.ping_on_construction = true;
  WooCommerceMock pinged(c, 1);
  EXPECT_EQ(pinged.take_due_webhooks(Instant()).size(), 3u);
}

// --- Item 24: order status transitions and refunds ---

TEST(WooCommerceFidelity, Item24_StatusTransitionsReduceOnceAndRestore) {
  auto m = make_store();
  const PlaceOrderResult o = m->place_order("A", 2, Instant());
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(m->counts()["A"], 3);
  ASSERT_TRUE(m->set_order_status(o.order_id, "on-hold", Instant()).ok());
  ASSERT_TRUE(m->set_order_status(o.order_id, "completed", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 3);  // reduced once only
  ASSERT_TRUE(m->set_order_status(o.order_id, "pending", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 5);
  ASSERT_TRUE(m->set_order_status(o.order_id, "processing", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 3);
  ASSERT_TRUE(m->set_order_status(o.order_id, "failed", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 3);  // failed does not restore
  ASSERT_TRUE(m->cancel_order(o.order_id, Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 5);
  ASSERT_TRUE(m->set_order_status(o.order_id, "cancelled", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 5);
  EXPECT_TRUE(m->accepted_orders()[0].cancelled);
  const PlaceOrderResult r = m->place_order("A", 1, Instant());
  ASSERT_TRUE(m->set_order_status(r.order_id, "refunded", Instant()).ok());
  EXPECT_EQ(m->counts()["A"], 4);  // refunded does not restore
  EXPECT_EQ(m->order(r.order_id)->refunds.size(), 1u);
  EXPECT_FALSE(m->set_order_status(r.order_id, "shipped", Instant()).ok());
  // Admin/API status change over REST.
  const HttpResponse put = call(*m, "PUT", "/orders/" + o.order_id, R"({"status":"processing"})");
  EXPECT_EQ(body_of(put)["status"], "processing");
  EXPECT_EQ(m->counts()["A"], 2);
  expect_error(call(*m, "GET", "/orders/1"), 404, "woocommerce_rest_shop_order_invalid_id");
}

TEST(WooCommerceFidelity, Item24_RefundsRestockOnlyWithApiRestockAndEmitEvents) {
  auto m = make_store();
  const PlaceOrderResult o = m->place_order("T-S", 3, Instant());
  ASSERT_TRUE(o.accepted);
  (void)m->take_due_webhooks(Instant() + Duration::hours(1));
  const Instant t = Instant() + Duration::hours(2);
  ASSERT_TRUE(m->refund_order(o.order_id, 1, false, t).ok());
  EXPECT_EQ(m->counts()["T-S"], 0);
  ASSERT_TRUE(m->refund_order(o.order_id, 1, true, t).ok());
  EXPECT_EQ(m->counts()["T-S"], 1);
  EXPECT_FALSE(m->refund_order(o.order_id, 2, true, t).ok());
  ASSERT_TRUE(m->refund_order(o.order_id, 1, true, t).ok());
  EXPECT_EQ(m->counts()["T-S"], 2);
  EXPECT_EQ(m->order(o.order_id)->status, "refunded");
  ASSERT_TRUE(m->cancel_order(o.order_id, t).ok());
  // wc_increase_stock_levels puts back what _reduced_stock still holds (the un-restocked item).
  EXPECT_EQ(m->counts()["T-S"], 3);
  const auto due = m->take_due_webhooks(t + Duration::hours(1));
  const auto updated = with_topic(due, "order.updated");
  ASSERT_EQ(updated.size(), 1u);
  const json body = json::parse(updated[0].request.body);
  EXPECT_EQ(body["status"], "cancelled");
  EXPECT_EQ(body["refunds"].size(), 3u);
  EXPECT_EQ(with_topic(due, "product.updated").size(), 1u);
}

// --- storefront, determinism, strict config ---

TEST(WooCommerceMock, StorefrontRefusesBeyondOwnStock) {
  auto m = make_store();
  EXPECT_FALSE(m->place_order("B", 1, Instant()).accepted);
  EXPECT_FALSE(m->place_order("A", 6, Instant()).accepted);
  EXPECT_FALSE(m->place_order("ZZZ", 1, Instant()).accepted);
  const PlaceOrderResult ok = m->place_order("A", 5, Instant());
  EXPECT_TRUE(ok.accepted);
  EXPECT_EQ(m->counts()["A"], 0);
  EXPECT_EQ(body_of(call(*m, "GET", "/products?sku=A"))[0]["stock_status"], "outofstock");
  ASSERT_EQ(m->accepted_orders().size(), 1u);
  EXPECT_EQ(m->accepted_orders()[0].order_id, ok.order_id);
  EXPECT_EQ(m->external_ids_json("A"), R"({"product_id":100,"variation_id":0})");
  EXPECT_EQ(m->external_ids_json("T-S"), R"({"product_id":102,"variation_id":103})");
  EXPECT_EQ(m->stats()["orders"], 1);
}

TEST(WooCommerceMock, BodiesAreEscapedLikeWpJsonEncode) {
  // wp_json_encode without JSON_UNESCAPED_SLASHES / JSON_UNESCAPED_UNICODE: "/" as "\/", DEL and
  // non-ASCII as \uXXXX (a UTF-16 pair above the BMP), quotes and control characters as JSON has.
  auto m = make_store();
  const std::string a = std::to_string(id_of(*m, "A", "product_id"));
  const HttpResponse r =
      call(*m, "PUT", "/products/" + a, R"({"name":"A/\u00e9\ud83d\ude00\u007f\"\u0001"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("name":"A\/\u00e9\ud83d\ude00\u007f\"\u0001")"), std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find(R"("href":"https:\/\/shop.example\/wp-json\/wc\/v3\/products\/)" + a + "\""),
      std::string::npos)
      << r.body;
  EXPECT_EQ(body_of(r)["name"], "A/\u00e9\U0001F600\x7f\"\x01");
}

std::string transcript(uint64_t seed) {
  auto m = make_store(test_config(), seed);
  EXPECT_TRUE(m->set_faults_json(R"({"php_warning_percent":30,"challenge_page_percent":20,
      "put_501_percent":30,"webhook_duplicate_percent":50,"latency_ms_jitter":100})")
                  .ok());
  std::string out;
  auto dump_req = [&](const HttpRequest& r) {
    for (const auto& [k, v] : r.headers.entries()) out += k + ": " + v + "\n";
    out += r.body + "\n";
  };
  for (int i = 0; i < 30; ++i) {
    const Instant t = Instant() + Duration::seconds(37 * i);
    out += std::to_string(m->network(t).latency.ms()) + "\n";
    const HttpResponse r = call(*m, i % 3 == 0 ? "PUT" : "GET", "/products/100",
                                R"({"stock_quantity":)" + std::to_string(i) + "}", t);
    out += std::to_string(r.status) + " " + r.body + "\n";
    const PlaceOrderResult o = m->place_order(i % 2 == 0 ? "T-S" : "A", 1, t);
    out += o.order_id + o.reason + "\n";
    for (const auto& d : m->take_due_webhooks(t)) {
      out += d.delivery_id + "\n";
      dump_req(d.request);
      m->on_webhook_result(d.delivery_id, i % 4 == 0 ? 500 : 200, t);
    }
  }
  return out;
}

TEST(WooCommerceMock, SameSeedSameInputsGiveIdenticalTranscripts) {
  const std::string a = transcript(99);
  EXPECT_EQ(a, transcript(99));
  EXPECT_NE(a, transcript(100));
  EXPECT_NE(a.find("X-WC-Webhook-Signature"), std::string::npos);
}

TEST(WooCommerceMock, BadConfigNamesTheKeyPath) {
  auto r = base::JsonReader::parse(
      R"({"keys":[{"consumer_key":"ck","consumer_secret":"cs","permissions":"admin"}]})",
      "$.woocommerce");
  WooCommerceMockConfig c;
  base::Status st = parse_woocommerce_mock_config(r, &c);
  EXPECT_NE(st.message().find("$.woocommerce.keys[0].permissions"), std::string::npos)
      << st.message();
  auto t = base::JsonReader::parse(R"({"topics":["order.created","coupon.created"]})");
  EXPECT_NE(parse_woocommerce_mock_config(t, &c).message().find("$.topics[1]"), std::string::npos);
  auto u = base::JsonReader::parse(R"({"https":true,"bogus":1})");
  EXPECT_EQ(parse_woocommerce_mock_config(u, &c).message(), "$.bogus: unknown key");
  auto good = base::JsonReader::parse(
      R"({"https":false,"home_url":"http://x.test/","delivery_delay_s":5,"topics":["order.created"],
          "keys":[{"consumer_key":"ck_1","consumer_secret":"cs_1","permissions":"read"}]})");
  ASSERT_TRUE(parse_woocommerce_mock_config(good, &c).ok());
  EXPECT_FALSE(c.https);
  EXPECT_EQ(c.delivery_delay, Duration::seconds(5));
  EXPECT_EQ(c.keys.at(0).permissions, "read");
}

TEST(WooCommerceMock, BadFaultsNameTheKeyAndChangeNothing) {
  auto m = make_store();
  ASSERT_TRUE(m->set_faults_json(R"({"php_warning_percent":100})").ok());
  base::Status st = m->set_faults_json(R"({"challenge_page_percent":101})");
  EXPECT_NE(st.message().find("$.faults.challenge_page_percent"), std::string::npos);
  st = m->set_faults_json(R"({"strip_authorization":true,"nope":1})");
  EXPECT_EQ(st.message(), "$.faults.nope: unknown key");
  const HttpResponse r = call(*m, "GET", "/products/100");
  EXPECT_TRUE(r.body.starts_with("<br />"));  // the old faults are still in force
}

}  // namespace
}  // namespace invsync::mocks
