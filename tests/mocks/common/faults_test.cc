#include <gtest/gtest.h>

#include "core/base/json_reader.h"
#include "mocks/common/faults.h"

namespace invsync::mocks {
namespace {

using base::Duration;
using base::Instant;

TEST(Faults, ParsesCommonKeysAndRejectsUnknownOnesWithPath) {
  auto r = base::JsonReader::parse(R"({"outage":"http_503","error_rate_percent":5,"bogus":1})",
                                   "$.faults");
  CommonFaults f;
  parse_common_faults(r, &f);
  const base::Status st = r.finish();
  EXPECT_TRUE(st.is_invalid_argument());
  EXPECT_EQ(st.message(), "$.faults.bogus: unknown key");
  auto bad = base::JsonReader::parse(R"({"rate_limit_percent":0})");
  parse_common_faults(bad, &f);
  EXPECT_NE(bad.finish().message().find("$.rate_limit_percent: must be between 1 and 1000"),
            std::string::npos);
  auto good = base::JsonReader::parse(R"({"outage":"http_503","latency_ms_base":40})");
  CommonFaults g;
  parse_common_faults(good, &g);
  ASSERT_TRUE(good.finish().ok());
  EXPECT_EQ(g.outage, Outage::kHttp503);
  auto page = outage_response(g);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 503);
  EXPECT_EQ(page->headers.get("content-type"), "text/html");
}

TEST(Faults, NetworkConditionsFollowTheOutage) {
  base::Prng prng(1);
  CommonFaults f;
  f.latency_ms_base = 20;
  f.latency_ms_jitter = 10;
  const auto ok = draw_network(f, prng);
  EXPECT_EQ(ok.transport, NetworkConditions::Transport::kDelivered);
  EXPECT_GE(ok.latency, Duration::milliseconds(20));
  EXPECT_LE(ok.latency, Duration::milliseconds(30));
  f.outage = Outage::kRefused;
  EXPECT_EQ(draw_network(f, prng).transport, NetworkConditions::Transport::kRefused);
  f.outage = Outage::kTimeout;
  EXPECT_EQ(draw_network(f, prng).transport, NetworkConditions::Transport::kTimeout);
}

WebhookDelivery delivery(const char* id, Instant due) {
  return WebhookDelivery{id, due, base::HttpRequest{.method = "POST", .target = "/hook"}};
}

TEST(WebhookQueue, OrdersByDueThenArrival) {
  WebhookQueue q;
  base::Prng prng(1);
  CommonFaults none;
  q.push(delivery("b", Instant::from_ns(20)), none, prng);
  q.push(delivery("a", Instant::from_ns(10)), none, prng);
  q.push(delivery("c", Instant::from_ns(20)), none, prng);
  EXPECT_EQ(q.next_due(), Instant::from_ns(10));
  EXPECT_TRUE(q.take_due(Instant::from_ns(9)).empty());
  auto due = q.take_due(Instant::from_ns(20));
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].delivery_id, "a");
  EXPECT_EQ(due[1].delivery_id, "b");
  EXPECT_EQ(due[2].delivery_id, "c");
}

TEST(WebhookQueue, DropAndDuplicateFaults) {
  base::Prng prng(2);
  CommonFaults f;
  f.webhook_duplicate_percent = 100;
  WebhookQueue dup;
  dup.push(delivery("x", Instant::from_ns(0)), f, prng);
  EXPECT_EQ(dup.size(), 2u);
  EXPECT_EQ(dup.duplicated(), 1);
  f = CommonFaults{};
  f.webhook_drop_percent = 100;
  WebhookQueue drop;
  drop.push(delivery("y", Instant::from_ns(0)), f, prng);
  EXPECT_EQ(drop.size(), 0u);
  EXPECT_EQ(drop.dropped(), 1);
}

}  // namespace
}  // namespace invsync::mocks
