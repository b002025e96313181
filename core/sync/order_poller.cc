#include "core/sync/order_poller.h"

#include "core/base/assert.h"

namespace invsync::sync {

OrderPoller::OrderPoller(EngineDeps deps, OrderPollerOptions options,
                         connector::Connector& connector, AppliedEventsHook on_applied)
    : deps_(deps), options_(options), connector_(connector), on_applied_(std::move(on_applied)) {
  INVSYNC_ASSERT(options_.interval > base::Duration::zero());
  INVSYNC_ASSERT(options_.pages_per_poll_max >= 1);
  INVSYNC_ASSERT(options_.gap_min >= base::Duration::zero());
}

void OrderPoller::start() { schedule_next(); }

void OrderPoller::schedule_next() {
  deps_.scheduler.run_after(options_.interval, [this] {
    poll_now();
    schedule_next();
  });
}

void OrderPoller::poll_now() {
  if (polling_) {
    again_ = true;  // one more poll right after this one
    return;
  }
  const base::Instant now = deps_.clock.monotonic_now();
  if (last_start_ && now < *last_start_ + options_.gap_min) {
    if (!deferred_) {
      deferred_ = true;
      ++stats_.deferred;
      deps_.scheduler.run_after(*last_start_ + options_.gap_min - now, [this] {
        deferred_ = false;
        poll_now();
      });
    }
    return;
  }
  polling_ = true;
  last_start_ = now;
  ++stats_.polls;
  poll_page(0);
}

void OrderPoller::poll_page(int32_t page) {
  connector_.poll_orders(cursor_, [this, page](base::Result<connector::PolledOrders> r) {
    if (!r.ok()) {
      ++stats_.errors;
      polling_ = false;
      return;
    }
    ++stats_.pages;
    stats_.events += static_cast<int64_t>(r->events.size());
    if (!r->events.empty()) {
      auto applied = deps_.store.apply_orders(r->events, deps_.clock.wall_now());
      if (!applied.ok()) {
        // Keep the cursor: the same orders come back next time.
        ++stats_.errors;
        polling_ = false;
        return;
      }
      for (const auto& res : *applied) {
        (res.outcome == domain::EventOutcome::kDuplicate ? stats_.duplicates : stats_.applied) += 1;
      }
      if (on_applied_) on_applied_(r->events, *applied);
    }
    cursor_ = r->next_cursor;
    if (r->more && page + 1 < options_.pages_per_poll_max) {
      poll_page(page + 1);
      return;
    }
    polling_ = false;
    if (again_) {
      again_ = false;
      poll_now();
    }
  });
}

}  // namespace invsync::sync
