// WooCommerceConnector: requests, pagination, the SKU cache, reads and limit feedback.
#include "core/connector/woocommerce/woocommerce_connector.h"

#include <map>

#include <utility>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "core/connector/woocommerce/woocommerce_internal.h"

namespace invsync::connector {
namespace {

constexpr std::string_view kApiRoot = "/wp-json/wc/v3";
constexpr int64_t kPerPage = 100;
constexpr int64_t kPagesMax = 50;  // a walk longer than this is a server bug, not a catalogue

std::string join_ids(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

namespace woo {

bool sku_lookupable(const std::string& sku) { return sku.find(',') == std::string::npos; }

// WordPress REST's global `_fields` parameter: the reply carries only these keys, about a tenth
// of a full product object (links, dates, prices...), which matters on slow shared hosting.
const char* const kStockFields = "&_fields=id,parent_id,type,sku,manage_stock,stock_quantity,stock_status";

std::string sku_query(const std::vector<std::string>& skus) {
  std::string list;
  for (const auto& sku : skus) list += (list.empty() ? "" : ",") + base::percent_encode(sku);
  return "/products?sku=" + list + "&per_page=" + std::to_string(kPerPage) + kStockFields;
}

}  // namespace woo

WooCommerceConnector::WooCommerceConnector(WooCommerceConnectorConfig config, ConnectorDeps deps)
    : config_(std::move(config)), deps_(deps) {}

WooCommerceConnector::~WooCommerceConnector() = default;

base::HttpRequest WooCommerceConnector::make_request(std::string method,
                                                     const std::string& path_and_query) const {
  base::HttpRequest request;
  request.method = std::move(method);
  request.base_url = config_.base_url;
  request.timeout = config_.request_timeout;
  request.target = std::string(kApiRoot) + path_and_query;
  if (config_.auth_mode == WooCommerceAuthMode::kQuery) {
    request.target += (path_and_query.find('?') == std::string::npos ? "?" : "&");
    request.target += "consumer_key=" + base::percent_encode(config_.consumer_key) +
                      "&consumer_secret=" + base::percent_encode(config_.consumer_secret);
  } else {
    request.headers.set("Authorization",
                        "Basic " + base::base64_encode(config_.consumer_key + ":" +
                                                       config_.consumer_secret));
  }
  request.headers.set("Accept", "application/json");
  request.headers.set("User-Agent", "invsync");
  if (request.method != "GET") request.headers.set("Content-Type", "application/json");
  return request;
}

void WooCommerceConnector::fetch_pages(std::string path_and_query, PagesCallback callback) {
  fetch_page(std::make_shared<Pages>(), std::move(path_and_query), 1, std::move(callback));
}

void WooCommerceConnector::fetch_page(std::shared_ptr<Pages> pages, std::string path_and_query,
                                      int64_t page, PagesCallback callback) {
  base::HttpRequest request =
      make_request("GET", path_and_query + "&page=" + std::to_string(page));
  deps_.api.send(std::move(request), [this, pages, path = std::move(path_and_query), page,
                                      callback = std::move(callback)](
                                         base::Result<base::HttpResponse> result) mutable {
    woo::Reply reply = woo::decode_reply(result, woo::Shape::kProducts);
    if (!reply.ok) {
      pages->ok = false;
      pages->failure = std::move(reply);
      callback(std::move(*pages));
      return;
    }
    for (woo::ProductFacts& item : reply.products) pages->items.push_back(std::move(item));
    if (reply.total_pages > page && page < kPagesMax) {
      fetch_page(pages, std::move(path), page + 1, std::move(callback));
      return;
    }
    callback(std::move(*pages));
  });
}

std::optional<WooCommerceIds> WooCommerceConnector::known_ids(const ListingRef& listing) const {
  if (auto ids = woo::read_external_ids(listing.external_ids_json)) return ids;
  return cached_ids(listing.sku.str());
}

std::optional<WooCommerceIds> WooCommerceConnector::cached_ids(const std::string& sku) const {
  const auto it = sku_cache_.find(sku);
  if (it == sku_cache_.end()) return std::nullopt;
  return it->second;
}

void WooCommerceConnector::remember_ids(const std::string& sku, WooCommerceIds ids) {
  if (config_.sku_cache_entries_max <= 0) return;
  auto [it, inserted] = sku_cache_.insert_or_assign(sku, ids);
  (void)it;
  if (!inserted) return;
  sku_cache_order_.push_back(sku);
  while (static_cast<int64_t>(sku_cache_.size()) > config_.sku_cache_entries_max) {
    sku_cache_.erase(sku_cache_order_.front());  // oldest first; a stale order entry is harmless
    sku_cache_order_.pop_front();
  }
}

void WooCommerceConnector::forget_ids(const std::string& sku) {
  sku_cache_.erase(sku);
  std::erase(sku_cache_order_, sku);
}

LimitFeedback WooCommerceConnector::observe_limits(const base::HttpResponse& response) {
  LimitFeedback feedback;  // wc/v3 sends no budget headers; only Retry-After means anything
  feedback.throttled = response.status == 429;  // a 503 is an overloaded host, not a limit
  if (response.status == 429 || response.status == 503) {
    feedback.retry_after = woo::parse_retry_after(response.headers);
  }
  return feedback;
}

// --- read ---

struct WooCommerceConnector::ReadOp {
  std::vector<ListingRef> listings;
  std::vector<std::optional<WooCommerceIds>> ids;
  std::vector<std::string> queries;
  size_t next_query = 0;
  std::vector<woo::ProductFacts> items;  // every product and variation fetched
  ReadCallback callback;
};

void WooCommerceConnector::read(std::vector<ListingRef> listings, ReadCallback callback) {
  auto op = std::make_shared<ReadOp>();
  op->listings = std::move(listings);
  op->callback = std::move(callback);
  std::vector<int64_t> simple;
  std::map<int64_t, std::vector<int64_t>> variations;  // parent -> variation ids
  std::vector<std::string> lookup;
  for (const ListingRef& listing : op->listings) {
    op->ids.push_back(known_ids(listing));
    const auto& ids = op->ids.back();
    if (!ids.has_value()) {
      if (woo::sku_lookupable(listing.sku.str())) lookup.push_back(listing.sku.str());
    } else if (ids->variation_id == 0) {
      simple.push_back(ids->product_id);
    } else {
      variations[ids->product_id].push_back(ids->variation_id);
    }
  }
  const std::string per_page = "&per_page=" + std::to_string(kPerPage) + woo::kStockFields;
  if (!simple.empty()) op->queries.push_back("/products?include=" + join_ids(simple) + per_page);
  for (const auto& [parent, ids] : variations) {
    op->queries.push_back("/products/" + std::to_string(parent) +
                          "/variations?include=" + join_ids(ids) + per_page);
  }
  if (!lookup.empty()) op->queries.push_back(woo::sku_query(lookup));
  if (op->queries.empty()) {
    deps_.scheduler.post([this, op] { read_finish(op); });
    return;
  }
  read_next_query(op);
}

void WooCommerceConnector::read_next_query(std::shared_ptr<ReadOp> op) {
  if (op->next_query == op->queries.size()) {
    read_finish(op);
    return;
  }
  const std::string query = op->queries[op->next_query++];
  fetch_pages(query, [this, op](Pages pages) {
    if (!pages.ok) {
      op->callback(pages.failure.status);
      return;
    }
    for (woo::ProductFacts& item : pages.items) op->items.push_back(std::move(item));
    read_next_query(op);
  });
}

void WooCommerceConnector::read_finish(std::shared_ptr<ReadOp> op) {
  // Index the fetched items once (by id and by SKU), then answer each listing by lookup.
  std::map<int64_t, const woo::ProductFacts*> by_id;
  std::map<std::string_view, const woo::ProductFacts*> by_sku;
  for (const woo::ProductFacts& item : op->items) {
    // Products and variations share one id sequence (posts), so the id alone decides; the
    // variations endpoint need not say parent_id or type.
    if (item.id.has_value()) by_id.emplace(*item.id, &item);
    if (item.sku.has_value() && woo::ids_of(item).has_value()) by_sku.emplace(*item.sku, &item);
  }
  std::vector<ChannelQuantity> out;
  for (size_t i = 0; i < op->listings.size(); ++i) {
    const ListingRef& listing = op->listings[i];
    ChannelQuantity q{.sku = listing.sku, .quantity = std::nullopt};
    const auto& ids = op->ids[i];
    const woo::ProductFacts* found = nullptr;
    if (ids.has_value()) {
      const int64_t wanted = ids->variation_id != 0 ? ids->variation_id : ids->product_id;
      auto it = by_id.find(wanted);
      if (it != by_id.end()) found = it->second;
    } else {
      auto it = by_sku.find(listing.sku.str());
      if (it != by_sku.end()) {
        found = it->second;
        remember_ids(listing.sku.str(), *woo::ids_of(*found));
      }
    }
    if (found != nullptr) q.quantity = woo::stock_of(*found);
    out.push_back(std::move(q));
  }
  op->callback(std::move(out));
}

}  // namespace invsync::connector
