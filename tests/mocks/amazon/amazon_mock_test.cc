// Tests of the Amazon SP-API mock, one per fidelity checklist item (shared/platforms/
// amazon-etsy.md Part C, items 1-14), plus determinism and strict config/fault parsing.
#include "mocks/amazon/amazon_mock.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/json_reader.h"
#include "core/base/url.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::HttpRequest;
using base::HttpResponse;
using base::Instant;
using nlohmann::json;

constexpr const char* kSeller = "A3INVSYNCMOCK1";
constexpr const char* kUk = "A1F83G8C2ARO7P";
constexpr const char* kQuotaBody =
    R"({"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource.","details":""}]})";

Instant at_s(int64_t s) { return Instant() + Duration::seconds(s); }
Instant at_ms(int64_t ms) { return Instant() + Duration::milliseconds(ms); }

json quantity_patch(int64_t quantity) {
  return json{{"productType", "PRODUCT"},
              {"patches",
               {{{"op", "replace"},
                 {"path", "/attributes/fulfillment_availability"},
                 {"value", {{{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}}}}}}}};
}

json feed_doc(const std::vector<std::pair<std::string, int64_t>>& updates) {
  json doc{{"header", {{"sellerId", kSeller}, {"version", "2.0"}}}, {"messages", json::array()}};
  int64_t id = 1;
  for (const auto& [sku, q] : updates) {
    json m = quantity_patch(q);
    m["messageId"] = id++;
    m["sku"] = sku;
    m["operationType"] = "PATCH";
    doc["messages"].push_back(m);
  }
  return doc;
}

AmazonMockConfig fast_feeds_config() {
  AmazonMockConfig c;
  c.faults.feed_in_queue_ms_min = c.faults.feed_in_queue_ms_max = 1'000;
  c.faults.feed_in_progress_ms_min = c.faults.feed_in_progress_ms_max = 10'000;
  c.order_visibility_delay = Duration::zero();
  return c;
}

class AmazonFidelity : public ::testing::Test {
 protected:
  explicit AmazonFidelity(AmazonMockConfig config = fast_feeds_config(), uint64_t seed = 7)
      : mock_(std::move(config), seed) {
    EXPECT_TRUE(mock_.add_item({"SKU-1", 10}).ok());
    EXPECT_TRUE(mock_.add_item({"my sku", 4}).ok());
    token_ = mock_.issue_access_token(Instant());
  }

  HttpResponse call(const std::string& method, const std::string& target, Instant now,
                    const std::string& body = "", bool with_token = true) {
    HttpRequest r{.method = method, .target = target, .body = body};
    if (with_token) r.headers.set("x-amz-access-token", token_);
    if (!body.empty()) r.headers.set("Content-Type", "application/json");
    return mock_.handle(r, now);
  }
  json body(const HttpResponse& r) { return json::parse(r.body); }

  // createFeedDocument + upload; returns the document id.
  std::string upload(const std::string& content, Instant now) {
    const HttpResponse created =
        call("POST", "/feeds/2021-06-30/documents", now, R"({"contentType":"application/json"})");
    EXPECT_EQ(created.status, 201);
    const json j = body(created);
    put_url(j["url"], "application/json", content, now);
    return j["feedDocumentId"];
  }
  HttpResponse put_url(const std::string& url, const std::string& type, const std::string& content,
                       Instant now) {
    HttpRequest put{.method = "PUT", .target = url.substr(url.find("/s3/")), .body = content};
    put.headers.set("Content-Type", type);
    return mock_.handle(put, now);
  }
  HttpResponse create_feed(const std::string& doc_id, Instant now,
                           const std::string& type = "JSON_LISTINGS_FEED") {
    const json req{{"feedType", type}, {"marketplaceIds", {kUk}}, {"inputFeedDocumentId", doc_id}};
    return call("POST", "/feeds/2021-06-30/feeds", now, req.dump());
  }
  std::string submit_feed(const json& doc, Instant now) {
    const HttpResponse r = create_feed(upload(doc.dump(), now), now);
    EXPECT_EQ(r.status, 202) << r.body;
    return body(r)["feedId"];
  }
  json get_feed(const std::string& id, Instant now) {
    return body(call("GET", "/feeds/2021-06-30/feeds/" + id, now));
  }
  json report(const std::string& feed_id, Instant now) {
    const json feed = get_feed(feed_id, now);
    const json doc = body(call(
        "GET", "/feeds/2021-06-30/documents/" + feed["resultFeedDocumentId"].get<std::string>(),
        now));
    const std::string url = doc["url"];
    HttpRequest get{.method = "GET", .target = url.substr(url.find("/s3/"))};
    return json::parse(mock_.handle(get, now).body);
  }
  json get_item(const std::string& encoded_sku, Instant now, const std::string& included) {
    return body(call("GET",
                     "/listings/2021-08-01/items/" + std::string(kSeller) + "/" + encoded_sku +
                         "?marketplaceIds=" + kUk + included,
                     now));
  }
  int64_t live(const std::string& sku) { return mock_.counts().at(sku); }

  AmazonMock mock_;
  std::string token_;
};

// --- 1. LWA ---

TEST_F(AmazonFidelity, Item01_LwaTokenEndpointAndExpiredTokenGives403NotUnauthorized401) {
  auto lwa = [&](const std::string& form) {
    HttpRequest r{.method = "POST", .target = "/auth/o2/token", .body = form};
    r.headers.set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
    return mock_.handle(r, at_s(0));
  };
  const std::string client = "&client_id=amzn1.application-oa2-client.invsyncmock";
  const HttpResponse ok =
      lwa("grant_type=refresh_token&refresh_token=Atzr%7Cinvsync-mock-refresh-"
          "token" +
          client + "&client_secret=invsync-mock-client-secret");
  ASSERT_EQ(ok.status, 200);
  const json tok = body(ok);
  EXPECT_EQ(tok["token_type"], "bearer");
  EXPECT_EQ(tok["expires_in"], 3600);
  EXPECT_EQ(tok["refresh_token"], "Atzr|invsync-mock-refresh-token");
  EXPECT_EQ(tok["access_token"].get<std::string>().rfind("Atza|", 0), 0u);
  const HttpResponse bad_grant = lwa("grant_type=refresh_token&refresh_token=Atzr%7Cnope" + client +
                                     "&client_secret=invsync-mock-client-secret");
  EXPECT_EQ(bad_grant.status, 400);
  EXPECT_EQ(
      bad_grant.body,
      R"({"error_description":"The request has an invalid grant parameter : refresh_token","error":"invalid_grant"})");
  const HttpResponse bad_secret =
      lwa("grant_type=refresh_token&refresh_token=Atzr%7Cinvsync-mock-refresh-token" + client +
          "&client_secret=wrong");
  EXPECT_EQ(bad_secret.status, 401);
  EXPECT_EQ(bad_secret.body,
            R"({"error_description":"Client authentication failed","error":"invalid_client"})");
  // The new token works until 3600 s, then 403 "expired" (never 401).
  token_ = tok["access_token"];
  EXPECT_EQ(call("GET", "/feeds/2021-06-30/feeds/1", at_s(3599)).status, 404);
  const HttpResponse expired = call("GET", "/feeds/2021-06-30/feeds/1", at_s(3600));
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(
      expired.body,
      R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided has expired."}]})");
  EXPECT_FALSE(expired.headers.has("x-amzn-RateLimit-Limit"));
  token_ = "Atza|forged";
  EXPECT_EQ(body(call("GET", "/feeds/2021-06-30/feeds/1", at_s(1)))["errors"][0]["details"],
            "The access token you provided is revoked, malformed or invalid.");
}

// --- 2. Missing token ---

TEST_F(AmazonFidelity, Item02_MissingAccessTokenGives403AndSigV4HeaderIsIgnored) {
  HttpRequest r{.method = "GET", .target = "/feeds/2021-06-30/feeds/1"};
  r.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20261127/eu-west-1/execute-api");
  const HttpResponse missing = mock_.handle(r, at_s(1));
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(body(missing)["errors"][0]["code"], "Unauthorized");
  EXPECT_EQ(body(missing)["errors"][0]["details"],
            "Access token is missing in the request header.");
  EXPECT_TRUE(missing.headers.has("x-amzn-RequestId"));
  r.headers.set("x-amz-access-token", token_);  // with the token the SigV4 header changes nothing
  EXPECT_EQ(mock_.handle(r, at_s(1)).status, 404);
}

// --- 3. Token buckets ---

TEST_F(AmazonFidelity,
       Item03_SixteenthImmediateCreateFeedGets429WithExactBodyAndNoRateLimitHeader) {
  const std::string doc = upload(feed_doc({{"SKU-1", 1}}).dump(), at_s(0));
  for (int i = 0; i < 15; ++i) {
    // XML feeds are not under the JSON_LISTINGS_FEED cap: only the createFeed bucket counts.
    const HttpResponse r = create_feed(doc, at_s(0), "POST_INVENTORY_AVAILABILITY_DATA");
    ASSERT_EQ(r.status, 202) << i << r.body;
    EXPECT_EQ(r.headers.get("x-amzn-RateLimit-Limit"), "0.0083");
    EXPECT_TRUE(r.headers.has("x-amzn-RequestId"));
  }
  const HttpResponse limited = create_feed(doc, at_s(0), "POST_INVENTORY_AVAILABILITY_DATA");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, kQuotaBody);
  EXPECT_FALSE(limited.headers.has("x-amzn-RateLimit-Limit"));
  EXPECT_TRUE(limited.headers.has("x-amzn-RequestId"));
  // 1 / 0.0083 = 120.48 s until the next token.
  EXPECT_EQ(create_feed(doc, at_s(120), "POST_INVENTORY_AVAILABILITY_DATA").status, 429);
  EXPECT_EQ(create_feed(doc, at_s(121), "POST_INVENTORY_AVAILABILITY_DATA").status, 202);
  EXPECT_EQ(mock_.stats().at("rate_limited.createFeed"), 2);
}

TEST_F(AmazonFidelity, Item03_RateLimitHeaderOn2xx400And404AndBucketsArePerOperation) {
  const HttpResponse not_found = call(
      "GET", "/listings/2021-08-01/items/" + std::string(kSeller) + "/nope?marketplaceIds=" + kUk,
      at_s(0));
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.headers.get("x-amzn-RateLimit-Limit"), "5.0");
  const HttpResponse bad =
      call("GET", "/orders/v0/orders?MarketplaceIds=" + std::string(kUk), at_s(0));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.headers.get("x-amzn-RateLimit-Limit"), "0.0167");
  // getListingsItem burst 5 is spent (one above); getFeed is unaffected.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(get_item("SKU-1", at_s(0), "").count("sku"), 1u);
  EXPECT_EQ(
      call("GET",
           "/listings/2021-08-01/items/" + std::string(kSeller) + "/SKU-1?marketplaceIds=" + kUk,
           at_s(0))
          .status,
      429);
  EXPECT_EQ(call("GET", "/feeds/2021-06-30/feeds/1", at_s(0)).headers.get("x-amzn-RateLimit-Limit"),
            "2.0");
}

TEST_F(AmazonFidelity, Item03_RateLimitPercentFaultScalesTheBuckets) {
  ASSERT_TRUE(mock_.set_faults_json(R"({"rate_limit_percent":20})").ok());
  const std::string target = "/feeds/2021-06-30/feeds/1";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call("GET", target, at_s(0)).status, 404);  // burst 15->3
  const HttpResponse limited = call("GET", target, at_s(0));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(call("GET", target, at_s(3)).headers.get("x-amzn-RateLimit-Limit"), "0.4");
}

// --- 4. JSON_LISTINGS_FEED cap ---

TEST_F(AmazonFidelity, Item04_SixthJsonListingsFeedWithinFiveMinutesGets429WithGeneralTokensLeft) {
  const std::string doc = upload(feed_doc({{"SKU-1", 1}}).dump(), at_s(0));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(create_feed(doc, at_s(i)).status, 202);
  const HttpResponse sixth = create_feed(doc, at_s(10));
  EXPECT_EQ(sixth.status, 429);
  EXPECT_EQ(sixth.body, kQuotaBody);
  EXPECT_FALSE(sixth.headers.has("x-amzn-RateLimit-Limit"));
  // The general createFeed bucket still has tokens: another feed type goes through.
  EXPECT_EQ(create_feed(doc, at_s(10), "POST_INVENTORY_AVAILABILITY_DATA").status, 202);
  EXPECT_EQ(create_feed(doc, at_s(299)).status, 429);
  EXPECT_EQ(create_feed(doc, at_s(301)).status, 202);  // the first submission left the window
}

// --- 5. Feed documents ---

TEST_F(AmazonFidelity, Item05_FeedDocumentUploadContentTypeExpiryAndCreateFeedDocumentChecks) {
  const HttpResponse created = call("POST", "/feeds/2021-06-30/documents", at_s(0),
                                    R"({"contentType":"application/json; charset=UTF-8"})");
  ASSERT_EQ(created.status, 201);
  const json j = body(created);
  const std::string url = j["url"];
  EXPECT_EQ(url.rfind("http://127.0.0.1:8080/s3/tortuga/", 0), 0u);
  EXPECT_NE(url.find("X-Amz-Expires=300"), std::string::npos);
  const HttpResponse mismatch = put_url(url, "application/json", "{}", at_s(1));
  EXPECT_EQ(mismatch.status, 403);
  EXPECT_NE(mismatch.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);
  EXPECT_EQ(put_url(url, "application/json; charset=UTF-8", "{}", at_s(299)).status, 200);
  const HttpResponse expired = put_url(url, "application/json; charset=UTF-8", "{}", at_s(300));
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(expired.headers.get("Content-Type"), "application/xml");
  EXPECT_NE(expired.body.find("<Code>AccessDenied</Code><Message>Request has expired"),
            std::string::npos);
  const std::string doc_id = j["feedDocumentId"];
  const HttpResponse ok = create_feed(doc_id, at_s(400));
  EXPECT_EQ(ok.status, 202);
  EXPECT_FALSE(body(ok)["feedId"].get<std::string>().empty());
  const HttpResponse unknown = create_feed("amzn1.tortuga.4.eu.nope", at_s(400));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(body(unknown)["errors"][0]["code"], "InvalidInput");
  token_ = mock_.issue_access_token(at_s(2 * 86'400));
  EXPECT_EQ(create_feed(doc_id, at_s(2 * 86'400 + 1)).status, 400);  // older than 2 days
}

// --- 6. Feed state machine ---

TEST_F(AmazonFidelity, Item06_FeedStateMachineSequentialSameTypeCancelOnlyInQueueAndXmlFatal) {
  const std::string a = submit_feed(feed_doc({{"SKU-1", 3}}), at_s(0));
  const std::string b = submit_feed(feed_doc({{"SKU-1", 5}}), at_s(0));
  const std::string c = submit_feed(feed_doc({{"SKU-1", 6}}), at_s(0));
  EXPECT_EQ(get_feed(a, at_ms(999))["processingStatus"], "IN_QUEUE");
  EXPECT_EQ(mock_.next_wakeup(), at_ms(1'000));
  EXPECT_EQ(get_feed(a, at_ms(1'000))["processingStatus"], "IN_PROGRESS");
  EXPECT_EQ(get_feed(b, at_ms(5'000))["processingStatus"], "IN_QUEUE");  // waits for a
  const HttpResponse not_queued = call("DELETE", "/feeds/2021-06-30/feeds/" + a, at_ms(5'000));
  EXPECT_EQ(not_queued.status, 400);
  EXPECT_EQ(call("DELETE", "/feeds/2021-06-30/feeds/" + c, at_ms(5'000)).status, 200);
  EXPECT_EQ(get_feed(c, at_ms(5'000))["processingStatus"], "CANCELLED");
  const json done = get_feed(a, at_ms(11'000));
  EXPECT_EQ(done["processingStatus"], "DONE");
  EXPECT_TRUE(done.contains("resultFeedDocumentId"));
  EXPECT_EQ(done["processingEndTime"], "2026-11-27T00:00:11Z");
  EXPECT_EQ(live("SKU-1"), 3);
  EXPECT_EQ(get_feed(b, at_ms(11'000))["processingStatus"], "IN_PROGRESS");
  EXPECT_EQ(get_feed(b, at_ms(21'000))["processingStatus"], "DONE");
  EXPECT_EQ(live("SKU-1"), 5);
  const std::string xml = upload("<AmazonEnvelope/>", at_s(30));
  const std::string x =
      body(create_feed(xml, at_s(30), "POST_INVENTORY_AVAILABILITY_DATA"))["feedId"];
  mock_.advance(at_s(60));
  EXPECT_EQ(mock_.feed_status(x), FeedStatus::kFatal);
  EXPECT_EQ(mock_.stats().at("feeds_fatal"), 1);
}

// --- 7. Feed validation ---

TEST_F(AmazonFidelity, Item07_FeedValidationIssuesAndSummaryCountsAdd) {
  json doc = feed_doc({{"SKU-1", 8}, {"my sku", 2}, {"SKU-1", 1}, {"SKU-1", 4}});
  doc["messages"][1]["messageId"] = 1;            // duplicate of message 1
  doc["messages"][2].erase("productType");        // PATCH without productType
  doc["messages"][3]["patches"] = json::array();  // PATCH without patches
  const std::string id = submit_feed(doc, at_s(0));
  const json r = report(id, at_s(20));
  EXPECT_EQ(r["header"]["feedId"], id);
  EXPECT_EQ(r["header"]["version"], "2.0");
  EXPECT_EQ(r["summary"]["messagesProcessed"], 4);
  EXPECT_EQ(r["summary"]["messagesAccepted"], 1);
  EXPECT_EQ(r["summary"]["messagesInvalid"], 3);
  ASSERT_EQ(r["issues"].size(), 3u);
  EXPECT_EQ(r["issues"][1]["message"], "'productType' is required but not supplied.");
  EXPECT_EQ(r["issues"][1]["messageId"], 3);
  EXPECT_EQ(r["issues"][1]["sku"], "SKU-1");
  EXPECT_EQ(live("SKU-1"), 8);
  EXPECT_EQ(live("my sku"), 4);
  // Feed-level: wrong header.version, and 25,001 messages.
  json bad_version = feed_doc({{"SKU-1", 1}});
  bad_version["header"]["version"] = "1.0";
  const std::string v = submit_feed(bad_version, at_s(100));
  std::vector<std::pair<std::string, int64_t>> many(25'001, {"SKU-1", 1});
  const std::string m = submit_feed(feed_doc(many), at_s(100));
  EXPECT_EQ(get_feed(v, at_s(200))["processingStatus"], "FATAL");
  EXPECT_NE(report(v, at_s(200))["issues"][0]["message"].get<std::string>().find("version"),
            std::string::npos);
  EXPECT_EQ(get_feed(m, at_s(200))["processingStatus"], "FATAL");
  EXPECT_NE(report(m, at_s(200))["issues"][0]["message"].get<std::string>().find("25000"),
            std::string::npos);
  // getFeedDocument returns no compressionAlgorithm: reports are not GZIP'd by this mock.
  EXPECT_EQ(live("SKU-1"), 8);
}

// --- 8. Accepted but not applied ---

TEST_F(AmazonFidelity, Item08_AcceptedButNotAppliedFaultsAndApplyLagSeenViaGetListingsItem) {
  ASSERT_TRUE(mock_.set_faults_json(R"({"not_applied_percent":100})").ok());
  const std::string id = submit_feed(feed_doc({{"SKU-1", 2}}), at_s(0));
  const json r = report(id, at_s(20));
  EXPECT_EQ(get_feed(id, at_s(20))["processingStatus"], "DONE");
  EXPECT_EQ(r["summary"]["errors"], 0);
  EXPECT_EQ(r["summary"]["messagesAccepted"], 1);
  const json item = get_item("SKU-1", at_s(20), "&includedData=attributes,fulfillmentAvailability");
  EXPECT_EQ(item["fulfillmentAvailability"][0]["quantity"], 10);  // never applied
  EXPECT_EQ(item["attributes"]["fulfillment_availability"][0]["quantity"], 2);
  const std::string patch_target =
      "/listings/2021-08-01/items/" + std::string(kSeller) + "/SKU-1?marketplaceIds=" + kUk;
  const HttpResponse p = call("PATCH", patch_target, at_s(30), quantity_patch(6).dump());
  EXPECT_EQ(body(p)["status"], "ACCEPTED");
  EXPECT_EQ(live("SKU-1"), 10);
  EXPECT_EQ(mock_.stats().at("not_applied"), 2);
  // Apply lag: visible only after 90 s.
  ASSERT_TRUE(mock_.set_faults_json(R"({"apply_lag_ms":90000})").ok());
  EXPECT_EQ(body(call("PATCH", patch_target, at_s(40), quantity_patch(7).dump()))["status"],
            "ACCEPTED");
  mock_.advance(at_s(129));
  EXPECT_EQ(live("SKU-1"), 10);
  EXPECT_EQ(mock_.next_wakeup(), at_s(130));
  mock_.advance(at_s(130));
  EXPECT_EQ(live("SKU-1"), 7);
}

// --- 9. patchListingsItem ---

TEST_F(AmazonFidelity, Item09_PatchListingsItemInvalidValidationPreviewAndEncodedSku) {
  const std::string base = "/listings/2021-08-01/items/" + std::string(kSeller) + "/";
  json no_type = quantity_patch(3);
  no_type.erase("productType");
  const HttpResponse invalid =
      call("PATCH", base + "my%20sku?marketplaceIds=" + kUk, at_s(0), no_type.dump());
  EXPECT_EQ(invalid.status, 200);
  const json iv = body(invalid);
  EXPECT_EQ(iv["sku"], "my sku");
  EXPECT_EQ(iv["status"], "INVALID");
  EXPECT_EQ(iv["issues"][0]["severity"], "ERROR");
  EXPECT_TRUE(iv["issues"][0].contains("categories"));
  EXPECT_FALSE(iv["submissionId"].get<std::string>().empty());
  EXPECT_EQ(body(call("PATCH", base + "my%20sku?marketplaceIds=" + std::string(kUk), at_s(0),
                      quantity_patch(-1).dump()))["status"],
            "INVALID");
  const HttpResponse preview = call(
      "PATCH", base + "my%20sku?marketplaceIds=" + std::string(kUk) + "&mode=VALIDATION_PREVIEW",
      at_s(1), quantity_patch(1).dump());
  EXPECT_EQ(body(preview)["status"], "VALID");
  EXPECT_EQ(live("my sku"), 4);
  const json ok = body(call("PATCH", base + "my%20sku?marketplaceIds=" + std::string(kUk), at_s(2),
                            quantity_patch(9).dump()));
  EXPECT_EQ(ok["status"], "ACCEPTED");
  EXPECT_EQ(ok["issues"], json::array());
  EXPECT_EQ(live("my sku"), 9);
}

// --- 10. getListingsItem ---

TEST_F(AmazonFidelity, Item10_GetListingsItemIncludedDataNotFoundAndDivergentView) {
  const json summaries = get_item("SKU-1", at_s(0), "");
  EXPECT_TRUE(summaries.contains("summaries"));
  EXPECT_FALSE(summaries.contains("fulfillmentAvailability"));
  EXPECT_EQ(summaries["summaries"][0]["asin"].get<std::string>().size(), 10u);
  const json fa = get_item("SKU-1", at_s(0), "&includedData=fulfillmentAvailability");
  EXPECT_EQ(fa["fulfillmentAvailability"],
            json::parse(R"([{"fulfillmentChannelCode":"DEFAULT","quantity":10}])"));
  EXPECT_FALSE(fa.contains("summaries"));
  const HttpResponse missing = call(
      "GET", "/listings/2021-08-01/items/" + std::string(kSeller) + "/NOPE?marketplaceIds=" + kUk,
      at_s(1));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(body(missing)["errors"][0]["code"], "NOT_FOUND");
  EXPECT_EQ(body(missing)["errors"][0]["message"],
            "SKU 'NOPE' not found in marketplace A1F83G8C2ARO7P");
  // Divergent view (fault): the attribute shows the write, the live offer does not.
  ASSERT_TRUE(mock_.set_faults_json(R"({"not_applied_percent":100})").ok());
  call("PATCH",
       "/listings/2021-08-01/items/" + std::string(kSeller) + "/SKU-1?marketplaceIds=" + kUk,
       at_s(2), quantity_patch(1).dump());
  const json both = get_item("SKU-1", at_s(3), "&includedData=attributes,fulfillmentAvailability");
  EXPECT_EQ(both["attributes"]["fulfillment_availability"][0]["quantity"], 1);
  EXPECT_EQ(both["fulfillmentAvailability"][0]["quantity"], 10);
}

// --- 11. Orders v0 ---

TEST_F(AmazonFidelity, Item11_GetOrdersInvalidInputRulesPaginationItemsAndOwnBucket) {
  const std::string q = "/orders/v0/orders?MarketplaceIds=" + std::string(kUk);
  const std::string invalid_body =
      R"({"errors":[{"code":"InvalidInput","message":"The input you have submitted is not valid. Please check your input and try again.","details":")";
  const HttpResponse neither = call("GET", q, at_s(600));
  EXPECT_EQ(neither.status, 400);
  EXPECT_EQ(neither.body.rfind(invalid_body, 0), 0u);
  EXPECT_EQ(
      call("GET", q + "&CreatedAfter=2026-11-27T00:00:00Z&LastUpdatedAfter=2026-11-27T00:00:00Z",
           at_s(600))
          .status,
      400);
  EXPECT_EQ(call("GET", q + "&CreatedAfter=2026-11-27T00:00:00Z&CreatedBefore=2026-11-27T00:09:00Z",
                 at_s(600))
                .status,
            400);
  EXPECT_EQ(call("GET", q + "&CreatedAfter=yesterday", at_s(600)).status, 400);
  EXPECT_EQ(
      call("GET", q + "&CreatedAfter=2026-11-27T00:00:00Z&MaxResultsPerPage=101", at_s(600)).status,
      400);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(mock_.place_order("SKU-1", 1, at_s(600 + i)).accepted);
  const std::string window = q + "&CreatedAfter=2026-11-27T00:00:00Z&MaxResultsPerPage=2";
  const json page1 = body(call("GET", window, at_s(900)));
  ASSERT_EQ(page1["payload"]["Orders"].size(), 2u);
  EXPECT_EQ(page1["payload"]["Orders"][0]["OrderStatus"], "Unshipped");
  const json page2 = body(call(
      "GET",
      q + "&NextToken=" + base::percent_encode(page1["payload"]["NextToken"].get<std::string>()),
      at_s(900)));
  ASSERT_EQ(page2["payload"]["Orders"].size(), 1u);
  EXPECT_FALSE(page2["payload"].contains("NextToken"));
  // Items: no pricing while Pending; pricing once Unshipped.
  const std::string pending = mock_.place_order("SKU-1", 2, at_s(1000)).order_id;
  const json items = body(call("GET", "/orders/v0/orders/" + pending + "/orderItems", at_s(1000)));
  EXPECT_EQ(items["payload"]["OrderItems"][0]["SellerSKU"], "SKU-1");
  EXPECT_EQ(items["payload"]["OrderItems"][0]["QuantityOrdered"], 2);
  EXPECT_FALSE(items["payload"]["OrderItems"][0].contains("ItemPrice"));
  const json later = body(call("GET", "/orders/v0/orders/" + pending + "/orderItems", at_s(1400)));
  EXPECT_EQ(later["payload"]["OrderItems"][0]["ItemPrice"]["Amount"], "19.98");
  // getOrders bucket: burst 20 (refilled by now), 0.0167/s.
  int ok = 0;
  for (int i = 0; i < 20; ++i) ok += call("GET", window, at_s(1400)).status == 200 ? 1 : 0;
  EXPECT_EQ(ok, 20);
  const HttpResponse limited = call("GET", window, at_s(1400));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, kQuotaBody);
  EXPECT_EQ(call("GET", window, at_s(1459)).status, 429);
  EXPECT_EQ(call("GET", window, at_s(1460)).status, 200);  // 1 / 0.0167 = 59.9 s
}

TEST_F(AmazonFidelity, Item11_OrdersBecomeVisibleAfterDelayAndCancelMovesLastUpdateDate) {
  AmazonMockConfig c;
  c.order_visibility_delay = Duration::seconds(90);
  AmazonMock m(c, 3);
  ASSERT_TRUE(m.add_item({"A", 5}).ok());
  const std::string token = m.issue_access_token(Instant());
  const std::string id = m.place_order("A", 1, at_s(10)).order_id;
  EXPECT_EQ(m.next_wakeup(), at_s(100));
  HttpRequest r{.method = "GET", .target = "/orders/v0/orders/" + id};
  r.headers.set("x-amz-access-token", token);
  EXPECT_EQ(m.handle(r, at_s(99)).status, 404);
  EXPECT_EQ(json::parse(m.handle(r, at_s(100)).body)["payload"]["OrderStatus"], "Pending");
  ASSERT_TRUE(m.cancel_order(id, at_s(200)).ok());
  const json o = json::parse(m.handle(r, at_s(201)).body)["payload"];
  EXPECT_EQ(o["OrderStatus"], "Canceled");
  EXPECT_EQ(o["LastUpdateDate"], "2026-11-27T00:03:20Z");
  EXPECT_TRUE(m.accepted_orders()[0].cancelled);
}

// --- 12. ORDER_CHANGE notifications ---

TEST_F(AmazonFidelity, Item12_OrderChangeNotificationsCarryTheA4JsonAndAreRedeliveredUntilAcked) {
  AmazonMockConfig c;
  c.order_change_notifications = true;
  c.order_visibility_delay = Duration::seconds(5);
  AmazonMock m(c, 9);
  ASSERT_TRUE(m.add_item({"A", 5}).ok());
  const std::string id = m.place_order("A", 2, at_s(0)).order_id;
  EXPECT_EQ(m.next_wakeup(), at_s(5));
  auto due = m.take_due_webhooks(at_s(5));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].request.target, "/webhooks/amazon/notifications");
  const json n = json::parse(due[0].request.body);
  EXPECT_EQ(n["NotificationType"], "ORDER_CHANGE");
  EXPECT_EQ(n["NotificationVersion"], "1.0");
  const json& change = n["Payload"]["OrderChangeNotification"];
  EXPECT_EQ(change["AmazonOrderId"], id);
  EXPECT_EQ(change["Summary"]["OrderStatus"], "Pending");
  EXPECT_EQ(change["Summary"]["OrderItems"][0]["SellerSKU"], "A");
  EXPECT_EQ(change["Summary"]["OrderItems"][0]["Quantity"], 2);
  m.on_webhook_result(due[0].delivery_id, 500, at_s(6));
  EXPECT_EQ(m.take_due_webhooks(at_s(35)).size(), 0u);
  auto again = m.take_due_webhooks(at_s(36));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].request.body, due[0].request.body);
  m.on_webhook_result(again[0].delivery_id, 200, at_s(36));
  ASSERT_TRUE(m.cancel_order(id, at_s(40)).ok());
  auto cancelled = m.take_due_webhooks(at_s(40));
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(json::parse(cancelled[0].request.body)["Payload"]["OrderChangeNotification"]["Summary"]
                                                  ["OrderItems"][0]["IsBuyerRequestedCancel"],
            true);
}

// --- 13. Auto-decrement ---

TEST_F(AmazonFidelity, Item13_AutoDecrementOnOrderIsASettingDefaultOff) {
  AmazonMock off(AmazonMockConfig{}, 1);
  ASSERT_TRUE(off.add_item({"A", 5}).ok());
  ASSERT_TRUE(off.place_order("A", 2, at_s(1)).accepted);
  EXPECT_EQ(off.counts().at("A"), 5);
  AmazonMockConfig c;
  c.auto_decrement_on_order = true;
  AmazonMock on(c, 1);
  ASSERT_TRUE(on.add_item({"A", 5}).ok());
  const std::string id = on.place_order("A", 2, at_s(1)).order_id;
  EXPECT_EQ(on.counts().at("A"), 3);
  EXPECT_FALSE(on.place_order("A", 4, at_s(2)).accepted);  // the platform's own view refuses
  ASSERT_TRUE(on.cancel_order(id, at_s(3)).ok());
  EXPECT_EQ(on.counts().at("A"), 5);
}

// --- 14. 5xx faults ---

TEST_F(AmazonFidelity, Item14_InternalFailureJson503HtmlAndEmpty200Faults) {
  const std::string target = "/feeds/2021-06-30/feeds/1";
  ASSERT_TRUE(mock_.set_faults_json(R"({"error_rate_percent":100})").ok());
  const HttpResponse e500 = call("GET", target, at_s(0));
  EXPECT_EQ(e500.status, 500);
  EXPECT_EQ(
      e500.body,
      R"({"errors":[{"code":"InternalFailure","message":"We encountered an internal error. Please try again.","details":""}]})");
  ASSERT_TRUE(mock_.set_faults_json(R"({"http_503_html_percent":100})").ok());
  const HttpResponse e503 = call("GET", target, at_s(1));
  EXPECT_EQ(e503.status, 503);
  EXPECT_EQ(e503.headers.get("Content-Type"), "text/html");
  EXPECT_NE(e503.body.find("Website Temporarily Unavailable"), std::string::npos);
  ASSERT_TRUE(mock_.set_faults_json(R"({"empty_200_percent":100})").ok());
  const HttpResponse empty = call(
      "GET", "/listings/2021-08-01/items/" + std::string(kSeller) + "/SKU-1?marketplaceIds=" + kUk,
      at_s(2));
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body.empty());
  ASSERT_TRUE(mock_.set_faults_json(R"({"outage":"http_503"})").ok());
  EXPECT_EQ(call("GET", target, at_s(3)).status, 503);
}

// --- determinism, config, faults ---

std::vector<std::string> scripted_session(uint64_t seed) {
  AmazonMockConfig c;
  c.faults.not_applied_percent = 30;
  c.faults.common.error_rate_percent = 10;
  AmazonMock m(c, seed);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(m.add_item({"S" + std::to_string(i), 10}).ok());
  std::vector<std::string> out;
  auto record = [&](HttpRequest r, Instant now) {
    const HttpResponse resp = m.handle(r, now);
    std::string line = std::to_string(resp.status) + " " + resp.body;
    for (const auto& [k, v] : resp.headers.entries()) line += "|" + k + "=" + v;
    out.push_back(line);
    return resp;
  };
  HttpRequest lwa{.method = "POST",
                  .target = "/auth/o2/token",
                  .body =
                      "grant_type=refresh_token&refresh_token=Atzr%7Cinvsync-mock-refresh-token"
                      "&client_id=amzn1.application-oa2-client.invsyncmock"
                      "&client_secret=invsync-mock-client-secret"};
  const std::string token = json::parse(record(lwa, at_s(0)).body)["access_token"];
  for (int i = 0; i < 40; ++i) {
    HttpRequest r{
        .method = i % 3 == 0 ? "PATCH" : "GET",
        .target = "/listings/2021-08-01/items/A3INVSYNCMOCK1/S" + std::to_string(i % 5) +
                  "?marketplaceIds=A1F83G8C2ARO7P&includedData=summaries,fulfillmentAvailability"};
    r.headers.set("x-amz-access-token", token);
    if (r.method == "PATCH") r.body = quantity_patch(i).dump();
    record(r, at_s(i));
    if (i % 7 == 0) m.place_order("S" + std::to_string(i % 5), 1, at_s(i));
  }
  HttpRequest orders{.method = "GET",
                     .target =
                         "/orders/v0/orders?MarketplaceIds=A1F83G8C2ARO7P"
                         "&CreatedAfter=2026-11-27T00:00:00Z"};
  orders.headers.set("x-amz-access-token", token);
  record(orders, at_s(500));
  return out;
}

TEST(AmazonMockDeterminism, SameSeedAndInputsGiveByteIdenticalResponses) {
  const auto a = scripted_session(11);
  const auto b = scripted_session(11);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, scripted_session(12));
}

TEST(AmazonMockConfigTest, ParsesKeysAndRejectsBadOnesWithPath) {
  auto ok = base::JsonReader::parse(
      R"({"seller_id":"S1","rate_limits":{"createFeed":{"rate_per_s":0.0167,"burst":3}},
          "wall_origin":"2027-01-01T00:00:00Z","notifications":{"order_change":true},
          "faults":{"feed_in_queue_ms_max":5000,"not_applied_percent":5}})");
  AmazonMockConfig c;
  ASSERT_TRUE(parse_amazon_mock_config(ok, &c).ok());
  EXPECT_EQ(c.seller_id, "S1");
  EXPECT_EQ(c.rate_limits.at("createFeed").rate_micro_per_s, 16'700);
  EXPECT_EQ(c.rate_limits.at("createFeed").burst, 3);
  EXPECT_TRUE(c.order_change_notifications);
  EXPECT_EQ(c.faults.not_applied_percent, 5u);
  EXPECT_EQ(base::format_iso8601_utc(c.wall_origin), "2027-01-01T00:00:00Z");
  auto expect_error = [](const char* text, const char* message) {
    auto r = base::JsonReader::parse(text, "$.amazon");
    AmazonMockConfig cfg;
    const base::Status st = parse_amazon_mock_config(r, &cfg);
    EXPECT_EQ(st.message(), message) << text;
    EXPECT_EQ(cfg.seller_id, AmazonMockConfig{}.seller_id);
  };
  expect_error(R"({"seller_id":"X","bogus":1})", "$.amazon.bogus: unknown key");
  expect_error(R"({"rate_limits":{"nope":{"rate_per_s":1,"burst":1}}})",
               "$.amazon.rate_limits.nope: unknown operation");
  expect_error(R"({"rate_limits":{"getFeed":{"rate_per_s":1}}})",
               "$.amazon.rate_limits.getFeed.burst: is required");
  expect_error(R"({"faults":{"feed_fatal_percent":101}})",
               "$.amazon.faults.feed_fatal_percent: must be between 0 and 100, got 101");
  expect_error(
      R"({"notifications":{"level":"Shop"}})",
      "$.amazon.notifications.level: must be one of OrderLevel, OrderItemLevel, got 'Shop'");
}

TEST(AmazonMockFaults, BadFaultJsonNamesTheKeyAndChangesNothing) {
  AmazonMock m(AmazonMockConfig{}, 1);
  ASSERT_TRUE(m.set_faults_json(R"({"not_applied_percent":40,"feed_in_queue_ms_min":0})").ok());
  const base::Status bad = m.set_faults_json(R"({"not_applied_percent":10,"http_503_percent":5})");
  EXPECT_EQ(bad.message(), "$.http_503_percent: unknown key");
  EXPECT_EQ(m.faults().not_applied_percent, 40u);
  const base::Status order =
      m.set_faults_json(R"({"feed_in_progress_ms_min":10,"feed_in_progress_ms_max":5})");
  EXPECT_EQ(order.message(), "$.feed_in_progress_ms_max: must be >= feed_in_progress_ms_min");
  EXPECT_FALSE(m.set_faults_json("[1]").ok());
  EXPECT_EQ(m.faults().not_applied_percent, 40u);
}

TEST(AmazonMockCatalogue, ExternalIdsAndCounts) {
  AmazonMock m(AmazonMockConfig{}, 1);
  ASSERT_TRUE(m.add_item({"A", 3}).ok());
  EXPECT_FALSE(m.add_item({"A", 3}).ok());
  const json ids = json::parse(*m.external_ids_json("A"));
  EXPECT_EQ(ids["seller_id"], "A3INVSYNCMOCK1");
  EXPECT_EQ(ids["marketplace_id"], "A1F83G8C2ARO7P");
  EXPECT_EQ(ids["asin"].get<std::string>().substr(0, 2), "B0");
  EXPECT_FALSE(m.external_ids_json("B").has_value());
  EXPECT_EQ(m.counts().at("A"), 3);
}

}  // namespace
}  // namespace invsync::mocks
