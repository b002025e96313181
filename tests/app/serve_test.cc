// End-to-end tests of `invsync serve` as a real process: a real invsync-mock (Shopify and
// WooCommerce over loopback HTTP), a throwaway PostgreSQL (DATABASE_URL from ./run test; each test
// gets its own INVSYNC_SCHEMA, dropped afterwards) and the real `invsync` executable started with
// a config that points the connectors at the mock and takes secrets from the environment. The
// test sets stock and listings through the admin API, posts a signed Shopify orders/create
// webhook, and checks PostgreSQL, the mock's own counts (control API), /metrics, /healthz, the
// admin token and a clean exit 0 on SIGTERM. Every wait is bounded.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/base/crypto.h"
#include "core/store/pg/pg_store.h"
#include "tests/testutil/child_process.h"
#include "tests/testutil/temp_dir.h"

#ifndef INVSYNC_BINARY
#error "INVSYNC_BINARY must name the invsync executable"
#endif
#ifndef INVSYNC_MOCK_BINARY
#error "INVSYNC_MOCK_BINARY must name the invsync-mock executable"
#endif

namespace invsync::app {
namespace {

using json = nlohmann::json;
using testutil::ChildProcess;
using testutil::TempDir;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStartTimeout{30'000};     // until a process prints its ports line
constexpr milliseconds kExitTimeout{15'000};      // after SIGTERM, or for a config error
constexpr milliseconds kConvergeTimeout{30'000};  // until the mock shows the new count

constexpr const char* kShopifyToken = "shpat_serve_test_token";
constexpr const char* kShopifySecret = "shpss_serve_test_app_secret";
constexpr int64_t kShopifyLocation = 655441491;
constexpr const char* kWooKey = "ck_serve_test";
constexpr const char* kWooSecret = "cs_serve_test";
constexpr const char* kWooWebhookSecret = "woo-serve-test-secret";
constexpr const char* kAdminToken = "serve-test-admin-token-0123456789";
constexpr const char* kSku = "SERVE-TEE";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<httplib::Client> client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_tcp_nodelay(true);
  c->set_connection_timeout(2, 0);
  c->set_read_timeout(15, 0);
  c->set_write_timeout(15, 0);
  c->set_url_encode(false);
  return c;
}

json parse_or_null(const std::string& text) { return json::parse(text, nullptr, false); }

bool exited_with(const std::optional<int>& status, int code) {
  return status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) == code;
}

std::string unique_schema() {
  static std::atomic<int> counter{0};
  return "serve_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

json mock_config() {
  json shopify = {
      {"config",
       {{"access_tokens",
         {{{"token", kShopifyToken},
           {"scopes", {"read_inventory", "write_inventory", "read_products", "read_orders"}}}}},
        {"app_secret", kShopifySecret},
        {"location_id", kShopifyLocation},
        {"webhook_target", "/webhooks/shopify/serve-test"}}},
      {"catalog", {{{"sku", kSku}, {"quantity", 25}}}}};
  json woo = {{"config",
               {{"keys", {{{"consumer_key", kWooKey}, {"consumer_secret", kWooSecret}}}},
                {"webhook_secret", kWooWebhookSecret},
                {"webhook_target", "/webhooks/woocommerce/serve-test"},
                {"delivery_delay_s", 0}}},
              {"catalog", {{{"sku", kSku}, {"quantity", 25}}}}};
  return {{"seed", 7}, {"platforms", {{"shopify", shopify}, {"woocommerce", woo}}}};
}

// The service config: both channels on the mock, secrets by environment variable name.
json serve_config(int shopify_port, int woo_port) {
  const json lane = {{"idle_poll_ms", 100}, {"rate_per_s", 5}, {"burst", 5}};
  const json off = {{"enabled", false}};
  return {
      {"serve",
       {{"listen_address", "127.0.0.1"},
        {"listen_port", 0},
        {"admin_token_env", "SERVE_TEST_ADMIN_TOKEN"},
        {"http_client_threads", 2},
        {"http_server_threads", 4},
        {"lane_lock_retry_ms", 100}}},
      {"channels",
       {{{"id", "shopify:serve-test"},
         {"connector",
          {{"base_url", "http://127.0.0.1:" + std::to_string(shopify_port)},
           {"access_token_env", "SERVE_TEST_SHOPIFY_TOKEN"},
           {"app_secret_env", "SERVE_TEST_SHOPIFY_SECRET"},
           {"location_id", kShopifyLocation}}},
         {"lane", lane},
         {"reconcile", off},
         {"orders_poll", off}},
        {{"id", "woocommerce:serve-test"},
         {"connector",
          {{"base_url", "http://127.0.0.1:" + std::to_string(woo_port)},
           {"consumer_key_env", "SERVE_TEST_WOO_KEY"},
           {"consumer_secret_env", "SERVE_TEST_WOO_SECRET"},
           {"webhook_secret_env", "SERVE_TEST_WOO_WEBHOOK_SECRET"}}},
         {"lane", lane},
         {"reconcile", off},
         {"orders_poll", off}}}}};
}

std::map<std::string, std::string> secrets_env(const std::string& schema) {
  return {{"SERVE_TEST_ADMIN_TOKEN", kAdminToken},
          {"SERVE_TEST_SHOPIFY_TOKEN", kShopifyToken},
          {"SERVE_TEST_SHOPIFY_SECRET", kShopifySecret},
          {"SERVE_TEST_WOO_KEY", kWooKey},
          {"SERVE_TEST_WOO_SECRET", kWooSecret},
          {"SERVE_TEST_WOO_WEBHOOK_SECRET", kWooWebhookSecret},
          {"INVSYNC_SCHEMA", schema}};
}

std::string database_url() {
  const char* v = std::getenv("DATABASE_URL");
  return v == nullptr ? std::string() : std::string(v);
}

class ServeEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    url_ = database_url();
    ASSERT_FALSE(url_.empty())
        << "DATABASE_URL is not set: run through ./run test, or eval \"$(scripts/pg-throwaway "
           "start)\" first";
    schema_ = unique_schema();
  }

  void TearDown() override {
    if (serve_.running()) {
      EXPECT_TRUE(exited_with(serve_.terminate(), 0)) << "serve stderr: " << serve_stderr();
    }
    if (mock_.running()) {
      EXPECT_TRUE(exited_with(mock_.terminate(), 0)) << read_text(dir_.file("mock.err"));
    }
    auto store = store::PgStore::connect({.url = url_, .schema = schema_});
    if (store.ok()) (void)(*store)->drop_schema_for_test();
  }

  std::string serve_stderr() const { return read_text(dir_.file("serve.err")); }

  void start_mock() {
    const std::string path = dir_.file("mock.json");
    std::ofstream(path) << mock_config().dump(2);
    ASSERT_TRUE(mock_.spawn(INVSYNC_MOCK_BINARY, {path}, {}, dir_.file("mock.err")));
    const auto line = mock_.read_line(kStartTimeout);
    ASSERT_TRUE(line.has_value()) << "mock printed no ports: " << read_text(dir_.file("mock.err"));
    const json ports = parse_or_null(*line);
    ASSERT_TRUE(ports.is_object()) << *line;
    shopify_port_ = ports.value("shopify", -1);
    woo_port_ = ports.value("woocommerce", -1);
    control_port_ = ports.value("control", -1);
    ASSERT_GT(shopify_port_, 0);
    ASSERT_GT(woo_port_, 0);
    ASSERT_GT(control_port_, 0);
  }

  void start_serve() {
    const std::string path = dir_.file("serve.json");
    std::ofstream(path) << serve_config(shopify_port_, woo_port_).dump(2);
    ASSERT_TRUE(serve_.spawn(INVSYNC_BINARY, {"serve", "--config", path}, secrets_env(schema_),
                             dir_.file("serve.err")));
    const auto line = serve_.read_line(kStartTimeout);
    ASSERT_TRUE(line.has_value()) << "serve printed no port: " << serve_stderr();
    const json port = parse_or_null(*line);
    ASSERT_TRUE(port.is_object()) << *line;
    serve_port_ = port.value("listen_port", -1);
    ASSERT_GT(serve_port_, 0) << *line;
  }

  httplib::Headers admin_headers() const {
    return {{"Authorization", std::string("Bearer ") + kAdminToken}};
  }

  // The mock's external ids for kSku: Shopify from its inventory levels, Woo from its products.
  json shopify_ids() {
    auto shop = client(shopify_port_);
    const std::string target = "/admin/api/2026-01/inventory_levels.json?location_ids=" +
                               std::to_string(kShopifyLocation);
    httplib::Result r = shop->Get(target.c_str(), {{"X-Shopify-Access-Token", kShopifyToken}});
    if (!r || r->status != 200) {
      ADD_FAILURE() << "shopify levels: " << (r ? r->body : httplib::to_string(r.error()));
      return json();
    }
    const json levels = parse_or_null(r->body)["inventory_levels"];
    EXPECT_EQ(levels.size(), 1u) << r->body;
    return {{"inventory_item_id", levels[0]["inventory_item_id"]},
            {"location_id", kShopifyLocation}};
  }
  json woo_ids() {
    auto woo = client(woo_port_);
    const std::string target = std::string("/wp-json/wc/v3/products?sku=") + kSku +
                               "&consumer_key=" + kWooKey + "&consumer_secret=" + kWooSecret;
    httplib::Result r = woo->Get(target.c_str());
    if (!r || r->status != 200) {
      ADD_FAILURE() << "woo products: " << (r ? r->body : httplib::to_string(r.error()));
      return json();
    }
    const json products = parse_or_null(r->body);
    EXPECT_EQ(products.size(), 1u) << r->body;
    return {{"product_id", products[0]["id"]}, {"variation_id", 0}};
  }

  // What the mock platform itself shows for kSku (its ground truth), -1 if unknown.
  int64_t mock_count(const std::string& platform) {
    httplib::Result r = client(control_port_)->Get(("/control/" + platform + "/truth").c_str());
    if (!r || r->status != 200) return -1;
    const json truth = parse_or_null(r->body);
    if (!truth.is_object() || !truth["counts"].contains(kSku)) return -1;
    return truth["counts"][kSku].get<int64_t>();
  }

  // Polls until the mock shows `want` (or the deadline passes); the last count seen.
  int64_t wait_for_mock_count(const std::string& platform, int64_t want) {
    const auto deadline = SteadyClock::now() + kConvergeTimeout;
    int64_t seen = mock_count(platform);
    while (seen != want && SteadyClock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(50));
      seen = mock_count(platform);
    }
    return seen;
  }

  int64_t master_in_postgres() {
    auto store = store::PgStore::connect({.url = url_, .schema = schema_});
    if (!store.ok()) {
      ADD_FAILURE() << store.status().to_string();
      return -1;
    }
    auto p = (*store)->product(domain::Sku::from_trusted(kSku));
    if (!p.ok()) {
      ADD_FAILURE() << p.status().to_string();
      return -1;
    }
    return p->master.units();
  }

  TempDir dir_{"invsync-serve-test"};
  std::string url_;
  std::string schema_;
  ChildProcess mock_{kExitTimeout};
  ChildProcess serve_{kExitTimeout};
  int shopify_port_ = -1, woo_port_ = -1, control_port_ = -1, serve_port_ = -1;
};

std::string shopify_order(int64_t order_id, int64_t quantity) {
  return json{{"id", order_id},
              {"name", "#1001"},
              {"line_items", {{{"id", order_id + 1}, {"sku", kSku}, {"quantity", quantity}}}}}
      .dump();
}

httplib::Headers shopify_webhook_headers(const std::string& body, const std::string& secret) {
  return {{"X-Shopify-Topic", "orders/create"},
          {"X-Shopify-Hmac-Sha256", base::base64_encode(base::hmac_sha256(secret, body))},
          {"X-Shopify-Shop-Domain", "invsync-demo.myshopify.com"},
          {"X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"}};
}

TEST_F(ServeEndToEnd, SignedShopifyOrderLowersPostgresAndEveryChannelConverges) {
  ASSERT_NO_FATAL_FAILURE(start_mock());
  ASSERT_NO_FATAL_FAILURE(start_serve());
  auto serve = client(serve_port_);

  // Health and metrics answer without a token; admin does not.
  httplib::Result health = serve->Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200) << health->body;
  httplib::Result anonymous =
      serve->Post((std::string("/admin/stock/") + kSku).c_str(), R"({"set":10})",
                  "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  httplib::Result wrong = serve->Post((std::string("/admin/stock/") + kSku).c_str(),
                                      {{"Authorization", "Bearer not-the-token-at-all-00000"}},
                                      R"({"set":10})", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);

  // Stock and listings through the admin API.
  httplib::Result set = serve->Post((std::string("/admin/stock/") + kSku).c_str(),
                                    admin_headers(), R"({"set":10})", "application/json");
  ASSERT_TRUE(set) << httplib::to_string(set.error());
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(parse_or_null(set->body)["master"], 10) << set->body;
  const std::pair<std::string, json> listings[] = {{"shopify:serve-test", shopify_ids()},
                                                   {"woocommerce:serve-test", woo_ids()}};
  for (const auto& [channel, ids] : listings) {
    ASSERT_TRUE(ids.is_object()) << channel;
    httplib::Result put = serve->Put(("/admin/listings/" + channel + "/" + kSku).c_str(),
                                     admin_headers(), json{{"external_ids", ids}}.dump(),
                                     "application/json");
    ASSERT_TRUE(put) << httplib::to_string(put.error());
    ASSERT_EQ(put->status, 200) << channel << ": " << put->body;
  }
  EXPECT_EQ(wait_for_mock_count("shopify", 10), 10) << serve_stderr();
  EXPECT_EQ(wait_for_mock_count("woocommerce", 10), 10) << serve_stderr();

  // A signed orders/create for 3 units: acknowledged once durably applied.
  const std::string body = shopify_order(820982911946154508, 3);
  httplib::Result hook = serve->Post("/webhooks/shopify/serve-test",
                                     shopify_webhook_headers(body, kShopifySecret), body,
                                     "application/json");
  ASSERT_TRUE(hook) << httplib::to_string(hook.error());
  EXPECT_EQ(hook->status, 200) << hook->body;
  EXPECT_EQ(master_in_postgres(), 7);

  // The same order with a tampered body (or signature) is refused and changes nothing.
  const std::string tampered = shopify_order(820982911946154999, 5);
  httplib::Result forged = serve->Post("/webhooks/shopify:serve-test",
                                       shopify_webhook_headers(body, kShopifySecret), tampered,
                                       "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401) << forged->body;
  httplib::Result unknown = serve->Post("/webhooks/shopify/not-configured",
                                        shopify_webhook_headers(body, kShopifySecret), body,
                                        "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(master_in_postgres(), 7);

  // Every channel converges on the new sellable count.
  EXPECT_EQ(wait_for_mock_count("shopify", 7), 7) << serve_stderr();
  EXPECT_EQ(wait_for_mock_count("woocommerce", 7), 7) << serve_stderr();

  // Metrics tell the story; explain and status answer with the token.
  httplib::Result metrics = serve->Get("/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->status, 200);
  const std::string& m = metrics->body;
  const std::string received = R"(invsync_webhooks_received_total{channel="shopify:serve-test",)";
  EXPECT_NE(m.find(received + R"(status="200"} 1)"), std::string::npos)
      << m;
  EXPECT_NE(m.find(received + R"(status="401"} 1)"), std::string::npos)
      << m;
  EXPECT_NE(m.find(R"(invsync_lane_owned{channel="woocommerce:serve-test"} 1)"), std::string::npos)
      << m;
  EXPECT_NE(m.find(R"(invsync_http_rejected_total{endpoint="admin_stock",status="401"} 2)"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("invsync_lane_pushes_total{channel=\"shopify:serve-test\"} 0"),
            std::string::npos)
      << m;
  httplib::Result explain =
      serve->Get((std::string("/admin/explain/") + kSku).c_str(), admin_headers());
  ASSERT_TRUE(explain);
  EXPECT_EQ(explain->status, 200) << explain->body;
  EXPECT_NE(explain->body.find(kSku), std::string::npos) << explain->body;
  httplib::Result status = serve->Get("/admin/status", admin_headers());
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200) << status->body;
  EXPECT_EQ(parse_or_null(status->body)["channels"].size(), 2u) << status->body;
  httplib::Result status_anonymous = serve->Get("/admin/status");
  ASSERT_TRUE(status_anonymous);
  EXPECT_EQ(status_anonymous->status, 401);

  // Secrets never reach the log.
  const std::string log = serve_stderr();
  for (const char* secret : {kShopifyToken, kShopifySecret, kWooSecret, kAdminToken}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret in the log: " << log;
  }

  // SIGTERM: a clean stop.
  EXPECT_TRUE(exited_with(serve_.terminate(), 0)) << serve_stderr();
}

// Lanes owned per channel (from /admin/status), e.g. {"shopify:serve-test": true, ...}.
std::map<std::string, bool> lanes_owned(int port) {
  std::map<std::string, bool> out;
  httplib::Result r = client(port)->Get(
      "/admin/status", {{"Authorization", std::string("Bearer ") + kAdminToken}});
  if (!r || r->status != 200) return out;
  const json status = parse_or_null(r->body);
  if (!status.is_object() || !status["channels"].is_array()) return out;
  for (const json& ch : status["channels"]) {
    out[ch["id"].get<std::string>()] = ch["lane_owned"].get<bool>();
  }
  return out;
}

TEST_F(ServeEndToEnd, TwoInstancesNeverDriveOneLaneAndTheSecondTakesOverAfterSigterm) {
  ASSERT_NO_FATAL_FAILURE(start_mock());
  ASSERT_NO_FATAL_FAILURE(start_serve());
  const int first_port = serve_port_;
  // Let the first instance take its locks before the second one starts.
  const auto deadline = SteadyClock::now() + kConvergeTimeout;
  while (lanes_owned(first_port)["woocommerce:serve-test"] == false &&
         SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ChildProcess second(kExitTimeout);
  const std::string path = dir_.file("serve.json");  // written by start_serve()
  ASSERT_TRUE(second.spawn(INVSYNC_BINARY, {"serve", "--config", path}, secrets_env(schema_),
                           dir_.file("serve2.err")));
  const auto line = second.read_line(kStartTimeout);
  ASSERT_TRUE(line.has_value()) << read_text(dir_.file("serve2.err"));
  const int second_port = parse_or_null(*line).value("listen_port", -1);
  ASSERT_GT(second_port, 0) << *line;

  // Both serve webhooks and admin calls; each lane belongs to exactly one of them.
  std::this_thread::sleep_for(milliseconds(300));  // several lock retries of the second
  auto a = lanes_owned(first_port);
  auto b = lanes_owned(second_port);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (const auto& [channel, owned] : a) {
    EXPECT_TRUE(owned) << channel;
    EXPECT_FALSE(b[channel]) << channel;
  }

  // The first stops cleanly and releases its locks; the second takes every lane.
  EXPECT_TRUE(exited_with(serve_.terminate(), 0)) << serve_stderr();
  const auto takeover = SteadyClock::now() + kConvergeTimeout;
  while (SteadyClock::now() < takeover) {
    b = lanes_owned(second_port);
    if (b["shopify:serve-test"] && b["woocommerce:serve-test"]) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(b["shopify:serve-test"]);
  EXPECT_TRUE(b["woocommerce:serve-test"]);
  EXPECT_TRUE(exited_with(second.terminate(), 0)) << read_text(dir_.file("serve2.err"));
}

// Configuration errors exit 2 before touching anything, naming the key path and never a secret.
class ServeConfigErrors : public ::testing::Test {
 protected:
  // Runs `invsync serve` on `config` with `env` and waits for it to exit: (status, stderr).
  std::pair<std::optional<int>, std::string> run(const json& config,
                                                 const std::map<std::string, std::string>& env) {
    const std::string path = dir_.file("serve.json");
    std::ofstream(path) << config.dump(2);
    ChildProcess p(kExitTimeout);
    if (!p.spawn(INVSYNC_BINARY, {"serve", "--config", path}, env, dir_.file("serve.err"))) {
      return {std::nullopt, "spawn failed"};
    }
    EXPECT_FALSE(p.read_line(kExitTimeout).has_value()) << "printed a port";
    return {p.wait_exit(kExitTimeout), read_text(dir_.file("serve.err"))};
  }

  TempDir dir_{"invsync-serve-test"};
};

TEST_F(ServeConfigErrors, MissingSecretVariableNamesTheKeyPath) {
  std::map<std::string, std::string> env = secrets_env("unused");
  env.erase("SERVE_TEST_WOO_SECRET");
  env["SERVE_TEST_WOO_SECRET"] = "";
  const auto [status, err] = run(serve_config(1, 2), env);
  EXPECT_TRUE(exited_with(status, 2)) << err;
  EXPECT_NE(err.find("$.channels[1].connector.consumer_secret_env"), std::string::npos) << err;
  EXPECT_NE(err.find("SERVE_TEST_WOO_SECRET"), std::string::npos) << err;
}

TEST_F(ServeConfigErrors, UnknownServeKeyAndShortAdminTokenAreRejected) {
  json config = serve_config(1, 2);
  config["serve"]["listen_prot"] = 8080;
  auto [status, err] = run(config, secrets_env("unused"));
  EXPECT_TRUE(exited_with(status, 2)) << err;
  EXPECT_NE(err.find("$.serve.listen_prot"), std::string::npos) << err;

  std::map<std::string, std::string> env = secrets_env("unused");
  env["SERVE_TEST_ADMIN_TOKEN"] = "short";
  std::tie(status, err) = run(serve_config(1, 2), env);
  EXPECT_TRUE(exited_with(status, 2)) << err;
  EXPECT_NE(err.find("$.serve.admin_token_env"), std::string::npos) << err;
  EXPECT_EQ(err.find("short"), std::string::npos) << "the token value was printed: " << err;
}

TEST_F(ServeConfigErrors, BadConnectorValueFailsWithoutPrintingSecrets) {
  json config = serve_config(1, 2);
  config["channels"][0]["connector"]["location_id"] = "not-a-number";
  const auto [status, err] = run(config, secrets_env("unused"));
  EXPECT_TRUE(status.has_value() && WIFEXITED(*status) && WEXITSTATUS(*status) != 0) << err;
  EXPECT_NE(err.find("location_id"), std::string::npos) << err;
  for (const char* secret : {kShopifyToken, kShopifySecret, kAdminToken}) {
    EXPECT_EQ(err.find(secret), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace invsync::app
