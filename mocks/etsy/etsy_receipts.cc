// Receipts and the storefront: place_order sells against the offering's own quantity, records a
// receipt visible to getShopReceipts after the configured delay, and (commercial apps) queues the
// flat ORDER_PAID webhook, signed Standard-Webhooks style and retried on the configured schedule.
#include <algorithm>
#include <cstdint>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "mocks/etsy/etsy_json.h"
#include "mocks/etsy/etsy_mock.h"

namespace invsync::mocks {

using base::HttpResponse;
using base::Instant;
using etsy::error_response;

namespace {

constexpr int64_t kMinTimestamp = 946'684'800;  // 2000-01-01, Etsy's minimum for filters

struct ReceiptQuery {
  std::optional<int64_t> min_created, max_created, min_modified, max_modified;
  std::optional<bool> was_paid, was_shipped, was_delivered, was_canceled;
  int64_t limit = 25;
  int64_t offset = 0;
  int64_t etsy::Receipt::*sort_on = &etsy::Receipt::created_unix_s;  // then receipt_id
  bool ascending = false;
};

std::string parse_receipt_query(std::string_view query, ReceiptQuery* q) {
  const auto params = base::parse_query(query);
  if (!params.has_value()) return "Malformed query string";
  for (const auto& [key, value] : *params) {
    std::optional<int64_t>* ts = key == "min_created"         ? &q->min_created
                                 : key == "max_created"       ? &q->max_created
                                 : key == "min_last_modified" ? &q->min_modified
                                 : key == "max_last_modified" ? &q->max_modified
                                                              : nullptr;
    std::optional<bool>* flag = key == "was_paid"        ? &q->was_paid
                                : key == "was_shipped"   ? &q->was_shipped
                                : key == "was_delivered" ? &q->was_delivered
                                : key == "was_canceled"  ? &q->was_canceled
                                                         : nullptr;
    const auto n = etsy::parse_int(value);
    if (ts != nullptr) {
      if (!n || *n < kMinTimestamp) return key + " must be an integer >= 946684800";
      *ts = *n;
    } else if (flag != nullptr) {
      if (value != "true" && value != "false") return key + " must be true or false";
      *flag = value == "true";
    } else if (key == "limit") {
      if (!n || *n < 1 || *n > 100) return "limit must be an integer between 1 and 100";
      q->limit = *n;
    } else if (key == "offset") {
      if (!n) return "offset must be an integer >= 0";
      q->offset = *n;
    } else if (key == "sort_on") {
      if (value == "created") {
        q->sort_on = &etsy::Receipt::created_unix_s;
      } else if (value == "updated") {
        q->sort_on = &etsy::Receipt::updated_unix_s;
      } else if (value == "receipt_id") {
        q->sort_on = &etsy::Receipt::receipt_id;
      } else {
        return "sort_on must be one of: created, updated, receipt_id";
      }
    } else if (key == "sort_order") {
      if (value == "asc" || value == "ascending" || value == "up") {
        q->ascending = true;
      } else if (value == "desc" || value == "descending" || value == "down") {
        q->ascending = false;
      } else {
        return "sort_order must be one of: asc, ascending, desc, descending, up, down";
      }
    }
  }
  return "";
}

bool matches(const etsy::Receipt& r, const ReceiptQuery& q) {
  const bool canceled = r.status == "canceled";
  if (q.min_created && r.created_unix_s < *q.min_created) return false;
  if (q.max_created && r.created_unix_s > *q.max_created) return false;
  if (q.min_modified && r.updated_unix_s < *q.min_modified) return false;
  if (q.max_modified && r.updated_unix_s > *q.max_modified) return false;
  if (q.was_paid && *q.was_paid != !canceled) return false;
  if (q.was_shipped && *q.was_shipped) return false;
  if (q.was_delivered && *q.was_delivered) return false;
  if (q.was_canceled && *q.was_canceled != canceled) return false;
  return true;
}

}  // namespace

HttpResponse EtsyMock::list_receipts(const base::HttpRequest& request, Instant now) {
  ReceiptQuery q;
  const std::string err = parse_receipt_query(request.query(), &q);
  if (!err.empty()) return error_response(400, err);
  std::vector<etsy::Receipt*> found;
  auto consider = [&](etsy::Receipt& r) {
    if (r.visible_at <= now && matches(r, q)) found.push_back(&r);
  };
  if (q.min_modified) {
    for (auto it = receipts_by_updated_.lower_bound({*q.min_modified, INT64_MIN});
         it != receipts_by_updated_.end(); ++it) {
      consider(receipts_.at(it->second));
    }
  } else {
    for (auto& [id, r] : receipts_) consider(r);
  }
  auto key = [&](const etsy::Receipt* r) { return std::pair{r->*q.sort_on, r->receipt_id}; };
  std::sort(found.begin(), found.end(), [&](const etsy::Receipt* a, const etsy::Receipt* b) {
    return q.ascending ? key(a) < key(b) : key(b) < key(a);
  });
  int64_t offset = q.offset;
  if (offset > 0 && faults_.receipt_page_shift > 0) {
    offset = std::max<int64_t>(0, offset - faults_.receipt_page_shift);
    bump("receipt_pages_shifted");
  }
  std::string body;
  base::JsonWriter w(body);
  w.begin_object().field("count", static_cast<uint64_t>(found.size())).key("results").begin_array();
  for (int64_t i = offset; i < static_cast<int64_t>(found.size()) && i < offset + q.limit; ++i) {
    w.raw(etsy::receipt_json(*found[static_cast<size_t>(i)], config_));
  }
  w.end_array().end_object();
  return HttpResponse::json(200, std::move(body));
}

HttpResponse EtsyMock::get_receipt(int64_t receipt_id, Instant now) {
  auto it = receipts_.find(receipt_id);
  if (it == receipts_.end() || it->second.visible_at > now) {
    return error_response(
        404, "Could not find a Receipt with receipt_id = " + std::to_string(receipt_id));
  }
  return HttpResponse::json(200, etsy::receipt_json(it->second, config_));
}

PlaceOrderResult EtsyMock::place_order(std::string_view sku, int64_t quantity, Instant now) {
  advance(now);
  auto owner = sku_listing_.find(sku);
  PlaceOrderResult result;
  etsy::Listing* listing = owner == sku_listing_.end() ? nullptr : &listings_.at(owner->second);
  etsy::Product* product = listing == nullptr ? nullptr : listing->find_sku(sku);
  if (quantity <= 0) {
    result.reason = "quantity must be positive";
  } else if (product == nullptr || product->offerings.empty()) {
    result.reason = "unknown sku";
  } else if (listing->state != etsy::ListingState::kActive) {
    result.reason = std::string("listing is ") + etsy::state_name(listing->state);
  } else if (!product->offerings[0].is_enabled || product->offerings[0].quantity < quantity) {
    result.reason = "sold out";
  }
  if (!result.reason.empty()) {
    bump("orders_refused");
    return result;
  }
  etsy::Offering& offering = product->offerings[0];
  offering.quantity -= quantity;
  const int64_t ts = unix_seconds(now);
  listing->updated_unix_s = ts;
  if (listing->quantity() == 0) listing->state = etsy::ListingState::kSoldOut;
  etsy::Receipt receipt;
  receipt.receipt_id = next_id(&next_receipt_id_);
  receipt.created_unix_s = ts;
  receipt.updated_unix_s = ts;
  receipt.visible_at = now + config_.receipt_visibility_delay;
  receipt.transactions.push_back(
      etsy::Transaction{next_id(&next_transaction_id_), listing->listing_id, product->product_id,
                        product->sku, quantity, offering.price_amount, product->property_values});
  const int64_t receipt_id = receipt.receipt_id;
  pending_visible_.insert(receipt.visible_at);
  receipts_by_updated_.emplace(receipt.updated_unix_s, receipt.receipt_id);
  receipts_[receipt_id] = std::move(receipt);
  result.accepted = true;
  result.order_id = std::to_string(receipt_id);
  accepted_.push_back(AcceptedOrder{result.order_id, std::string(sku), quantity, now, false});
  bump("orders_accepted");
  emit_webhook("order.paid", receipt_id, now);
  return result;
}

base::Status EtsyMock::cancel_order(std::string_view order_id, Instant now) {
  advance(now);
  const auto id = etsy::parse_int(order_id);
  auto it = id ? receipts_.find(*id) : receipts_.end();
  if (it == receipts_.end()) return base::Status::not_found("no receipt " + std::string(order_id));
  etsy::Receipt& receipt = it->second;
  if (receipt.status == "canceled") {
    return base::Status::failed_precondition("receipt " + std::string(order_id) + " is canceled");
  }
  receipt.status = "canceled";
  receipt.json.clear();
  receipts_by_updated_.erase({receipt.updated_unix_s, receipt.receipt_id});
  receipt.updated_unix_s = unix_seconds(now);
  receipts_by_updated_.emplace(receipt.updated_unix_s, receipt.receipt_id);
  for (const etsy::Transaction& t : receipt.transactions) {
    auto owner = sku_listing_.find(t.sku);
    if (owner == sku_listing_.end()) continue;  // the product was removed by a later PUT
    etsy::Listing& listing = listings_.at(owner->second);
    etsy::Product* product = listing.find_sku(t.sku);
    product->offerings[0].quantity += t.quantity;
    listing.updated_unix_s = receipt.updated_unix_s;
    if (listing.state == etsy::ListingState::kSoldOut && listing.quantity() > 0) {
      listing.state = etsy::ListingState::kActive;
    }
  }
  for (AcceptedOrder& o : accepted_) {
    if (o.order_id == order_id) o.cancelled = true;
  }
  bump("orders_cancelled");
  if (config_.webhook_emit_canceled) emit_webhook("order.canceled", receipt.receipt_id, now);
  return base::Status();
}

// --- webhooks ---

void EtsyMock::emit_webhook(std::string_view event_type, int64_t receipt_id, Instant now) {
  if (!config_.webhook_enabled) return;
  etsy::PendingWebhook pending;
  std::string raw;
  for (uint64_t word : {prng_.next_u64(), prng_.next_u64()}) {
    for (int i = 0; i < 8; ++i) raw.push_back(static_cast<char>((word >> (8 * i)) & 0xff));
  }
  pending.message_id = "msg_" + base::hex_encode(raw).substr(0, 27);
  base::JsonWriter(pending.body)
      .begin_object()
      .field("event_type", event_type)
      .field("resource_url", config_.base_url + "/v3/application/shops/" +
                                 std::to_string(config_.shop_id) + "/receipts/" +
                                 std::to_string(receipt_id))
      .field("shop_id", config_.shop_id)
      .end_object();
  WebhookDelivery delivery = make_delivery(pending, now + config_.webhook_retry_schedule[0]);
  pending_webhooks_[pending.message_id] = std::move(pending);
  bump("webhooks_queued");
  webhooks_.push(std::move(delivery), faults_.common, prng_);
}

WebhookDelivery EtsyMock::make_delivery(const etsy::PendingWebhook& pending, Instant due) const {
  WebhookDelivery d;
  d.delivery_id = pending.message_id + "#" + std::to_string(pending.attempt);
  d.due = due;
  d.request.method = "POST";
  d.request.target = config_.webhook_target;
  d.request.headers.set("content-type", "application/json");
  d.request.headers.set("webhook-id", pending.message_id);
  d.request.body = pending.body;
  return d;
}

void EtsyMock::sign_delivery(WebhookDelivery* d, Instant now) const {
  const std::string timestamp = std::to_string(unix_seconds(now));
  const std::string key =
      base::base64_decode(std::string_view(config_.webhook_signing_secret).substr(6)).value_or("");
  const std::string id(d->request.headers.get("webhook-id").value_or(""));
  const std::string mac = base::hmac_sha256(key, id + "." + timestamp + "." + d->request.body);
  d->request.headers.set("webhook-timestamp", timestamp);
  d->request.headers.set("webhook-signature",
                         config_.webhook_signature_prefix + base::base64_encode(mac));
}

std::vector<WebhookDelivery> EtsyMock::take_due_webhooks(Instant now) {
  advance(now);
  std::vector<WebhookDelivery> due = webhooks_.take_due(now);
  for (WebhookDelivery& d : due) sign_delivery(&d, now);
  bump("webhooks_sent", static_cast<int64_t>(due.size()));
  return due;
}

void EtsyMock::on_webhook_result(std::string_view delivery_id, int32_t status, Instant now) {
  advance(now);
  const size_t hash = delivery_id.find('#');
  // Results for injected duplicates ("-dup") and stale attempts do not drive retries.
  if (hash == std::string_view::npos || delivery_id.ends_with("-dup")) return;
  auto it = pending_webhooks_.find(delivery_id.substr(0, hash));
  if (it == pending_webhooks_.end()) return;
  etsy::PendingWebhook& pending = it->second;
  if (delivery_id.substr(hash + 1) != std::to_string(pending.attempt)) return;
  if (status >= 200 && status < 300) {
    bump("webhooks_delivered");
    pending_webhooks_.erase(it);
    return;
  }
  bump("webhooks_failed_attempts");
  if (pending.attempt + 1 >= config_.webhook_retry_schedule.size()) {
    bump("webhooks_gave_up");
    pending_webhooks_.erase(it);
    return;
  }
  ++pending.attempt;
  bump("webhooks_retried");
  webhooks_.push_exact(
      make_delivery(pending, now + config_.webhook_retry_schedule[pending.attempt]));
}

}  // namespace invsync::mocks
