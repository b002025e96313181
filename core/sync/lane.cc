#include "core/sync/lane.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/domain/allocation_rules.h"

namespace invsync::sync {

using connector::PushOutcome;

Lane::Lane(EngineDeps deps, LaneOptions options, connector::Connector& connector,
           GatedHttpClient& gate)
    : deps_(deps), options_(std::move(options)), connector_(connector), gate_(gate) {
  INVSYNC_ASSERT(options_.pushes_in_flight_max >= 1);
  INVSYNC_ASSERT(options_.lease > base::Duration::zero());
  INVSYNC_ASSERT(options_.aging_bound > base::Duration::zero());
  connector_.set_async_result_handler(
      [this](std::vector<connector::PushItemResult> r) { on_async_results(std::move(r)); });
}

void Lane::start() { arm_idle_timer(); }

void Lane::poke() {
  // Coalesce pokes that arrive while a pump is already queued or running.
  if (pumping_) return;
  pumping_ = true;
  deps_.scheduler.post([this] {
    pumping_ = false;
    pump();
  });
}

void Lane::note_applied(std::span<const domain::OrderEvent> events,
                        std::span<const domain::EventResult> results) {
  INVSYNC_ASSERT(events.size() == results.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const domain::OrderEvent& e = events[i];
    if (e.key.channel != channel() || e.key.kind != domain::EventKind::kSale) continue;
    if (results[i].outcome != domain::EventOutcome::kApplied &&
        results[i].outcome != domain::EventOutcome::kOversold) {
      continue;  // a duplicate was counted the first time; an unknown SKU has no listing
    }
    channel_sold_[e.sku.str()] += e.quantity.units();
  }
}

void Lane::arm_idle_timer() {
  if (idle_timer_) return;
  idle_timer_ = deps_.scheduler.run_after(options_.idle_poll, [this] {
    idle_timer_.reset();
    pump();
    arm_idle_timer();
  });
}

std::optional<connector::PushItem> Lane::prepare(const store::JobClaim& claim) {
  auto product = deps_.store.product(claim.sku);
  auto listings = deps_.store.listings_for_sku(claim.sku);
  if (!product.ok() || !listings.ok()) {
    ++stats_.store_errors;
    return std::nullopt;  // the lease expires and the job comes back
  }
  for (const store::ChannelListing& l : *listings) {
    if (l.channel != claim.channel) continue;
    std::optional<domain::Quantity> believed = l.last_pushed;
    if (auto sold = channel_sold_.find(claim.sku.str()); sold != channel_sold_.end()) {
      if (believed) believed = max(domain::Quantity(0), *believed - domain::Quantity(sold->second));
      channel_sold_.erase(sold);
    }
    connector::PushItem item{
        .listing = {claim.sku, l.external_ids_json},
        .quantity = domain::sellable_quantity(product->master, l.rules),
        .last_known = believed,
        // Unique per outbox row and claim: a completed job's successor starts again at change 1
        // and token 1, so the row's due time (its enqueue or last claim time) tells them apart;
        // without it Shopify replays the earlier push's answer and applies nothing.
        .idempotency_key = claim.channel.str() + "|" + claim.sku.str() + "|" +
                           std::to_string(claim.change_seq) + "|" +
                           std::to_string(claim.claim_token) + "|" +
                           std::to_string(claim.due_at.unix_us()),
    };
    INVSYNC_ASSERT(!item.quantity.is_negative());
    INVSYNC_ASSERT(item.quantity <= max(product->master, domain::Quantity(0)));
    return item;
  }
  fail(claim, "no listing of " + claim.sku.str() + " on " + claim.channel.str(), true);
  return std::nullopt;
}

void Lane::pump() {
  const int32_t batch_max = std::max(1, connector_.limits().push_batch_count_max);
  // Claim only while the gate holds little back: claims stay fresh and leases do not run out
  // while requests wait for budget, yet pushes are never starved by order polls sharing the lane.
  while (in_flight_ < options_.pushes_in_flight_max && connector_.accepting_pushes() &&
         gate_.foreground_queued() < static_cast<size_t>(options_.gate_queue_max)) {
    const base::WallTime now = deps_.clock.wall_now();
    auto claims = deps_.store.claim_due(
        channel(), now,
        {.count_max = batch_max, .lease = options_.lease, .aging_bound = options_.aging_bound});
    if (!claims.ok()) {
      ++stats_.store_errors;
      return;  // the idle timer tries again
    }
    if (claims->empty()) return;
    Batch batch;
    for (const store::JobClaim& claim : *claims) {
      if (skus_in_flight_.count(claim.sku.str()) != 0) {
        // Never two pushes of one SKU at once: the older could land after the newer.
        (void)deps_.store.reschedule(claim, now + options_.handback_delay, "in flight", false);
        continue;
      }
      auto item = prepare(claim);
      if (!item) continue;
      skus_in_flight_.insert(claim.sku.str());
      batch.claims.push_back(claim);
      batch.items.push_back(std::move(*item));
    }
    if (batch.items.empty()) continue;
    ++in_flight_;
    ++stats_.pushes;
    stats_.items_pushed += static_cast<int64_t>(batch.items.size());
    batch.sent_at = deps_.clock.monotonic_now();
    std::vector<connector::PushItem> items = batch.items;
    connector_.push(std::move(items), [this, batch = std::move(batch)](
                                          std::vector<connector::PushItemResult> results) {
      on_results(batch, std::move(results));
    });
  }
}

void Lane::on_results(const Batch& batch, std::vector<connector::PushItemResult> results) {
  INVSYNC_ASSERT(in_flight_ > 0);
  --in_flight_;
  std::map<std::string, const connector::PushItemResult*> by_sku;
  for (const auto& r : results) by_sku[r.sku.str()] = &r;
  std::vector<store::SyncLogEntry> log;
  for (size_t i = 0; i < batch.claims.size(); ++i) {
    const store::JobClaim& claim = batch.claims[i];
    skus_in_flight_.erase(claim.sku.str());
    auto it = by_sku.find(claim.sku.str());
    connector::PushItemResult missing{.sku = claim.sku, .outcome = PushOutcome::kTransient,
                                      .error = "connector returned no result for this item"};
    const connector::PushItemResult& r = it == by_sku.end() ? missing : *it->second;
    const size_t rows = log.size();
    settle(claim, batch.items[i], r, &log);
    if (log.size() > rows) log.back().latency_ms = (deps_.clock.monotonic_now() - batch.sent_at).ms();
  }
  if (!deps_.store.append_sync_log(log).ok()) ++stats_.store_errors;
  poke();
}

void Lane::settle(const store::JobClaim& claim, const connector::PushItem& item,
                  const connector::PushItemResult& r, std::vector<store::SyncLogEntry>* log) {
  const base::WallTime now = deps_.clock.wall_now();
  // A push the connector held back without sending anything is not a pushed item: no log row.
  const bool sent = !(r.outcome == PushOutcome::kRateLimited && r.http_status == 0);
  if (sent) {
    log->push_back(store::SyncLogEntry{channel(), claim.sku, item.quantity, r.http_status,
                                       std::string(connector::push_outcome_name(r.outcome)),
                                       r.error, claim.attempt, 0, now});
  }
  switch (r.outcome) {
    case PushOutcome::kDone:
    case PushOutcome::kAccepted: {
      (r.outcome == PushOutcome::kDone ? stats_.done : stats_.accepted) += 1;
      if (failing_) {
        // The channel answers again: what was waiting out a backoff goes now, not in an hour.
        failing_ = false;
        auto released = deps_.store.release_backoff(channel(), now);
        if (released.ok()) stats_.released += *released;
      }
      alerted_parked_.erase(claim.sku.str());  // the channel took it: a later park alerts again
      if (!deps_.store.record_pushed(channel(), claim.sku, item.quantity, now).ok()) {
        ++stats_.store_errors;
      }
      // False means a newer change arrived meanwhile: the job stays due and goes out next.
      if (!deps_.store.complete(claim).ok()) ++stats_.store_errors;
      return;
    }
    case PushOutcome::kRateLimited: {
      ++stats_.rate_limited;
      const base::Duration wait = std::max(r.retry_after, base::Duration::seconds(1));
      if (!deps_.store.reschedule(claim, now + wait, r.error, false).ok()) ++stats_.store_errors;
      return;
    }
    case PushOutcome::kConflict:
      ++stats_.conflicts;
      fail(claim, "compare-and-set conflict: " + r.error, false);
      return;
    case PushOutcome::kTransient:
      ++stats_.transient;
      fail(claim, r.error, false);
      return;
    case PushOutcome::kPermanent:
      ++stats_.permanent;
      fail(claim, r.error, true);
      return;
  }
}

void Lane::fail(const store::JobClaim& claim, const std::string& error, bool permanent) {
  const base::WallTime now = deps_.clock.wall_now();
  if (!permanent) failing_ = true;
  const int32_t failed_attempts = claim.attempt + 1;
  std::optional<base::Duration> delay;
  if (!permanent) delay = options_.retry.next_delay(failed_attempts, deps_.prng);
  if (delay) {
    if (!deps_.store.reschedule(claim, now + *delay, error, true).ok()) ++stats_.store_errors;
    return;
  }
  const std::string reason = permanent ? "rejected: " + error
                                       : std::to_string(failed_attempts) +
                                             " attempts failed, last: " + error;
  if (!deps_.store.park(claim, reason).ok()) {
    ++stats_.store_errors;
    return;  // the lease expires and the job comes back; no alert for a park that did not happen
  }
  ++stats_.parked;
  // One alert per parked job: the reconciler unparks it every cycle, and while the channel stays
  // down (or keeps rejecting it) it parks again; that is not news until a push has gone through.
  if (!alerted_parked_.insert(claim.sku.str()).second) return;
  deps_.alerts.raise(store::Alert{channel(), claim.sku, "push_parked", reason, now});
}

void Lane::on_async_results(std::vector<connector::PushItemResult> results) {
  const base::WallTime now = deps_.clock.wall_now();
  std::vector<store::SyncLogEntry> log;
  for (const auto& r : results) {
    log.push_back(store::SyncLogEntry{channel(), r.sku, r.channel_quantity.value_or(domain::Quantity(0)),
                                      r.http_status,
                                      "async_" + std::string(connector::push_outcome_name(r.outcome)),
                                      r.error, 0, 0, now});
    if (r.outcome == PushOutcome::kDone) continue;
    // The platform did not apply what it accepted: push the current value again.
    (void)deps_.store.enqueue_push(channel(), r.sku, domain::kPushPriorityMax, now);
    if (r.outcome == PushOutcome::kPermanent) {
      deps_.alerts.raise(store::Alert{channel(), r.sku, "push_rejected", r.error, now});
    }
  }
  if (!deps_.store.append_sync_log(log).ok()) ++stats_.store_errors;
  poke();
}

}  // namespace invsync::sync
