// Tests of the Shopify mock platform, one per fidelity checklist item (ShopifyFidelity.ItemNN_*)
// plus determinism, strict config/fault parsing and the storefront. Simulated time only.
#include "mocks/shopify/shopify_mock.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/crypto.h"
#include "core/base/json_reader.h"
#include "core/base/json_writer.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::json;

constexpr const char* kToken = "shpat_invsync_mock";
const Instant kT0 = Instant() + Duration::seconds(100);

HttpRequest rest(std::string method, std::string target, std::string body = "",
                 std::string token = kToken) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!token.empty()) r.headers.set("X-Shopify-Access-Token", std::move(token));
  r.headers.set("Content-Type", "application/json");
  return r;
}

HttpRequest gql(const std::string& version, const std::string& query, const json& variables) {
  return rest("POST", "/admin/api/" + version + "/graphql.json",
              json{{"query", query}, {"variables", variables}}.dump());
}

json body_of(const HttpResponse& r) { return json::parse(r.body); }

std::unique_ptr<ShopifyMock> make_mock(ShopifyMockConfig config = {}, uint64_t seed = 7) {
  auto mock = std::make_unique<ShopifyMock>(std::move(config), seed);
  EXPECT_TRUE(mock->add_item({"TEE-S", 10, "tee"}).ok());
  EXPECT_TRUE(mock->add_item({"TEE-M", 5, "tee"}).ok());
  EXPECT_TRUE(mock->add_item({"MUG", 3, ""}).ok());
  return mock;
}

int64_t item_id(const ShopifyMock& m, const char* sku) {
  return json::parse(*m.external_ids_json(sku))["inventory_item_id"].get<int64_t>();
}

std::string item_gid(const ShopifyMock& m, const char* sku) {
  return "gid://shopify/InventoryItem/" + std::to_string(item_id(m, sku));
}

std::string location_gid(const ShopifyMock& m) {
  return "gid://shopify/Location/" + std::to_string(m.config().location_id);
}

const char* kSetMutation =
    "mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) "
    "{ inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } } "
    "userErrors { code field message } } }";

json set_input(const ShopifyMock& m, const char* sku, int64_t quantity, json cas_fields) {
  json q = {{"inventoryItemId", item_gid(m, sku)},
            {"locationId", location_gid(m)},
            {"quantity", quantity}};
  for (auto& [k, v] : cas_fields.items()) q[k] = v;
  return {{"name", "available"}, {"reason", "correction"}, {"quantities", json::array({q})}};
}

std::string set_levels_body(const ShopifyMock& m, const char* sku, int64_t available) {
  return json{{"location_id", m.config().location_id},
              {"inventory_item_id", item_id(m, sku)},
              {"available", available}}
      .dump();
}

// ---------------------------------------------------------------------------------------------

TEST(ShopifyFidelity, Item01_MissingOrWrongTokenGets401AndMissingScopeGets403) {
  auto m = make_mock();
  for (const std::string token : {"", "shpat_wrong"}) {
    HttpResponse r = m->handle(rest("GET",
                                    "/admin/api/2026-01/inventory_levels.json?"
                                    "inventory_item_ids=1",
                                    "", token),
                               kT0);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(
        r.body,
        R"js({"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"})js");
    EXPECT_EQ(r.headers.get("www-authenticate"), "Basic Realm=\"Shopify API Authentication\"");
  }
  ShopifyMockConfig config;
  config.access_tokens.push_back({"shpat_readonly", {"read_inventory"}});
  auto ro = make_mock(config);
  HttpResponse r = ro->handle(rest("POST", "/admin/api/2026-01/inventory_levels/set.json",
                                   set_levels_body(*ro, "MUG", 1), "shpat_readonly"),
                              kT0);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(
      r.body,
      R"({"errors":"[API] This action requires merchant approval for write_inventory scope."})");
  EXPECT_EQ(ro->counts()["MUG"], 3);
  HttpResponse read =
      ro->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json?inventory_item_ids=1", "",
                      "shpat_readonly"),
                 kT0);
  EXPECT_EQ(read.status, 200);
  // Unknown paths and retired versions: 404 Not Found even with a valid token.
  EXPECT_EQ(
      m->handle(rest("GET", "/admin/api/2019-04/inventory_levels.json?location_ids=1"), kT0).body,
      R"({"errors":"Not Found"})");
  EXPECT_EQ(m->handle(rest("GET", "/admin/api/2026-01/nope.json"), kT0).status, 404);
}

TEST(ShopifyFidelity, Item02_RestBucket41stImmediateRequestGets429ThenLeaks) {
  auto m = make_mock();
  const std::string target = "/admin/api/2026-01/inventory_levels.json?location_ids=655441491";
  for (int i = 1; i <= 40; ++i) {
    HttpResponse r = m->handle(rest("GET", target), kT0);
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.headers.get("X-Shopify-Shop-Api-Call-Limit"), std::to_string(i) + "/40");
  }
  HttpResponse limited = m->handle(rest("GET", target), kT0);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.get("Retry-After"), "0.5");
  EXPECT_EQ(limited.headers.get("X-Shopify-Shop-Api-Call-Limit"), "40/40");
  EXPECT_EQ(
      limited.body,
      R"({"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."})");
  const Duration wait = Duration::milliseconds(
      static_cast<int64_t>(std::stod(std::string(*limited.headers.get("Retry-After"))) * 1000));
  EXPECT_EQ(m->handle(rest("GET", target), kT0 + wait - Duration::milliseconds(1)).status, 429);
  HttpResponse again = m->handle(rest("GET", target), kT0 + wait);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.headers.get("X-Shopify-Shop-Api-Call-Limit"), "40/40");
  EXPECT_EQ(m->stats()["rate_limited"], 2);
  // Configurable size and leak rate (Plus-style 80 / 4 per s).
  ShopifyMockConfig plus;
  plus.rest_bucket_size = 80;
  plus.rest_leak_rate_per_s = 4;
  auto p = make_mock(plus);
  for (int i = 0; i < 80; ++i) ASSERT_EQ(p->handle(rest("GET", target), kT0).status, 200);
  HttpResponse r = p->handle(rest("GET", target), kT0);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("Retry-After"), "0.25");
  EXPECT_NE(r.body.find("Exceeded 4 calls per second"), std::string::npos);
}

TEST(ShopifyFidelity, Item02_RateLimitPercentFaultLowersTheBucket) {
  auto m = make_mock();
  ASSERT_TRUE(m->set_faults_json(R"({"rate_limit_percent":10})").ok());
  const std::string target = "/admin/api/2026-01/inventory_levels.json?location_ids=655441491";
  for (int i = 0; i < 4; ++i) ASSERT_EQ(m->handle(rest("GET", target), kT0).status, 200);
  HttpResponse r = m->handle(rest("GET", target), kT0);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("X-Shopify-Shop-Api-Call-Limit"), "4/4");
  EXPECT_EQ(r.headers.get("Retry-After"), "5.0");
}

TEST(ShopifyFidelity, Item03_SetAndAdjustAcceptFlatBodiesAndUntrackedGets422) {
  auto m = make_mock();
  const int64_t item = item_id(*m, "TEE-S");
  HttpResponse r = m->handle(rest("POST", "/admin/api/2026-01/inventory_levels/set.json",
                                  set_levels_body(*m, "TEE-S", 42)),
                             kT0);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"inventory_level\":{\"inventory_item_id\":" + std::to_string(item) +
                        ",\"location_id\":655441491,\"available\":42,\"updated_at\":"
                        "\"2026-11-27T03:01:40-05:00\",\"admin_graphql_api_id\":"
                        "\"gid://shopify/InventoryLevel/655441491?inventory_item_id=" +
                        std::to_string(item) + "\"}}");
  EXPECT_TRUE(r.headers.has("X-Shopify-Shop-Api-Call-Limit"));
  HttpResponse adj = m->handle(rest("POST", "/admin/api/2026-01/inventory_levels/adjust.json",
                                    json{{"location_id", 655441491},
                                         {"inventory_item_id", item},
                                         {"available_adjustment", -5}}
                                        .dump()),
                               kT0);
  ASSERT_EQ(adj.status, 200);
  EXPECT_EQ(body_of(adj)["inventory_level"]["available"], 37);
  EXPECT_EQ(m->counts()["TEE-S"], 37);
  ASSERT_TRUE(m->set_tracked("MUG", false).ok());
  HttpResponse untracked = m->handle(
      rest("POST", "/admin/api/2026-01/inventory_levels/set.json", set_levels_body(*m, "MUG", 9)),
      kT0);
  EXPECT_EQ(untracked.status, 422);
  EXPECT_EQ(untracked.body,
            R"({"errors":["Inventory item does not have inventory tracking enabled"]})");
  EXPECT_EQ(m->counts()["MUG"], 3);
  HttpResponse missing =
      m->handle(rest("POST", "/admin/api/2026-01/inventory_levels/set.json",
                     json{{"location_id", 655441491}, {"inventory_item_id", item}}.dump()),
                kT0);
  EXPECT_EQ(missing.status, 400);
}

TEST(ShopifyFidelity, Item04_GetLevelsFiltersByCommaSeparatedIds) {
  auto m = make_mock();
  const std::string a = std::to_string(item_id(*m, "TEE-S"));
  const std::string c = std::to_string(item_id(*m, "MUG"));
  HttpResponse r =
      m->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json?inventory_item_ids=" + a +
                                "%2C" + c + "&location_ids=655441491,487838322"),
                kT0);
  ASSERT_EQ(r.status, 200);
  const json levels = body_of(r)["inventory_levels"];
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0]["inventory_item_id"].get<int64_t>(), std::stoll(a));
  EXPECT_EQ(levels[0]["available"], 10);
  EXPECT_EQ(levels[1]["inventory_item_id"].get<int64_t>(), std::stoll(c));
  EXPECT_EQ(levels[1]["available"], 3);
  HttpResponse other = m->handle(
      rest("GET", "/admin/api/2026-01/inventory_levels.json?location_ids=487838322"), kT0);
  EXPECT_EQ(body_of(other)["inventory_levels"].size(), 0u);
  HttpResponse all = m->handle(
      rest("GET", "/admin/api/2026-01/inventory_levels.json?location_ids=655441491"), kT0);
  EXPECT_EQ(body_of(all)["inventory_levels"].size(), 3u);
  EXPECT_EQ(m->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json"), kT0).status, 422);
}

TEST(ShopifyFidelity, Item05_GraphqlCostThrottledAndMaxCost) {
  ShopifyMockConfig config;
  config.graphql_bucket_max = 30;
  config.graphql_restore_rate_per_s = 1;
  auto m = make_mock(config);
  auto set = [&](int64_t q, Instant at) {
    return m->handle(gql("2026-01", kSetMutation,
                         {{"input", set_input(*m, "MUG", q, {{"changeFromQuantity", nullptr}})}}),
                     at);
  };
  HttpResponse first = set(4, kT0);
  ASSERT_EQ(first.status, 200);
  const json cost = body_of(first)["extensions"]["cost"];
  EXPECT_EQ(cost["requestedQueryCost"], 11);
  EXPECT_EQ(cost["actualQueryCost"], 11);
  EXPECT_EQ(cost["throttleStatus"]["maximumAvailable"], 30.0);
  EXPECT_EQ(cost["throttleStatus"]["currentlyAvailable"], 19);
  EXPECT_EQ(cost["throttleStatus"]["restoreRate"], 1.0);
  EXPECT_EQ(set(5, kT0).status, 200);
  HttpResponse throttled = set(6, kT0);
  EXPECT_EQ(throttled.status, 200);
  const json t = body_of(throttled);
  EXPECT_FALSE(t.contains("data"));
  EXPECT_EQ(t["errors"][0]["message"], "Throttled");
  EXPECT_EQ(t["errors"][0]["extensions"]["code"], "THROTTLED");
  EXPECT_TRUE(t["extensions"]["cost"]["actualQueryCost"].is_null());
  EXPECT_EQ(t["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"], 8);
  EXPECT_EQ(m->counts()["MUG"], 5);
  EXPECT_EQ(set(6, kT0 + Duration::seconds(3)).status, 200);  // 8 + 3 restored = 11
  EXPECT_EQ(m->counts()["MUG"], 6);
  ASSERT_TRUE(m->set_faults_json(R"({"throttled_status":429})").ok());
  HttpResponse t429 = set(7, kT0 + Duration::seconds(3));
  EXPECT_EQ(t429.status, 429);
  EXPECT_EQ(body_of(t429)["errors"][0]["extensions"]["code"], "THROTTLED");
  EXPECT_EQ(m->stats()["throttled"], 2);
  // Over the single-query maximum: rejected before execution, nothing charged.
  auto big = make_mock();
  HttpResponse over = big->handle(
      gql("2026-01",
          "query($q: String!) { productVariants(first: 400, query: $q) { nodes { id } } }",
          {{"query", "sku:MUG"}}),
      kT0);
  const json o = body_of(over);
  EXPECT_EQ(over.status, 200);
  EXPECT_FALSE(o.contains("data"));
  EXPECT_EQ(o["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED");
  EXPECT_EQ(o["extensions"]["cost"]["requestedQueryCost"], 1202);
  EXPECT_EQ(o["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"], 1000);
}

TEST(ShopifyFidelity, Item05_SkuLookupReturnsVariantItemAndLevelsWithRefundedCost) {
  auto m = make_mock();
  HttpResponse r = m->handle(
      gql("2026-01",
          "query { productVariants(first: 10, query: \"sku:TEE-M\") { nodes { id sku inventoryItem "
          "{ id inventoryLevels(first: 10) { nodes { location { id } quantities(names: "
          "[\"available\"]) { name quantity } } } } } } }",
          json::object()),
      kT0);
  const json b = body_of(r);
  const json nodes = b["data"]["productVariants"]["nodes"];
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0]["sku"], "TEE-M");
  EXPECT_EQ(nodes[0]["inventoryItem"]["id"], item_gid(*m, "TEE-M"));
  EXPECT_EQ(nodes[0]["inventoryItem"]["inventoryLevels"]["nodes"][0]["quantities"][0]["quantity"],
            5);
  EXPECT_EQ(b["extensions"]["cost"]["requestedQueryCost"], 32);
  EXPECT_EQ(b["extensions"]["cost"]["actualQueryCost"], 5);
  EXPECT_EQ(b["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"], 995);
  HttpResponse none = m->handle(
      gql("2026-01", "query($q: String!) { inventoryItems(first: 5, query: $q) { nodes { id } } }",
          {{"query", "sku:NOPE"}}),
      kT0);
  EXPECT_EQ(body_of(none)["data"]["inventoryItems"]["nodes"].size(), 0u);
  HttpResponse item = m->handle(gql("2026-01", "query($id: ID!) { inventoryItem(id: $id) { id } }",
                                    {{"id", item_gid(*m, "MUG")}}),
                                kT0);
  EXPECT_EQ(body_of(item)["data"]["inventoryItem"]["sku"], "MUG");
}

TEST(ShopifyFidelity, Item06_StaleCasRejectedAtHttp200AndBehaviourFollowsVersion) {
  auto m = make_mock();
  auto run = [&](const char* version, json input) {
    return body_of(m->handle(gql(version, kSetMutation, {{"input", input}}), kT0));
  };
  // <= 2025-10: compareQuantity.
  json b = run("2025-10", set_input(*m, "TEE-S", 20, {{"compareQuantity", 9}}));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["code"], "COMPARE_QUANTITY_STALE");
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["field"],
            json({"input", "quantities", "0", "compareQuantity"}));
  EXPECT_TRUE(b["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"].is_null());
  EXPECT_EQ(m->counts()["TEE-S"], 10);
  b = run("2025-10", set_input(*m, "TEE-S", 20, json::object()));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
            "COMPARE_QUANTITY_REQUIRED");
  json ignore = set_input(*m, "TEE-S", 20, json::object());
  ignore["ignoreCompareQuantity"] = true;
  b = run("2025-10", ignore);
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"].size(), 0u);
  EXPECT_EQ(m->counts()["TEE-S"], 20);
  b = run("2025-10", set_input(*m, "TEE-S", 21, {{"compareQuantity", 20}}));
  EXPECT_EQ(m->counts()["TEE-S"], 21);
  EXPECT_TRUE(
      run("2025-10", set_input(*m, "TEE-S", 1, {{"changeFromQuantity", 21}})).contains("errors"));
  // 2026-01: changeFromQuantity overrides compareQuantity; null skips the check.
  b = run("2026-01",
          set_input(*m, "TEE-S", 30, {{"changeFromQuantity", 5}, {"compareQuantity", 21}}));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
            "CHANGE_FROM_QUANTITY_STALE");
  EXPECT_EQ(m->counts()["TEE-S"], 21);
  b = run("2026-01", set_input(*m, "TEE-S", 30, {{"changeFromQuantity", nullptr}}));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"].size(), 0u);
  const json change = b["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"]["changes"][0];
  EXPECT_EQ(change["name"], "available");
  EXPECT_EQ(change["delta"], 9);
  EXPECT_EQ(change["quantityAfterChange"], 30);
  // 2026-04: changeFromQuantity required, compareQuantity removed.
  const std::string idem =
      "mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) "
      "@idempotent(key: \"k-1\") { userErrors { code } } }";
  json r = body_of(
      m->handle(gql("2026-04", idem, {{"input", set_input(*m, "TEE-S", 1, json::object())}}), kT0));
  EXPECT_FALSE(r.contains("data"));
  EXPECT_NE(r["errors"][0]["message"].get<std::string>().find("changeFromQuantity"),
            std::string::npos);
  r = body_of(m->handle(
      gql("2026-04", idem, {{"input", set_input(*m, "TEE-S", 1, {{"compareQuantity", 30}})}}),
      kT0));
  EXPECT_FALSE(r.contains("data"));
  EXPECT_EQ(m->counts()["TEE-S"], 30);
  r = body_of(m->handle(
      gql("2026-04", idem, {{"input", set_input(*m, "TEE-S", 1, {{"changeFromQuantity", 30}})}}),
      kT0));
  EXPECT_EQ(r["data"]["inventorySetQuantities"]["userErrors"].size(), 0u);
  EXPECT_EQ(m->counts()["TEE-S"], 1);
}

TEST(ShopifyFidelity, Item07_InvalidNameAndMoreThan250QuantitiesRejected) {
  auto m = make_mock();
  json input = set_input(*m, "MUG", 9, {{"changeFromQuantity", nullptr}});
  input["name"] = "incoming";
  json b = body_of(m->handle(gql("2026-01", kSetMutation, {{"input", input}}), kT0));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["code"], "INVALID_NAME");
  EXPECT_EQ(m->counts()["MUG"], 3);
  json many = set_input(*m, "MUG", 9, {{"changeFromQuantity", nullptr}});
  for (int i = 0; i < 250; ++i) many["quantities"].push_back(many["quantities"][0]);
  ASSERT_EQ(many["quantities"].size(), 251u);
  HttpResponse r = m->handle(gql("2026-01", kSetMutation, {{"input", many}}), kT0);
  EXPECT_EQ(r.status, 200);
  b = body_of(r);
  EXPECT_FALSE(b.contains("data"));
  EXPECT_EQ(b["errors"][0]["extensions"]["code"], "MAX_INPUT_SIZE_EXCEEDED");
  EXPECT_EQ(m->counts()["MUG"], 3);
  json bad_reason = set_input(*m, "MUG", 9, {{"changeFromQuantity", nullptr}});
  bad_reason["reason"] = "because";
  b = body_of(m->handle(gql("2026-01", kSetMutation, {{"input", bad_reason}}), kT0));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"][0]["code"], "INVALID_REASON");
}

TEST(ShopifyFidelity, Item08_IdempotentReplayMismatchAndRequiredIn202604) {
  auto m = make_mock();
  const std::string literal =
      "mutation { inventorySetQuantities(input: $input) @idempotent(key: \"abc-123\") { "
      "userErrors { code } } }";
  const json input = set_input(*m, "TEE-M", 8, {{"changeFromQuantity", 5}});
  const json first = body_of(m->handle(gql("2026-04", literal, {{"input", input}}), kT0));
  EXPECT_EQ(m->counts()["TEE-M"], 8);
  ASSERT_TRUE(m->handle(rest("POST", "/admin/api/2026-04/inventory_levels/set.json",
                             set_levels_body(*m, "TEE-M", 2)),
                        kT0)
                  .status == 200);
  const json replay = body_of(m->handle(gql("2026-04", literal, {{"input", input}}), kT0));
  EXPECT_EQ(replay["data"], first["data"]);  // the original result, not a stale error
  EXPECT_EQ(m->counts()["TEE-M"], 2);        // not applied twice
  const json other = set_input(*m, "TEE-M", 9, {{"changeFromQuantity", 2}});
  const json mismatch = body_of(m->handle(gql("2026-04", literal, {{"input", other}}), kT0));
  EXPECT_EQ(mismatch["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
  EXPECT_EQ(m->counts()["TEE-M"], 2);
  // Key from a variable.
  const std::string var =
      "mutation Set($input: InventorySetQuantitiesInput!, $key: String!) { "
      "inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code } } }";
  json b = body_of(m->handle(gql("2026-04", var, {{"input", other}, {"key", "v-1"}}), kT0));
  EXPECT_EQ(b["data"]["inventorySetQuantities"]["userErrors"].size(), 0u);
  EXPECT_EQ(m->counts()["TEE-M"], 9);
  // 2026-04 without the directive: an error, nothing applied; 2026-01 makes it optional.
  b = body_of(m->handle(gql("2026-04", kSetMutation,
                            {{"input", set_input(*m, "TEE-M", 1, {{"changeFromQuantity", 9}})}}),
                        kT0));
  EXPECT_FALSE(b.contains("data"));
  EXPECT_NE(b["errors"][0]["message"].get<std::string>().find("@idempotent"), std::string::npos);
  EXPECT_EQ(m->counts()["TEE-M"], 9);
  b = body_of(m->handle(gql("2026-01", kSetMutation,
                            {{"input", set_input(*m, "TEE-M", 1, {{"changeFromQuantity", 9}})}}),
                        kT0));
  EXPECT_EQ(m->counts()["TEE-M"], 1);
  // inventoryAdjustQuantities follows the same rules.
  const std::string adjust =
      "mutation A($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: "
      "$input) @idempotent(key: \"adj-1\") { userErrors { code } } }";
  const json changes = {{"name", "available"},
                        {"reason", "correction"},
                        {"changes", json::array({{{"inventoryItemId", item_gid(*m, "TEE-M")},
                                                  {"locationId", location_gid(*m)},
                                                  {"delta", 4},
                                                  {"changeFromQuantity", 1}}})}};
  m->handle(gql("2026-04", adjust, {{"input", changes}}), kT0);
  m->handle(gql("2026-04", adjust, {{"input", changes}}), kT0);
  EXPECT_EQ(m->counts()["TEE-M"], 5);
}

std::vector<WebhookDelivery> deliver_all(ShopifyMock& m, Instant now, int32_t status = 200) {
  std::vector<WebhookDelivery> out = m.take_due_webhooks(now);
  for (const auto& d : out) m.on_webhook_result(d.delivery_id, status, now);
  return out;
}

TEST(ShopifyFidelity, Item09_EveryWriteEmitsLevelUpdateBuiltAtSendTime) {
  auto m = make_mock();
  const std::string target = "/admin/api/2026-01/inventory_levels/set.json";
  ASSERT_EQ(m->handle(rest("POST", target, set_levels_body(*m, "MUG", 10)), kT0).status, 200);
  ASSERT_EQ(m->handle(rest("POST", target, set_levels_body(*m, "MUG", 0)), kT0).status, 200);
  m->handle(gql("2026-01", kSetMutation,
                {{"input", set_input(*m, "TEE-S", 7, {{"changeFromQuantity", 10}})}}),
            kT0);
  // A write of the app's own via GraphQL also counts; then the state changes again before send.
  ASSERT_EQ(m->handle(rest("POST", target, set_levels_body(*m, "TEE-S", 6)), kT0).status, 200);
  const auto sent = deliver_all(*m, kT0 + Duration::seconds(1));
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& d : sent) {
    EXPECT_EQ(d.request.headers.get("X-Shopify-Topic"), "inventory_levels/update");
  }
  EXPECT_EQ(json::parse(sent[0].request.body)["available"], 0);  // both MUG payloads: final value
  EXPECT_EQ(json::parse(sent[1].request.body)["available"], 0);
  EXPECT_EQ(json::parse(sent[2].request.body)["available"], 6);
  EXPECT_EQ(json::parse(sent[3].request.body)["available"], 6);
  EXPECT_EQ(json::parse(sent[0].request.body)["admin_graphql_api_id"],
            "gid://shopify/InventoryLevel/655441491?inventory_item_id=" +
                std::to_string(item_id(*m, "MUG")));
}

std::string openssl_hmac_base64(const std::string& key, const std::string& body) {
  char path[] = "/tmp/shopify_hmac_XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << body;
  const std::string cmd =
      "openssl dgst -sha256 -hmac '" + key + "' -binary < " + path + " | base64 -w0";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (pipe != nullptr && fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  if (pipe != nullptr) pclose(pipe);
  std::remove(path);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(ShopifyFidelity, Item10_WebhookHeadersAndHmacVerifiedByOpenssl) {
  auto m = make_mock();
  const PlaceOrderResult order = m->place_order("TEE-S", 2, kT0);
  ASSERT_TRUE(order.accepted);
  const auto sent = m->take_due_webhooks(kT0);
  ASSERT_EQ(sent.size(), 2u);
  const base::HttpRequest& req = sent[0].request;
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/webhooks/shopify");
  EXPECT_EQ(req.timeout, Duration::seconds(5));
  EXPECT_EQ(req.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(req.headers.get("X-Shopify-Topic"), "orders/create");
  EXPECT_EQ(req.headers.get("X-Shopify-Shop-Domain"), "invsync-demo.myshopify.com");
  EXPECT_EQ(req.headers.get("X-Shopify-API-Version"), "2026-01");
  EXPECT_EQ(req.headers.get("X-Shopify-Triggered-At"), "2026-11-27T08:01:40.000000Z");
  EXPECT_EQ(req.headers.get("X-Shopify-Webhook-Id")->size(), 36u);
  EXPECT_NE(req.headers.get("X-Shopify-Webhook-Id"),
            sent[1].request.headers.get("X-Shopify-Webhook-Id"));
  EXPECT_EQ(req.headers.get("X-Shopify-Event-Id"),
            sent[1].request.headers.get("X-Shopify-Event-Id"));
  const std::string expected = openssl_hmac_base64("shpss_invsync_mock_secret", req.body);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(req.headers.get("X-Shopify-Hmac-Sha256"), expected);
  EXPECT_EQ(sent[1].request.headers.get("X-Shopify-Hmac-Sha256"),
            openssl_hmac_base64("shpss_invsync_mock_secret", sent[1].request.body));
}

TEST(ShopifyFidelity, Item10_RotatedSecretSignsWithOldSecretDuringWindow) {
  ShopifyMockConfig config;
  config.app_secret = "new-secret";
  config.old_app_secret = "old-secret";
  config.secret_rotated_at_ms = 50'000;
  config.old_secret_window_ms = 3'600'000;
  auto m = make_mock(config);
  ASSERT_TRUE(m->place_order("MUG", 1, kT0).accepted);
  auto sent = m->take_due_webhooks(kT0);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Hmac-Sha256"),
            openssl_hmac_base64("old-secret", sent[0].request.body));
  const Instant later = Instant() + Duration::milliseconds(50'000 + 3'600'000);
  ASSERT_TRUE(m->place_order("MUG", 1, later).accepted);
  sent = m->take_due_webhooks(later);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Hmac-Sha256"),
            openssl_hmac_base64("new-secret", sent[0].request.body));
}

TEST(ShopifyFidelity, Item11_FailuresRetriedWithBackoffThenSubscriptionDeleted) {
  ShopifyMockConfig config;
  config.webhook_topics = {"orders/create"};
  auto m = make_mock(config);
  ASSERT_TRUE(m->place_order("TEE-S", 1, kT0).accepted);
  auto first = m->take_due_webhooks(kT0);
  ASSERT_EQ(first.size(), 1u);
  const base::HttpRequest original = first[0].request;
  m->on_webhook_result(first[0].delivery_id, 301, kT0);  // 3xx is a failure
  Instant now = kT0;
  Duration total;
  for (size_t retry = 0; retry < 8; ++retry) {
    const auto due = m->next_wakeup();
    ASSERT_TRUE(due.has_value()) << retry;
    const Duration delay = *due - now;
    if (retry > 0) {
      EXPECT_GT(delay, Duration::seconds(50) * (int64_t{1} << (retry - 1)));
    }
    total += delay;
    EXPECT_TRUE(m->take_due_webhooks(*due - Duration::milliseconds(1)).empty());
    now = *due;
    auto again = m->take_due_webhooks(now);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].request.body, original.body);
    EXPECT_EQ(again[0].request.headers.get("X-Shopify-Webhook-Id"),
              original.headers.get("X-Shopify-Webhook-Id"));
    EXPECT_EQ(again[0].request.headers.get("X-Shopify-Triggered-At"),
              original.headers.get("X-Shopify-Triggered-At"));
    m->on_webhook_result(again[0].delivery_id, retry % 2 == 0 ? 0 : 500, now);
  }
  EXPECT_GT(total, Duration::minutes(235));
  EXPECT_LT(total, Duration::minutes(245));
  EXPECT_FALSE(m->next_wakeup().has_value());
  EXPECT_EQ(m->stats()["subscriptions_deleted"], 1);
  ASSERT_TRUE(m->place_order("TEE-S", 1, now).accepted);
  EXPECT_TRUE(m->take_due_webhooks(now + Duration::hours(10)).empty());
  // A success resets the consecutive count; a failed then successful delivery stops retrying.
  auto ok = make_mock(config);
  ASSERT_TRUE(ok->place_order("TEE-S", 1, kT0).accepted);
  auto d = ok->take_due_webhooks(kT0);
  ok->on_webhook_result(d[0].delivery_id, 503, kT0);
  d = ok->take_due_webhooks(*ok->next_wakeup());
  ASSERT_EQ(d.size(), 1u);
  ok->on_webhook_result(d[0].delivery_id, 200, kT0);
  EXPECT_FALSE(ok->next_wakeup().has_value());
  EXPECT_EQ(ok->stats()["webhooks_retried"], 1);
}

TEST(ShopifyFidelity, Item12_DuplicateReorderAndDropFaults) {
  ShopifyMockConfig config;
  config.webhook_topics = {"orders/create", "orders/cancelled"};
  auto dup = make_mock(config);
  ASSERT_TRUE(dup->set_faults_json(R"({"webhook_duplicate_percent":100})").ok());
  ASSERT_TRUE(dup->place_order("TEE-S", 1, kT0).accepted);
  auto sent = dup->take_due_webhooks(kT0 + Duration::seconds(10));
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].request.body, sent[1].request.body);
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Webhook-Id"),
            sent[1].request.headers.get("X-Shopify-Webhook-Id"));
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Event-Id"),
            sent[1].request.headers.get("X-Shopify-Event-Id"));
  // Reorder: the create is held back past the cancel.
  auto reorder = make_mock(config);
  ASSERT_TRUE(reorder->set_faults_json(R"({"webhook_reorder_percent":100})").ok());
  const auto placed = reorder->place_order("TEE-S", 1, kT0);
  ASSERT_TRUE(reorder->set_faults_json("{}").ok());
  ASSERT_TRUE(reorder->cancel_order(placed.order_id, kT0 + Duration::milliseconds(1)).ok());
  sent = reorder->take_due_webhooks(kT0 + Duration::minutes(1));
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Topic"), "orders/cancelled");
  EXPECT_EQ(sent[1].request.headers.get("X-Shopify-Topic"), "orders/create");
  // Drop.
  auto drop = make_mock(config);
  ASSERT_TRUE(drop->set_faults_json(R"({"webhook_drop_percent":100})").ok());
  ASSERT_TRUE(drop->place_order("TEE-S", 1, kT0).accepted);
  EXPECT_TRUE(drop->take_due_webhooks(kT0 + Duration::hours(1)).empty());
  EXPECT_EQ(drop->stats()["webhooks_dropped"], 1);
  EXPECT_EQ(drop->accepted_orders().size(), 1u);
}

TEST(ShopifyFidelity, Item13_OrderCancelAndRefundPayloads) {
  auto m = make_mock();
  const auto placed = m->place_order("TEE-M", 3, kT0);
  ASSERT_TRUE(placed.accepted);
  auto sent = m->take_due_webhooks(kT0);
  ASSERT_EQ(sent.size(), 2u);
  const json order = json::parse(sent[0].request.body);
  EXPECT_EQ(std::to_string(order["id"].get<int64_t>()), placed.order_id);
  EXPECT_EQ(order["admin_graphql_api_id"], "gid://shopify/Order/" + placed.order_id);
  EXPECT_EQ(order["name"], "#1001");
  EXPECT_EQ(order["created_at"], "2026-11-27T03:01:40-05:00");
  EXPECT_TRUE(order["cancelled_at"].is_null());
  const json li = order["line_items"][0];
  EXPECT_EQ(li["sku"], "TEE-M");
  EXPECT_EQ(li["quantity"], 3);
  EXPECT_EQ(li["current_quantity"], 3);
  EXPECT_EQ(li["variant_id"], json::parse(*m->external_ids_json("TEE-M"))["variant_id"]);
  EXPECT_EQ(li["product_id"], json::parse(*m->external_ids_json("TEE-S"))["product_id"]);
  EXPECT_EQ(li["variant_inventory_management"], "shopify");
  EXPECT_EQ(li["price"], "19.99");
  ASSERT_TRUE(m->create_refund(placed.order_id, 1, "return", kT0 + Duration::seconds(5)).ok());
  EXPECT_EQ(m->counts()["TEE-M"], 3);
  sent = m->take_due_webhooks(kT0 + Duration::seconds(5));
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Topic"), "refunds/create");
  const json refund = json::parse(sent[0].request.body);
  EXPECT_EQ(refund["order_id"].get<int64_t>(), order["id"].get<int64_t>());
  EXPECT_EQ(refund["refund_line_items"][0]["restock_type"], "return");
  EXPECT_EQ(refund["refund_line_items"][0]["quantity"], 1);
  EXPECT_EQ(refund["refund_line_items"][0]["line_item"]["sku"], "TEE-M");
  ASSERT_TRUE(m->create_refund(placed.order_id, 1, "no_restock", kT0 + Duration::seconds(6)).ok());
  EXPECT_EQ(m->counts()["TEE-M"], 3);
  sent = m->take_due_webhooks(kT0 + Duration::seconds(6));
  ASSERT_EQ(sent.size(), 1u);  // no inventory_levels/update without a restock
  ASSERT_TRUE(m->cancel_order(placed.order_id, kT0 + Duration::seconds(7)).ok());
  EXPECT_EQ(m->counts()["TEE-M"], 4);
  sent = m->take_due_webhooks(kT0 + Duration::seconds(7));
  ASSERT_EQ(sent.size(), 2u);
  const json cancelled = json::parse(sent[0].request.body);
  EXPECT_EQ(sent[0].request.headers.get("X-Shopify-Topic"), "orders/cancelled");
  EXPECT_EQ(cancelled["cancelled_at"], "2026-11-27T03:01:47-05:00");
  EXPECT_EQ(cancelled["line_items"][0]["current_quantity"], 1);
  EXPECT_TRUE(m->accepted_orders()[0].cancelled);
  EXPECT_FALSE(m->cancel_order(placed.order_id, kT0).ok());
}

TEST(ShopifyMock, StorefrontSellsOnlyWhatThePlatformShowsAndExternalIdsAreStable) {
  auto m = make_mock();
  EXPECT_EQ(*m->external_ids_json("TEE-S"),
            "{\"inventory_item_id\":39072856,\"location_id\":655441491,\"product_id\":632910392,"
            "\"variant_id\":808950810}");
  EXPECT_FALSE(m->external_ids_json("NOPE").has_value());
  EXPECT_FALSE(m->add_item({"MUG", 1, ""}).ok());
  EXPECT_TRUE(m->place_order("MUG", 3, kT0).accepted);
  const auto refused = m->place_order("MUG", 1, kT0);
  EXPECT_FALSE(refused.accepted);
  EXPECT_EQ(refused.reason, "sold out");
  EXPECT_EQ(m->counts()["MUG"], 0);
  EXPECT_EQ(m->accepted_orders().size(), 1u);
  EXPECT_EQ(m->accepted_orders()[0].quantity, 3);
  EXPECT_EQ(m->platform_name(), "shopify");
}

TEST(ShopifyMock, FaultsOutageErrorsAndNetwork) {
  auto m = make_mock();
  ASSERT_TRUE(m->set_faults_json(R"({"outage":"http_503"})").ok());
  EXPECT_EQ(
      m->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json?location_ids=1"), kT0).status,
      503);
  ASSERT_TRUE(m->set_faults_json(R"({"error_rate_percent":100})").ok());
  HttpResponse r =
      m->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json?location_ids=1"), kT0);
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(r.headers.has("X-Shopify-Shop-Api-Call-Limit"));
  ASSERT_TRUE(m->set_faults_json(R"({"outage":"timeout","latency_ms_base":30})").ok());
  const NetworkConditions n = m->network(kT0);
  EXPECT_EQ(n.transport, NetworkConditions::Transport::kTimeout);
  EXPECT_EQ(n.latency, Duration::milliseconds(30));
}

TEST(ShopifyMock, BadFaultJsonNamesTheKeyAndChangesNothing) {
  auto m = make_mock();
  ASSERT_TRUE(m->set_faults_json(R"({"error_rate_percent":100})").ok());
  base::Status st = m->set_faults_json(R"({"error_rate_percent":0,"throttled_status":302})");
  EXPECT_EQ(st.message(), "$.throttled_status: must be 200 or 429 (0: the config's setting)");
  st = m->set_faults_json(R"({"error_rate_percent":0,"bogus":1})");
  EXPECT_EQ(st.message(), "$.bogus: unknown key");
  EXPECT_FALSE(m->set_faults_json("{not json").ok());
  EXPECT_EQ(
      m->handle(rest("GET", "/admin/api/2026-01/inventory_levels.json?location_ids=1"), kT0).status,
      500);  // the earlier faults still apply
}

TEST(ShopifyMock, ConfigParsesStrictlyWithKeyPaths) {
  ShopifyMockConfig config;
  auto ok = base::JsonReader::parse(
      R"({"shop_domain":"x.myshopify.com","rest_bucket_size":80,"rest_leak_rate_per_s":4,
          "access_tokens":[{"token":"t1","scopes":["write_inventory"]}],
          "graphql_throttled_status":429,"webhook_retry_delays_ms":[1000,2000]})",
      "$.shopify");
  ASSERT_TRUE(parse_shopify_mock_config(ok, &config).ok());
  EXPECT_EQ(config.shop_domain, "x.myshopify.com");
  EXPECT_EQ(config.rest_bucket_size, 80);
  EXPECT_EQ(config.access_tokens.size(), 1u);
  EXPECT_EQ(config.graphql_throttled_status, 429);
  EXPECT_EQ(config.webhook_retry_delays_ms.size(), 2u);
  const ShopifyMockConfig before = config;
  auto bad = base::JsonReader::parse(R"({"rest_bucket_size":0})", "$.shopify");
  EXPECT_EQ(parse_shopify_mock_config(bad, &config).message(),
            "$.shopify.rest_bucket_size: must be between 1 and 100000, got 0");
  auto unknown = base::JsonReader::parse(R"({"shop_domain":"y","extra":true})", "$.shopify");
  EXPECT_EQ(parse_shopify_mock_config(unknown, &config).message(), "$.shopify.extra: unknown key");
  auto nested = base::JsonReader::parse(R"({"access_tokens":[{"token":"t","scope":[]}]})", "$");
  EXPECT_EQ(parse_shopify_mock_config(nested, &config).message(),
            "$.access_tokens[0].scope: unknown key");
  auto version = base::JsonReader::parse(R"({"api_versions":["2026-13"]})", "$");
  EXPECT_EQ(parse_shopify_mock_config(version, &config).message(),
            "$.api_versions: '2026-13' is not YYYY-MM");
  EXPECT_EQ(config.shop_domain, before.shop_domain);  // nothing changed on error
  EXPECT_EQ(config.rest_bucket_size, 80);
}

// A scripted session covering every entry point; returns everything observable, serialised.
std::string scripted_session(uint64_t seed) {
  auto m = make_mock({}, seed);
  std::string log;
  auto record = [&](const HttpResponse& r) {
    log += std::to_string(r.status) + "|";
    for (const auto& [k, v] : r.headers.entries()) log += k + ":" + v + "|";
    log += r.body + "\n";
  };
  EXPECT_TRUE(m->set_faults_json(R"({"webhook_duplicate_percent":40,"webhook_reorder_percent":30,
      "webhook_delay_ms_max":2000,"error_rate_percent":20,"latency_ms_jitter":50})")
                  .ok());
  Instant now = kT0;
  for (int i = 0; i < 30; ++i) {
    now += Duration::milliseconds(170);
    record(m->handle(rest("POST", "/admin/api/2026-01/inventory_levels/set.json",
                          set_levels_body(*m, i % 2 ? "MUG" : "TEE-S", 5 + i)),
                     now));
    record(m->handle(gql("2026-01", kSetMutation,
                         {{"input", set_input(*m, "TEE-M", i, {{"changeFromQuantity", nullptr}})}}),
                     now));
    const auto placed = m->place_order("TEE-S", 1, now);
    log += placed.order_id + placed.reason + "\n";
    if (i % 7 == 3 && placed.accepted) {
      EXPECT_TRUE(m->cancel_order(placed.order_id, now).ok());
    }
    log += std::to_string(m->network(now).latency.ns()) + "\n";
    for (const auto& d : m->take_due_webhooks(now)) {
      log += d.delivery_id + "|" + std::to_string(d.due.ns_since_origin()) + "|";
      for (const auto& [k, v] : d.request.headers.entries()) log += k + ":" + v + "|";
      log += d.request.body + "\n";
      m->on_webhook_result(d.delivery_id, i % 3 == 0 ? 500 : 200, now);
    }
  }
  for (const auto& [k, v] : m->stats()) log += k + "=" + std::to_string(v) + "\n";
  for (const auto& [k, v] : m->counts()) log += k + "=" + std::to_string(v) + "\n";
  return log;
}

TEST(ShopifyMock, SameSeedSameInputsGiveByteIdenticalResponsesAndWebhooks) {
  const std::string a = scripted_session(42);
  const std::string b = scripted_session(42);
  EXPECT_EQ(a, b);
  EXPECT_GT(a.size(), 10'000u);
  EXPECT_NE(a, scripted_session(43));
}

// ---------- bodies: read as nlohmann read them, written byte for byte as nlohmann wrote them ----

TEST(ShopifyBodies, GraphqlResponsesAreTheExactBytesOfBefore) {
  ShopifyMockConfig config;
  config.graphql_bucket_max = 30;
  config.graphql_restore_rate_per_s = 1;
  auto m = make_mock(config);
  const std::string mutation =
      "mutation { inventorySetQuantities(input: $input) @idempotent(key: \"g-1\") { "
      "userErrors { code } } }";
  const json input = {{"name", "available"},
                      {"reason", "correction"},
                      {"referenceDocumentUri", "gid://invsync/SyncJob/1"},
                      {"quantities", json::array({{{"inventoryItemId", item_gid(*m, "MUG")},
                                                   {"locationId", location_gid(*m)},
                                                   {"quantity", 7},
                                                   {"changeFromQuantity", 3}}})}};
  const HttpResponse set = m->handle(gql("2026-04", mutation, {{"input", input}}), kT0);
  EXPECT_EQ(set.body,
            R"({"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":{"id":)"
            R"("gid://shopify/InventoryAdjustmentGroup/1000000001","createdAt":)"
            R"("2026-11-27T08:01:40Z","reason":"correction","referenceDocumentUri":)"
            R"("gid://invsync/SyncJob/1","changes":[{"name":"available","delta":4,)"
            R"("quantityAfterChange":7,"item":{"id":"gid://shopify/InventoryItem/39072858"},)"
            R"("location":{"id":"gid://shopify/Location/655441491"}},{"name":"on_hand",)"
            R"("delta":4,"quantityAfterChange":7,"item":{"id":)"
            R"("gid://shopify/InventoryItem/39072858"},"location":{"id":)"
            R"("gid://shopify/Location/655441491"}}]},"userErrors":[]}},"extensions":{"cost":)"
            R"({"requestedQueryCost":11,"actualQueryCost":11,"throttleStatus":)"
            R"({"maximumAvailable":30.0,"currentlyAvailable":19,"restoreRate":1.0}}}})");
  const json stale_input = set_input(*m, "MUG", 1, {{"changeFromQuantity", 0}});
  const HttpResponse stale = m->handle(gql("2026-01", kSetMutation, {{"input", stale_input}}), kT0);
  EXPECT_EQ(stale.body,
            R"({"data":{"inventorySetQuantities":{"inventoryAdjustmentGroup":null,"userErrors":)"
            R"([{"code":"CHANGE_FROM_QUANTITY_STALE","field":["input","quantities","0",)"
            R"("changeFromQuantity"],"message":"The changeFromQuantity value does not match )"
            R"(persisted value."}]}},"extensions":{"cost":{"requestedQueryCost":11,)"
            R"("actualQueryCost":11,"throttleStatus":{"maximumAvailable":30.0,)"
            R"("currentlyAvailable":8,"restoreRate":1.0}}}})");
  const HttpResponse throttled =
      m->handle(gql("2026-01", kSetMutation, {{"input", stale_input}}), kT0);
  EXPECT_EQ(throttled.body,
            R"({"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED",)"
            R"("documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":)"
            R"({"cost":{"requestedQueryCost":11,"actualQueryCost":null,"throttleStatus":)"
            R"({"maximumAvailable":30.0,"currentlyAvailable":8,"restoreRate":1.0}}}})");
}

TEST(ShopifyBodies, IdempotentReplayIgnoresKeyOrderSpacingAndRepeatedKeys) {
  auto m = make_mock();
  const std::string mutation =
      "mutation { inventorySetQuantities(input: $input) @idempotent(key: \"k-1\") { "
      "userErrors { code } } }";
  std::string query;
  base::JsonWriter::append_escaped(query, mutation);
  auto send = [&](const std::string& input) {
    return body_of(
        m->handle(rest("POST", "/admin/api/2026-04/graphql.json",
                       "{\"query\":" + query + ",\"variables\":{\"input\":" + input + "}}"),
                  kT0));
  };
  const std::string entry = R"({"inventoryItemId":")" + item_gid(*m, "TEE-S") +
                            R"(","locationId":")" + location_gid(*m) +
                            R"(","quantity":4,"changeFromQuantity":10})";
  const json first =
      send(R"({"name":"available","reason":"correction","quantities":[)" + entry + "]}");
  ASSERT_EQ(first["data"]["inventorySetQuantities"]["userErrors"].size(), 0u);
  // The same input, members reordered and spaced, a key repeated (the last one counts).
  const json replay =
      send(R"( { "quantities" : [ )" + entry +
           R"( ], "reason":"restock", "name" : "available", "reason":"correction" })");
  EXPECT_EQ(replay["data"], first["data"]);
  EXPECT_EQ(m->counts()["TEE-S"], 4);
  const json mismatch = send(R"({"reason":"correction","name":"available","reason":"restock",)"
                             R"("quantities":[)" +
                             entry + "]}");
  EXPECT_EQ(mismatch["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
}

TEST(ShopifyBodies, RequestsAreReadAsNlohmannReadThem) {
  auto m = make_mock();
  const std::string lookup = "query { inventoryItems(query: \\\"sku:MUG\\\") { nodes { id } } }";
  // A byte order mark, the last of two "query" keys, and an integer beyond 64 bits (a float to
  // nlohmann, so no page size: the default of 10 is requested).
  const HttpResponse r = m->handle(rest("POST", "/admin/api/2026-01/graphql.json",
                                        "\xEF\xBB\xBF{\"query\":\"ignored\",\"query\":\"" + lookup +
                                            "\",\"variables\":{\"first\":99999999999999999999}}"),
                                   kT0);
  ASSERT_EQ(r.status, 200) << r.body;
  const json b = body_of(r);
  EXPECT_EQ(b["data"]["inventoryItems"]["nodes"][0]["sku"], "MUG");
  EXPECT_EQ(b["extensions"]["cost"]["requestedQueryCost"], 32);
  EXPECT_EQ(m->handle(rest("POST", "/admin/api/2026-01/graphql.json", "{\"query\":1}"), kT0).status,
            400);
}

}  // namespace
}  // namespace invsync::mocks
