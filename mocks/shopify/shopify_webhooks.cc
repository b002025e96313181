#include "mocks/shopify/shopify_webhooks.h"

#include <cstdio>

#include "core/base/crypto.h"
#include "mocks/shopify/shopify_payloads.h"

namespace invsync::mocks {
namespace {

struct ParsedId {
  int64_t key = 0;
  int32_t attempt = 0;
  bool duplicate = false;
};

std::optional<ParsedId> parse_delivery_id(std::string_view id) {
  if (id.size() < 4 || id.substr(0, 2) != "wh") return std::nullopt;
  ParsedId p;
  p.duplicate = id.size() > 4 && id.substr(id.size() - 4) == "-dup";
  if (p.duplicate) id.remove_suffix(4);
  const size_t dot = id.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  try {
    p.key = std::stoll(std::string(id.substr(2, dot - 2)));
    p.attempt = std::stoi(std::string(id.substr(dot + 1)));
  } catch (...) {
    return std::nullopt;
  }
  return p;
}

base::WallTime wall_at(const ShopifyMockConfig& c, base::Instant now) {
  return base::WallTime::from_unix_s(c.wall_origin_unix_s) + (now - base::Instant());
}

}  // namespace

ShopifyWebhooks::ShopifyWebhooks(const ShopifyMockConfig& config, base::Prng prng)
    : config_(config), prng_(prng) {
  for (const auto& t : config.webhook_topics) subscribed_.insert(t);
}

std::string ShopifyWebhooks::new_uuid() {
  const uint64_t a = prng_.next_u64();
  const uint64_t b = prng_.next_u64();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::string ShopifyWebhooks::new_event_id() { return new_uuid(); }

WebhookDelivery ShopifyWebhooks::make_delivery(int64_t key, const Record& record,
                                               base::Instant due) const {
  WebhookDelivery d;
  d.delivery_id = "wh" + std::to_string(key) + "." + std::to_string(record.attempt);
  d.due = due;
  d.request.method = "POST";
  d.request.target = config_.webhook_target;
  d.request.timeout = base::Duration::milliseconds(config_.webhook_timeout_ms);
  return d;
}

void ShopifyWebhooks::enqueue(std::string_view topic, std::string body, int64_t inventory_item_id,
                              const std::string& event_id, base::Instant now,
                              const CommonFaults& faults, base::Prng& fault_prng) {
  if (!subscribed(topic)) return;
  Record r;
  r.topic = std::string(topic);
  r.webhook_id = new_uuid();
  r.event_id = event_id;
  r.triggered_at = wall_at(config_, now);
  r.body = std::move(body);
  r.inventory_item_id = inventory_item_id;
  const int64_t key = next_key_++;
  WebhookDelivery d = make_delivery(key, r, now);
  records_.emplace(key, std::move(r));
  queue_.push(std::move(d), faults, fault_prng);
}

void ShopifyWebhooks::sign(Record& r, base::Instant now, const ShopifyCatalog& catalog,
                           base::HttpRequest* request) {
  if (r.body.empty() && r.inventory_item_id != 0) {
    const ShopifyVariant* v = catalog.by_item(r.inventory_item_id);
    r.body = v != nullptr ? inventory_level_json(*v, config_) : "{}";
  }
  const base::Instant rotated_at =
      base::Instant() + base::Duration::milliseconds(config_.secret_rotated_at_ms);
  const bool use_old =
      !config_.old_app_secret.empty() && now >= rotated_at &&
      now < rotated_at + base::Duration::milliseconds(config_.old_secret_window_ms);
  const std::string& secret = use_old ? config_.old_app_secret : config_.app_secret;
  base::HttpHeaders& h = request->headers;
  h.set("Content-Type", "application/json");
  h.set("User-Agent", "Shopify-Captain-Hook");
  h.set("X-Shopify-Topic", r.topic);
  h.set("X-Shopify-Hmac-Sha256", base::base64_encode(base::hmac_sha256(secret, r.body)));
  h.set("X-Shopify-Shop-Domain", config_.shop_domain);
  h.set("X-Shopify-API-Version", config_.webhook_api_version);
  h.set("X-Shopify-Webhook-Id", r.webhook_id);
  h.set("X-Shopify-Triggered-At", base::format_iso8601_utc(r.triggered_at, true));
  h.set("X-Shopify-Event-Id", r.event_id);
  request->body = r.body;
}

std::vector<WebhookDelivery> ShopifyWebhooks::take_due(base::Instant now,
                                                       const ShopifyCatalog& catalog) {
  std::vector<WebhookDelivery> out;
  for (WebhookDelivery& d : queue_.take_due(now)) {
    const std::optional<ParsedId> id = parse_delivery_id(d.delivery_id);
    auto it = id ? records_.find(id->key) : records_.end();
    if (it == records_.end() || !subscribed(it->second.topic)) {
      ++discarded_;
      continue;
    }
    sign(it->second, now, catalog, &d.request);
    ++sent_;
    out.push_back(std::move(d));
  }
  return out;
}

void ShopifyWebhooks::delete_subscription(const std::string& topic) {
  subscribed_.erase(topic);
  ++subscriptions_deleted_;
  for (auto it = records_.begin(); it != records_.end();) {
    it = it->second.topic == topic ? records_.erase(it) : std::next(it);
  }
}

void ShopifyWebhooks::on_result(std::string_view delivery_id, int32_t status, base::Instant now) {
  const std::optional<ParsedId> id = parse_delivery_id(delivery_id);
  if (!id) return;
  const bool success = status >= 200 && status < 300;
  if (success) {
    ++succeeded_;
  } else {
    ++failed_;
  }
  auto it = records_.find(id->key);
  if (id->duplicate || it == records_.end() || it->second.attempt != id->attempt) return;
  Record& r = it->second;
  if (success) {
    consecutive_failures_[r.topic] = 0;
    records_.erase(it);
    return;
  }
  if (++consecutive_failures_[r.topic] >= config_.webhook_delete_after_failures) {
    delete_subscription(std::string(r.topic));
    return;
  }
  if (static_cast<size_t>(r.attempt) >= config_.webhook_retry_delays_ms.size()) {
    ++abandoned_;
    records_.erase(it);
    return;
  }
  const base::Duration delay =
      base::Duration::milliseconds(config_.webhook_retry_delays_ms[static_cast<size_t>(r.attempt)]);
  ++r.attempt;
  if (!config_.webhook_retry_same_id) r.webhook_id = new_uuid();
  ++retried_;
  queue_.push_exact(make_delivery(id->key, r, now + delay));
}

void ShopifyWebhooks::add_stats(std::map<std::string, int64_t>* s) const {
  (*s)["webhooks_sent"] = sent_;
  (*s)["webhooks_succeeded"] = succeeded_;
  (*s)["webhooks_failed"] = failed_;
  (*s)["webhooks_retried"] = retried_;
  (*s)["webhooks_abandoned"] = abandoned_;
  (*s)["webhooks_discarded"] = discarded_;
  (*s)["webhooks_dropped"] = queue_.dropped();
  (*s)["webhooks_duplicated"] = queue_.duplicated();
  (*s)["subscriptions_deleted"] = subscriptions_deleted_;
  (*s)["webhooks_pending"] = static_cast<int64_t>(queue_.size());
}

}  // namespace invsync::mocks
