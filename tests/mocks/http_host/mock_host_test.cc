// Tests of the invsync-mock executable over real HTTP: each test starts the binary as a child
// process with a JSON config in a temp dir, reads the bound ports from its stdout, talks to the
// platform mocks and the control API with cpp-httplib clients on 127.0.0.1, receives webhooks on
// an httplib::Server of its own, and stops the process with SIGTERM in TearDown (checking that it
// exits 0). Every wait is bounded.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/base/crypto.h"
#include "tests/testutil/child_process.h"
#include "tests/testutil/free_port.h"
#include "tests/testutil/temp_dir.h"

#ifndef INVSYNC_MOCK_BINARY
#error "INVSYNC_MOCK_BINARY must name the invsync-mock executable"
#endif

namespace invsync::mocks {
namespace {

using json = nlohmann::json;
using testutil::ChildProcess;
using testutil::free_port;
using testutil::TempDir;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStartTimeout{20'000};    // until the ports line is printed
constexpr milliseconds kExitTimeout{10'000};     // after SIGTERM, or for a config error
constexpr milliseconds kWebhookTimeout{10'000};  // until a delivery reaches the receiver

// Credentials and ids the tests put into the mock configs (so they are known here).
constexpr const char* kShopifyToken = "shpat_http_host_test";
constexpr const char* kShopifySecret = "shpss_http_host_test_secret";
constexpr int64_t kShopifyLocation = 655441491;
constexpr const char* kAmazonRefresh = "Atzr|http-host-test-refresh";
constexpr const char* kAmazonRefreshForm = "Atzr%7Chttp-host-test-refresh";
constexpr const char* kAmazonClientId = "amzn1.application-oa2-client.httphost";
constexpr const char* kAmazonClientSecret = "http-host-client-secret";
constexpr const char* kAmazonSeller = "A3HTTPHOSTTEST";
constexpr const char* kAmazonMarketplace = "A1F83G8C2ARO7P";
constexpr const char* kEtsyKeystring = "httphostkeystring000etsy";
constexpr const char* kEtsySecret = "httphostsharedsecret";
constexpr const char* kEtsyRefresh = "73737373.http-host-test-refresh";
constexpr int64_t kEtsyShop = 42'424'242;
constexpr const char* kWooKey = "ck_http_host_test";
constexpr const char* kWooSecret = "cs_http_host_test";
constexpr const char* kWooWebhookSecret = "woo-http-host-secret";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One webhook as the receiver got it (header names lower-cased).
struct Delivery {
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
  }
};

// The webhook receiver: an httplib::Server on an ephemeral loopback port, in its own thread.
class WebhookReceiver {
 public:
  WebhookReceiver() = default;
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;
  ~WebhookReceiver() { stop(); }

  bool start() {
    server_.set_tcp_nodelay(true);
    server_.set_read_timeout(5, 0);
    server_.set_write_timeout(5, 0);
    server_.set_keep_alive_timeout(1);
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Delivery d{req.path, {}, req.body};
      for (const auto& [k, v] : req.headers) d.headers[lower(k)] = v;
      {
        std::lock_guard lock(mu_);
        deliveries_.push_back(std::move(d));
      }
      cv_.notify_all();
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    return true;
  }

  void stop() {
    if (!thread_.joinable()) return;
    const auto deadline = Clock::now() + milliseconds(5'000);
    while (!server_.is_running() && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(1));
    }
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The first delivery to `path` for which `match` holds, waiting at most `timeout`.
  std::optional<Delivery> wait_for(const std::string& path,
                                   const std::function<bool(const Delivery&)>& match,
                                   milliseconds timeout) {
    std::unique_lock lock(mu_);
    std::optional<Delivery> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const Delivery& d : deliveries_) {
        if (d.path == path && match(d)) {
          found = d;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Delivery> deliveries_;
};

// A loopback client with Nagle off and explicit timeouts; targets are sent exactly as given.
std::unique_ptr<httplib::Client> client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_tcp_nodelay(true);
  c->set_connection_timeout(2, 0);
  c->set_read_timeout(10, 0);
  c->set_write_timeout(10, 0);
  c->set_url_encode(false);
  return c;
}

std::string hmac_base64(const std::string& secret, const std::string& body) {
  return base::base64_encode(base::hmac_sha256(secret, body));
}

json parse_or_null(const std::string& text) { return json::parse(text, nullptr, false); }

// --- platform configs with credentials known to the tests ---

json shopify_platform() {
  return {{"config",
           {{"access_tokens",
             {{{"token", kShopifyToken},
               {"scopes", {"read_inventory", "write_inventory", "read_products", "read_orders"}}}}},
            {"app_secret", kShopifySecret},
            {"location_id", kShopifyLocation},
            {"webhook_target", "/hooks/shopify"}}},
          {"catalog", {{{"sku", "HTTP-TEE"}, {"quantity", 7}, {"group", "tee"}}}}};
}

json amazon_platform() {
  return {{"config",
           {{"seller_id", kAmazonSeller},
            {"marketplace_id", kAmazonMarketplace},
            {"lwa_client_id", kAmazonClientId},
            {"lwa_client_secret", kAmazonClientSecret},
            {"refresh_tokens", {kAmazonRefresh}}}},
          {"catalog", {{{"sku", "AMZ-MUG"}, {"quantity", 4}}}},
          {"faults", {{"apply_lag_ms", 0}, {"not_applied_percent", 0}}}};
}

json etsy_platform() {
  return {{"config",
           {{"shop_id", kEtsyShop},
            {"keystring", kEtsyKeystring},
            {"shared_secret", kEtsySecret},
            {"receipt_visibility_delay_ms", 0},
            {"oauth", {{"initial_refresh_tokens", {kEtsyRefresh}}}}}},
          {"catalog", {{{"sku", "ETSY-PRINT"}, {"quantity", 6}}}}};
}

json woocommerce_platform() {
  return {{"config",
           {{"keys", {{{"consumer_key", kWooKey}, {"consumer_secret", kWooSecret}}}},
            {"webhook_secret", kWooWebhookSecret},
            {"webhook_target", "/hooks/woo"},
            {"delivery_delay_s", 0}}},
          {"catalog", {{{"sku", "WOO-CAP"}, {"quantity", 8}}}}};
}

class MockHostHttp : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  void TearDown() override {
    if (process_.running()) {
      const std::optional<int> status = process_.terminate();
      EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
          << "invsync-mock did not exit 0 on SIGTERM; stderr: " << stderr_text();
    }
    receiver_.stop();
  }

  std::string stderr_path() const { return dir_.file("stderr.txt"); }
  std::string stderr_text() const { return read_text(stderr_path()); }

  void start_receiver() { ASSERT_TRUE(receiver_.start()); }

  // Writes `config` and starts invsync-mock on it; fills ports_ from its first stdout line.
  void start_host(const json& config) {
    const std::string path = dir_.file("config.json");
    std::ofstream(path) << config.dump(2);
    ASSERT_TRUE(process_.spawn(INVSYNC_MOCK_BINARY, {path}, {}, stderr_path()))
        << INVSYNC_MOCK_BINARY;
    const std::optional<std::string> line = process_.read_line(kStartTimeout);
    ASSERT_TRUE(line.has_value()) << "no ports line; stderr: " << stderr_text();
    const json ports = parse_or_null(*line);
    ASSERT_TRUE(ports.is_object()) << *line;
    for (const auto& [name, port] : ports.items()) {
      ASSERT_TRUE(port.is_number_integer()) << *line;
      ports_[name] = port.get<int>();
      EXPECT_GT(ports_[name], 0) << name;
    }
    ASSERT_EQ(ports_.count("control"), 1u) << *line;
  }

  // Runs invsync-mock on `args` and waits for it to exit by itself: its wait status.
  std::optional<int> run_to_exit(const std::vector<std::string>& args) {
    if (!process_.spawn(INVSYNC_MOCK_BINARY, args, {}, stderr_path())) return std::nullopt;
    EXPECT_FALSE(process_.read_line(kExitTimeout).has_value()) << "printed ports";
    return process_.wait_exit(kExitTimeout);
  }

  int port(const std::string& name) {
    auto it = ports_.find(name);
    return it == ports_.end() ? -1 : it->second;
  }
  std::unique_ptr<httplib::Client> platform(const std::string& name) { return client(port(name)); }
  std::unique_ptr<httplib::Client> control() { return client(port("control")); }

  json control_get(const std::string& path) {
    httplib::Result r = control()->Get(path.c_str());
    if (!r) {
      ADD_FAILURE() << path << ": " << httplib::to_string(r.error());
      return json();
    }
    EXPECT_EQ(r->status, 200) << path << ": " << r->body;
    return parse_or_null(r->body);
  }
  json place_order(const std::string& platform_name, const std::string& sku, int64_t quantity) {
    const std::string path = "/control/" + platform_name + "/orders";
    httplib::Result r = control()->Post(
        path.c_str(), json{{"sku", sku}, {"quantity", quantity}}.dump(), "application/json");
    if (!r) {
      ADD_FAILURE() << path << ": " << httplib::to_string(r.error());
      return json();
    }
    EXPECT_EQ(r->status, 200) << r->body;
    return parse_or_null(r->body);
  }
  httplib::Result put_faults(const std::string& platform_name, const std::string& body) {
    const std::string path = "/control/" + platform_name + "/faults";
    return control()->Put(path.c_str(), body, "application/json");
  }
  int64_t truth_count(const std::string& platform_name, const std::string& sku) {
    const json truth = control_get("/control/" + platform_name + "/truth");
    if (!truth.is_object() || !truth["counts"].contains(sku)) {
      ADD_FAILURE() << "no count for " << sku << " in " << truth.dump();
      return -1;
    }
    return truth["counts"][sku].get<int64_t>();
  }

  TempDir dir_{"invsync-mock-test"};
  ChildProcess process_{kExitTimeout};
  WebhookReceiver receiver_;
  std::map<std::string, int> ports_;
};

// --- 1. Shopify ---

httplib::Headers shopify_headers() {
  return {{"X-Shopify-Access-Token", kShopifyToken}, {"Accept", "application/json"}};
}

TEST_F(MockHostHttp, ShopifyRestLevelsRateLimitAndSignedOrderWebhookOverHttp) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  ASSERT_NO_FATAL_FAILURE(start_host({{"seed", 11},
                                      {"webhook_receiver_url", receiver_.url()},
                                      {"webhook_poll_ms", 10},
                                      {"platforms", {{"shopify", shopify_platform()}}}}));
  auto shop = platform("shopify");
  const std::string base = "/admin/api/2026-01/inventory_levels.json";

  // The location's levels give the inventory item id; then the documented filter by item id.
  httplib::Result all = shop->Get(
      (base + "?location_ids=" + std::to_string(kShopifyLocation)).c_str(), shopify_headers());
  ASSERT_TRUE(all) << httplib::to_string(all.error());
  ASSERT_EQ(all->status, 200) << all->body;
  EXPECT_EQ(all->get_header_value("X-Shopify-Shop-Api-Call-Limit"), "1/40");
  const json levels = parse_or_null(all->body);
  ASSERT_EQ(levels["inventory_levels"].size(), 1u) << all->body;
  const int64_t item = levels["inventory_levels"][0]["inventory_item_id"].get<int64_t>();

  httplib::Result one =
      shop->Get((base + "?inventory_item_ids=" + std::to_string(item)).c_str(), shopify_headers());
  ASSERT_TRUE(one) << httplib::to_string(one.error());
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_TRUE(one->has_header("X-Shopify-Shop-Api-Call-Limit"));
  const json level = parse_or_null(one->body)["inventory_levels"];
  ASSERT_EQ(level.size(), 1u) << one->body;
  EXPECT_EQ(level[0]["inventory_item_id"], item);
  EXPECT_EQ(level[0]["location_id"], kShopifyLocation);
  EXPECT_EQ(level[0]["available"], 7);

  // A wrong token is refused (and tells nothing about the shop).
  httplib::Result denied = shop->Get((base + "?inventory_item_ids=" + std::to_string(item)).c_str(),
                                     httplib::Headers{{"X-Shopify-Access-Token", "shpat_wrong"}});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);

  // The REST bucket holds 40 and leaks 2/s: immediate requests fill it and the next gets a 429.
  // (The bucket leaks in real time here, so the first 429 may come a request or two late.)
  int first_429 = 0;
  httplib::Headers limited_headers;
  for (int n = 4; n <= 60 && first_429 == 0; ++n) {
    httplib::Result r = shop->Get((base + "?inventory_item_ids=" + std::to_string(item)).c_str(),
                                  shopify_headers());
    ASSERT_TRUE(r) << n << ": " << httplib::to_string(r.error());
    if (r->status == 429) {
      first_429 = n;
      limited_headers = r->headers;
      EXPECT_NE(r->body.find("Exceeded 2 calls per second"), std::string::npos) << r->body;
    } else {
      ASSERT_EQ(r->status, 200) << n << ": " << r->body;
    }
  }
  ASSERT_GE(first_429, 41) << "throttled before the bucket of 40 was full";
  auto header = [&](const char* name) {
    auto it = limited_headers.find(name);
    return it == limited_headers.end() ? std::string() : it->second;
  };
  EXPECT_EQ(header("X-Shopify-Shop-Api-Call-Limit"), "40/40");
  const std::string retry_after = header("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GT(std::stod(retry_after), 0.0);
  EXPECT_LE(std::stod(retry_after), 1.0);

  // A storefront order through the control API reaches the receiver as a signed orders/create.
  const json order = place_order("shopify", "HTTP-TEE", 2);
  ASSERT_EQ(order["accepted"], true) << order.dump();
  ASSERT_FALSE(order["order_id"].get<std::string>().empty());
  const std::optional<Delivery> hook = receiver_.wait_for(
      "/hooks/shopify",
      [](const Delivery& d) { return d.header("X-Shopify-Topic") == "orders/create"; },
      kWebhookTimeout);
  ASSERT_TRUE(hook.has_value()) << "no orders/create webhook; stderr: " << stderr_text();
  EXPECT_EQ(hook->header("X-Shopify-Hmac-Sha256"), hmac_base64(kShopifySecret, hook->body));
  EXPECT_NE(hook->header("X-Shopify-Hmac-Sha256"), hmac_base64("shpss_wrong", hook->body));
  EXPECT_EQ(hook->header("X-Shopify-Shop-Domain"), "invsync-demo.myshopify.com");
  EXPECT_FALSE(hook->header("X-Shopify-Webhook-Id").empty());
  EXPECT_TRUE(parse_or_null(hook->body).is_object()) << hook->body;
  EXPECT_NE(hook->body.find("HTTP-TEE"), std::string::npos) << hook->body;

  // Ground truth: the platform sold 2 of 7.
  EXPECT_EQ(truth_count("shopify", "HTTP-TEE"), 5);
  const json truth = control_get("/control/shopify/truth");
  ASSERT_EQ(truth["orders"].size(), 1u) << truth.dump();
  EXPECT_EQ(truth["orders"][0]["order_id"], order["order_id"]);
  EXPECT_EQ(truth["orders"][0]["quantity"], 2);
}

// --- 2. Amazon ---

TEST_F(MockHostHttp, AmazonLwaTokenThenPatchQuantityReadsBackAndMatchesTruth) {
  ASSERT_NO_FATAL_FAILURE(
      start_host({{"seed", 12}, {"platforms", {{"amazon", amazon_platform()}}}}));
  auto amazon = platform("amazon");

  const std::string form = std::string("grant_type=refresh_token&refresh_token=") +
                           kAmazonRefreshForm + "&client_id=" + kAmazonClientId +
                           "&client_secret=" + kAmazonClientSecret;
  httplib::Result tok =
      amazon->Post("/auth/o2/token", form, "application/x-www-form-urlencoded;charset=UTF-8");
  ASSERT_TRUE(tok) << httplib::to_string(tok.error());
  ASSERT_EQ(tok->status, 200) << tok->body;
  const json token = parse_or_null(tok->body);
  ASSERT_TRUE(token["access_token"].is_string()) << tok->body;
  EXPECT_EQ(token["token_type"], "bearer");
  const httplib::Headers auth{{"x-amz-access-token", token["access_token"].get<std::string>()}};

  // An unknown refresh token gets no access token.
  httplib::Result bad =
      amazon->Post("/auth/o2/token",
                   std::string("grant_type=refresh_token&refresh_token=Atzr%7Cnope&client_id=") +
                       kAmazonClientId + "&client_secret=" + kAmazonClientSecret,
                   "application/x-www-form-urlencoded;charset=UTF-8");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->status, 200);

  const std::string item = std::string("/listings/2021-08-01/items/") + kAmazonSeller +
                           "/AMZ-MUG?marketplaceIds=" + kAmazonMarketplace;
  const json patch = {
      {"productType", "PRODUCT"},
      {"patches",
       {{{"op", "replace"},
         {"path", "/attributes/fulfillment_availability"},
         {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", 9}}}}}}}};
  httplib::Result patched = amazon->Patch(item.c_str(), auth, patch.dump(), "application/json");
  ASSERT_TRUE(patched) << httplib::to_string(patched.error());
  ASSERT_EQ(patched->status, 200) << patched->body;
  const json accepted = parse_or_null(patched->body);
  EXPECT_EQ(accepted["status"], "ACCEPTED") << patched->body;
  EXPECT_EQ(accepted["sku"], "AMZ-MUG");

  httplib::Result read =
      amazon->Get((item + "&includedData=fulfillmentAvailability").c_str(), auth);
  ASSERT_TRUE(read) << httplib::to_string(read.error());
  ASSERT_EQ(read->status, 200) << read->body;
  const json listing = parse_or_null(read->body);
  ASSERT_TRUE(listing["fulfillmentAvailability"].is_array()) << read->body;
  ASSERT_EQ(listing["fulfillmentAvailability"].size(), 1u) << read->body;
  EXPECT_EQ(listing["fulfillmentAvailability"][0]["fulfillmentChannelCode"], "DEFAULT");
  EXPECT_EQ(listing["fulfillmentAvailability"][0]["quantity"], 9);

  EXPECT_EQ(truth_count("amazon", "AMZ-MUG"), 9);

  // Without the access token the same read is refused.
  httplib::Result anonymous = amazon->Get((item + "&includedData=fulfillmentAvailability").c_str());
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 403) << anonymous->body;
}

// --- 3. Etsy ---

TEST_F(MockHostHttp, EtsyTokenRefreshThenInventoryTreeWithRateLimitHeaders) {
  ASSERT_NO_FATAL_FAILURE(start_host({{"seed", 13}, {"platforms", {{"etsy", etsy_platform()}}}}));
  auto etsy = platform("etsy");
  const std::string api_key = std::string(kEtsyKeystring) + ":" + kEtsySecret;

  httplib::Result tok =
      etsy->Post("/v3/public/oauth/token", httplib::Headers{{"x-api-key", api_key}},
                 std::string("grant_type=refresh_token&client_id=") + kEtsyKeystring +
                     "&refresh_token=" + kEtsyRefresh,
                 "application/x-www-form-urlencoded");
  ASSERT_TRUE(tok) << httplib::to_string(tok.error());
  ASSERT_EQ(tok->status, 200) << tok->body;
  const json token = parse_or_null(tok->body);
  ASSERT_TRUE(token["access_token"].is_string()) << tok->body;
  EXPECT_EQ(token["token_type"], "Bearer");
  ASSERT_TRUE(token["refresh_token"].is_string()) << tok->body;
  EXPECT_NE(token["refresh_token"], kEtsyRefresh);  // rotated
  const httplib::Headers auth{
      {"x-api-key", api_key},
      {"Authorization", "Bearer " + token["access_token"].get<std::string>()}};

  // The listing id comes from the shop's receipts, as an integration would find it.
  ASSERT_EQ(place_order("etsy", "ETSY-PRINT", 1)["accepted"], true);
  const std::string receipts = "/v3/application/shops/" + std::to_string(kEtsyShop) + "/receipts";
  httplib::Result rec = etsy->Get(receipts.c_str(), auth);
  ASSERT_TRUE(rec) << httplib::to_string(rec.error());
  ASSERT_EQ(rec->status, 200) << rec->body;
  const json receipt_list = parse_or_null(rec->body);
  ASSERT_EQ(receipt_list["count"], 1) << rec->body;
  const json& tx = receipt_list["results"][0]["transactions"][0];
  EXPECT_EQ(tx["sku"], "ETSY-PRINT");
  const int64_t listing_id = tx["listing_id"].get<int64_t>();

  const std::string inventory =
      "/v3/application/listings/" + std::to_string(listing_id) + "/inventory";
  httplib::Result inv = etsy->Get(inventory.c_str(), auth);
  ASSERT_TRUE(inv) << httplib::to_string(inv.error());
  ASSERT_EQ(inv->status, 200) << inv->body;
  const json tree = parse_or_null(inv->body);
  ASSERT_TRUE(tree["products"].is_array()) << inv->body;
  ASSERT_EQ(tree["products"].size(), 1u) << inv->body;
  EXPECT_EQ(tree["products"][0]["sku"], "ETSY-PRINT");
  ASSERT_EQ(tree["products"][0]["offerings"].size(), 1u) << inv->body;
  EXPECT_EQ(tree["products"][0]["offerings"][0]["quantity"], 5);  // 6 less the order
  EXPECT_EQ(inv->get_header_value("x-limit-per-second"), "10");
  EXPECT_TRUE(inv->has_header("x-remaining-this-second"));
  EXPECT_EQ(inv->get_header_value("x-limit-per-day"), "10000");
  EXPECT_TRUE(inv->has_header("x-remaining-today"));
  EXPECT_EQ(truth_count("etsy", "ETSY-PRINT"), 5);

  // Without the app key the API refuses before anything else.
  httplib::Result no_key = etsy->Get(
      inventory.c_str(),
      httplib::Headers{{"Authorization", "Bearer " + token["access_token"].get<std::string>()}});
  ASSERT_TRUE(no_key);
  EXPECT_EQ(no_key->status, 403) << no_key->body;
}

// --- 4. WooCommerce ---

TEST_F(MockHostHttp, WooCommerceSkuLookupBatchStockUpdateAndSignedOrderWebhook) {
  ASSERT_NO_FATAL_FAILURE(start_receiver());
  ASSERT_NO_FATAL_FAILURE(start_host({{"seed", 14},
                                      {"webhook_receiver_url", receiver_.url()},
                                      {"webhook_poll_ms", 10},
                                      {"platforms", {{"woocommerce", woocommerce_platform()}}}}));
  auto woo = platform("woocommerce");
  const std::string auth =
      std::string("consumer_key=") + kWooKey + "&consumer_secret=" + kWooSecret;

  const std::string lookup = "/wp-json/wc/v3/products?sku=WOO-CAP&" + auth;
  httplib::Result found = woo->Get(lookup.c_str());
  ASSERT_TRUE(found) << httplib::to_string(found.error());
  ASSERT_EQ(found->status, 200) << found->body;
  const json products = parse_or_null(found->body);
  ASSERT_TRUE(products.is_array()) << found->body;
  ASSERT_EQ(products.size(), 1u) << found->body;
  EXPECT_EQ(products[0]["sku"], "WOO-CAP");
  EXPECT_EQ(products[0]["stock_quantity"], 8);
  const int64_t id = products[0]["id"].get<int64_t>();

  httplib::Result wrong =
      woo->Get((std::string("/wp-json/wc/v3/products?sku=WOO-CAP&consumer_key=") + kWooKey +
                "&consumer_secret=cs_wrong")
                   .c_str());
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401) << wrong->body;

  const json batch = {{"update", {{{"id", id}, {"stock_quantity", 3}}}}};
  httplib::Result updated = woo->Post(("/wp-json/wc/v3/products/batch?" + auth).c_str(),
                                      batch.dump(), "application/json");
  ASSERT_TRUE(updated) << httplib::to_string(updated.error());
  ASSERT_EQ(updated->status, 200) << updated->body;
  const json result = parse_or_null(updated->body);
  ASSERT_EQ(result["update"].size(), 1u) << updated->body;
  EXPECT_EQ(result["update"][0]["id"], id);
  EXPECT_EQ(result["update"][0]["stock_quantity"], 3);

  httplib::Result again = woo->Get(lookup.c_str());
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(parse_or_null(again->body)[0]["stock_quantity"], 3);
  EXPECT_EQ(truth_count("woocommerce", "WOO-CAP"), 3);

  const json order = place_order("woocommerce", "WOO-CAP", 1);
  ASSERT_EQ(order["accepted"], true) << order.dump();
  const std::optional<Delivery> hook = receiver_.wait_for(
      "/hooks/woo",
      [](const Delivery& d) { return d.header("X-WC-Webhook-Topic") == "order.created"; },
      kWebhookTimeout);
  ASSERT_TRUE(hook.has_value()) << "no order.created webhook; stderr: " << stderr_text();
  EXPECT_EQ(hook->header("X-WC-Webhook-Signature"), hmac_base64(kWooWebhookSecret, hook->body));
  EXPECT_EQ(hook->header("X-WC-Webhook-Resource"), "order");
  EXPECT_EQ(hook->header("X-WC-Webhook-Event"), "created");
  const json payload = parse_or_null(hook->body);
  ASSERT_TRUE(payload.is_object()) << hook->body;
  EXPECT_EQ(std::to_string(payload["id"].get<int64_t>()), order["order_id"].get<std::string>());
  EXPECT_NE(hook->body.find("WOO-CAP"), std::string::npos) << hook->body;
  EXPECT_EQ(truth_count("woocommerce", "WOO-CAP"), 2);
}

// --- 5. Control API ---

TEST_F(MockHostHttp, ControlApiFaultsRejectBadKeysAndDriveHttpOutagesAndRefusedPort) {
  ASSERT_NO_FATAL_FAILURE(start_host(
      {{"seed", 15},
       {"platforms", {{"shopify", shopify_platform()}, {"amazon", amazon_platform()}}}}));
  const std::string target =
      "/admin/api/2026-01/inventory_levels.json?location_ids=" + std::to_string(kShopifyLocation);
  auto shopify_status = [&]() -> int {
    httplib::Result r = platform("shopify")->Get(target.c_str(), shopify_headers());
    return r ? r->status : -1;
  };

  const json health = control_get("/control/health");
  EXPECT_EQ(health["ok"], true);
  EXPECT_EQ(shopify_status(), 200);

  // Bad fault JSON: 400 with the offending key's path; nothing changes.
  httplib::Result unknown = put_faults("shopify", R"({"outage":"http_503","bogus_knob":1})");
  ASSERT_TRUE(unknown) << httplib::to_string(unknown.error());
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(unknown->body.find("$.bogus_knob"), std::string::npos) << unknown->body;
  httplib::Result bad_value = put_faults("shopify", R"({"outage":"sometimes"})");
  ASSERT_TRUE(bad_value);
  EXPECT_EQ(bad_value->status, 400);
  EXPECT_NE(bad_value->body.find("$.outage"), std::string::npos) << bad_value->body;
  httplib::Result not_json = put_faults("shopify", "{outage");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400) << not_json->body;
  EXPECT_EQ(shopify_status(), 200);
  httplib::Result nowhere = put_faults("ebay", "{}");
  ASSERT_TRUE(nowhere);
  EXPECT_EQ(nowhere->status, 404);

  // An HTTP outage: nginx-style 503 HTML, on this platform only.
  httplib::Result set503 = put_faults("shopify", R"({"outage":"http_503"})");
  ASSERT_TRUE(set503);
  ASSERT_EQ(set503->status, 200) << set503->body;
  httplib::Result page = platform("shopify")->Get(target.c_str(), shopify_headers());
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 503);
  EXPECT_EQ(page->get_header_value("Content-Type").rfind("text/html", 0), 0u)
      << page->get_header_value("Content-Type");
  EXPECT_NE(page->body.find("<html>"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("503"), std::string::npos) << page->body;
  httplib::Result amazon_ok = platform("amazon")->Post(
      "/auth/o2/token",
      std::string("grant_type=refresh_token&refresh_token=") + kAmazonRefreshForm +
          "&client_id=" + kAmazonClientId + "&client_secret=" + kAmazonClientSecret,
      "application/x-www-form-urlencoded;charset=UTF-8");
  ASSERT_TRUE(amazon_ok);
  EXPECT_EQ(amazon_ok->status, 200) << amazon_ok->body;

  // "refused": the platform's port is closed, so the client gets no HTTP response at all.
  httplib::Result refuse = put_faults("shopify", R"({"outage":"refused"})");
  ASSERT_TRUE(refuse) << httplib::to_string(refuse.error());
  ASSERT_EQ(refuse->status, 200) << refuse->body;
  httplib::Result gone = platform("shopify")->Get(target.c_str(), shopify_headers());
  ASSERT_FALSE(gone) << "got HTTP " << gone->status;
  EXPECT_EQ(gone.error(), httplib::Error::Connection) << httplib::to_string(gone.error());
  // Setting the same outage again keeps it closed (no double stop).
  httplib::Result refuse_again = put_faults("shopify", R"({"outage":"refused"})");
  ASSERT_TRUE(refuse_again);
  EXPECT_EQ(refuse_again->status, 200) << refuse_again->body;
  EXPECT_EQ(shopify_status(), -1);

  // Lifting every fault reopens the same port.
  httplib::Result lift = put_faults("shopify", "{}");
  ASSERT_TRUE(lift) << httplib::to_string(lift.error());
  ASSERT_EQ(lift->status, 200) << lift->body;
  EXPECT_EQ(shopify_status(), 200);
  // Lifting again while listening is harmless.
  httplib::Result lift_again = put_faults("shopify", "{}");
  ASSERT_TRUE(lift_again);
  EXPECT_EQ(lift_again->status, 200) << lift_again->body;
  EXPECT_EQ(shopify_status(), 200);

  const json stats = control_get("/control/shopify/stats");
  ASSERT_TRUE(stats.is_object()) << stats.dump();
  EXPECT_GE(stats.value("requests", int64_t{0}), 4) << stats.dump();
  httplib::Result unknown_platform = control()->Get("/control/ebay/truth");
  ASSERT_TRUE(unknown_platform);
  EXPECT_EQ(unknown_platform->status, 404);
  httplib::Result bad_order =
      control()->Post("/control/shopify/orders", R"({"sku":"HTTP-TEE"})", "application/json");
  ASSERT_TRUE(bad_order);
  EXPECT_EQ(bad_order->status, 400) << bad_order->body;
}

// --- 6. Config errors ---

TEST_F(MockHostHttp, ConfigErrorsExit2NamingTheKeyPath) {
  struct Case {
    json config;
    std::string path;
  };
  const std::vector<Case> cases = {
      {{{"platforms", {{"shopify", {{"config", {{"bogus", 1}}}}}}}},
       "$.platforms.shopify.config.bogus"},
      {{{"sede", 1}, {"platforms", json::object()}}, "$.sede"},
      {{{"seed", -3}}, "$.seed"},
      {{{"platforms", {{"amazon", {{"catalog", {{{"sku", "A"}, {"quantity", "lots"}}}}}}}}},
       "$.platforms.amazon.catalog[0].quantity"},
      {{{"platforms", {{"etsy", {{"config", {{"oauth", {{"lifetime", 1}}}}}}}}}},
       "$.platforms.etsy.config.oauth.lifetime"},
      {{{"platforms", {{"woocommerce", {{"faults", {{"outage", "maybe"}}}}}}}},
       "$.platforms.woocommerce.faults"},
      {{{"platforms", {{"shopify", {{"port", 70000}}}}}}, "$.platforms.shopify.port"},
      {{{"platforms", {{"ebay", json::object()}}}}, "ebay"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.config.dump());
    const std::string path = dir_.file("bad" + std::to_string(n++) + ".json");
    std::ofstream(path) << c.config.dump();
    const std::optional<int> status = run_to_exit({path});
    ASSERT_TRUE(status.has_value()) << "invsync-mock did not exit on a bad config";
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 2);
    EXPECT_NE(stderr_text().find(c.path), std::string::npos) << stderr_text();
  }
  // Not JSON at all.
  const std::string broken = dir_.file("broken.json");
  std::ofstream(broken) << R"({"seed": 1,)";
  std::optional<int> status = run_to_exit({broken});
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_FALSE(stderr_text().empty());
  // A missing file.
  const std::string missing = dir_.file("no-such-config.json");
  status = run_to_exit({missing});
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_NE(stderr_text().find(missing), std::string::npos) << stderr_text();
  // No config argument.
  status = run_to_exit({});
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_NE(stderr_text().find("usage"), std::string::npos) << stderr_text();
}

// --- 7. Given ports, all four platforms in one host ---

TEST_F(MockHostHttp, GivenPortsAreHonouredAndAllFourPlatformsServe) {
  const int shopify_port = free_port();
  int control_port = free_port();
  for (int i = 0; i < 10 && control_port == shopify_port; ++i) control_port = free_port();
  ASSERT_GT(shopify_port, 0);
  ASSERT_GT(control_port, 0);
  ASSERT_NE(shopify_port, control_port);
  json shopify = shopify_platform();
  shopify["port"] = shopify_port;
  ASSERT_NO_FATAL_FAILURE(start_host({{"seed", 16},
                                      {"control_port", control_port},
                                      {"platforms",
                                       {{"shopify", shopify},
                                        {"amazon", amazon_platform()},
                                        {"etsy", etsy_platform()},
                                        {"woocommerce", woocommerce_platform()}}}}));
  EXPECT_EQ(port("shopify"), shopify_port);
  EXPECT_EQ(port("control"), control_port);
  ASSERT_EQ(ports_.size(), 5u);
  std::set<int> distinct;
  for (const auto& [name, p] : ports_) distinct.insert(p);
  EXPECT_EQ(distinct.size(), 5u);

  EXPECT_EQ(control_get("/control/health")["ok"], true);
  httplib::Result s = platform("shopify")->Get(
      ("/admin/api/2026-01/inventory_levels.json?location_ids=" + std::to_string(kShopifyLocation))
          .c_str(),
      shopify_headers());
  ASSERT_TRUE(s) << httplib::to_string(s.error());
  EXPECT_EQ(s->status, 200) << s->body;
  // Each platform answers in its own way on its own port.
  httplib::Result a = platform("amazon")->Post(
      "/auth/o2/token",
      std::string("grant_type=refresh_token&refresh_token=") + kAmazonRefreshForm +
          "&client_id=" + kAmazonClientId + "&client_secret=" + kAmazonClientSecret,
      "application/x-www-form-urlencoded;charset=UTF-8");
  ASSERT_TRUE(a) << httplib::to_string(a.error());
  EXPECT_EQ(a->status, 200) << a->body;
  httplib::Result e = platform("etsy")->Get("/v3/application/listings/1/inventory");
  ASSERT_TRUE(e) << httplib::to_string(e.error());
  EXPECT_EQ(e->status, 403) << e->body;  // no x-api-key
  httplib::Result w = platform("woocommerce")
                          ->Get((std::string("/wp-json/wc/v3/products?sku=WOO-CAP&consumer_key=") +
                                 kWooKey + "&consumer_secret=" + kWooSecret)
                                    .c_str());
  ASSERT_TRUE(w) << httplib::to_string(w.error());
  EXPECT_EQ(w->status, 200) << w->body;
  for (const char* p : {"shopify", "amazon", "etsy", "woocommerce"}) {
    const json truth = control_get(std::string("/control/") + p + "/truth");
    EXPECT_EQ(truth["counts"].size(), 1u) << p << ": " << truth.dump();
  }
}

}  // namespace
}  // namespace invsync::mocks
