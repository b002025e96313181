#include <gtest/gtest.h>

#include <string>

#include "sim/sim_scheduler.h"

namespace invsync::sim {
namespace {

using base::Duration;
using base::Instant;

TEST(SimScheduler, RunsByTimeThenFifoAndJumpsTheClock) {
  base::ManualClock clock;
  SimScheduler s(clock);
  std::string order;
  s.run_after(Duration::seconds(5), [&] { order += "c"; });
  s.run_after(Duration::seconds(1), [&] { order += "a"; });
  s.run_after(Duration::seconds(1), [&] { order += "b"; });  // same time: after "a"
  s.post([&] { order += "0"; });
  EXPECT_EQ(s.next_time(), Instant());
  EXPECT_EQ(s.run_all(), 4u);
  EXPECT_EQ(order, "0abc");
  EXPECT_EQ(clock.monotonic_now(), Instant() + Duration::seconds(5));
}

TEST(SimScheduler, CancelledTimersNeverRun) {
  base::ManualClock clock;
  SimScheduler s(clock);
  int runs = 0;
  const auto id = s.run_after(Duration::seconds(1), [&] { ++runs; });
  s.run_after(Duration::seconds(2), [&] { ++runs; });
  EXPECT_TRUE(s.cancel(id));
  EXPECT_FALSE(s.cancel(id));
  EXPECT_EQ(s.next_time(), Instant() + Duration::seconds(2));
  s.run_all();
  EXPECT_EQ(runs, 1);
}

TEST(SimScheduler, RunUntilStopsAtTheDeadlineAndTasksCanScheduleMore) {
  base::ManualClock clock;
  SimScheduler s(clock);
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    s.run_after(Duration::seconds(1), tick);
  };
  s.post(tick);
  s.run_until(Instant() + Duration::seconds(10));
  EXPECT_EQ(ticks, 11);  // t = 0..10
  EXPECT_EQ(clock.monotonic_now(), Instant() + Duration::seconds(10));
  EXPECT_EQ(s.pending(), 1u);
}

}  // namespace
}  // namespace invsync::sim
