// Hookshot webhooks (class-wc-webhook.php): one webhook per topic; async deliveries queued in
// Action Scheduler only when none is pending for the same (webhook, resource) within the
// coalescing window, payload built at delivery time, HMAC-SHA256 signature, no retries, disabled
// on the 7th consecutive failure; the unsigned form-encoded ping on creation.
#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

#include "core/base/crypto.h"
#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

using woo::Json;

constexpr std::array<const char*, 5> kTopics = {"order.created", "order.updated", "product.created",
                                                "product.updated", "product.deleted"};
constexpr std::string_view kDupSuffix = "-dup";
constexpr std::string_view kDeliveryPrefix = "woo-";
constexpr std::string_view kPingPrefix = "woo-ping-";

// The seq of a delivery id "woo-<seq>" or "woo-ping-<seq>" (the seq as std::to_string writes
// it, nothing else), and whether it names a ping.
std::optional<std::pair<uint64_t, bool>> parse_delivery_id(std::string_view id) {
  const bool ping = id.starts_with(kPingPrefix);
  if (!ping && !id.starts_with(kDeliveryPrefix)) return std::nullopt;
  id.remove_prefix(ping ? kPingPrefix.size() : kDeliveryPrefix.size());
  uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), seq);
  if (ec != std::errc() || end != id.data() + id.size() || (id.size() > 1 && id[0] == '0')) {
    return std::nullopt;
  }
  return std::pair{seq, ping};
}

}  // namespace

void WooCommerceMock::emit(std::string_view topic, int64_t resource_id, base::Instant now) {
  for (const auto& [id, hook] : webhooks_) {
    if (hook.topic != topic) continue;
    if (hook.status != "active") {
      ++stats_["webhooks_skipped_disabled"];
      continue;
    }
    if (!config_.webhook_async) {
      if (auto d = build_delivery(hook, resource_id, now)) {
        queue_.push(std::move(*d), faults_.common, prng_);
      }
      continue;
    }
    const bool pending = std::any_of(pending_.begin(), pending_.end(), [&](const Pending& p) {
      return p.webhook_id == hook.id && p.resource_id == resource_id &&
             p.due < now + config_.coalesce_window;
    });
    if (pending) {
      ++stats_["webhooks_coalesced"];
      continue;
    }
    const Pending p{hook.id, resource_id, now + config_.delivery_delay, next_seq_++};
    // Kept in delivery order (due, then seq); seq only grows, so a new entry goes after its equals.
    pending_.insert(
        std::upper_bound(pending_.begin(), pending_.end(), p,
                         [](const Pending& a, const Pending& b) { return a.due < b.due; }),
        p);
  }
}

std::string WooCommerceMock::resource_body(std::string_view topic, int64_t resource_id) const {
  std::string payload;
  base::JsonWriter w(payload);
  if (topic.ends_with(".deleted")) {
    w.begin_object().field("id", resource_id).end_object();
  } else if (topic.starts_with("order.")) {
    auto it = orders_.find(resource_id);
    if (it == orders_.end()) return "";
    write_order(it->second, w);
  } else {
    const woo::Product* p = find_product(resource_id);
    if (p == nullptr) return "";
    write_product(*p, w);
  }
  return woo::wp_escape(std::move(payload));
}

std::optional<WebhookDelivery> WooCommerceMock::build_delivery(const woo::Webhook& hook,
                                                               int64_t resource_id,
                                                               base::Instant due) {
  std::string body = resource_body(hook.topic, resource_id);
  if (body.empty()) return std::nullopt;
  const size_t dot = hook.topic.find('.');
  const std::string hash_input =
      std::to_string(hook.id) + std::to_string(wall(due).unix_s());  // wp_hash(id . time())
  WebhookDelivery d;
  const uint64_t seq = next_seq_++;
  d.delivery_id = std::string(kDeliveryPrefix) + std::to_string(seq);
  d.due = due;
  d.request.method = "POST";
  d.request.target = config_.webhook_target;
  d.request.timeout = config_.delivery_timeout;
  auto& h = d.request.headers;  // a new request: add() skips the name lookup set() does
  h.add("User-Agent", "WooCommerce/" + config_.woocommerce_version + " Hookshot (WordPress/" +
                          config_.wordpress_version + ")");
  h.add("Content-Type", "application/json");
  h.add("X-WC-Webhook-Source", config_.home_url);
  h.add("X-WC-Webhook-Topic", hook.topic);
  h.add("X-WC-Webhook-Resource", hook.topic.substr(0, dot));
  h.add("X-WC-Webhook-Event", hook.topic.substr(dot + 1));
  h.add("X-WC-Webhook-Signature",
        base::base64_encode(base::hmac_sha256(config_.webhook_secret, body)));
  h.add("X-WC-Webhook-ID", std::to_string(hook.id));
  h.add(
      "X-WC-Webhook-Delivery-ID",
      base::hex_encode(base::hmac_sha256("wp-salt:" + config_.home_url, hash_input)).substr(0, 32));
  d.request.body = std::move(body);
  in_flight_[seq] = {hook.id, false};
  return d;
}

void WooCommerceMock::queue_ping(const woo::Webhook& hook, base::Instant now) {
  WebhookDelivery d;
  const uint64_t seq = next_seq_++;
  d.delivery_id = std::string(kPingPrefix) + std::to_string(seq);
  d.due = now;
  d.request.method = "POST";
  d.request.target = config_.webhook_target;
  d.request.timeout = config_.ping_timeout;
  d.request.headers.add("User-Agent", "WooCommerce/" + config_.woocommerce_version +
                                          " Hookshot (WordPress/" + config_.wordpress_version +
                                          ")");
  d.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
  d.request.body = "webhook_id=" + std::to_string(hook.id);
  in_flight_[seq] = {hook.id, true};
  ++stats_["pings_queued"];
  queue_.push_exact(std::move(d));
}

base::Result<int64_t> WooCommerceMock::create_webhook(std::string_view topic, base::Instant now) {
  if (std::find(kTopics.begin(), kTopics.end(), topic) == kTopics.end()) {
    return base::Status::invalid_argument("woocommerce: unsupported topic " + std::string(topic));
  }
  woo::Webhook hook{.id = next_webhook_id_++, .topic = std::string(topic)};
  webhooks_[hook.id] = hook;
  queue_ping(hook, now);
  return hook.id;
}

base::Status WooCommerceMock::set_webhook_status(int64_t webhook_id, std::string_view status) {
  auto it = webhooks_.find(webhook_id);
  if (it == webhooks_.end()) return base::Status::not_found("woocommerce: no such webhook");
  if (status != "active" && status != "disabled") {
    return base::Status::invalid_argument("woocommerce: status must be active or disabled");
  }
  if (status == "active" && it->second.status != "active") it->second.failure_count = 0;
  it->second.status = std::string(status);
  return base::Status();
}

std::optional<woo::Webhook> WooCommerceMock::webhook(int64_t webhook_id) const {
  auto it = webhooks_.find(webhook_id);
  if (it == webhooks_.end()) return std::nullopt;
  return it->second;
}

std::vector<WebhookDelivery> WooCommerceMock::take_due_webhooks(base::Instant now) {
  size_t n = 0;
  while (n < pending_.size() && pending_[n].due <= now) {
    const Pending p = pending_[n++];
    // Action Scheduler runs the action: deliver() does not re-check the webhook's status.
    if (auto d = build_delivery(webhooks_.at(p.webhook_id), p.resource_id, p.due)) {
      queue_.push(std::move(*d), faults_.common, prng_);
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(n));
  std::vector<WebhookDelivery> due = queue_.take_due(now);
  for (const WebhookDelivery& d : due) {
    ++stats_[d.delivery_id.starts_with(kPingPrefix) ? "pings_sent" : "webhooks_sent"];
  }
  return due;
}

void WooCommerceMock::on_webhook_result(std::string_view delivery_id, int32_t status,
                                        base::Instant /*now*/) {
  std::string_view id = delivery_id;
  if (id.ends_with(kDupSuffix)) id.remove_suffix(kDupSuffix.size());
  const auto parsed = parse_delivery_id(id);
  if (!parsed) return;
  auto it = in_flight_.find(parsed->first);
  if (it == in_flight_.end() || it->second.second != parsed->second) return;
  const auto [hook_id, is_ping] = it->second;
  if (is_ping) {  // must be exactly 200; the REST API ignores the outcome
    ++stats_[status == 200 ? "pings_ok" : "pings_failed"];
    return;
  }
  woo::Webhook& hook = webhooks_.at(hook_id);
  if (status >= 200 && status <= 302) {
    hook.failure_count = 0;
    ++stats_["webhooks_ok"];
    return;
  }
  ++stats_["webhooks_failed"];  // no retry: the delivery is only logged
  if (hook.failure_count > config_.max_delivery_failures) {
    hook.status = "disabled";
  } else {
    ++hook.failure_count;
  }
}

}  // namespace invsync::mocks
