// Fault settings every mock understands, set as JSON (mocks/README.md lists the keys) and
// changeable at any time, plus the helpers that draw from them with the mock's own Prng:
//   outage: "none" | "refused" | "timeout" | "http_502" | "http_503" | "http_504"
//   error_rate_percent: random 500s on otherwise healthy requests
//   latency_ms_base, latency_ms_jitter: added network latency (uniform jitter)
//   rate_limit_percent: scales the platform's rate limits (10 = a 429 storm at a tenth)
//   webhook_drop_percent, webhook_duplicate_percent, webhook_reorder_percent,
//   webhook_delay_ms_max: how deliveries are lost, doubled, shuffled and delayed
// Platform-specific keys are read by each mock after these (see parse_common_faults).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/http.h"
#include "core/base/prng.h"
#include "mocks/common/mock_platform.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::mocks {

enum class Outage : uint8_t { kNone, kRefused, kTimeout, kHttp502, kHttp503, kHttp504 };

struct CommonFaults {
  Outage outage = Outage::kNone;
  uint32_t error_rate_percent = 0;
  int64_t latency_ms_base = 0;
  int64_t latency_ms_jitter = 0;
  uint32_t rate_limit_percent = 100;
  uint32_t webhook_drop_percent = 0;
  uint32_t webhook_duplicate_percent = 0;
  uint32_t webhook_reorder_percent = 0;
  int64_t webhook_delay_ms_max = 0;
};

// Reads the common keys from `reader` into `faults` (unread keys are left for the caller, who
// must call reader.finish()).
void parse_common_faults(base::JsonReader& reader, CommonFaults* faults);

// Transport-level behaviour for one request under `faults`.
NetworkConditions draw_network(const CommonFaults& faults, base::Prng& prng);

// An HTTP-level outage page (nginx-style HTML 502/503/504) when the outage is one, else nullopt.
std::optional<base::HttpResponse> outage_response(const CommonFaults& faults);

// A webhook queue ordered by (due, sequence) that applies the webhook faults as deliveries enter.
class WebhookQueue {
 public:
  // Queues `delivery` (possibly dropped, duplicated, delayed or reordered per `faults`).
  void push(WebhookDelivery delivery, const CommonFaults& faults, base::Prng& prng);
  // Queues exactly as given (retries of a platform's own schedule).
  void push_exact(WebhookDelivery delivery);
  std::vector<WebhookDelivery> take_due(base::Instant now);
  std::optional<base::Instant> next_due() const;
  size_t size() const { return items_.size(); }
  int64_t dropped() const { return dropped_; }
  int64_t duplicated() const { return duplicated_; }

 private:
  struct Item {
    base::Instant due;
    uint64_t seq = 0;
    WebhookDelivery delivery;
  };
  std::vector<Item> items_;  // kept sorted by (due, seq)
  uint64_t next_seq_ = 0;
  int64_t dropped_ = 0;
  int64_t duplicated_ = 0;
};

}  // namespace invsync::mocks
