// GatedHttpClient: the lane's door to its platform. Connectors send through it as through any
// HttpClient; it holds each request until the LaneBudget allows it, so the lane never exceeds the
// platform's limit however many pushes, reads and polls are waiting. Every response is shown to
// the connector's observe_limits() to correct the budget, and a 429 pauses the lane for its
// Retry-After. Two queues: foreground (pushes, polls) is always served first; background
// (reconciliation reads) only when the foreground is empty and within background_percent of the
// lane's rate. Single-threaded: runs on the core's Scheduler.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "core/base/clock.h"
#include "core/base/http_client.h"
#include "core/base/scheduler.h"
#include "core/sync/lane_budget.h"

namespace invsync::sync {

class GatedHttpClient final : public base::HttpClient {
 public:
  using Observe = std::function<connector::LimitFeedback(const base::HttpResponse&)>;

  GatedHttpClient(base::Clock& clock, base::Scheduler& scheduler, base::HttpClient& inner,
                  LaneBudget& budget, uint32_t background_percent,
                  base::Duration rate_limited_pause_default);

  // Foreground requests.
  void send(base::HttpRequest request, base::HttpCallback callback) override;
  // The client for background work (reconciliation reads).
  base::HttpClient& background() { return background_view_; }
  // Set once the connector exists (it needs this client to be built first).
  void set_observer(Observe observe) { observe_ = std::move(observe); }
  // Call after the LaneBudget was reconfigured: the background share follows its rate.
  void on_budget_reconfigured();

  size_t queued() const { return foreground_.size() + background_queue_.size(); }
  size_t foreground_queued() const { return foreground_.size(); }
  int64_t sent_count() const { return sent_count_; }
  int64_t rate_limited_count() const { return rate_limited_count_; }

 private:
  struct Pending {
    base::HttpRequest request;
    base::HttpCallback callback;
  };
  class BackgroundView final : public base::HttpClient {
   public:
    explicit BackgroundView(GatedHttpClient& owner) : owner_(owner) {}
    void send(base::HttpRequest request, base::HttpCallback callback) override;

   private:
    GatedHttpClient& owner_;
  };

  void pump();
  void arm(base::Duration wait);
  void dispatch(Pending p);
  void on_response(base::HttpCallback callback, base::Result<base::HttpResponse> result);

  base::Clock& clock_;
  base::Scheduler& scheduler_;
  base::HttpClient& inner_;
  LaneBudget& budget_;
  base::Duration rate_limited_pause_default_;
  uint32_t background_percent_ = 20;
  LaneBudget background_budget_;  // the background share of the lane's rate
  Observe observe_;
  BackgroundView background_view_{*this};
  std::deque<Pending> foreground_;
  std::deque<Pending> background_queue_;
  std::optional<base::TimerId> timer_;
  int64_t sent_count_ = 0;
  int64_t rate_limited_count_ = 0;
};

}  // namespace invsync::sync
