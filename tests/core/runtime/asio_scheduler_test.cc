// AsioScheduler in real time: order of posted tasks, timer order (deadline, then creation),
// cancel, cross-thread use, stop. Durations are tiny and every wait is a future with a generous
// timeout; nothing asserts how fast anything ran.
#include "core/runtime/asio_scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace invsync::runtime {
namespace {

using base::Duration;
constexpr auto kWait = std::chrono::seconds(10);

// A scheduler whose loop runs on its own thread for the test's lifetime.
class LoopFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_ = std::thread([this] { scheduler_.run(); });
  }
  void TearDown() override {
    scheduler_.stop();
    loop_.join();
  }
  // Runs `f` on the loop and waits for it.
  void on_loop(std::function<void()> f) {
    std::promise<void> done;
    scheduler_.post([&] {
      f();
      done.set_value();
    });
    ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  }

  AsioScheduler scheduler_;
  std::thread loop_;
};

TEST_F(LoopFixture, PostedTasksRunInPostingOrderOnTheLoopThread) {
  std::vector<int> order;
  bool all_on_loop = true;
  std::promise<void> done;
  for (int i = 0; i < 100; ++i) {
    scheduler_.post([&, i] {
      all_on_loop = all_on_loop && scheduler_.in_loop_thread();
      order.push_back(i);
      if (i == 99) done.set_value();
    });
  }
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
  EXPECT_TRUE(all_on_loop);
  EXPECT_FALSE(scheduler_.in_loop_thread());
}

TEST_F(LoopFixture, TimersFireByDeadlineThenCreationOrder) {
  std::vector<std::string> order;
  std::promise<void> done;
  on_loop([&] {
    scheduler_.run_after(Duration::milliseconds(30), [&] {
      order.push_back("late");
      done.set_value();
    });
    scheduler_.run_after(Duration::milliseconds(5), [&] { order.push_back("first-5ms"); });
    scheduler_.run_after(Duration::milliseconds(5), [&] { order.push_back("second-5ms"); });
    scheduler_.run_after(Duration::zero(), [&] { order.push_back("now"); });
  });
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<std::string>{"now", "first-5ms", "second-5ms", "late"}));
  EXPECT_EQ(scheduler_.timers_pending(), 0u);
}

TEST_F(LoopFixture, CancelledTimerNeverRunsAndCancelReportsWhetherItWasPending) {
  bool cancelled_ran = false;
  std::promise<void> done;
  base::TimerId victim;
  on_loop([&] {
    victim = scheduler_.run_after(Duration::milliseconds(5), [&] { cancelled_ran = true; });
    EXPECT_TRUE(scheduler_.cancel(victim));
    EXPECT_FALSE(scheduler_.cancel(victim));
    scheduler_.run_after(Duration::milliseconds(20), [&] { done.set_value(); });
  });
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(cancelled_ran);

  // A timer that already fired cannot be cancelled.
  std::promise<base::TimerId> fired;
  std::promise<void> ran;
  on_loop([&] {
    fired.set_value(scheduler_.run_after(Duration::zero(), [&] { ran.set_value(); }));
  });
  ASSERT_EQ(ran.get_future().wait_for(kWait), std::future_status::ready);
  const base::TimerId id = fired.get_future().get();
  on_loop([&] { EXPECT_FALSE(scheduler_.cancel(id)); });
}

TEST_F(LoopFixture, TimerCancelledByAnEarlierTimerOfTheSameRoundDoesNotRun) {
  bool second_ran = false;
  std::promise<void> done;
  base::TimerId second;
  on_loop([&] {
    scheduler_.run_after(Duration::zero(), [&] { EXPECT_TRUE(scheduler_.cancel(second)); });
    second = scheduler_.run_after(Duration::zero(), [&] { second_ran = true; });
    scheduler_.run_after(Duration::milliseconds(10), [&] { done.set_value(); });
  });
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(second_ran);
}

TEST_F(LoopFixture, RunAfterFromAnotherThreadFiresOnTheLoopThread) {
  std::promise<bool> on_loop_thread;
  scheduler_.run_after(Duration::milliseconds(2),
                       [&] { on_loop_thread.set_value(scheduler_.in_loop_thread()); });
  auto f = on_loop_thread.get_future();
  ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(f.get());
}

TEST(AsioSchedulerStop, RunReturnsAfterStopAndLeftoverTasksNeverRun) {
  AsioScheduler scheduler;
  std::promise<void> returned;
  std::thread loop([&] {
    scheduler.run();
    returned.set_value();
  });
  bool late_ran = false;
  scheduler.run_after(Duration::seconds(3600), [&] { late_ran = true; });
  std::promise<void> first;
  scheduler.post([&] { first.set_value(); });
  ASSERT_EQ(first.get_future().wait_for(kWait), std::future_status::ready);
  scheduler.stop();
  ASSERT_EQ(returned.get_future().wait_for(kWait), std::future_status::ready);
  loop.join();
  EXPECT_FALSE(late_ran);
  EXPECT_EQ(scheduler.timers_pending(), 1u);
}

}  // namespace
}  // namespace invsync::runtime
