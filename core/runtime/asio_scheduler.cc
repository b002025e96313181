#include "core/runtime/asio_scheduler.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/base/assert.h"
#include "core/runtime/asio.h"

namespace invsync::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             SteadyClock::now().time_since_epoch())
      .count();
}

// (deadline in steady-clock ns, sequence = timer id): the order timers fire in.
using TimerKey = std::pair<int64_t, uint64_t>;

}  // namespace

struct AsioScheduler::Impl {
  boost::asio::io_context io{1};
  boost::asio::steady_timer timer{io};
  mutable std::mutex mu;
  std::map<TimerKey, base::Task> timers;       // guarded by mu
  std::map<uint64_t, int64_t> deadline_by_id;  // guarded by mu
  uint64_t next_id = 1;                        // guarded by mu
  std::optional<int64_t> armed_ns;             // guarded by mu; what `timer` waits for
  std::atomic<std::thread::id> loop_thread{};
  std::atomic<bool> ran{false};

  // Loop thread only: points `timer` at the earliest deadline (or nothing).
  void rearm() {
    std::lock_guard lock(mu);
    if (timers.empty()) {
      armed_ns.reset();
      timer.cancel();
      return;
    }
    const int64_t earliest = timers.begin()->first.first;
    if (armed_ns == earliest) return;
    armed_ns = earliest;
    timer.expires_at(SteadyClock::time_point(std::chrono::nanoseconds(earliest)));
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec == boost::asio::error::operation_aborted) return;
      fire_due();
    });
  }

  // Loop thread only: runs every timer due now, in (deadline, sequence) order. A timer cancelled
  // by an earlier one in the same round does not run.
  void fire_due() {
    std::vector<TimerKey> due;
    {
      std::lock_guard lock(mu);
      armed_ns.reset();
      const int64_t now = steady_now_ns();
      for (const auto& [key, task] : timers) {
        if (key.first > now) break;
        due.push_back(key);
      }
    }
    for (const TimerKey& key : due) {
      base::Task task;
      {
        std::lock_guard lock(mu);
        auto it = timers.find(key);
        if (it == timers.end()) continue;
        task = std::move(it->second);
        timers.erase(it);
        deadline_by_id.erase(key.second);
      }
      task();
    }
    rearm();
  }
};

AsioScheduler::AsioScheduler() : impl_(std::make_unique<Impl>()) {}

AsioScheduler::~AsioScheduler() = default;

void AsioScheduler::post(base::Task task) {
  INVSYNC_ASSERT(task != nullptr);
  boost::asio::post(impl_->io, std::move(task));
}

base::TimerId AsioScheduler::run_after(base::Duration delay, base::Task task) {
  INVSYNC_ASSERT(delay >= base::Duration::zero());
  INVSYNC_ASSERT(task != nullptr);
  const int64_t deadline = steady_now_ns() + delay.ns();
  uint64_t id = 0;
  bool earlier = false;
  {
    std::lock_guard lock(impl_->mu);
    id = impl_->next_id++;
    impl_->timers.emplace(TimerKey{deadline, id}, std::move(task));
    impl_->deadline_by_id.emplace(id, deadline);
    earlier = !impl_->armed_ns.has_value() || deadline < *impl_->armed_ns;
  }
  // The steady_timer belongs to the loop thread: re-arming goes through the loop.
  if (earlier) {
    Impl* impl = impl_.get();
    boost::asio::post(impl->io, [impl] { impl->rearm(); });
  }
  return base::TimerId{id};
}

bool AsioScheduler::cancel(base::TimerId id) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->deadline_by_id.find(id.value);
  if (it == impl_->deadline_by_id.end()) return false;
  const size_t erased = impl_->timers.erase(TimerKey{it->second, id.value});
  INVSYNC_ASSERT(erased == 1);
  impl_->deadline_by_id.erase(it);
  // A timer armed for it fires, finds nothing due and re-arms: harmless.
  return true;
}

void AsioScheduler::run() {
  INVSYNC_ASSERT(!impl_->ran.exchange(true));
  impl_->loop_thread = std::this_thread::get_id();
  auto guard = boost::asio::make_work_guard(impl_->io);
  impl_->io.run();
  impl_->loop_thread = std::thread::id();
}

void AsioScheduler::stop() { impl_->io.stop(); }

bool AsioScheduler::in_loop_thread() const {
  return impl_->loop_thread.load() == std::this_thread::get_id();
}

size_t AsioScheduler::timers_pending() const {
  std::lock_guard lock(impl_->mu);
  return impl_->timers.size();
}

}  // namespace invsync::runtime
