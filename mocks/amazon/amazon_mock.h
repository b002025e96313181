// AmazonMock: the Amazon Selling Partner API as a deterministic MockPlatform. It serves LWA token
// exchange (/auth/o2/token), Feeds 2021-06-30 (with the presigned "S3" upload/download paths under
// /s3/tortuga/), Listings Items 2021-08-01 (patch/get) and Orders v0 (getOrders, getOrder,
// getOrderItems), with per-operation token buckets, the JSON_LISTINGS_FEED submission cap, the
// feed state machine (same-type feeds strictly sequential) and Amazon's failure shapes: 403 for
// expired tokens, 429 QuotaExceeded without a rate header, 503 HTML pages, empty 200s, and updates
// that are accepted but never applied. Facts and the fidelity checklist:
// shared/platforms/amazon-etsy.md; what is covered: mocks/README.md.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/base/http.h"
#include "core/base/prng.h"
#include "core/base/status.h"
#include "core/base/time.h"
#include "mocks/amazon/lwa_tokens.h"
#include "mocks/amazon/orders_by_update.h"
#include "mocks/common/faults.h"
#include "mocks/common/mock_platform.h"
#include "mocks/common/rate_limits.h"

namespace invsync::base {
class JsonReader;
class JsonWriter;
}  // namespace invsync::base

namespace invsync::mocks {

struct AmazonOperationLimit {
  int64_t rate_micro_per_s = 0;  // 8300 = 0.0083 req/s
  int64_t burst = 0;
};

// The A5 table: createFeed, getFeed, cancelFeed, createFeedDocument, getFeedDocument,
// patchListingsItem, getListingsItem (the stricter burst 5), getOrders, getOrder, getOrderItems.
std::map<std::string, AmazonOperationLimit> default_amazon_rate_limits();

// Fault settings (set_faults_json keys; the same object may be given as the config's "faults").
struct AmazonFaults {
  CommonFaults common;
  int64_t feed_in_queue_ms_min = 2'000;  // IN_QUEUE dwell, uniform in [min, max]
  int64_t feed_in_queue_ms_max = 30'000;
  int64_t feed_in_progress_ms_min = 30'000;  // IN_PROGRESS dwell, uniform in [min, max]
  int64_t feed_in_progress_ms_max = 300'000;
  uint32_t feed_fatal_percent = 0;     // feeds that end FATAL (no report, nothing applied)
  uint32_t not_applied_percent = 0;    // accepted feed messages / PATCHes that never land
  int64_t apply_lag_ms = 0;            // accepted quantity reaches the live offer this late
  uint32_t http_503_html_percent = 0;  // SP-API calls answered 503 with an HTML page
  uint32_t empty_200_percent = 0;      // successful SP-API calls answered 200 with an empty body
};

struct AmazonMockConfig {
  std::string seller_id = "A3INVSYNCMOCK1";
  std::string marketplace_id = "A1F83G8C2ARO7P";  // UK
  std::string lwa_client_id = "amzn1.application-oa2-client.invsyncmock";
  std::string lwa_client_secret = "invsync-mock-client-secret";
  std::vector<std::string> refresh_tokens = {"Atzr|invsync-mock-refresh-token"};
  base::Duration access_token_lifetime = base::Duration::seconds(3600);
  // Scheme://host[:port] put in front of the presigned /s3/tortuga/... URLs handed out.
  std::string base_url = "http://127.0.0.1:8080";
  std::map<std::string, AmazonOperationLimit> rate_limits = default_amazon_rate_limits();
  int64_t json_listings_feed_cap = 5;  // JSON_LISTINGS_FEED createFeeds per window
  base::Duration json_listings_feed_window = base::Duration::minutes(5);
  base::Duration document_url_lifetime = base::Duration::minutes(5);
  base::Duration feed_document_retention = base::Duration::hours(48);   // createFeed must be sooner
  base::Duration order_visibility_delay = base::Duration::seconds(60);  // UNCONFIRMED
  base::Duration order_pending_duration = base::Duration::minutes(5);   // Pending -> Unshipped
  // getOrders without *Before answers up to now minus this (and reports it). UNCONFIRMED.
  base::Duration orders_default_before_lag = base::Duration::minutes(2);
  bool auto_decrement_on_order = false;  // UNCONFIRMED: Amazon lowers DEFAULT qty on an order
  std::string currency_code = "GBP";
  int64_t item_price_minor = 999;  // per unit, in minor units of currency_code
  base::WallTime wall_origin = base::WallTime::from_unix_s(1'795'737'600);  // 2026-11-27T00:00Z
  // ORDER_CHANGE notifications (an SQS-like queue delivered as POSTs to notification_target).
  bool order_change_notifications = false;
  std::string notification_target = "/webhooks/amazon/notifications";
  std::string notification_level = "OrderLevel";                         // or "OrderItemLevel"
  base::Duration notification_redelivery = base::Duration::seconds(30);  // SQS visibility timeout
  AmazonFaults faults;
};

// Strict: unknown keys and bad values fail with the key path. Calls reader.finish().
base::Status parse_amazon_mock_config(base::JsonReader& reader, AmazonMockConfig* config);
// Reads a fault object (absent keys take `defaults`' values). Does not call finish().
void parse_amazon_faults(base::JsonReader& reader, const AmazonFaults& defaults,
                         AmazonFaults* faults);

enum class FeedStatus : uint8_t { kInQueue, kInProgress, kDone, kFatal, kCancelled };
std::string_view feed_status_name(FeedStatus status);

class AmazonMock final : public MockPlatform {
 public:
  AmazonMock(AmazonMockConfig config, uint64_t seed);

  std::string_view platform_name() const override { return "amazon"; }
  base::Status add_item(const CatalogItem& item) override;
  std::optional<std::string> external_ids_json(std::string_view sku) const override;
  NetworkConditions network(base::Instant now) override;
  base::HttpResponse handle(const base::HttpRequest& request, base::Instant now) override;
  PlaceOrderResult place_order(std::string_view sku, int64_t quantity, base::Instant now) override;
  base::Status cancel_order(std::string_view order_id, base::Instant now) override;
  std::vector<WebhookDelivery> take_due_webhooks(base::Instant now) override;
  void on_webhook_result(std::string_view delivery_id, int32_t status, base::Instant now) override;
  std::optional<base::Instant> next_wakeup() const override;
  void advance(base::Instant now) override;
  base::Status set_faults_json(std::string_view json) override;
  std::map<std::string, int64_t> counts() const override;
  std::vector<AcceptedOrder> accepted_orders() const override;
  std::map<std::string, int64_t> stats() const override;

  // --- helpers for tests and tools ---
  const AmazonMockConfig& config() const { return config_; }
  const AmazonFaults& faults() const { return faults_; }
  // A fresh access token as if from /auth/o2/token (valid until now + lifetime).
  std::string issue_access_token(base::Instant now);
  std::optional<FeedStatus> feed_status(std::string_view feed_id) const;
  // The value getListingsItem shows in attributes.fulfillment_availability (last accepted write).
  std::optional<int64_t> attribute_quantity(std::string_view sku) const;
  base::WallTime wall(base::Instant now) const {
    return config_.wall_origin + (now - base::Instant());
  }

 private:
  struct Listing {
    std::string sku;
    std::string asin;
    int64_t live_quantity = 0;       // fulfillmentAvailability (what buyers buy against)
    int64_t attribute_quantity = 0;  // attributes.fulfillment_availability
    base::Instant created;
    base::Instant last_updated;
  };
  struct Document {
    std::string content_type;
    base::Instant created;
    bool uploaded = false;
    std::string content;
  };
  struct Presigned {
    std::string document_id;
    base::Instant expires;
    bool upload = false;
  };
  struct Feed {
    std::string id;
    std::string type;
    std::vector<std::string> marketplace_ids;
    std::string input_document_id;
    base::Instant created;
    std::optional<base::Instant> started;
    std::optional<base::Instant> ended;
    FeedStatus status = FeedStatus::kInQueue;
    base::Duration queue_dwell;
    base::Duration progress_dwell;
    bool fatal_fault = false;
    std::string result_document_id;
  };
  enum class OrderStatus : uint8_t { kPending, kUnshipped, kCanceled };
  struct Order {
    std::string id;
    std::string item_id;
    std::string sku;
    std::string asin;  // the ordered listing's
    int64_t quantity = 0;
    base::Instant created;
    base::Instant last_update;
    OrderStatus status = OrderStatus::kPending;
    bool visible = false;
    bool decremented = false;
  };
  enum class TimerKind : uint8_t { kApply, kOrderVisible, kOrderUnshipped };
  struct Timer {
    base::Instant at;
    uint64_t seq = 0;
    TimerKind kind = TimerKind::kApply;
    size_t index = 0;  // order index, or key into applies_
    auto operator<=>(const Timer&) const = default;
  };
  struct PendingApply {
    std::string sku;
    int64_t quantity = 0;
  };
  struct OrdersQuery {
    bool by_created = true;
    base::WallTime after;
    base::WallTime before;
    std::vector<std::string> statuses;
    int64_t page_size = 100;
    size_t offset = 0;
  };
  // The SP-API operations routed (x-amzn-RateLimit-Limit, token buckets and stats are per one).
  enum class Operation : uint8_t {
    kCreateFeedDocument,
    kGetFeedDocument,
    kCreateFeed,
    kGetFeed,
    kCancelFeed,
    kPatchListingsItem,
    kGetListingsItem,
    kGetOrders,
    kGetOrder,
    kGetOrderItems,
  };
  static constexpr size_t kOperationCount = static_cast<size_t>(Operation::kGetOrderItems) + 1;
  struct Route {
    Operation operation = Operation::kGetOrders;
    std::vector<std::string> params;  // decoded path parameters
  };
  struct Event {
    base::Instant at;
    Feed* feed = nullptr;  // the feed to move on, or null for the earliest timer
  };
  // Hash maps keyed by std::string that can be searched with a string_view.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  using QueryParams = std::vector<std::pair<std::string, std::string>>;  // decoded, in order

  // amazon_mock.cc: dispatch, auth, rate limits, faults, timers.
  base::HttpResponse route_sp_api(const base::HttpRequest& request, base::Instant now);
  std::optional<Route> match_route(const base::HttpRequest& request) const;
  base::HttpResponse dispatch(const Route& route, const base::HttpRequest& request,
                              base::Instant now);
  std::optional<base::HttpResponse> check_access_token(const base::HttpRequest& request,
                                                       base::Instant now);
  bool take_token(Operation operation, base::Instant now);
  const std::string& rate_header(Operation operation) const;
  void apply_rate_percent(base::Instant now);
  std::optional<Event> next_event() const;
  void run_timer(const Timer& timer);
  std::string next_id_hex(size_t hex_digits);
  std::string next_uuid();
  std::string iso(base::Instant at) const;
  void count(std::string_view key, int64_t delta = 1);
  void schedule_apply(const std::string& sku, int64_t quantity, base::Instant now);

  // feeds.cc
  base::HttpResponse create_feed_document(const base::HttpRequest& request, base::Instant now);
  base::HttpResponse get_feed_document(const std::string& id, base::Instant now);
  base::HttpResponse create_feed(const base::HttpRequest& request, base::Instant now);
  base::HttpResponse get_feed(const std::string& id) const;
  base::HttpResponse cancel_feed(const std::string& id, base::Instant now);
  base::HttpResponse handle_s3(const base::HttpRequest& request, base::Instant now);
  std::string presign(const std::string& document_id, bool upload, base::Instant now);
  std::optional<Event> next_feed_event() const;
  void start_feed(Feed& feed, base::Instant at);
  void finish_feed(Feed& feed, base::Instant at);
  std::string store_result_document(const std::string& content, base::Instant at);

  // listings.cc
  base::HttpResponse patch_listings_item(const Route& route, const base::HttpRequest& request,
                                         base::Instant now);
  base::HttpResponse get_listings_item(const Route& route, const base::HttpRequest& request);
  std::optional<base::HttpResponse> check_listings_request(const Route& route,
                                                           const QueryParams& query) const;

  // orders.cc
  base::HttpResponse get_orders(const base::HttpRequest& request, base::Instant now);
  base::HttpResponse get_order(const std::string& order_id) const;
  base::HttpResponse get_order_items(const std::string& order_id) const;
  std::optional<std::string> parse_orders_query(const base::HttpRequest& request, base::Instant now,
                                                OrdersQuery* query) const;
  base::HttpResponse orders_page(OrdersQuery query);
  // The orders getOrders lists for `query`, in its order, before paging.
  std::vector<const Order*> matching_orders(const OrdersQuery& query) const;
  void write_order(base::JsonWriter& json, const Order& order) const;
  void write_money(base::JsonWriter& json, int64_t minor) const;
  void set_last_update(size_t index, base::Instant at);
  void notify_order_change(const Order& order, base::Instant at);

  AmazonMockConfig config_;
  AmazonFaults faults_;
  base::Prng prng_;       // per-request fault draws
  base::Prng feed_prng_;  // feed dwell times, FATAL and not-applied draws
  uint64_t id_state_ = 0;
  LwaTokens tokens_;
  std::map<std::string, TokenBucket> buckets_;
  std::array<TokenBucket*, kOperationCount> operation_buckets_{};  // into buckets_; null if none
  std::array<std::string, kOperationCount> rate_headers_;  // x-amzn-RateLimit-Limit, per bucket
  WindowCounter json_feed_cap_;
  StringMap<Listing> listings_;
  std::map<std::string, Document> documents_;
  std::map<std::string, Presigned> presigned_;  // by X-Amz-Signature
  std::map<std::string, Feed> feeds_;           // ids are fixed-width: map order = creation order
  std::vector<Feed*> active_feeds_;             // not yet terminal, oldest first (into feeds_)
  std::map<std::string, base::Instant> type_last_end_;
  uint64_t next_feed_number_ = 0;
  std::vector<Order> orders_;
  StringMap<size_t> order_index_;
  amazon::OrdersByUpdate orders_by_update_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;  // earliest on top
  std::map<uint64_t, PendingApply> applies_;
  uint64_t next_timer_seq_ = 0;
  std::map<std::string, OrdersQuery> next_tokens_;
  WebhookQueue notifications_;
  std::map<std::string, WebhookDelivery> in_flight_;
  std::map<std::string, int64_t, std::less<>> stats_;
  base::Instant advanced_to_;
};

}  // namespace invsync::mocks
