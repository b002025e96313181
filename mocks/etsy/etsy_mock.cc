// EtsyMock core: construction, the request pipeline (outage, app key, QPS then QPD limits, random
// 500s, routing), catalogue set-up, faults and ground truth.
#include "mocks/etsy/etsy_mock.h"

#include <algorithm>

#include "core/base/json_reader.h"
#include "mocks/etsy/etsy_json.h"

namespace invsync::mocks {

using base::Duration;
using base::HttpResponse;
using base::Instant;
using etsy::error_response;

EtsyMock::EtsyMock(EtsyMockConfig config, uint64_t seed)
    : config_(std::move(config)),
      api_key_(config_.keystring + ":" + config_.shared_secret),
      prng_(seed),
      per_second_(config_.per_second_limit, Duration::seconds(1), 1),
      per_day_(config_.per_day_limit, Duration::hours(24), config_.day_window_buckets) {
  for (const std::string& token : config_.initial_refresh_tokens) {
    refresh_tokens_[token] =
        etsy::RefreshToken{config_.user_id, config_.granted_scopes, Instant(), std::nullopt};
  }
}

int64_t EtsyMock::unix_seconds(Instant now) const {
  return (config_.wall_origin + (now - Instant())).unix_s();
}

namespace {

// Appends the low `digits` hex digits of `v`, zero-padded.
void append_hex(std::string& out, uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out.push_back(kHex[(v >> shift) & 0xf]);
  }
}

}  // namespace

// A version 4 UUID: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx.
std::string EtsyMock::request_uuid() {
  const uint64_t a = prng_.next_u64();
  const uint64_t b = prng_.next_u64();
  std::string out;
  out.reserve(36);
  append_hex(out, a >> 32, 8);
  out.push_back('-');
  append_hex(out, a >> 16, 4);
  out.append("-4");
  append_hex(out, a, 3);
  out.push_back('-');
  append_hex(out, 0x8000 | ((b >> 48) & 0x3fff), 4);
  out.push_back('-');
  append_hex(out, b, 12);
  return out;
}

// --- catalogue ---

base::Status EtsyMock::add_item(const CatalogItem& item) {
  if (item.sku.empty()) return base::Status::invalid_argument("sku is empty");
  if (sku_listing_.count(item.sku) != 0) {
    return base::Status::already_exists("sku " + item.sku + " already listed");
  }
  if (item.quantity < 0 || item.quantity > 999) {
    return base::Status::invalid_argument("quantity must be 0..999 on Etsy");
  }
  etsy::Listing* listing = nullptr;
  auto group = item.group.empty() ? group_listing_.end() : group_listing_.find(item.group);
  if (group != group_listing_.end()) {
    listing = &listings_[group->second];
  } else {
    const int64_t id = next_id(&next_listing_id_);
    listing = &listings_[id];
    listing->listing_id = id;
    listing->title = "Mock listing " + (item.group.empty() ? item.sku : item.group);
    listing->created_unix_s = unix_seconds(now_);
    if (!item.group.empty()) {
      group_listing_[item.group] = id;
      listing->quantity_on_property = {513};
      listing->sku_on_property = {513};
    }
  }
  etsy::Product product;
  product.product_id = next_id(&next_product_id_);
  product.sku = item.sku;
  if (!item.group.empty()) {
    product.property_values.push_back(
        etsy::PropertyValue{513, "Variant", std::nullopt, {next_id(&next_value_id_)}, {item.sku}});
  }
  product.offerings.push_back(etsy::Offering{next_id(&next_offering_id_), item.quantity, true,
                                             config_.default_price_amount, std::nullopt});
  listing->products.push_back(std::move(product));
  listing->updated_unix_s = unix_seconds(now_);
  listing->state =
      listing->quantity() > 0 ? etsy::ListingState::kActive : etsy::ListingState::kSoldOut;
  sku_listing_[item.sku] = listing->listing_id;
  return base::Status();
}

std::optional<std::string> EtsyMock::external_ids_json(std::string_view sku) const {
  auto it = sku_listing_.find(sku);
  if (it == sku_listing_.end()) return std::nullopt;
  const etsy::Product* p = listings_.at(it->second).find_sku(sku);
  if (p == nullptr) return std::nullopt;
  std::string out;
  base::JsonWriter(out)
      .begin_object()
      .field("listing_id", it->second)
      .field("product_id", p->product_id)
      .field("shop_id", config_.shop_id)
      .end_object();
  return out;
}

std::optional<int64_t> EtsyMock::listing_id_of(std::string_view sku) const {
  auto it = sku_listing_.find(sku);
  if (it == sku_listing_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> EtsyMock::listing_state(int64_t listing_id) const {
  auto it = listings_.find(listing_id);
  if (it == listings_.end()) return std::nullopt;
  return std::string(etsy::state_name(it->second.state));
}

void EtsyMock::bump(std::string_view stat, int64_t by) {
  auto it = stats_.find(stat);
  if (it == stats_.end()) it = stats_.emplace(stat, 0).first;
  it->second += by;
}

// --- the request pipeline ---

NetworkConditions EtsyMock::network(Instant now) {
  advance(now);
  return draw_network(faults_.common, prng_);
}

std::optional<HttpResponse> EtsyMock::check_api_key(const base::HttpRequest& request) {
  const auto key = request.headers.get("x-api-key");
  std::string message;
  if (!key.has_value()) {
    message = "Missing x-api-key header";
  } else if (key->find(':') == std::string_view::npos) {
    message = "Invalid x-api-key: expected <keystring>:<shared_secret>";
  } else if (*key != api_key_header()) {
    message = "Invalid API key";
  } else {
    return std::nullopt;
  }
  bump("rejected_api_key");
  return error_response(config_.api_key_error_status, message);
}

std::optional<HttpResponse> EtsyMock::admit(Instant now) {
  if (per_second_.remaining(now) <= 0) {
    bump("rate_limited");
    bump("rate_limited_per_second");
    HttpResponse r = error_response(429, "Exceeded per second rate limit");
    r.headers.set("X-Limit-Per-Second", std::to_string(per_second_.limit()));
    r.headers.set("X-Remaining-This-Second", "0");
    return r;
  }
  if (per_day_.remaining(now) <= 0) {
    bump("rate_limited");
    bump("rate_limited_daily");
    const Duration wait = per_day_.retry_after(now);
    const int64_t wait_s = (wait.ns() + 999'999'999) / 1'000'000'000;
    HttpResponse r = error_response(429, "Exceeded daily rate limit");
    r.headers.set("x-limit-per-day", std::to_string(per_day_.limit()));
    r.headers.set("x-remaining-today", "0");
    r.headers.set("retry-after", std::to_string(std::max<int64_t>(1, wait_s)));
    return r;
  }
  (void)per_second_.try_take(now);
  (void)per_day_.try_take(now);
  return std::nullopt;
}

void EtsyMock::add_rate_headers(HttpResponse* response, Instant now) {
  response->headers.set("x-limit-per-second", std::to_string(per_second_.limit()));
  response->headers.set(config_.remaining_this_second_header,
                        std::to_string(per_second_.remaining(now)));
  response->headers.set("x-limit-per-day", std::to_string(per_day_.limit()));
  response->headers.set("x-remaining-today", std::to_string(per_day_.remaining(now)));
  response->headers.set("x-etsy-request-uuid", request_uuid());
}

HttpResponse EtsyMock::handle(const base::HttpRequest& request, Instant now) {
  advance(now);
  bump("requests");
  if (auto page = outage_response(faults_.common)) {
    bump("outage_responses");
    return *page;
  }
  const bool token_call = request.path() == "/v3/public/oauth/token";
  if (token_call && !config_.token_endpoint_requires_api_key) return handle_token(request, now);
  if (auto rejected = check_api_key(request)) return *rejected;
  if (auto limited = admit(now)) return *limited;
  HttpResponse response;
  if (faults_.common.error_rate_percent > 0 &&
      prng_.chance(base::Ratio::percent(faults_.common.error_rate_percent))) {
    bump("server_errors");
    response = error_response(500, "Server Error");
  } else {
    response = token_call ? handle_token(request, now) : route(request, now);
  }
  add_rate_headers(&response, now);
  return response;
}

HttpResponse EtsyMock::route(const base::HttpRequest& request, Instant now) {
  const std::vector<std::string> seg = etsy::split(request.path(), '/');
  // seg[0] is "" (leading slash); Etsy paths start /v3/application.
  const std::string& m = request.method;
  const size_t n = seg.size();
  if (n < 4 || seg[1] != "v3" || seg[2] != "application") {
    return error_response(404, "Resource not found");
  }
  if (seg[3] == "listings" && n == 6 && seg[4] == "batch" && seg[5] == "inventory" && m == "GET") {
    if (auto denied = require_scope(request, "listings_r", now)) return *denied;
    bump("requests.getListingsInventoryByListingIds");
    return get_batch_inventory(request);
  }
  if (seg[3] == "listings" && n >= 5) {
    const auto id = etsy::parse_int(seg[4]);
    if (!id) return error_response(400, "Invalid listing_id");
    if (n == 5 && m == "GET") return get_listing(*id);
    if (n == 6 && seg[5] == "inventory" && m == "GET") {
      if (auto denied = require_scope(request, "listings_r", now)) return *denied;
      bump("requests.getListingInventory");
      return get_inventory(*id);
    }
    if (n == 6 && seg[5] == "inventory" && m == "PUT") {
      if (auto denied = require_scope(request, "listings_w", now)) return *denied;
      bump("requests.updateListingInventory");
      return put_inventory(*id, request, now);
    }
  }
  if (seg[3] == "shops" && n >= 6) {
    const auto shop = etsy::parse_int(seg[4]);
    if (!shop) return error_response(400, "Invalid shop_id");
    const bool listing_patch = n == 7 && seg[5] == "listings" && m == "PATCH";
    const bool receipts = seg[5] == "receipts" && (n == 6 || n == 7) && m == "GET";
    if (!listing_patch && !receipts) return error_response(404, "Resource not found");
    if (auto denied =
            require_scope(request, listing_patch ? "listings_w" : "transactions_r", now)) {
      return *denied;
    }
    if (*shop != config_.shop_id) return error_response(404, "Shop not found");
    bump(receipts ? "requests.getShopReceipts" : "requests.updateListing");
    if (receipts && n == 6) return list_receipts(request, now);
    const auto id = etsy::parse_int(seg[6]);
    if (!id)
      return error_response(400, listing_patch ? "Invalid listing_id" : "Invalid receipt_id");
    return listing_patch ? patch_listing(*id, request, now) : get_receipt(*id, now);
  }
  return error_response(404, "Resource not found");
}

// --- faults, timers, ground truth ---

void EtsyMock::apply_rate_limit_faults() {
  const int64_t pct = faults_.common.rate_limit_percent;
  per_second_.set_limit(std::max<int64_t>(1, config_.per_second_limit * pct / 100));
  per_day_.set_limit(std::max<int64_t>(1, config_.per_day_limit * pct / 100));
}

base::Status EtsyMock::set_faults_json(std::string_view json) {
  base::JsonReader reader = base::JsonReader::parse(json, "$");
  EtsyFaults parsed;
  base::Status st = parse_etsy_faults(reader, &parsed);
  if (!st.ok()) return st;
  faults_ = parsed;
  apply_rate_limit_faults();
  return st;
}

void EtsyMock::advance(Instant now) {
  now_ = std::max(now_, now);
  pending_visible_.erase(pending_visible_.begin(), pending_visible_.upper_bound(now_));
}

std::optional<Instant> EtsyMock::next_wakeup() const {
  std::optional<Instant> next = webhooks_.next_due();
  const auto first = pending_visible_.upper_bound(now_);
  if (first != pending_visible_.end() && (!next || *first < *next)) next = *first;
  return next;
}

std::map<std::string, int64_t> EtsyMock::counts() const {
  // What buyers can buy: an inactive (or sold-out) listing sells nothing, whatever units its
  // offerings still hold (a listing cannot have every offering at 0, so "deactivated with one
  // unit left" is how a sold-out SKU looks on Etsy).
  std::map<std::string, int64_t> out;
  for (const auto& [id, listing] : listings_) {
    const bool sellable = listing.state == etsy::ListingState::kActive;
    for (const etsy::Product& p : listing.products) {
      if (p.sku.empty() || p.offerings.empty()) continue;
      const bool enabled = p.offerings[0].is_enabled;
      out[p.sku] = sellable && enabled ? p.offerings[0].quantity : 0;
    }
  }
  return out;
}

std::vector<AcceptedOrder> EtsyMock::accepted_orders() const { return accepted_; }

std::map<std::string, int64_t> EtsyMock::stats() const {
  std::map<std::string, int64_t> out(stats_.begin(), stats_.end());
  out["webhooks_dropped"] = webhooks_.dropped();
  out["webhooks_duplicated"] = webhooks_.duplicated();
  return out;
}

}  // namespace invsync::mocks
