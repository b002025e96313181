#include "sim/sim_scheduler.h"

#include "core/base/assert.h"

namespace invsync::sim {

void SimScheduler::post(base::Task task) { run_at(clock_.monotonic_now(), std::move(task)); }

base::TimerId SimScheduler::run_after(base::Duration delay, base::Task task) {
  INVSYNC_ASSERT(delay >= base::Duration::zero());
  return run_at(clock_.monotonic_now() + delay, std::move(task));
}

base::TimerId SimScheduler::run_at(base::Instant when, base::Task task) {
  INVSYNC_ASSERT(when >= clock_.monotonic_now());
  INVSYNC_ASSERT(task != nullptr);
  const uint64_t seq = next_seq_++;
  queue_.push(Entry{when, seq});
  tasks_.emplace(seq, std::move(task));
  return base::TimerId{seq};
}

bool SimScheduler::cancel(base::TimerId id) { return tasks_.erase(id.value) == 1; }

void SimScheduler::drop_cancelled_head() {
  while (!queue_.empty() && tasks_.count(queue_.top().seq) == 0) queue_.pop();
}

std::optional<base::Instant> SimScheduler::next_time() const {
  // const: scan past cancelled heads without popping them.
  auto copy = queue_;
  while (!copy.empty()) {
    if (tasks_.count(copy.top().seq) != 0) return copy.top().when;
    copy.pop();
  }
  return std::nullopt;
}

bool SimScheduler::run_next() {
  drop_cancelled_head();
  if (queue_.empty()) return false;
  const Entry e = queue_.top();
  queue_.pop();
  auto it = tasks_.find(e.seq);
  INVSYNC_ASSERT(it != tasks_.end());
  base::Task task = std::move(it->second);
  tasks_.erase(it);
  if (e.when > clock_.monotonic_now()) clock_.advance_to(e.when);
  ++executed_;
  task();
  return true;
}

uint64_t SimScheduler::run_until(base::Instant deadline, uint64_t events_max) {
  uint64_t ran = 0;
  while (ran < events_max) {
    drop_cancelled_head();
    if (queue_.empty() || queue_.top().when > deadline) break;
    run_next();
    ++ran;
  }
  if (deadline > clock_.monotonic_now() && ran < events_max) clock_.advance_to(deadline);
  return ran;
}

uint64_t SimScheduler::run_all(uint64_t events_max) {
  uint64_t ran = 0;
  while (ran < events_max && run_next()) ++ran;
  return ran;
}

}  // namespace invsync::sim
