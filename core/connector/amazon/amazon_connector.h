// AmazonConnector: the Amazon Selling Partner API behind the Connector interface. Pushes set the
// merchant-fulfilled (DEFAULT) quantity either with patchListingsItem (one SKU per request) or
// with a JSON_LISTINGS_FEED (createFeedDocument, upload, createFeed), whose outcome arrives later
// through the AsyncResultHandler once getFeed reports a terminal state and the processing report
// is read. Reads use getListingsItem's fulfillmentAvailability (the live offer quantity). Orders
// are polled from Orders v0 (Amazon has no plain webhooks). Authentication is an LWA access token
// exchanged from the refresh token through deps.auth, cached until shortly before it expires and
// refreshed once when Amazon answers 403 for an expired or invalid token.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/connector/amazon/amazon_config.h"
#include "core/connector/connector.h"

namespace invsync::connector {

class AmazonConnector final : public Connector {
 public:
  AmazonConnector(AmazonConnectorConfig config, ConnectorDeps deps);
  ~AmazonConnector() override;

  const domain::ChannelId& channel() const override { return config_.channel; }
  const ConnectorLimits& limits() const override { return config_.limits; }
  void push(std::vector<PushItem> items, PushCallback callback) override;
  void read(std::vector<ListingRef> listings, ReadCallback callback) override;
  void poll_orders(const std::string& cursor, PollCallback callback) override;
  base::Result<ParsedWebhook> parse_webhook(const base::HttpRequest& request) override;
  LimitFeedback observe_limits(const base::HttpResponse& response) override;
  void set_async_result_handler(AsyncResultHandler handler) override;

  // Feed mode sends one feed at a time (same-type feeds run sequentially at Amazon anyway).
  bool accepting_pushes() const override {
    return config_.mode != AmazonPushMode::kFeed || feeds_.empty();
  }
  // Feeds submitted and not yet reported through the AsyncResultHandler.
  size_t tracked_feed_count() const { return feeds_.size(); }

 private:
  using TokenCallback = std::function<void(base::Result<std::string>)>;
  struct FeedLine {
    domain::Sku sku;
    domain::Quantity quantity;
  };
  struct TrackedFeed {
    std::string feed_id;
    std::vector<FeedLine> lines;  // messageId i + 1 is lines[i]
    base::Instant submitted;
    std::string result_document_id;  // set once getFeed said DONE
    base::TimerId timer;
  };
  struct FeedSubmission;
  struct OrdersPoll;

  // --- amazon_connector.cc: requests, LWA tokens, patch pushes, reads ---
  base::HttpRequest make_request(std::string method, std::string target, std::string body) const;
  void with_access_token(TokenCallback then);
  void refresh_access_token();
  base::Result<std::string> take_token_response(const base::Result<base::HttpResponse>& result);
  // Sends an SP-API request with the access token; on a 403 for an expired or invalid token it
  // refreshes the token and sends the request once more.
  void send_api(base::HttpRequest request, base::HttpCallback callback, bool may_retry = true);
  base::Duration default_retry_after() const;
  std::string item_target(const domain::Sku& sku) const;
  void push_patch(std::vector<PushItem> items, PushCallback callback);
  PushItemResult classify_patch(const PushItem& item,
                                const base::Result<base::HttpResponse>& result) const;
  base::Result<ChannelQuantity> classify_read(const domain::Sku& sku,
                                              const base::Result<base::HttpResponse>& result) const;

  // --- amazon_feed.cc: JSON_LISTINGS_FEED submission and tracking ---
  void push_feed(std::vector<PushItem> items, PushCallback callback);
  void upload_feed_document(std::shared_ptr<FeedSubmission> sub);
  void create_feed(std::shared_ptr<FeedSubmission> sub);
  void fail_submission(const FeedSubmission& sub, PushItemResult failure) const;
  base::Duration feed_cap_retry_after() const;
  void track_feed(TrackedFeed feed);
  void schedule_feed_poll(const std::string& feed_id);
  void poll_feed(const std::string& feed_id);
  void on_feed_status(const std::string& feed_id, const base::Result<base::HttpResponse>& result);
  void fetch_feed_report(const std::string& feed_id);
  void download_feed_report(const std::string& feed_id, const std::string& url);
  void finish_feed(const std::string& feed_id, std::vector<PushItemResult> results);
  // Every line of the feed gets the same outcome (a feed that ended or whose report is unknown).
  void finish_feed_as_one(const std::string& feed_id, PushOutcome outcome, int32_t http_status,
                          const std::string& error);
  // Done by every poll attempt that did not settle the feed: poll again, or give up when too old.
  void feed_not_settled(const std::string& feed_id, const std::string& why);

  // --- amazon_orders.cc: Orders v0 polling ---
  void fetch_orders_page(std::shared_ptr<OrdersPoll> poll);
  void on_orders_page(std::shared_ptr<OrdersPoll> poll,
                      const base::Result<base::HttpResponse>& result);
  void fetch_order_items(std::shared_ptr<OrdersPoll> poll, std::string next_token);
  void on_order_items(std::shared_ptr<OrdersPoll> poll,
                      const base::Result<base::HttpResponse>& result);
  void finish_poll(std::shared_ptr<OrdersPoll> poll);

  // Wraps a callback so that it does nothing once this connector is gone.
  template <typename F>
  auto guarded(F f) {
    return [alive = std::weak_ptr<bool>(alive_), f = std::move(f)](auto&&... args) mutable {
      if (alive.expired()) return;
      f(std::forward<decltype(args)>(args)...);
    };
  }

  AmazonConnectorConfig config_;
  ConnectorDeps deps_;
  AsyncResultHandler async_handler_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  std::string access_token_;
  base::Instant access_token_valid_until_;
  bool token_refreshing_ = false;
  std::vector<TokenCallback> token_waiters_;

  std::deque<base::Instant> feed_submissions_;  // the last feed_submission_cap_count createFeeds
  std::map<std::string, TrackedFeed> feeds_;    // by feedId
};

}  // namespace invsync::connector
