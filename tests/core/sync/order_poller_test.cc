// OrderPoller's gap between polls, on the real engine (Amazon connector and mock, SimNetwork,
// virtual time): a burst of pokes (thin order notifications) costs one poll now and one when the
// gap has passed, not one poll each; a poke after the gap polls at once; gap 0 polls every time.
#include <gtest/gtest.h>

#include <string>

#include "tests/core/sync/engine_harness.h"

namespace invsync::engine_test {
namespace {

ChannelPlan polled_amazon(Duration gap_min) {
  return ChannelPlan{.platform = "amazon",
                     .faults = {{"latency_ms_base", 20}},
                     .tune = [gap_min](app::ChannelConfig& cc) {
                       cc.orders_poll_enabled = true;
                       cc.orders_poll.interval = Duration::minutes(10);
                       cc.orders_poll.gap_min = gap_min;
                       cc.reconcile.first_delay = Duration::hours(1);
                     }};
}

// getOrders requests the engine sent (the poller's first page of each poll).
int64_t order_polls_sent(const Engine& engine) {
  int64_t n = 0;
  for (const Exchange& e : engine.recorder().exchanges()) {
    if (e.request.method == "GET" && e.request.path() == "/orders/v0/orders") ++n;
  }
  return n;
}

// Ten pokes 100 ms apart, starting at t = 1 s.
void poke_burst(Engine& engine, sync::OrderPoller& poller) {
  for (int i = 0; i < 10; ++i) {
    engine.at(Duration::milliseconds(1'000 + 100 * i), [&poller] { poller.poll_now(); });
  }
}

TEST(OrderPollerGap, ABurstOfPokesCostsOnePollNowAndOneAfterTheGap) {
  Engine engine({{"SKU-A", 5}}, {polled_amazon(Duration::seconds(5))});
  ASSERT_TRUE(engine.build().ok());
  sync::OrderPoller& poller = *engine.service_channel(0).poller;
  poke_burst(engine, poller);
  engine.run_until(Duration::milliseconds(5'900));
  EXPECT_EQ(poller.stats().polls, 1);
  EXPECT_EQ(poller.stats().deferred, 1);
  engine.run_until(Duration::seconds(7));
  EXPECT_EQ(poller.stats().polls, 2) << "the deferred poll runs once the gap has passed";
  EXPECT_EQ(order_polls_sent(engine), 2);

  // Long after the gap, a poke polls at once.
  engine.at(Duration::seconds(30), [&poller] { poller.poll_now(); });
  engine.run_until(Duration::milliseconds(30'001));
  EXPECT_EQ(poller.stats().polls, 3);
  EXPECT_EQ(poller.stats().deferred, 1);
  EXPECT_EQ(poller.stats().errors, 0);
}

TEST(OrderPollerGap, GapZeroPollsForEveryPokeThatFindsItIdle) {
  Engine engine({{"SKU-A", 5}}, {polled_amazon(Duration::zero())});
  ASSERT_TRUE(engine.build().ok());
  sync::OrderPoller& poller = *engine.service_channel(0).poller;
  poke_burst(engine, poller);
  engine.run_until(Duration::seconds(7));
  // A poll takes ~20 ms of latency each way, so every poke 100 ms apart finds the poller idle.
  EXPECT_EQ(poller.stats().polls, 10);
  EXPECT_EQ(poller.stats().deferred, 0);
  EXPECT_EQ(order_polls_sent(engine), 10);
}

}  // namespace
}  // namespace invsync::engine_test
