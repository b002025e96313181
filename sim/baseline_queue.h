// BaselineQueue: the case study's outbound design, for side-by-side comparison with invsync's
// lanes on the same workload. One job per applied order per *other* channel, each carrying the
// quantity computed when the job was created, worked FIFO per channel at the same configured rate,
// one SKU per request, no coalescing, no batching, no compare-and-set. Failed jobs are retried on
// the same schedule and alerted after the last attempt. Reconciliation corrections join the FIFO.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "core/app/service.h"

namespace invsync::sim {

class BaselineQueue {
 public:
  BaselineQueue(app::Service& service, sync::EngineDeps deps, sync::RetrySchedule retry);

  // Feed it every applied batch (from AuditingStore's after-apply hook).
  void on_applied(const std::vector<domain::OrderEvent>& events,
                  const std::vector<domain::EventResult>& results);
  void start();

  int64_t jobs_created() const { return jobs_created_; }
  int64_t peak_depth() const { return peak_depth_; }
  size_t depth(size_t channel) const { return lanes_[channel].queue.size(); }

 private:
  struct Job {
    domain::Sku sku;
    domain::Quantity quantity;
    int32_t attempt = 0;
  };
  struct ChannelQueue {
    app::Service::Channel* channel = nullptr;
    std::deque<Job> queue;
    bool busy = false;
  };
  void enqueue(size_t lane, Job job);
  void work(size_t lane);
  std::optional<store::ChannelListing> listing(size_t lane, const domain::Sku& sku);

  app::Service& service_;
  sync::EngineDeps deps_;
  sync::RetrySchedule retry_;
  std::vector<ChannelQueue> lanes_;
  int64_t jobs_created_ = 0;
  int64_t peak_depth_ = 0;
};

}  // namespace invsync::sim
