#include "sim/baseline_queue.h"

#include "core/domain/allocation_rules.h"

namespace invsync::sim {

BaselineQueue::BaselineQueue(app::Service& service, sync::EngineDeps deps,
                             sync::RetrySchedule retry)
    : service_(service), deps_(deps), retry_(std::move(retry)) {
  for (const auto& ch : service_.channels()) lanes_.push_back(ChannelQueue{ch.get(), {}, false});
}

void BaselineQueue::start() {
  for (size_t i = 0; i < lanes_.size(); ++i) {
    app::Service::Channel* ch = lanes_[i].channel;
    ch->reconciler->set_correction_sink([this, i](const domain::Sku& sku, domain::Quantity wanted) {
      enqueue(i, Job{sku, wanted, 0});
    });
  }
}

std::optional<store::ChannelListing> BaselineQueue::listing(size_t lane, const domain::Sku& sku) {
  auto listings = deps_.store.listings_for_sku(sku);
  if (!listings.ok()) return std::nullopt;
  for (const auto& l : *listings) {
    if (l.channel == lanes_[lane].channel->config.channel) return l;
  }
  return std::nullopt;
}

void BaselineQueue::on_applied(const std::vector<domain::OrderEvent>& events,
                               const std::vector<domain::EventResult>& results) {
  for (size_t e = 0; e < events.size(); ++e) {
    const auto outcome = results[e].outcome;
    if (outcome == domain::EventOutcome::kDuplicate || outcome == domain::EventOutcome::kUnknownSku) {
      continue;
    }
    for (size_t i = 0; i < lanes_.size(); ++i) {
      if (lanes_[i].channel->config.channel == events[e].key.channel) continue;  // "other" channels
      auto l = listing(i, events[e].sku);
      if (!l) continue;
      enqueue(i, Job{events[e].sku, domain::sellable_quantity(results[e].master_after, l->rules), 0});
    }
  }
}

void BaselineQueue::enqueue(size_t lane, Job job) {
  lanes_[lane].queue.push_back(std::move(job));
  ++jobs_created_;
  peak_depth_ = std::max<int64_t>(peak_depth_, static_cast<int64_t>(lanes_[lane].queue.size()));
  work(lane);
}

void BaselineQueue::work(size_t lane) {
  ChannelQueue& q = lanes_[lane];
  if (q.busy || q.queue.empty()) return;
  q.busy = true;
  Job job = std::move(q.queue.front());
  q.queue.pop_front();
  auto l = listing(lane, job.sku);
  if (!l) {
    q.busy = false;
    return work(lane);
  }
  connector::PushItem item{{job.sku, l->external_ids_json}, job.quantity, std::nullopt,
                           "baseline|" + std::to_string(jobs_created_)};
  const base::Instant sent = deps_.clock.monotonic_now();
  q.channel->pusher->push({item}, [this, lane, job, sent](
                                      std::vector<connector::PushItemResult> results) {
    ChannelQueue& cq = lanes_[lane];
    cq.busy = false;
    const connector::PushItemResult r =
        results.empty() ? connector::PushItemResult{.sku = job.sku} : results.front();
    const base::WallTime now = deps_.clock.wall_now();
    store::SyncLogEntry entry{cq.channel->config.channel, job.sku, job.quantity, r.http_status,
                              std::string(connector::push_outcome_name(r.outcome)), r.error,
                              job.attempt, (deps_.clock.monotonic_now() - sent).ms(), now};
    (void)deps_.store.append_sync_log(std::span(&entry, 1));
    using connector::PushOutcome;
    if (r.outcome == PushOutcome::kDone || r.outcome == PushOutcome::kAccepted) {
      (void)deps_.store.record_pushed(cq.channel->config.channel, job.sku, job.quantity, now);
    } else if (r.outcome == PushOutcome::kRateLimited) {
      Job again = job;
      deps_.scheduler.run_after(std::max(r.retry_after, base::Duration::seconds(1)),
                                [this, lane, again] { enqueue(lane, again); });
    } else {
      Job again = job;
      again.attempt += 1;
      auto delay = r.outcome == PushOutcome::kPermanent ? std::nullopt
                                                         : retry_.next_delay(again.attempt, deps_.prng);
      if (delay) {
        deps_.scheduler.run_after(*delay, [this, lane, again] { enqueue(lane, again); });
      } else {
        deps_.alerts.raise({cq.channel->config.channel, job.sku, "push_failed",
                            "baseline job failed after " + std::to_string(again.attempt) +
                                " attempts: " + r.error,
                            now});
      }
    }
    work(lane);
  });
}

}  // namespace invsync::sim
