#include "core/sync/reconciler.h"

#include <algorithm>
#include <map>

#include "core/base/assert.h"
#include "core/domain/allocation_rules.h"

namespace invsync::sync {

Reconciler::Reconciler(EngineDeps deps, ReconcilerOptions options, connector::Connector& reader)
    : deps_(deps), options_(options), reader_(reader) {
  INVSYNC_ASSERT(options_.interval > base::Duration::zero());
}

void Reconciler::start() { schedule_next(options_.first_delay); }

void Reconciler::schedule_next(base::Duration delay) {
  deps_.scheduler.run_after(delay, [this] {
    if (!running_) run_cycle();
    schedule_next(options_.interval);
  });
}

void Reconciler::run_cycle(std::function<void()> done) {
  if (running_) {
    if (done) done();
    return;
  }
  running_ = true;
  done_ = std::move(done);
  ++stats_.cycles;
  const domain::ChannelId& channel = reader_.channel();
  if (options_.unpark_parked) {
    auto n = deps_.store.unpark(channel, deps_.clock.wall_now());
    if (n.ok()) {
      stats_.unparked += *n;
    } else {
      ++stats_.store_errors;
    }
  }
  auto listings = deps_.store.listings_for_channel(channel);
  if (!listings.ok()) {
    ++stats_.store_errors;
    finish_cycle();
    return;
  }
  pending_ = std::move(listings).value();
  next_ = 0;
  // One look at the outbox per cycle: a job that finishes meanwhile is caught next cycle.
  job_state_.clear();
  auto jobs = deps_.store.list_jobs(channel);
  if (!jobs.ok()) {
    ++stats_.store_errors;
    finish_cycle();
    return;
  }
  for (const auto& j : *jobs) job_state_[j.sku.str()] = j.state;
  read_next_batch();
}

void Reconciler::read_next_batch() {
  if (next_ >= pending_.size()) {
    finish_cycle();
    return;
  }
  const size_t batch_max = static_cast<size_t>(std::max(1, reader_.limits().read_batch_count_max));
  const size_t end = std::min(pending_.size(), next_ + batch_max);
  std::vector<store::ChannelListing> batch(pending_.begin() + static_cast<long>(next_),
                                           pending_.begin() + static_cast<long>(end));
  next_ = end;
  std::vector<connector::ListingRef> refs;
  for (const auto& l : batch) refs.push_back({l.sku, l.external_ids_json});
  reader_.read(std::move(refs), [this, batch = std::move(batch)](
                                    base::Result<std::vector<connector::ChannelQuantity>> r) {
    on_batch(batch, std::move(r));
    read_next_batch();
  });
}

void Reconciler::on_batch(std::vector<store::ChannelListing> batch,
                          base::Result<std::vector<connector::ChannelQuantity>> result) {
  if (!result.ok()) {
    ++stats_.read_errors;
    return;
  }
  const base::WallTime now = deps_.clock.wall_now();
  const domain::ChannelId& channel = reader_.channel();
  std::map<std::string, std::optional<domain::Quantity>> shown;
  for (const auto& q : *result) shown[q.sku.str()] = q.quantity;
  std::vector<store::SyncLogEntry> log;
  for (const store::ChannelListing& listing : batch) {
    ++stats_.listings_read;
    auto it = shown.find(listing.sku.str());
    if (it == shown.end() || !it->second) {
      ++stats_.missing;
      deps_.alerts.raise({channel, listing.sku, "listing_missing",
                          "the channel does not show this listing", now});
      continue;
    }
    const domain::Quantity reported = *it->second;
    if (!deps_.store.record_reported(channel, listing.sku, reported, now).ok()) ++stats_.store_errors;
    auto product = deps_.store.product(listing.sku);
    if (!product.ok()) {
      ++stats_.store_errors;
      continue;
    }
    const domain::Quantity wanted = domain::sellable_quantity(product->master, listing.rules);
    if (reported == wanted) continue;
    ++stats_.drift;
    log.push_back({channel, listing.sku, wanted, 0, "reconcile_drift",
                   "channel shows " + std::to_string(reported.units()) + ", hub wants " +
                       std::to_string(wanted.units()),
                   0, 0, now});
    if (correction_sink_) {
      correction_sink_(listing.sku, wanted);
      ++stats_.corrections;
      continue;
    }
    // A pending or in-flight push will set the channel anyway; parked ones were unparked above.
    if (job_state_.count(listing.sku.str()) != 0) continue;
    if (deps_.store.enqueue_push(channel, listing.sku, domain::push_priority_for_stock(product->master),
                                 now)
            .ok()) {
      ++stats_.corrections;
    } else {
      ++stats_.store_errors;
    }
  }
  if (!log.empty() && !deps_.store.append_sync_log(log).ok()) ++stats_.store_errors;
}

void Reconciler::finish_cycle() {
  running_ = false;
  pending_.clear();
  job_state_.clear();
  next_ = 0;
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done();
  }
}

}  // namespace invsync::sync
