// WooCommerceConnector::push: resolve ids (listing, cache, SKU lookup), then one batch call for
// simple products and one per variable parent, and classify every item of the 200 response.
#include <map>
#include <utility>

#include "core/base/json_writer.h"
#include "core/connector/woocommerce/woocommerce_connector.h"
#include "core/connector/woocommerce/woocommerce_internal.h"

namespace invsync::connector {
namespace {

constexpr size_t kBatchItemsMax = 100;  // woocommerce_rest_batch_items_limit

struct Verdict {
  PushOutcome outcome = PushOutcome::kTransient;
  std::optional<domain::Quantity> channel_quantity;
  std::string error;
  bool invalid_id = false;  // the ids we used are wrong: forget cached ones
};

// The verdict for one entry of a batch response's "update" list.
Verdict judge_entry(const woo::UpdateFacts& entry, domain::Quantity wanted) {
  Verdict v;
  if (entry.error) {
    const std::string& code = entry.error_code;
    const int64_t status = entry.error_status;
    v.outcome = status >= 500 ? PushOutcome::kTransient : PushOutcome::kPermanent;
    v.error = "item error " + std::to_string(status) + " " + code;
    v.invalid_id = code.find("invalid_id") != std::string::npos ||
                   code.find("invalid_product_id") != std::string::npos;
    return v;
  }
  if (!entry.stock_quantity.has_value()) {
    v.outcome = PushOutcome::kPermanent;
    v.error = "stock_quantity not applied: stock management is off (woocommerce_manage_stock)";
    return v;
  }
  const int64_t qty = *entry.stock_quantity;
  const auto shown = domain::Quantity::checked(qty);
  if (shown.ok() && *shown == wanted) {
    v.outcome = PushOutcome::kDone;
    v.channel_quantity = wanted;
    return v;
  }
  v.outcome = PushOutcome::kTransient;  // changed again under us (a checkout): set it again
  v.error = "channel shows " + std::to_string(qty) + " after the write";
  if (shown.ok()) v.channel_quantity = *shown;
  return v;
}

const woo::UpdateFacts* find_entry(const std::vector<woo::UpdateFacts>& updates, int64_t id) {
  for (const woo::UpdateFacts& entry : updates) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

}  // namespace

struct WooCommerceConnector::PushOp {
  struct Batch {
    int64_t parent_id = 0;  // 0: products/batch; else products/<parent>/variations/batch
    std::vector<size_t> items;
  };
  std::vector<PushItem> items;
  std::vector<PushItemResult> results;
  std::vector<std::optional<WooCommerceIds>> ids;
  std::vector<bool> decided;
  std::vector<Batch> batches;
  size_t next_batch = 0;
  PushCallback callback;

  void decide(size_t i, PushOutcome outcome, std::string error, int32_t http_status = 0,
              base::Duration retry_after = base::Duration()) {
    results[i].outcome = outcome;
    results[i].error = std::move(error);
    results[i].http_status = http_status;
    results[i].retry_after = retry_after;
    decided[i] = true;
  }
  void decide(size_t i, const woo::Reply& reply) {
    decide(i, reply.outcome, reply.error, reply.http_status, reply.retry_after);
  }
  void build_batches() {
    std::map<int64_t, std::vector<size_t>> groups;
    for (size_t i = 0; i < items.size(); ++i) {
      if (decided[i]) continue;
      groups[ids[i]->variation_id != 0 ? ids[i]->product_id : 0].push_back(i);
    }
    for (auto& [parent, members] : groups) {
      for (size_t at = 0; at < members.size(); at += kBatchItemsMax) {
        Batch b{.parent_id = parent, .items = {}};
        for (size_t k = at; k < members.size() && k < at + kBatchItemsMax; ++k) {
          b.items.push_back(members[k]);
        }
        batches.push_back(std::move(b));
      }
    }
  }
};

void WooCommerceConnector::push(std::vector<PushItem> items, PushCallback callback) {
  auto op = std::make_shared<PushOp>();
  op->items = std::move(items);
  op->callback = std::move(callback);
  op->decided.assign(op->items.size(), false);
  std::vector<std::string> lookup;
  for (size_t i = 0; i < op->items.size(); ++i) {
    const ListingRef& listing = op->items[i].listing;
    op->results.push_back(PushItemResult{.sku = listing.sku});
    op->ids.push_back(known_ids(listing));
    if (op->ids[i].has_value()) continue;
    if (woo::sku_lookupable(listing.sku.str())) {
      lookup.push_back(listing.sku.str());
    } else {
      op->decide(i, PushOutcome::kPermanent, "no product ids and the SKU holds a comma");
    }
  }
  if (!lookup.empty()) {
    fetch_pages(woo::sku_query(lookup),
                [this, op](Pages pages) { push_lookup_done(op, std::move(pages)); });
    return;
  }
  op->build_batches();
  if (op->batches.empty()) {
    deps_.scheduler.post([this, op] { push_finish(op); });
    return;
  }
  push_next_batch(op);
}

void WooCommerceConnector::push_lookup_done(std::shared_ptr<PushOp> op, Pages pages) {
  std::map<std::string, WooCommerceIds> found;
  for (const woo::ProductFacts& item : pages.items) {
    const auto ids = woo::ids_of(item);
    if (!item.sku.has_value() || !ids.has_value()) continue;
    found.emplace(*item.sku, *ids);
    remember_ids(*item.sku, *ids);
  }
  for (size_t i = 0; i < op->items.size(); ++i) {
    if (op->decided[i] || op->ids[i].has_value()) continue;
    if (!pages.ok) {
      op->decide(i, pages.failure);
      continue;
    }
    const auto it = found.find(op->items[i].listing.sku.str());
    if (it == found.end()) {
      op->decide(i, PushOutcome::kPermanent, "unknown listing: no product with this SKU");
    } else {
      op->ids[i] = it->second;
    }
  }
  op->build_batches();
  push_next_batch(op);
}

void WooCommerceConnector::push_next_batch(std::shared_ptr<PushOp> op) {
  if (op->next_batch == op->batches.size()) {
    push_finish(op);
    return;
  }
  const size_t b = op->next_batch++;
  const PushOp::Batch& batch = op->batches[b];
  const std::string path = batch.parent_id == 0
                               ? "/products/batch"
                               : "/products/" + std::to_string(batch.parent_id) +
                                     "/variations/batch";
  base::HttpRequest request = make_request("POST", path);
  base::JsonWriter w(request.body);
  w.begin_object().key("update").begin_array();
  for (size_t i : batch.items) {
    const WooCommerceIds& ids = *op->ids[i];
    w.begin_object()
        .field("id", ids.variation_id != 0 ? ids.variation_id : ids.product_id)
        .field("manage_stock", true)
        .field("stock_quantity", op->items[i].quantity.units())
        .end_object();
  }
  w.end_array().end_object();
  deps_.api.send(std::move(request), [this, op, b](base::Result<base::HttpResponse> result) {
    push_batch_done(op, b, std::move(result));
  });
}

void WooCommerceConnector::push_batch_done(std::shared_ptr<PushOp> op, size_t b,
                                           base::Result<base::HttpResponse> result) {
  const PushOp::Batch& batch = op->batches[b];
  woo::Reply reply = woo::decode_reply(result, woo::Shape::kBatch);
  for (size_t i : batch.items) {
    if (!reply.ok) {
      op->decide(i, reply);
      continue;
    }
    const WooCommerceIds& ids = *op->ids[i];
    const woo::UpdateFacts* entry =
        !reply.updates.has_value()
            ? nullptr
            : find_entry(*reply.updates, ids.variation_id != 0 ? ids.variation_id : ids.product_id);
    if (entry == nullptr) {
      op->decide(i, PushOutcome::kTransient, "item missing from the batch response",
                 reply.http_status);
      continue;
    }
    Verdict v = judge_entry(*entry, op->items[i].quantity);
    if (v.invalid_id) forget_ids(op->items[i].listing.sku.str());
    op->decide(i, v.outcome, std::move(v.error), reply.http_status);
    op->results[i].channel_quantity = v.channel_quantity;
  }
  push_next_batch(op);
}

void WooCommerceConnector::push_finish(std::shared_ptr<PushOp> op) {
  op->callback(std::move(op->results));
}

}  // namespace invsync::connector
