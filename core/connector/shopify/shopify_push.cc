// ShopifyConnector::push(): one inventorySetQuantities mutation per batch; on stale compares a
// re-read of those levels and one retry (see shopify_connector.h).
#include <utility>

#include "core/base/crypto.h"
#include "core/base/json_writer.h"
#include "core/connector/shopify/shopify_connector.h"
#include "core/connector/shopify/shopify_protocol.h"

namespace invsync::connector {
namespace {

using shopify_detail::Exchange;
using shopify_detail::JsonValue;

constexpr int kLastRound = 2;

constexpr std::string_view kSetMutationHead =
    "mutation InvsyncSetQuantities($input: InventorySetQuantitiesInput!) {\n"
    "  inventorySetQuantities(input: $input) @idempotent(key: ";
constexpr std::string_view kSetMutationTail =
    ") {\n"
    "    inventoryAdjustmentGroup {\n"
    "      id\n"
    "      changes { name delta quantityAfterChange item { id } location { id } }\n"
    "    }\n"
    "    userErrors { code field message }\n"
    "  }\n"
    "}\n";

bool is_stale(const std::string& code) {
  return code == "CHANGE_FROM_QUANTITY_STALE" || code == "COMPARE_QUANTITY_STALE";
}

bool is_text(const simdjson::dom::element& value, std::string_view text) {
  return value.is_string() && shopify_detail::string_of(value) == text;
}

// The position in quantities[] a userError's field path names, e.g.
// ["input", "quantities", "3", "inventoryItemId"] -> 3; nullopt for errors about the input.
std::optional<size_t> quantity_index(const JsonValue& field) {
  simdjson::dom::array path;
  if (!shopify_detail::array_of(field, &path) || path.size() < 3) return std::nullopt;
  auto it = path.begin();
  const simdjson::dom::element first = *it;
  const simdjson::dom::element second = *++it;
  const simdjson::dom::element third = *++it;
  if (!is_text(first, "input") || !is_text(second, "quantities")) return std::nullopt;
  const auto n = shopify_detail::json_int(third);
  if (!n || *n < 0) return std::nullopt;
  return static_cast<size_t>(*n);
}

struct UserError {
  std::string code;
  std::string message;
};

std::string describe(const UserError& e) {
  std::string text = "userError " + e.code + ": " + e.message;
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

PushOutcome outcome_of_status(const base::Status& st) {
  switch (st.code()) {
    case base::StatusCode::kRateLimited: return PushOutcome::kRateLimited;
    case base::StatusCode::kUnauthenticated:
    case base::StatusCode::kPermissionDenied:
    case base::StatusCode::kNotFound:
    case base::StatusCode::kFailedPrecondition:
    case base::StatusCode::kInvalidArgument: return PushOutcome::kPermanent;
    default: return PushOutcome::kTransient;
  }
}

}  // namespace

struct ShopifyConnector::PushOp {
  std::vector<PushItem> items;
  std::vector<int64_t> item_ids;  // inventory item ids; 0 when the listing has none
  std::vector<std::optional<domain::Quantity>> change_from;  // CAS value of the next round
  std::vector<bool> reread;       // change_from came from a re-read
  std::vector<std::optional<PushItemResult>> results;
  std::vector<size_t> sent;       // item indices in quantities[] order (current round)
  std::vector<size_t> stale;      // round 1 items to re-read and retry
  bool retry = false;             // round 1 left items to send again
  PushCallback callback;

  void set(size_t i, PushOutcome outcome, int32_t http_status, std::string error,
           std::optional<domain::Quantity> channel_quantity = std::nullopt,
           base::Duration retry_after = base::Duration()) {
    results[i] = PushItemResult{items[i].listing.sku, outcome, channel_quantity, retry_after,
                                http_status, std::move(error)};
  }
  std::vector<size_t> pending() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i]) out.push_back(i);
    }
    return out;
  }
};

namespace {

// Stable for the exact parameters of one round (items, quantities, compare values), so a resend
// of the same request is deduplicated by Shopify and a changed request never collides with it.
std::string round_key(const std::vector<PushItem>& items, const std::vector<int64_t>& item_ids,
                      const std::vector<std::optional<domain::Quantity>>& change_from,
                      const std::vector<size_t>& sent, int round) {
  std::string material = "round " + std::to_string(round);
  for (size_t i : sent) {
    const PushItem& item = items[i];
    material += "\n" + (item.idempotency_key.empty() ? item.listing.sku.str()
                                                     : item.idempotency_key);
    material += "|" + std::to_string(item_ids[i]) + "|" + std::to_string(item.quantity.units());
    material += "|" + (change_from[i] ? std::to_string(change_from[i]->units()) : "null");
  }
  return base::hex_encode(base::hmac_sha256("invsync-shopify-push", material)).substr(0, 32);
}

struct UserErrors {
  std::vector<std::optional<UserError>> by_position;  // per quantities[] entry
  std::optional<UserError> general;                   // about the input as a whole
  bool any = false;
};

// Keeps the first error per position, except that a non-stale error replaces a stale one.
void keep(std::optional<UserError>* slot, UserError e) {
  if (!*slot || (is_stale((*slot)->code) && !is_stale(e.code))) *slot = std::move(e);
}

UserErrors collect_user_errors(const JsonValue& payload, size_t sent_count) {
  UserErrors out;
  out.by_position.resize(sent_count);
  simdjson::dom::array errors;
  if (!shopify_detail::array_of(shopify_detail::member(payload, "userErrors"), &errors)) return out;
  for (const simdjson::dom::element error : errors) {
    if (!error.is_object()) continue;
    const JsonValue e = error;
    const JsonValue code = shopify_detail::member(e, "code");
    const JsonValue message = shopify_detail::member(e, "message");
    UserError ue;
    if (shopify_detail::is_string(code)) ue.code = shopify_detail::string_of(*code);
    if (shopify_detail::is_string(message)) ue.message = shopify_detail::string_of(*message);
    out.any = true;
    const auto pos = quantity_index(shopify_detail::member(e, "field"));
    if (pos && *pos < sent_count) keep(&out.by_position[*pos], std::move(ue));
    else keep(&out.general, std::move(ue));
  }
  return out;
}

// The GraphQL request of one round, byte for byte as nlohmann::json (std::map objects: members in
// key order) dumped it before: {"query": "...", "variables": {"input": {"name", "quantities":
// [{"changeFromQuantity", "inventoryItemId", "locationId", "quantity"}], "reason",
// "referenceDocumentUri"}}}.
std::string set_request_body(const std::string& key, const std::vector<PushItem>& items,
                             const std::vector<int64_t>& item_ids,
                             const std::vector<std::optional<domain::Quantity>>& change_from,
                             const std::vector<size_t>& sent, const std::string& location_gid) {
  std::string query;
  query.reserve(kSetMutationHead.size() + key.size() + kSetMutationTail.size() + 2);
  query += kSetMutationHead;
  base::JsonWriter::append_escaped(query, key);  // the key as a GraphQL string literal
  query += kSetMutationTail;
  std::string location;
  base::JsonWriter::append_escaped(location, location_gid);
  std::string body;
  body.reserve(query.size() + 200 + (location.size() + 120) * sent.size());
  body += "{\"query\":";
  base::JsonWriter::append_escaped(body, query);
  body += ",\"variables\":{\"input\":{\"name\":\"available\",\"quantities\":[";
  for (size_t k = 0; k < sent.size(); ++k) {
    const size_t i = sent[k];
    if (k != 0) body.push_back(',');
    body += "{\"changeFromQuantity\":";
    body += change_from[i] ? std::to_string(change_from[i]->units()) : std::string("null");
    body += ",\"inventoryItemId\":";
    base::JsonWriter::append_escaped(body, shopify_detail::make_gid("InventoryItem", item_ids[i]));
    body += ",\"locationId\":";
    body += location;
    body += ",\"quantity\":";
    body += std::to_string(items[i].quantity.units());
    body.push_back('}');
  }
  body += "],\"reason\":\"correction\",\"referenceDocumentUri\":";
  base::JsonWriter::append_escaped(body, "gid://invsync/SyncJob/" + key);
  body += "}}}";
  return body;
}

}  // namespace

ShopifyConnector::ShopifyConnector(ShopifyConnectorConfig config, ConnectorDeps deps)
    : config_(std::move(config)),
      deps_(deps),
      location_gid_(shopify_detail::make_gid("Location", config_.location_id)),
      responses_(std::make_unique<shopify_detail::BodyParser>()) {}

void ShopifyConnector::push(std::vector<PushItem> items, PushCallback callback) {
  auto op = std::make_shared<PushOp>();
  op->callback = std::move(callback);
  op->results.resize(items.size());
  op->item_ids.resize(items.size(), 0);
  op->reread.resize(items.size(), false);
  op->items = std::move(items);
  std::map<int64_t, size_t> seen;
  for (size_t i = 0; i < op->items.size(); ++i) {
    op->change_from.push_back(op->items[i].last_known);
    const auto id = shopify_detail::inventory_item_id(op->items[i].listing.external_ids_json);
    if (!id) {
      op->set(i, PushOutcome::kPermanent, 0, "listing has no inventory_item_id in external ids");
    } else if (!seen.emplace(*id, i).second) {
      op->set(i, PushOutcome::kPermanent, 0, "inventory item repeated in one push");
    } else {
      op->item_ids[i] = *id;
    }
  }
  if (op->pending().empty()) {
    deps_.scheduler.post([this, op] { finish_push(op); });
    return;
  }
  send_set(op, 1);
}

void ShopifyConnector::send_set(std::shared_ptr<PushOp> op, int round) {
  op->sent = op->pending();
  const std::string key = round_key(op->items, op->item_ids, op->change_from, op->sent, round);
  base::HttpRequest request =
      make_request("POST", "/admin/api/" + config_.api_version + "/graphql.json");
  request.headers.set("Content-Type", "application/json");
  request.body =
      set_request_body(key, op->items, op->item_ids, op->change_from, op->sent, location_gid_);
  deps_.api.send(std::move(request), [this, op, round](base::Result<base::HttpResponse> reply) {
    on_set_reply(op, round, std::move(reply));
  });
}

void ShopifyConnector::on_set_reply(std::shared_ptr<PushOp> op, int round,
                                    base::Result<base::HttpResponse> reply) {
  const Exchange ex = shopify_detail::classify_exchange(reply, /*graphql=*/true, *responses_);
  JsonValue payload;
  if (ex.usable) {
    const JsonValue data = shopify_detail::member(ex.body, "data");
    const JsonValue it = shopify_detail::member(data, "inventorySetQuantities");
    if (shopify_detail::is_object(it)) payload = it;
  }
  if (!payload) {
    const std::string error = ex.usable ? "response has no data.inventorySetQuantities" : ex.error;
    for (size_t i : op->sent) {
      op->set(i, ex.usable ? PushOutcome::kTransient : ex.outcome, ex.http_status, error,
              std::nullopt, ex.retry_after);
    }
    finish_push(op);
    return;
  }
  const UserErrors errors = collect_user_errors(payload, op->sent.size());
  const bool applied =
      shopify_detail::is_object(shopify_detail::member(payload, "inventoryAdjustmentGroup"));
  const bool last = round >= kLastRound;
  const int32_t http = ex.http_status;
  op->stale.clear();
  op->retry = false;
  for (size_t k = 0; k < op->sent.size(); ++k) {
    const size_t i = op->sent[k];
    const std::optional<UserError>& e = errors.by_position[k] ? errors.by_position[k]
                                                              : errors.general;
    if (!errors.any || (!e && applied)) {
      op->set(i, PushOutcome::kDone, http, "", op->items[i].quantity);
    } else if (e && is_stale(e->code) && !last) {
      op->stale.push_back(i);
      op->retry = true;
    } else if (e && is_stale(e->code)) {
      op->set(i, PushOutcome::kConflict, http, describe(*e),
              op->reread[i] ? op->change_from[i] : std::nullopt);
    } else if (e) {
      const bool busy = e->code == "IDEMPOTENCY_CONCURRENT_REQUEST";
      op->set(i, busy ? PushOutcome::kTransient : PushOutcome::kPermanent, http, describe(*e));
    } else if (!last) {
      op->retry = true;  // rolled back with the items that failed: send it again
    } else {
      op->set(i, PushOutcome::kTransient, http, "not applied: the batch failed for other items");
    }
  }
  if (!op->retry) {
    finish_push(op);
  } else if (!op->stale.empty()) {
    reread_then_retry(op);
  } else {
    send_set(op, round + 1);
  }
}

void ShopifyConnector::reread_then_retry(std::shared_ptr<PushOp> op) {
  std::vector<int64_t> ids;
  for (size_t i : op->stale) ids.push_back(op->item_ids[i]);
  read_levels(ids, [this, op](base::Result<Levels> levels, int32_t http_status) {
    if (!levels.ok()) {
      const base::Status& st = levels.status();
      for (size_t i : op->pending()) {
        op->set(i, outcome_of_status(st), http_status,
                "re-read after a stale compare failed: " + st.to_string(), std::nullopt,
                st.retry_after());
      }
      finish_push(op);
      return;
    }
    for (size_t i : op->stale) {
      const auto it = levels->find(op->item_ids[i]);
      if (it == levels->end() || !it->second) {
        op->set(i, PushOutcome::kPermanent, http_status,
                "inventory item is not stocked (or not tracked) at the location");
      } else {
        op->change_from[i] = it->second;
        op->reread[i] = true;
      }
    }
    if (op->pending().empty()) {
      finish_push(op);
    } else {
      send_set(op, kLastRound);
    }
  });
}

void ShopifyConnector::finish_push(std::shared_ptr<PushOp> op) {
  std::vector<PushItemResult> out;
  out.reserve(op->items.size());
  for (size_t i = 0; i < op->items.size(); ++i) {
    if (!op->results[i]) op->set(i, PushOutcome::kTransient, 0, "no result (internal)");
    out.push_back(std::move(*op->results[i]));
  }
  PushCallback callback = std::move(op->callback);
  callback(std::move(out));
}

}  // namespace invsync::connector
