// SimScheduler: the discrete-event Scheduler the simulator and the core's tests run on. Events are
// ordered by (time, sequence): ties run in the order they were scheduled, so a run is a pure
// function of its inputs. Time is virtual: it jumps to the next event (a day of traffic takes as
// long as its events take to process). The scheduler owns the ManualClock the core reads.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"
#include "core/base/scheduler.h"

namespace invsync::sim {

class SimScheduler final : public base::Scheduler {
 public:
  explicit SimScheduler(base::ManualClock& clock) : clock_(clock) {}

  void post(base::Task task) override;
  base::TimerId run_after(base::Duration delay, base::Task task) override;
  bool cancel(base::TimerId id) override;
  // Schedules at an absolute time (not before now).
  base::TimerId run_at(base::Instant when, base::Task task);

  // Runs the next event, moving the clock to its time. False when nothing is scheduled.
  bool run_next();
  // Runs every event due at or before `deadline`, then moves the clock to `deadline`.
  // Returns how many ran. Bounded by `events_max` as a guard against livelock.
  uint64_t run_until(base::Instant deadline, uint64_t events_max = UINT64_MAX);
  // Runs until nothing is scheduled (or events_max).
  uint64_t run_all(uint64_t events_max = UINT64_MAX);

  std::optional<base::Instant> next_time() const;
  size_t pending() const { return tasks_.size(); }
  uint64_t executed() const { return executed_; }
  base::ManualClock& clock() { return clock_; }

 private:
  struct Entry {
    base::Instant when;
    uint64_t seq = 0;
    bool operator>(const Entry& o) const {
      return when != o.when ? when > o.when : seq > o.seq;
    }
  };
  void drop_cancelled_head();

  base::ManualClock& clock_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue_;
  std::unordered_map<uint64_t, base::Task> tasks_;  // seq -> task; absent = cancelled
  uint64_t next_seq_ = 1;
  uint64_t executed_ = 0;
};

}  // namespace invsync::sim
