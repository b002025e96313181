#include "core/connector/etsy/etsy_connector.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/connector/etsy/etsy_json.h"
#include "core/connector/etsy/etsy_payloads.h"

namespace invsync::connector {
namespace {

using base::HttpResponse;
using base::Result;

constexpr int64_t kEtsyMinTimestampUnixS = 946'684'800;  // the API's lower bound for filters

std::string inventory_path(int64_t listing_id) {
  return "/v3/application/listings/" + std::to_string(listing_id) + "/inventory";
}

// The Status of a finished exchange: the transport/auth error, or the response's status.
base::Status exchange_status(const Result<HttpResponse>& r) {
  return r.ok() ? etsy::status_of_response(*r) : r.status();
}

}  // namespace

struct EtsyConnector::PushJob {
  struct Group {
    int64_t listing_id = 0;
    std::vector<size_t> items;
  };
  std::vector<PushItem> items;
  std::vector<PushItemResult> results;
  std::vector<int64_t> targets;  // per item, capped
  std::vector<bool> decided;     // per item: result final before its group finished
  std::vector<Group> groups;
  size_t group = 0;
  etsy::InventoryPlan plan;
  std::optional<std::string> state;  // of the current group's listing, when known
  PushCallback callback;

  const Group& current() const { return groups[group]; }
};

struct EtsyConnector::ReadJob {
  std::vector<ListingRef> listings;
  std::vector<int64_t> ids;  // per listing; 0 when its external ids have no listing_id
  std::vector<int64_t> unique_ids;
  std::map<int64_t, std::optional<etsy::ListingQuantities>> found;  // nullopt: Etsy has none
  size_t pending = 0;
  base::Status failure;
  ReadCallback callback;
};

EtsyConnector::EtsyConnector(EtsyConnectorConfig config, ConnectorDeps deps)
    : config_(std::move(config)),
      deps_(deps),
      api_key_(config_.keystring + ":" + config_.shared_secret),
      refresh_token_(config_.refresh_token) {}

EtsyConnector::~EtsyConnector() = default;

// ------------------------------------------------------------------------------------ push

void EtsyConnector::push(std::vector<PushItem> items, PushCallback callback) {
  auto job = std::make_shared<PushJob>();
  job->callback = std::move(callback);
  job->items = std::move(items);
  job->decided.assign(job->items.size(), false);
  for (size_t i = 0; i < job->items.size(); ++i) {
    const PushItem& item = job->items[i];
    PushItemResult result{.sku = item.listing.sku};
    const int64_t wanted = std::max<int64_t>(0, item.quantity.units());
    job->targets.push_back(std::min(wanted, kEtsyOfferingQuantityMax));
    if (wanted > kEtsyOfferingQuantityMax) {
      result.error =
          "capped at 999 (Etsy's maximum per offering); wanted " + std::to_string(wanted);
    }
    const std::optional<int64_t> listing_id = etsy::listing_id_of(item.listing.external_ids_json);
    if (!listing_id) {
      result.outcome = PushOutcome::kPermanent;
      result.error = "external_ids_json has no listing_id";
      job->decided[i] = true;
    } else {
      auto it = std::find_if(job->groups.begin(), job->groups.end(),
                             [&](const PushJob::Group& g) { return g.listing_id == *listing_id; });
      if (it == job->groups.end())
        it = job->groups.insert(job->groups.end(), PushJob::Group{*listing_id, {}});
      it->items.push_back(i);
    }
    job->results.push_back(std::move(result));
  }
  if (job->groups.empty()) {
    deps_.scheduler.post([job] { job->callback(std::move(job->results)); });
    return;
  }
  run_next_group(std::move(job));
}

void EtsyConnector::run_next_group(std::shared_ptr<PushJob> job) {
  if (job->group == job->groups.size()) {
    job->callback(std::move(job->results));
    return;
  }
  const int64_t listing_id = job->current().listing_id;
  send_api(make_request("GET", inventory_path(listing_id) + "?includes=Listing"),
           [this, job](Result<HttpResponse> r) { on_inventory_for_push(job, std::move(r)); });
}

void EtsyConnector::on_inventory_for_push(std::shared_ptr<PushJob> job, Result<HttpResponse> r) {
  if (!r.ok() || !r->is_success()) {
    fail_group(std::move(job), r);
    return;
  }
  const int64_t listing_id = job->current().listing_id;
  std::vector<etsy::SkuTarget> targets;
  for (size_t i : job->current().items) {
    targets.push_back({job->items[i].listing.sku.str(), job->targets[i]});
  }
  const auto placeholder = placeholders_.find(listing_id);
  Result<etsy::InventoryPlan> plan = etsy::plan_inventory_update(
      r->body, targets, placeholder == placeholders_.end() ? "" : placeholder->second);
  if (!plan.ok()) {
    finish_group(std::move(job), PushOutcome::kTransient, r->status, base::Duration(),
                 plan.status().message());
    return;
  }
  job->plan = std::move(*plan);
  job->state = job->plan.listing_state;
  if (!job->state && inactive_listings_.count(listing_id) != 0) job->state = "inactive";
  for (size_t i : job->current().items) {
    const std::string& sku = job->items[i].listing.sku.str();
    const auto& missing = job->plan.missing_skus;
    if (std::find(missing.begin(), missing.end(), sku) == missing.end()) continue;
    job->results[i].outcome = PushOutcome::kPermanent;
    job->results[i].http_status = r->status;
    job->results[i].error = "SKU is not a product of Etsy listing " + std::to_string(listing_id);
    job->decided[i] = true;
  }
  if (job->plan.sold_out) {
    finish_group(std::move(job), PushOutcome::kDone, r->status, base::Duration(), "");
  } else if (job->plan.put_needed) {
    send_put(std::move(job));
  } else {
    after_put(std::move(job));
  }
}

void EtsyConnector::send_put(std::shared_ptr<PushJob> job) {
  base::HttpRequest request = make_request("PUT", inventory_path(job->current().listing_id));
  request.headers.set("content-type", "application/json");
  request.body = std::move(job->plan.put_body);
  send_api(std::move(request), [this, job](Result<HttpResponse> r) {
    if (!r.ok() || !r->is_success()) {
      fail_group(job, r);
      return;
    }
    after_put(job);
  });
}

// The inventory is as planned; now the listing's state: inactive without stock, active again
// once stock returns to a listing that is inactive.
void EtsyConnector::after_put(std::shared_ptr<PushJob> job) {
  const int64_t listing_id = job->current().listing_id;
  const etsy::InventoryPlan& plan = job->plan;
  const bool inactive = job->state == "inactive";
  if (plan.no_stock) {
    placeholders_[listing_id] = plan.placeholder_sku;
    if (!inactive) {
      send_state_patch(std::move(job), "inactive");
      return;
    }
    inactive_listings_.insert(listing_id);
  } else {
    if (plan.placeholder_cleared || plan.stock_returns) placeholders_.erase(listing_id);
    if (plan.stock_returns && inactive) {
      send_state_patch(std::move(job), "active");
      return;
    }
  }
  finish_group(std::move(job), PushOutcome::kDone, 200, base::Duration(), "");
}

void EtsyConnector::send_state_patch(std::shared_ptr<PushJob> job, std::string state) {
  const int64_t listing_id = job->current().listing_id;
  base::HttpRequest request =
      make_request("PATCH", "/v3/application/shops/" + std::to_string(config_.shop_id) +
                                "/listings/" + std::to_string(listing_id));
  request.headers.set("content-type", "application/x-www-form-urlencoded");
  request.body = "state=" + state;
  send_api(std::move(request), [this, job, state, listing_id](Result<HttpResponse> r) {
    if (!r.ok() || !r->is_success()) {
      fail_group(job, r);
      return;
    }
    if (state == "inactive") {
      inactive_listings_.insert(listing_id);
    } else {
      inactive_listings_.erase(listing_id);
    }
    finish_group(job, PushOutcome::kDone, r->status, base::Duration(), "");
  });
}

void EtsyConnector::fail_group(std::shared_ptr<PushJob> job, const Result<HttpResponse>& r) {
  const base::Status status = exchange_status(r);
  finish_group(std::move(job), etsy::outcome_of(status), r.ok() ? r->status : 0,
               status.retry_after(), status.message());
}

void EtsyConnector::finish_group(std::shared_ptr<PushJob> job, PushOutcome outcome,
                                 int32_t http_status, base::Duration retry_after,
                                 const std::string& error) {
  for (size_t i : job->current().items) {
    if (job->decided[i]) continue;
    PushItemResult& result = job->results[i];
    result.outcome = outcome;
    result.http_status = http_status;
    result.retry_after = retry_after;
    if (outcome == PushOutcome::kDone) {
      result.channel_quantity = domain::Quantity(job->targets[i]);  // result.error keeps a cap
    } else {
      result.error = error;
    }
  }
  ++job->group;
  run_next_group(std::move(job));
}

// ------------------------------------------------------------------------------------ read

void EtsyConnector::read(std::vector<ListingRef> listings, ReadCallback callback) {
  auto job = std::make_shared<ReadJob>();
  job->callback = std::move(callback);
  job->listings = std::move(listings);
  for (const ListingRef& ref : job->listings) {
    const int64_t id = etsy::listing_id_of(ref.external_ids_json).value_or(0);
    job->ids.push_back(id);
    if (id != 0 &&
        std::find(job->unique_ids.begin(), job->unique_ids.end(), id) == job->unique_ids.end()) {
      job->unique_ids.push_back(id);
    }
  }
  if (job->unique_ids.empty()) {
    deps_.scheduler.post([this, job] { finish_read(job); });
    return;
  }
  std::string ids;
  for (int64_t id : job->unique_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  send_api(make_request("GET", "/v3/application/listings/batch/inventory?listing_ids=" + ids),
           [this, job](Result<HttpResponse> r) { on_batch_inventory(job, std::move(r)); });
}

void EtsyConnector::on_batch_inventory(std::shared_ptr<ReadJob> job, Result<HttpResponse> r) {
  if (r.ok() && r->status == 404) {
    // One unknown id fails the whole batch: find out which listings are gone one by one.
    if (job->unique_ids.size() == 1) {
      job->found[job->unique_ids.front()] = std::nullopt;
      finish_read(std::move(job));
    } else {
      read_one_by_one(std::move(job));
    }
    return;
  }
  base::Status status = exchange_status(r);
  if (!status.ok()) {
    job->callback(std::move(status));
    return;
  }
  Result<std::map<int64_t, etsy::ListingQuantities>> batch = etsy::parse_batch_inventory(r->body);
  if (!batch.ok()) {
    job->callback(batch.status());
    return;
  }
  for (int64_t id : job->unique_ids) {
    const auto it = batch->find(id);
    job->found[id] = it == batch->end() ? std::nullopt : std::make_optional(it->second);
  }
  finish_read(std::move(job));
}

void EtsyConnector::read_one_by_one(std::shared_ptr<ReadJob> job) {
  job->pending = job->unique_ids.size();
  for (int64_t id : job->unique_ids) {
    send_api(make_request("GET", inventory_path(id)), [this, job, id](Result<HttpResponse> r) {
      if (r.ok() && r->status == 404) {
        job->found[id] = std::nullopt;
      } else if (base::Status status = exchange_status(r); !status.ok()) {
        if (job->failure.ok()) job->failure = std::move(status);
      } else if (Result<etsy::ListingQuantities> q = etsy::parse_inventory(r->body); q.ok()) {
        job->found[id] = std::move(*q);
      } else if (job->failure.ok()) {
        job->failure = q.status();
      }
      if (--job->pending > 0) return;
      if (!job->failure.ok()) {
        job->callback(job->failure);
      } else {
        finish_read(job);
      }
    });
  }
}

void EtsyConnector::finish_read(std::shared_ptr<ReadJob> job) {
  std::vector<ChannelQuantity> out;
  for (size_t i = 0; i < job->listings.size(); ++i) {
    ChannelQuantity q{job->listings[i].sku, std::nullopt};
    const int64_t id = job->ids[i];
    const auto found = job->found.find(id);
    if (id != 0 && found != job->found.end() && found->second) {
      const etsy::ListingQuantities& listing = *found->second;
      const auto sku = listing.by_sku.find(q.sku.str());
      if (sku != listing.by_sku.end()) {
        // Nothing on an inactive listing is for sale (the placeholder unit included).
        const bool inactive =
            listing.state ? *listing.state == "inactive" : inactive_listings_.count(id) != 0;
        q.quantity = domain::Quantity(inactive ? 0 : sku->second);
      }
    }
    out.push_back(std::move(q));
  }
  job->callback(std::move(out));
}

// ------------------------------------------------------------------------------------ poll
// Cursor: "<min_last_modified unix s>" between polls, "<min>:<offset>:<max seen>" mid-paging.

void EtsyConnector::poll_orders(const std::string& cursor, PollCallback callback) {
  int64_t min_s = 0, offset = 0, max_seen = 0;
  if (cursor.empty()) {
    min_s = (deps_.clock.wall_now() - config_.poll_initial_lookback).unix_s();
  } else {
    std::vector<int64_t> parts;
    size_t start = 0;
    while (start <= cursor.size()) {
      const size_t end = std::min(cursor.find(':', start), cursor.size());
      const std::optional<int64_t> v =
          etsy::parse_int_text(std::string_view(cursor).substr(start, end - start));
      if (!v || *v < 0) {
        parts.clear();
        break;
      }
      parts.push_back(*v);
      start = end + 1;
    }
    if (parts.size() != 1 && parts.size() != 3) {
      deps_.scheduler.post([callback = std::move(callback)] {
        callback(base::Status::invalid_argument("etsy poll cursor is malformed"));
      });
      return;
    }
    min_s = parts[0];
    if (parts.size() == 3) {
      offset = parts[1];
      max_seen = parts[2];
    }
  }
  min_s = std::max(min_s, kEtsyMinTimestampUnixS);
  max_seen = std::max(max_seen, min_s);
  const std::string target =
      "/v3/application/shops/" + std::to_string(config_.shop_id) +
      "/receipts?min_last_modified=" + std::to_string(min_s) +
      "&sort_on=updated&sort_order=asc&limit=" + std::to_string(config_.poll_page_limit) +
      "&offset=" + std::to_string(offset);
  send_api(make_request("GET", target),
           [this, min_s, offset, max_seen,
            callback = std::move(callback)](Result<HttpResponse> r) mutable {
             on_receipts(min_s, offset, max_seen, std::move(callback), std::move(r));
           });
}

void EtsyConnector::on_receipts(int64_t min_unix_s, int64_t offset, int64_t max_seen_unix_s,
                                PollCallback callback, Result<HttpResponse> r) {
  base::Status status = exchange_status(r);
  if (!status.ok()) {
    callback(std::move(status));
    return;
  }
  Result<etsy::ReceiptPage> page = etsy::parse_receipts(r->body, config_.channel);
  if (!page.ok()) {
    callback(page.status());
    return;
  }
  const int64_t max_seen = std::max(max_seen_unix_s, page->max_updated_unix_s.value_or(0));
  PolledOrders polled;
  polled.events = std::move(page->events);
  if (page->result_count >= config_.poll_page_limit) {
    polled.more = true;
    polled.next_cursor = std::to_string(min_unix_s) + ":" +
                         std::to_string(offset + page->result_count) + ":" +
                         std::to_string(max_seen);
  } else {
    polled.next_cursor = std::to_string(std::max(min_unix_s, max_seen - config_.poll_overlap.s()));
  }
  callback(std::move(polled));
}

}  // namespace invsync::connector
