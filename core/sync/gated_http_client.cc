#include "core/sync/gated_http_client.h"

#include "core/base/assert.h"

namespace invsync::sync {

GatedHttpClient::GatedHttpClient(base::Clock& clock, base::Scheduler& scheduler,
                                 base::HttpClient& inner, LaneBudget& budget,
                                 uint32_t background_percent,
                                 base::Duration rate_limited_pause_default)
    : clock_(clock),
      scheduler_(scheduler),
      inner_(inner),
      budget_(budget),
      rate_limited_pause_default_(rate_limited_pause_default),
      background_percent_(background_percent),
      background_budget_(std::max<int64_t>(1, budget.rate_micro_per_s() / 100 * background_percent),
                         1, clock.monotonic_now()) {
  INVSYNC_ASSERT(background_percent >= 1 && background_percent <= 100);
}

void GatedHttpClient::on_budget_reconfigured() {
  background_budget_.reconfigure(
      std::max<int64_t>(1, budget_.rate_micro_per_s() / 100 * background_percent_), 1,
      clock_.monotonic_now());
}

void GatedHttpClient::send(base::HttpRequest request, base::HttpCallback callback) {
  foreground_.push_back({std::move(request), std::move(callback)});
  pump();
}

void GatedHttpClient::BackgroundView::send(base::HttpRequest request, base::HttpCallback callback) {
  owner_.background_queue_.push_back({std::move(request), std::move(callback)});
  owner_.pump();
}

void GatedHttpClient::arm(base::Duration wait) {
  if (timer_) return;
  timer_ = scheduler_.run_after(wait, [this] {
    timer_.reset();
    pump();
  });
}

void GatedHttpClient::pump() {
  for (;;) {
    const base::Instant now = clock_.monotonic_now();
    Pending p;
    if (!foreground_.empty()) {
      if (!budget_.try_take(now)) return arm(budget_.wait(now));
      p = std::move(foreground_.front());
      foreground_.pop_front();
    } else if (!background_queue_.empty()) {
      // Background work runs only when nothing else waits, and within its own share.
      const base::Duration share_wait = background_budget_.wait(now);
      if (share_wait > base::Duration::zero()) return arm(share_wait);
      if (!budget_.try_take(now)) return arm(budget_.wait(now));
      const bool took_share = background_budget_.try_take(now);
      INVSYNC_ASSERT(took_share);
      p = std::move(background_queue_.front());
      background_queue_.pop_front();
    } else {
      return;
    }
    dispatch(std::move(p));
  }
}

void GatedHttpClient::dispatch(Pending p) {
  ++sent_count_;
  base::HttpCallback callback = std::move(p.callback);
  inner_.send(std::move(p.request),
              [this, callback = std::move(callback)](base::Result<base::HttpResponse> r) mutable {
                on_response(std::move(callback), std::move(r));
              });
}

void GatedHttpClient::on_response(base::HttpCallback callback,
                                  base::Result<base::HttpResponse> result) {
  if (result.ok()) {
    connector::LimitFeedback feedback;
    if (observe_) feedback = observe_(*result);
    if (result->status == 429) {
      ++rate_limited_count_;
      if (!feedback.retry_after) feedback.retry_after = rate_limited_pause_default_;
    }
    budget_.apply(feedback, clock_.monotonic_now());
  }
  callback(std::move(result));
  pump();
}

}  // namespace invsync::sync
