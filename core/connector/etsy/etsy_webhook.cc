// EtsyConnector's inbound side: the ORDER_PAID webhook (Standard Webhooks signature, thin
// payload: it only says "poll now") and the rate-limit headers on every response.
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/base/crypto.h"
#include "core/connector/etsy/etsy_connector.h"
#include "core/connector/etsy/etsy_payloads.h"

namespace invsync::connector {
namespace {

std::optional<int64_t> header_int(const base::HttpHeaders& headers, std::string_view name) {
  const std::optional<std::string_view> v = headers.get(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) return std::nullopt;
  return out;
}

// True when one of the space-separated "v1,<base64>" entries (or a bare base64 value) matches
// `expected`, compared in constant time. Every entry is compared (no early exit).
bool signature_matches(std::string_view header, const std::string& expected) {
  bool match = false;
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(' ', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view entry = header.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    const size_t comma = entry.find(',');
    if (comma != std::string_view::npos) {
      if (entry.substr(0, comma) != "v1") continue;  // other schemes (v1a: asymmetric)
      entry = entry.substr(comma + 1);
    }
    match = base::constant_time_equal(entry, expected) || match;
  }
  return match;
}

}  // namespace

base::Result<ParsedWebhook> EtsyConnector::parse_webhook(const base::HttpRequest& request) {
  const std::optional<std::string_view> id = request.headers.get("webhook-id");
  const std::optional<std::string_view> timestamp = request.headers.get("webhook-timestamp");
  const std::optional<std::string_view> signature = request.headers.get("webhook-signature");
  if (!id || !timestamp || !signature) {
    return base::Status::unauthenticated("etsy webhook: signature headers missing");
  }
  const std::string& secret = config_.webhook_signing_secret;
  constexpr std::string_view kPrefix = "whsec_";
  const std::string_view encoded_key =
      std::string_view(secret).substr(secret.rfind(kPrefix, 0) == 0 ? kPrefix.size() : 0);
  const std::optional<std::string> key = base::base64_decode(encoded_key);
  if (secret.empty() || !key || key->empty()) {
    return base::Status::unauthenticated("etsy webhook: no usable signing secret configured");
  }
  std::string signed_content;
  signed_content.reserve(id->size() + timestamp->size() + request.body.size() + 2);
  signed_content.append(*id).append(".").append(*timestamp).append(".").append(request.body);
  const std::string expected = base::base64_encode(base::hmac_sha256(*key, signed_content));
  if (!signature_matches(*signature, expected)) {
    return base::Status::unauthenticated("etsy webhook: signature does not match");
  }
  if (config_.webhook_tolerance > base::Duration::zero()) {
    const std::optional<int64_t> sent_s = header_int(request.headers, "webhook-timestamp");
    const int64_t now_s = deps_.clock.wall_now().unix_s();
    if (!sent_s || std::abs(now_s - *sent_s) > config_.webhook_tolerance.s()) {
      return base::Status::unauthenticated("etsy webhook: timestamp outside tolerance");
    }
  }
  const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("event_type") || !body["event_type"].is_string()) {
    return base::Status::invalid_argument("etsy webhook: body is not an event object");
  }
  ParsedWebhook parsed;
  const std::string event_type = body["event_type"].get<std::string>();
  // The payload has no SKU or quantity: any order event means "fetch the receipts now".
  if (event_type.rfind("order.", 0) == 0) {
    parsed.poll_now = true;
  } else {
    parsed.ignorable = true;
  }
  return parsed;
}

LimitFeedback EtsyConnector::observe_limits(const base::HttpResponse& response) {
  LimitFeedback feedback;
  std::optional<int64_t> remaining = header_int(response.headers, "x-remaining-this-second");
  if (!remaining) remaining = header_int(response.headers, "x-remaining-this-secon");
  const std::optional<int64_t> today = header_int(response.headers, "x-remaining-today");
  if (today && (!remaining || *today < *remaining)) remaining = today;
  feedback.remaining_count = remaining;
  feedback.quota_remaining_count = today;
  feedback.limit_count = header_int(response.headers, "x-limit-per-second");
  if (feedback.limit_count && *feedback.limit_count > 0 && *feedback.limit_count < 1'000'000) {
    feedback.restore_rate_micro_per_s = *feedback.limit_count * 1'000'000;  // a per-second window
  }
  feedback.throttled = response.status == 429;
  if (response.status == 429) {
    const base::Status status = etsy::status_of_response(response);
    feedback.retry_after = status.retry_after();
  } else if (const auto after = etsy::retry_after_header(response)) {
    feedback.retry_after = after;
  }
  return feedback;
}

}  // namespace invsync::connector
