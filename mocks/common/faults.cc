#include "mocks/common/faults.h"

#include <algorithm>

#include "core/base/json_reader.h"

namespace invsync::mocks {

void parse_common_faults(base::JsonReader& r, CommonFaults* f) {
  const std::string outage = r.get_enum(
      "outage", "none", {"none", "refused", "timeout", "http_502", "http_503", "http_504"});
  if (outage == "none") f->outage = Outage::kNone;
  if (outage == "refused") f->outage = Outage::kRefused;
  if (outage == "timeout") f->outage = Outage::kTimeout;
  if (outage == "http_502") f->outage = Outage::kHttp502;
  if (outage == "http_503") f->outage = Outage::kHttp503;
  if (outage == "http_504") f->outage = Outage::kHttp504;
  f->error_rate_percent = static_cast<uint32_t>(r.get_int("error_rate_percent", 0, 0, 100));
  f->latency_ms_base = r.get_int("latency_ms_base", 0, 0, 600'000);
  f->latency_ms_jitter = r.get_int("latency_ms_jitter", 0, 0, 600'000);
  f->rate_limit_percent = static_cast<uint32_t>(r.get_int("rate_limit_percent", 100, 1, 1000));
  f->webhook_drop_percent = static_cast<uint32_t>(r.get_int("webhook_drop_percent", 0, 0, 100));
  f->webhook_duplicate_percent =
      static_cast<uint32_t>(r.get_int("webhook_duplicate_percent", 0, 0, 100));
  f->webhook_reorder_percent = static_cast<uint32_t>(r.get_int("webhook_reorder_percent", 0, 0, 100));
  f->webhook_delay_ms_max = r.get_int("webhook_delay_ms_max", 0, 0, 86'400'000);
}

NetworkConditions draw_network(const CommonFaults& f, base::Prng& prng) {
  NetworkConditions n;
  if (f.outage == Outage::kRefused) n.transport = NetworkConditions::Transport::kRefused;
  if (f.outage == Outage::kTimeout) n.transport = NetworkConditions::Transport::kTimeout;
  int64_t ms = f.latency_ms_base;
  if (f.latency_ms_jitter > 0) ms += prng.range_inclusive(0, f.latency_ms_jitter);
  n.latency = base::Duration::milliseconds(ms);
  return n;
}

std::optional<base::HttpResponse> outage_response(const CommonFaults& f) {
  auto page = [](int32_t status, const char* title) {
    std::string body = std::string("<html>\r\n<head><title>") + title +
                       "</title></head>\r\n<body>\r\n<center><h1>" + title +
                       "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    return base::HttpResponse::text(status, "text/html", std::move(body));
  };
  switch (f.outage) {
    case Outage::kHttp502: return page(502, "502 Bad Gateway");
    case Outage::kHttp503: return page(503, "503 Service Temporarily Unavailable");
    case Outage::kHttp504: return page(504, "504 Gateway Time-out");
    default: return std::nullopt;
  }
}

void WebhookQueue::push_exact(WebhookDelivery delivery) {
  Item item{delivery.due, next_seq_++, std::move(delivery)};
  auto pos = std::upper_bound(items_.begin(), items_.end(), item, [](const Item& a, const Item& b) {
    return a.due != b.due ? a.due < b.due : a.seq < b.seq;
  });
  items_.insert(pos, std::move(item));
}

void WebhookQueue::push(WebhookDelivery delivery, const CommonFaults& f, base::Prng& prng) {
  if (prng.chance(base::Ratio::percent(f.webhook_drop_percent))) {
    ++dropped_;
    return;
  }
  if (f.webhook_delay_ms_max > 0) {
    delivery.due += base::Duration::milliseconds(prng.range_inclusive(0, f.webhook_delay_ms_max));
  }
  if (prng.chance(base::Ratio::percent(f.webhook_reorder_percent))) {
    // Held back long enough to arrive after deliveries queued later.
    delivery.due += base::Duration::milliseconds(prng.range_inclusive(1'000, 30'000));
  }
  if (prng.chance(base::Ratio::percent(f.webhook_duplicate_percent))) {
    WebhookDelivery copy = delivery;
    copy.delivery_id += "-dup";
    copy.due += base::Duration::milliseconds(prng.range_inclusive(10, 5'000));
    ++duplicated_;
    push_exact(std::move(copy));
  }
  push_exact(std::move(delivery));
}

std::vector<WebhookDelivery> WebhookQueue::take_due(base::Instant now) {
  std::vector<WebhookDelivery> out;
  size_t n = 0;
  while (n < items_.size() && items_[n].due <= now) {
    out.push_back(std::move(items_[n].delivery));
    ++n;
  }
  items_.erase(items_.begin(), items_.begin() + static_cast<long>(n));
  return out;
}

std::optional<base::Instant> WebhookQueue::next_due() const {
  if (items_.empty()) return std::nullopt;
  return items_.front().due;
}

}  // namespace invsync::mocks
