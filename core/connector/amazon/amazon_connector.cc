// AmazonConnector: requests, LWA access tokens, patchListingsItem pushes, getListingsItem reads,
// rate-limit feedback. Feeds are in amazon_feed.cc, order polling in amazon_orders.cc.
#include "core/connector/amazon/amazon_connector.h"

#include <charconv>
#include <cmath>

#include "core/base/url.h"
#include "core/connector/amazon/amazon_internal.h"
#include "core/connector/amazon/amazon_responses.h"

namespace invsync::connector {

namespace ad = amazon_detail;

AmazonConnector::AmazonConnector(AmazonConnectorConfig config, ConnectorDeps deps)
    : config_(std::move(config)), deps_(deps) {}

AmazonConnector::~AmazonConnector() {
  alive_.reset();  // in-flight callbacks become no-ops
  for (auto& [id, feed] : feeds_) {
    if (feed.timer.value != 0) (void)deps_.scheduler.cancel(feed.timer);
  }
}

void AmazonConnector::set_async_result_handler(AsyncResultHandler handler) {
  async_handler_ = std::move(handler);
}

base::HttpRequest AmazonConnector::make_request(std::string method, std::string target,
                                                std::string body) const {
  base::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.base_url = config_.base_url;
  request.timeout = config_.request_timeout;
  request.headers.set("user-agent", config_.user_agent);
  request.headers.set("accept", "application/json");
  if (!body.empty()) request.headers.set("content-type", "application/json");
  request.body = std::move(body);
  return request;
}

base::Duration AmazonConnector::default_retry_after() const {
  // One request's worth of the configured rate: Amazon's 429 carries no Retry-After.
  const int64_t rate = std::max<int64_t>(1, config_.limits.request_rate_micro_per_s);
  return base::Duration::microseconds(std::max<int64_t>(1, 1'000'000'000'000 / rate));
}

std::string AmazonConnector::item_target(const domain::Sku& sku) const {
  return "/listings/2021-08-01/items/" + base::percent_encode(config_.seller_id) + "/" +
         base::percent_encode(sku.str()) +
         "?marketplaceIds=" + base::percent_encode(config_.marketplace_id);
}

// --- LWA access tokens ---

void AmazonConnector::with_access_token(TokenCallback then) {
  if (!access_token_.empty() && deps_.clock.monotonic_now() < access_token_valid_until_) {
    then(access_token_);
    return;
  }
  token_waiters_.push_back(std::move(then));
  if (!token_refreshing_) refresh_access_token();
}

void AmazonConnector::refresh_access_token() {
  token_refreshing_ = true;
  base::HttpRequest request;
  request.method = "POST";
  request.target = "/auth/o2/token";
  request.base_url = config_.lwa_base_url;
  request.timeout = config_.request_timeout;
  request.headers.set("user-agent", config_.user_agent);
  request.headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
  request.headers.set("accept", "application/json");
  request.body = "grant_type=refresh_token&refresh_token=" +
                 base::percent_encode(config_.refresh_token) +
                 "&client_id=" + base::percent_encode(config_.client_id) +
                 "&client_secret=" + base::percent_encode(config_.client_secret);
  deps_.auth.send(std::move(request), guarded([this](base::Result<base::HttpResponse> r) {
    base::Result<std::string> token = take_token_response(r);
    token_refreshing_ = false;
    std::vector<TokenCallback> waiters = std::move(token_waiters_);
    token_waiters_.clear();
    for (auto& waiter : waiters) waiter(token);
  }));
}

base::Result<std::string> AmazonConnector::take_token_response(
    const base::Result<base::HttpResponse>& r) {
  if (!r.ok()) return r.status();  // transport: timeout or refused
  const base::HttpResponse& resp = r.value();
  const auto json = ad::parse_object(resp.body);
  if (resp.status == 429) {
    return base::Status::rate_limited("amazon lwa: HTTP 429", default_retry_after());
  }
  if (resp.status >= 400 && resp.status < 500) {
    // invalid_grant (refresh token revoked) or invalid_client (secret wrong or not rotated):
    // only the error code goes into the message, nothing of the request.
    const std::string error = json ? json->value("error", std::string("?")) : "?";
    return base::Status::unauthenticated("amazon lwa token refresh rejected: HTTP " +
                                         std::to_string(resp.status) + " " + error);
  }
  const bool has_token = json && json->contains("access_token") &&
                         (*json)["access_token"].is_string() &&
                         !(*json)["access_token"].get<std::string>().empty();
  if (!resp.is_success() || !has_token) {
    return base::Status::unavailable("amazon lwa token refresh failed: " +
                                     ad::describe_response(resp));
  }
  int64_t expires_s = 3600;
  if (const auto it = json->find("expires_in"); it != json->end() && it->is_number_integer()) {
    expires_s = std::clamp<int64_t>(it->get<int64_t>(), 0, 86'400);
  }
  access_token_ = (*json)["access_token"].get<std::string>();
  access_token_valid_until_ = deps_.clock.monotonic_now() + base::Duration::seconds(expires_s) -
                              config_.token_refresh_margin;
  return access_token_;
}

void AmazonConnector::send_api(base::HttpRequest request, base::HttpCallback callback,
                               bool may_retry) {
  with_access_token([this, request = std::move(request), callback = std::move(callback),
                     may_retry](base::Result<std::string> token) mutable {
    if (!token.ok()) {
      callback(token.status());
      return;
    }
    request.headers.set("x-amz-access-token", token.value());
    base::HttpRequest copy = request;
    deps_.api.send(std::move(copy), guarded([this, request = std::move(request),
                                             callback = std::move(callback), may_retry,
                                             used = token.value()](
                                                base::Result<base::HttpResponse> r) mutable {
      if (may_retry && r.ok() && ad::is_token_rejection(r.value())) {
        if (access_token_ == used) access_token_.clear();  // force one refresh
        send_api(std::move(request), std::move(callback), /*may_retry=*/false);
        return;
      }
      callback(std::move(r));
    }));
  });
}

// --- push ---

void AmazonConnector::push(std::vector<PushItem> items, PushCallback callback) {
  if (items.empty()) {
    deps_.scheduler.post([callback = std::move(callback)] { callback({}); });
    return;
  }
  if (config_.mode == AmazonPushMode::kFeed) {
    push_feed(std::move(items), std::move(callback));
  } else {
    push_patch(std::move(items), std::move(callback));
  }
}

namespace {

std::string patch_body(domain::Quantity quantity) {
  std::string body;
  base::JsonWriter json(body);
  json.begin_object();
  json.key("patches");
  ad::write_quantity_patches(json, quantity.units());
  json.field("productType", "PRODUCT");
  json.end_object();
  return body;
}

// "ERROR 90000900: The attributes are invalid.; ..." from a submission's issues.
std::string issues_text(const nlohmann::json& body) {
  std::string out;
  const auto issues = body.find("issues");
  if (issues == body.end() || !issues->is_array()) return out;
  for (const auto& issue : *issues) {
    if (!issue.is_object()) continue;
    if (!out.empty()) out += "; ";
    out += issue.value("severity", std::string("?")) + " " + issue.value("code", std::string()) +
           ": " + issue.value("message", std::string());
  }
  return out;
}

}  // namespace

void AmazonConnector::push_patch(std::vector<PushItem> items, PushCallback callback) {
  struct Join {
    std::vector<PushItem> items;
    std::vector<std::optional<PushItemResult>> results;
    size_t left = 0;
    PushCallback callback;
  };
  auto join = std::make_shared<Join>();
  join->results.resize(items.size());
  join->left = items.size();
  join->callback = std::move(callback);
  join->items = std::move(items);
  for (size_t i = 0; i < join->items.size(); ++i) {
    const PushItem& item = join->items[i];
    send_api(make_request("PATCH", item_target(item.listing.sku), patch_body(item.quantity)),
             [this, join, i](base::Result<base::HttpResponse> r) {
               join->results[i] = classify_patch(join->items[i], r);
               if (--join->left > 0) return;
               std::vector<PushItemResult> results;
               for (auto& one : join->results) results.push_back(std::move(*one));
               join->callback(std::move(results));
             });
  }
}

PushItemResult AmazonConnector::classify_patch(const PushItem& item,
                                               const base::Result<base::HttpResponse>& r) const {
  if (!r.ok() || !r.value().is_success()) {
    return ad::failure_result(item.listing.sku, r, default_retry_after());
  }
  PushItemResult out{.sku = item.listing.sku, .http_status = r.value().status};
  const auto body = ad::parse_object(r.value().body);
  const std::string status = body ? body->value("status", std::string()) : std::string();
  if (status == "ACCEPTED") {
    // Passed synchronous validation; whether it is applied is checked by reconciliation reads.
    out.outcome = PushOutcome::kDone;
    out.channel_quantity = item.quantity;
  } else if (status == "INVALID") {
    out.outcome = PushOutcome::kPermanent;
    out.error = ad::clip("submission INVALID: " + issues_text(*body));
  } else {
    out.outcome = PushOutcome::kTransient;
    out.error = body ? "unexpected submission status '" + ad::clip(status) + "'"
                     : ad::describe_response(r.value()) + " unreadable submission response";
  }
  return out;
}

// --- read ---

void AmazonConnector::read(std::vector<ListingRef> listings, ReadCallback callback) {
  struct Join {
    std::vector<std::optional<ChannelQuantity>> quantities;
    std::optional<base::Status> error;
    size_t left = 0;
    ReadCallback callback;
  };
  auto join = std::make_shared<Join>();
  join->left = listings.size();
  join->callback = std::move(callback);
  if (listings.empty()) {
    deps_.scheduler.post([join] { join->callback(std::vector<ChannelQuantity>{}); });
    return;
  }
  join->quantities.resize(listings.size());
  for (size_t i = 0; i < listings.size(); ++i) {
    const domain::Sku sku = listings[i].sku;
    send_api(make_request("GET", item_target(sku) + "&includedData=fulfillmentAvailability", ""),
             [this, join, i, sku](base::Result<base::HttpResponse> r) {
               base::Result<ChannelQuantity> q = classify_read(sku, r);
               if (q.ok()) join->quantities[i] = std::move(q.value());
               else if (!join->error) join->error = q.status();
               if (--join->left > 0) return;
               if (join->error) {
                 join->callback(*join->error);
                 return;
               }
               std::vector<ChannelQuantity> quantities;
               for (auto& one : join->quantities) quantities.push_back(std::move(*one));
               join->callback(std::move(quantities));
             });
  }
}

base::Result<ChannelQuantity> AmazonConnector::classify_read(
    const domain::Sku& sku, const base::Result<base::HttpResponse>& r) const {
  if (r.ok() && r.value().status == 404) return ChannelQuantity{sku, std::nullopt};
  if (!r.ok() || !r.value().is_success()) return ad::failure_status(r, default_retry_after());
  const auto found = ad::decode_default_availability(r.value().body);
  if (!found) return ad::failure_status(r, default_retry_after());
  using Kind = ad::DefaultAvailability::Kind;
  switch (found->kind) {
    case Kind::kNoList:       // no MFN offer
    case Kind::kNoDefault:    // listed, but no merchant-fulfilled offer
    case Kind::kNoQuantity:
      return ChannelQuantity{sku, domain::Quantity(0)};
    case Kind::kNotArray:
      return base::Status::corruption("amazon: fulfillmentAvailability is not an array");
    case Kind::kNotInteger:
      return base::Status::corruption("amazon: fulfillmentAvailability quantity is not an integer");
    case Kind::kQuantity:
      break;
  }
  auto quantity = domain::Quantity::checked(found->quantity);
  if (!quantity.ok() || quantity->is_negative()) {
    return base::Status::corruption("amazon: fulfillmentAvailability quantity out of range");
  }
  return ChannelQuantity{sku, *quantity};
}

// --- webhooks and limits ---

base::Result<ParsedWebhook> AmazonConnector::parse_webhook(const base::HttpRequest& request) {
  (void)request;
  return base::Status::invalid_argument("amazon has no webhooks; orders arrive by polling");
}

LimitFeedback AmazonConnector::observe_limits(const base::HttpResponse& response) {
  // x-amzn-RateLimit-Limit carries the operation's rate (e.g. "0.0167" requests per second), not
  // a remaining count, and is absent on 429s: only the 429 itself tells the lane to back off.
  LimitFeedback out;
  // SP-API limits are per operation (createFeed: one per 2 min; getListingsItem: 5/s): a 429
  // of one says nothing about the lane's budget for the others, so it pauses the lane for its
  // Retry-After but is not reported as `throttled` (which would lower the whole lane's rate).
  if (response.status == 429) out.retry_after = ad::retry_after_of(response, default_retry_after());
  return out;
}

}  // namespace invsync::connector
