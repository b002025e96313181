// Scheduler: where core work runs. Everything in the core executes on one Scheduler, one task at
// a time; tasks posted for the same moment run in the order they were posted (FIFO tie-break), so
// a run is deterministic under the simulator's discrete-event implementation. Production uses
// Boost.Asio (core/runtime); tests and the simulator use sim/'s event queue.
#pragma once

#include <cstdint>
#include <functional>

#include "core/base/time.h"

namespace invsync::base {

using Task = std::function<void()>;

struct TimerId {
  uint64_t value = 0;
  friend bool operator==(TimerId, TimerId) = default;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs `task` as soon as possible, after tasks already posted.
  virtual void post(Task task) = 0;
  // Runs `task` once `delay` has passed on the scheduler's clock. delay >= 0.
  virtual TimerId run_after(Duration delay, Task task) = 0;
  // Cancels a timer that has not fired. Returns false if it already ran or was cancelled.
  virtual bool cancel(TimerId id) = 0;
};

}  // namespace invsync::base
