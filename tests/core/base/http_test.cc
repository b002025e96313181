#include <gtest/gtest.h>

#include "core/base/http.h"
#include "core/base/url.h"

namespace invsync::base {
namespace {

TEST(HttpHeaders, CaseInsensitiveLookupKeepsOrder) {
  HttpHeaders h;
  h.set("X-Shopify-Topic", "orders/create");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("x-shopify-topic"), "orders/create");
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
  h.set("x-shopify-topic", "orders/cancelled");
  EXPECT_EQ(h.get("X-Shopify-Topic"), "orders/cancelled");
  EXPECT_EQ(h.size(), 3u);
  h.erase("Set-Cookie");
  EXPECT_FALSE(h.has("set-cookie"));
  EXPECT_EQ(h.entries().front().first, "x-shopify-topic");
}

TEST(HttpRequest, SplitsPathAndQuery) {
  HttpRequest r{.method = "GET", .target = "/wp-json/wc/v3/products?sku=A%20B&per_page=100"};
  EXPECT_EQ(r.path(), "/wp-json/wc/v3/products");
  EXPECT_EQ(r.query(), "sku=A%20B&per_page=100");
  auto params = parse_query(r.query());
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(query_param(*params, "sku"), "A B");
  EXPECT_EQ(query_param(*params, "per_page"), "100");
  EXPECT_FALSE(query_param(*params, "page").has_value());
  HttpRequest bare{.target = "/x"};
  EXPECT_EQ(bare.query(), "");
}

TEST(HttpResponse, JsonHelperSetsContentType) {
  HttpResponse r = HttpResponse::json(404, R"({"errors":"Not Found"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.is_success());
  EXPECT_EQ(r.headers.get("content-type"), "application/json; charset=utf-8");
}

TEST(Url, PercentEncodingRoundTrips) {
  EXPECT_EQ(percent_encode("my sku/1"), "my%20sku%2F1");
  EXPECT_EQ(percent_decode("my%20sku%2F1"), "my sku/1");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_FALSE(percent_decode("bad%2").has_value());
  EXPECT_FALSE(percent_decode("bad%zz").has_value());
  EXPECT_FALSE(parse_query("a=%").has_value());
}

}  // namespace
}  // namespace invsync::base
