// Shopify webhook delivery for the mock: one subscription per configured topic, at-least-once
// delivery with Shopify's header set and base64 HMAC-SHA256 signature, exponential-backoff
// retries of the original body, deletion of a subscription after consecutive failures, and the
// common webhook faults (drop, duplicate, reorder, delay) applied through WebhookQueue.
//
// Delivery ids (MockPlatform::WebhookDelivery::delivery_id) are "wh<n>.<attempt>", plus "-dup"
// for a fault-injected duplicate (a duplicate's result is counted but never retried).
// inventory_levels/update bodies are built when first sent, from the state at that moment.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/prng.h"
#include "core/base/time.h"
#include "mocks/common/faults.h"
#include "mocks/common/mock_platform.h"
#include "mocks/shopify/shopify_config.h"
#include "mocks/shopify/shopify_state.h"

namespace invsync::mocks {

class ShopifyWebhooks {
 public:
  ShopifyWebhooks(const ShopifyMockConfig& config, base::Prng prng);

  bool subscribed(std::string_view topic) const { return subscribed_.count(topic) != 0; }
  // A new id for X-Shopify-Event-Id (shared by the deliveries of one merchant action).
  std::string new_event_id();
  // Queues a delivery of `topic`. An empty `body` with `inventory_item_id` set means an
  // inventory_levels/update whose body is built at send time.
  void enqueue(std::string_view topic, std::string body, int64_t inventory_item_id,
               const std::string& event_id, base::Instant now, const CommonFaults& faults,
               base::Prng& fault_prng);
  std::vector<WebhookDelivery> take_due(base::Instant now, const ShopifyCatalog& catalog);
  void on_result(std::string_view delivery_id, int32_t status, base::Instant now);
  std::optional<base::Instant> next_due() const { return queue_.next_due(); }
  void add_stats(std::map<std::string, int64_t>* stats) const;

 private:
  struct Record {
    std::string topic;
    std::string webhook_id;
    std::string event_id;
    base::WallTime triggered_at;
    std::string body;  // fixed at first send; retries resend it
    int64_t inventory_item_id = 0;
    int32_t attempt = 0;  // 0 = first delivery, i = i-th retry
  };
  std::string new_uuid();
  WebhookDelivery make_delivery(int64_t key, const Record& record, base::Instant due) const;
  void sign(Record& record, base::Instant now, const ShopifyCatalog& catalog,
            base::HttpRequest* request);
  void delete_subscription(const std::string& topic);

  const ShopifyMockConfig& config_;
  base::Prng prng_;
  std::set<std::string, std::less<>> subscribed_;
  std::map<std::string, int64_t, std::less<>> consecutive_failures_;
  std::map<int64_t, Record> records_;
  int64_t next_key_ = 1;
  WebhookQueue queue_;
  int64_t sent_ = 0;
  int64_t succeeded_ = 0;
  int64_t failed_ = 0;
  int64_t retried_ = 0;
  int64_t abandoned_ = 0;
  int64_t discarded_ = 0;  // queued for a subscription that was deleted meanwhile
  int64_t subscriptions_deleted_ = 0;
};

}  // namespace invsync::mocks
