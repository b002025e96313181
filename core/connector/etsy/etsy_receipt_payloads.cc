// getShopReceipts pages: one kSale per transaction, and a kCancel next to it for a cancelled
// receipt. Receipts and transactions are read member by member in one pass (the poll reads every
// page again in its overlap window, so this runs over every receipt many times).
#include <simdjson.h>

#include "core/connector/etsy/etsy_json.h"
#include "core/connector/etsy/etsy_payloads.h"

namespace invsync::connector::etsy {
namespace {

using simdjson::dom::element;

// The members of a receipt or transaction that the events need; nullopt when absent. A repeated
// key keeps its last value.
struct TransactionFields {
  std::optional<element> transaction_id, sku, is_digital, quantity;
};

struct ReceiptFields {
  std::optional<element> receipt_id, transactions, status, was_canceled, is_canceled, updated;
};

TransactionFields transaction_fields(const element& t) {
  TransactionFields f;
  simdjson::dom::object members;
  if (t.get(members) != simdjson::SUCCESS) return f;
  for (const simdjson::dom::key_value_pair kv : members) {
    if (kv.key == "transaction_id") {
      f.transaction_id = kv.value;
    } else if (kv.key == "sku") {
      f.sku = kv.value;
    } else if (kv.key == "is_digital") {
      f.is_digital = kv.value;
    } else if (kv.key == "quantity") {
      f.quantity = kv.value;
    }
  }
  return f;
}

ReceiptFields receipt_fields(const element& r) {
  ReceiptFields f;
  simdjson::dom::object members;
  if (r.get(members) != simdjson::SUCCESS) return f;
  for (const simdjson::dom::key_value_pair kv : members) {
    if (kv.key == "receipt_id") {
      f.receipt_id = kv.value;
    } else if (kv.key == "transactions") {
      f.transactions = kv.value;
    } else if (kv.key == "status") {
      f.status = kv.value;
    } else if (kv.key == "was_canceled") {
      f.was_canceled = kv.value;
    } else if (kv.key == "is_canceled") {
      f.is_canceled = kv.value;
    } else if (kv.key == "updated_timestamp") {
      f.updated = kv.value;
    }
  }
  return f;
}

base::Status add_transaction_events(const element& t, const std::string& receipt_id, bool canceled,
                                    const domain::ChannelId& channel, ReceiptPage* page) {
  const TransactionFields f = transaction_fields(t);
  const std::optional<int64_t> transaction_id = as_int(f.transaction_id);
  if (!transaction_id) {
    return base::Status::invalid_argument("etsy receipt " + receipt_id + ": transaction_id");
  }
  const std::string line = std::to_string(*transaction_id);
  const std::string_view sku_text = as_string(f.sku);
  if (sku_text.empty() && as_bool(f.is_digital, false)) return base::Status();
  base::Result<domain::Sku> sku = domain::Sku::parse(sku_text);
  if (!sku.ok()) {
    return base::Status::invalid_argument("etsy receipt " + receipt_id + " transaction " + line +
                                          ": " + sku.status().message());
  }
  const std::optional<int64_t> quantity = as_int(f.quantity);
  if (!quantity || *quantity <= 0 || *quantity > domain::kQuantityUnitsMax) {
    return base::Status::invalid_argument("etsy receipt " + receipt_id + " transaction " + line +
                                          ": bad quantity");
  }
  for (domain::EventKind kind : {domain::EventKind::kSale, domain::EventKind::kCancel}) {
    if (kind == domain::EventKind::kCancel && !canceled) break;
    page->events.push_back(
        domain::OrderEvent{.key = domain::EventKey{channel, receipt_id, line, kind},
                           .sku = *sku,
                           .quantity = domain::Quantity(*quantity)});
  }
  return base::Status();
}

}  // namespace

base::Result<ReceiptPage> parse_receipts(std::string_view body, const domain::ChannelId& channel) {
  element j;
  if (!parse_json(body, &j) || !j.is_object()) {
    return base::Status::unavailable("etsy receipts: not JSON");
  }
  const std::optional<simdjson::dom::array> results = array_field(j, "results");
  if (!results) return base::Status::invalid_argument("etsy receipts: no results array");
  ReceiptPage page;
  for (const element r : *results) {
    const ReceiptFields f = receipt_fields(r);
    const std::optional<int64_t> receipt_id = as_int(f.receipt_id);
    const std::optional<simdjson::dom::array> transactions = as_array(f.transactions);
    if (!receipt_id || !transactions) {
      return base::Status::invalid_argument("etsy receipts: receipt without id or transactions");
    }
    const std::string id = std::to_string(*receipt_id);
    const std::string_view status = as_string(f.status);
    const bool canceled = status == "canceled" || status == "Canceled" ||
                          as_bool(f.was_canceled, false) || as_bool(f.is_canceled, false);
    for (const element t : *transactions) {
      INVSYNC_RETURN_IF_ERROR(add_transaction_events(t, id, canceled, channel, &page));
    }
    ++page.result_count;
    const std::optional<int64_t> updated = as_int(f.updated);
    if (updated && (!page.max_updated_unix_s || *updated > *page.max_updated_unix_s)) {
      page.max_updated_unix_s = updated;
    }
  }
  return page;
}

}  // namespace invsync::connector::etsy
