// AsioScheduler: the production Scheduler over one boost::asio::io_context and one steady_timer.
// Everything the core does runs on the single thread that calls run(). post(), run_after() and
// cancel() are safe from any thread (HTTP worker completions and the HTTP server post here).
// Timers live in our own queue ordered by (deadline, sequence), so timers due at the same moment
// run in the order they were created (FIFO tie-break, as in the simulator's scheduler); the one
// steady_timer is armed for the earliest of them. Posted tasks run in posting order.
// Asio stays out of this header (pimpl).
#pragma once

#include <memory>

#include "core/base/scheduler.h"

namespace invsync::runtime {

class AsioScheduler final : public base::Scheduler {
 public:
  AsioScheduler();
  ~AsioScheduler() override;
  AsioScheduler(const AsioScheduler&) = delete;
  AsioScheduler& operator=(const AsioScheduler&) = delete;

  void post(base::Task task) override;
  base::TimerId run_after(base::Duration delay, base::Task task) override;
  bool cancel(base::TimerId id) override;

  // Runs the event loop on the calling thread until stop(); tasks and timers run on it. Call
  // once. Returns after stop(); tasks still queued then never run (they are destroyed with this).
  void run();
  // Thread-safe; the loop returns after the task it is running now.
  void stop();
  // True on the thread inside run().
  bool in_loop_thread() const;
  // Timers waiting to fire (for tests and metrics).
  size_t timers_pending() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace invsync::runtime
