#include "core/connector/etsy/etsy_payloads.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "core/connector/etsy/etsy_connector.h"

namespace invsync::connector::etsy {
namespace {

using nlohmann::json;

json parse_json(std::string_view body) { return json::parse(body, nullptr, false); }

std::optional<int64_t> parse_int_text(std::string_view text) {
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// An integer JSON value (or a numeric string, as some ids are sent).
std::optional<int64_t> as_int(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d < -9e15 || d > 9e15 || d != static_cast<double>(static_cast<int64_t>(d))) {
      return std::nullopt;
    }
    return static_cast<int64_t>(d);
  }
  if (v.is_string()) return parse_int_text(v.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<int64_t> int_field(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  return as_int(*it);
}

std::string string_field(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

bool bool_field(const json& obj, const char* key, bool fallback) {
  if (!obj.is_object()) return fallback;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

bool is_deleted(const json& obj) { return bool_field(obj, "is_deleted", false); }

// A Money object {amount, divisor} as the float a write expects; a number stays as it is.
json price_for_write(const json& price) {
  if (price.is_number()) return price;
  const std::optional<int64_t> amount = int_field(price, "amount");
  if (!amount) return price;
  int64_t divisor = int_field(price, "divisor").value_or(100);
  if (divisor <= 0) divisor = 100;
  return static_cast<double>(*amount) / static_cast<double>(divisor);
}

// The writable fields of a property value (drops scale_name and anything read-only).
json property_value_for_write(const json& pv) {
  json out = json::object();
  for (const char* key : {"property_id", "property_name", "scale_id", "value_ids", "values"}) {
    if (pv.is_object() && pv.contains(key)) out[key] = pv[key];
  }
  return out;
}

// The writable fields of an offering: price (as a float), quantity, is_enabled,
// readiness_state_id (drops offering_id, is_deleted and anything else read-only).
json offering_for_write(const json& o) {
  json out = json::object();
  if (o.contains("price")) out["price"] = price_for_write(o["price"]);
  out["quantity"] = int_field(o, "quantity").value_or(0);
  out["is_enabled"] = bool_field(o, "is_enabled", true);
  if (o.contains("readiness_state_id")) out["readiness_state_id"] = o["readiness_state_id"];
  return out;
}

// products[] of a GET body, rewritten for a PUT (deleted products and offerings dropped).
base::Result<json> products_for_write(const json& inventory) {
  const auto it = inventory.find("products");
  if (it == inventory.end() || !it->is_array()) {
    return base::Status::corruption("etsy inventory: no products array");
  }
  json products = json::array();
  for (const json& p : *it) {
    if (!p.is_object()) return base::Status::corruption("etsy inventory: product not an object");
    if (is_deleted(p)) continue;
    json out = json::object();
    out["sku"] = p.contains("sku") ? p["sku"] : json(nullptr);
    json pvs = json::array();
    if (p.contains("property_values") && p["property_values"].is_array()) {
      for (const json& pv : p["property_values"]) pvs.push_back(property_value_for_write(pv));
    }
    out["property_values"] = std::move(pvs);
    json offerings = json::array();
    if (p.contains("offerings") && p["offerings"].is_array()) {
      for (const json& o : p["offerings"]) {
        if (o.is_object() && !is_deleted(o)) offerings.push_back(offering_for_write(o));
      }
    }
    out["offerings"] = std::move(offerings);
    products.push_back(std::move(out));
  }
  return products;
}

std::optional<std::string> listing_state_of(const json& inventory) {
  const auto it = inventory.find("listing");
  if (it == inventory.end() || !it->is_object()) return std::nullopt;
  const std::string state = string_field(*it, "state");
  if (state.empty()) return std::nullopt;
  return state;
}

// Units buyers can buy: enabled offerings only (Etsy's all-zero rule counts those).
int64_t sellable_quantity(const json& products) {
  int64_t total = 0;
  for (const json& p : products) {
    for (const json& o : p["offerings"]) {
      if (o["is_enabled"].get<bool>()) total += o["quantity"].get<int64_t>();
    }
  }
  return total;
}

// The first product whose sku is `sku` and that has an offering, or nullptr.
json* find_product(json& products, const std::string& sku) {
  for (json& p : products) {
    if (p["sku"].is_string() && p["sku"].get<std::string>() == sku && !p["offerings"].empty()) {
      return &p;
    }
  }
  return nullptr;
}

// Sets every offering of every product named `sku`: the first gets `quantity`, the rest 0.
void set_sku_quantity(json& products, const std::string& sku, int64_t quantity) {
  bool first = true;
  for (json& p : products) {
    if (!p["sku"].is_string() || p["sku"].get<std::string>() != sku) continue;
    for (json& o : p["offerings"]) {
      o["quantity"] = first ? quantity : 0;
      first = false;
    }
  }
}

int64_t sku_quantity(const json& products, const std::string& sku, bool enabled_only = false) {
  int64_t total = 0;
  for (const json& p : products) {
    if (!p["sku"].is_string() || p["sku"].get<std::string>() != sku) continue;
    for (const json& o : p["offerings"]) {
      if (!enabled_only || o["is_enabled"].get<bool>()) total += o["quantity"].get<int64_t>();
    }
  }
  return total;
}

// The target that keeps the placeholder unit: the first (in the caller's order) on the listing
// whose first offering is enabled, else the first on the listing.
std::string choose_placeholder(json& products, const std::vector<SkuTarget>& targets,
                               const std::set<std::string>& targeted) {
  std::string fallback;
  for (const SkuTarget& t : targets) {
    if (targeted.count(t.sku) == 0) continue;
    if (fallback.empty()) fallback = t.sku;
    if ((*find_product(products, t.sku))["offerings"][0]["is_enabled"].get<bool>()) return t.sku;
  }
  return fallback;
}

json inventory_for_write(const json& inventory, json products) {
  json out = json::object();
  out["products"] = std::move(products);
  for (const char* key : {"price_on_property", "quantity_on_property", "sku_on_property",
                          "readiness_state_on_property"}) {
    if (inventory.contains(key) && inventory[key].is_array()) out[key] = inventory[key];
  }
  return out;
}

}  // namespace

std::optional<int64_t> listing_id_of(std::string_view external_ids_json) {
  const json j = parse_json(external_ids_json);
  const std::optional<int64_t> id = int_field(j, "listing_id");
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string error_message(const base::HttpResponse& response) {
  const json j = parse_json(response.body);
  std::string message = string_field(j, "error");
  if (message.empty()) return "HTTP " + std::to_string(response.status);
  const std::string description = string_field(j, "error_description");
  if (!description.empty()) message += " (" + description + ")";
  if (message.size() > 300) message.resize(300);
  return "HTTP " + std::to_string(response.status) + ": " + message;
}

std::optional<base::Duration> retry_after_header(const base::HttpResponse& response) {
  const std::optional<std::string_view> value = response.headers.get("retry-after");
  if (!value) return std::nullopt;
  const std::optional<int64_t> s = parse_int_text(*value);
  if (!s || *s < 0) return std::nullopt;
  return base::Duration::seconds(*s);
}

base::Status status_of_response(const base::HttpResponse& response) {
  const int32_t s = response.status;
  if (response.is_success()) return base::Status();
  std::string message = "etsy " + error_message(response);
  if (s == 429) {
    const bool daily = response.body.find("daily") != std::string::npos;
    const base::Duration fallback = daily ? base::Duration::hours(1) : base::Duration::seconds(1);
    return base::Status::rate_limited(std::move(message),
                                      retry_after_header(response).value_or(fallback));
  }
  if (s == 401) return base::Status::unauthenticated(std::move(message));
  if (s == 403) return base::Status::permission_denied(std::move(message));
  if (s == 404) return base::Status::not_found(std::move(message));
  if (s >= 400 && s < 500 && s != 408 && s != 409) {
    return base::Status::invalid_argument(std::move(message));
  }
  return base::Status::unavailable(std::move(message));
}

PushOutcome outcome_of(const base::Status& status) {
  switch (status.code()) {
    case base::StatusCode::kOk:
      return PushOutcome::kDone;
    case base::StatusCode::kRateLimited:
      return PushOutcome::kRateLimited;
    case base::StatusCode::kInvalidArgument:
    case base::StatusCode::kNotFound:
    case base::StatusCode::kUnauthenticated:
    case base::StatusCode::kPermissionDenied:
    case base::StatusCode::kFailedPrecondition:
      return PushOutcome::kPermanent;
    default:
      return PushOutcome::kTransient;
  }
}

base::Result<InventoryPlan> plan_inventory_update(std::string_view inventory_body,
                                                  const std::vector<SkuTarget>& targets,
                                                  const std::string& placeholder_sku) {
  const json inventory = parse_json(inventory_body);
  if (!inventory.is_object()) return base::Status::unavailable("etsy inventory: not JSON");
  base::Result<json> before = products_for_write(inventory);
  if (!before.ok()) return before.status();
  InventoryPlan plan;
  plan.listing_state = listing_state_of(inventory);
  json after = *before;
  std::set<std::string> targeted;
  for (const SkuTarget& t : targets) {
    if (find_product(after, t.sku) == nullptr) {
      plan.missing_skus.push_back(t.sku);
      continue;
    }
    targeted.insert(t.sku);
    set_sku_quantity(after, t.sku, t.quantity);
    if (t.quantity > 0) plan.stock_returns = true;
  }
  if (targeted.empty()) return plan;
  // A placeholder unit left by an earlier deactivation is not real stock.
  const bool placeholder_live = !placeholder_sku.empty() && targeted.count(placeholder_sku) == 0 &&
                                find_product(after, placeholder_sku) != nullptr &&
                                sku_quantity(after, placeholder_sku) == 1;
  const int64_t real_after = sellable_quantity(after) -
                             (placeholder_live ? sku_quantity(after, placeholder_sku, true) : 0);
  if (sellable_quantity(*before) == 0 && sellable_quantity(after) == 0) {
    plan.sold_out = true;  // Etsy sold it out itself: nothing is buyable, nothing to send
    return plan;
  }
  if (real_after == 0) {
    plan.no_stock = true;
    plan.placeholder_sku =
        placeholder_live ? placeholder_sku : choose_placeholder(after, targets, targeted);
    if (!placeholder_live) set_sku_quantity(after, plan.placeholder_sku, 1);
  } else if (placeholder_live) {
    set_sku_quantity(after, placeholder_sku, 0);
    plan.placeholder_cleared = true;
  }
  plan.put_needed = after != *before;
  if (plan.put_needed) plan.put_body = inventory_for_write(inventory, std::move(after)).dump();
  return plan;
}

base::Result<ListingQuantities> parse_inventory(std::string_view body) {
  const json inventory = parse_json(body);
  if (!inventory.is_object()) return base::Status::unavailable("etsy inventory: not JSON");
  base::Result<json> products = products_for_write(inventory);
  if (!products.ok()) return products.status();
  ListingQuantities q;
  q.state = listing_state_of(inventory);
  for (const json& p : *products) {
    if (!p["sku"].is_string()) continue;
    const std::string sku = p["sku"].get<std::string>();
    q.by_sku[sku] = sku_quantity(*products, sku);
  }
  return q;
}

base::Result<std::map<int64_t, ListingQuantities>> parse_batch_inventory(std::string_view body) {
  const json j = parse_json(body);
  if (!j.is_object()) return base::Status::unavailable("etsy batch inventory: not JSON");
  const auto results = j.find("results");
  if (results == j.end() || !results->is_array()) {
    return base::Status::corruption("etsy batch inventory: no results array");
  }
  std::map<int64_t, ListingQuantities> out;
  for (const json& r : *results) {
    const std::optional<int64_t> id = int_field(r, "listing_id");
    if (!id) return base::Status::corruption("etsy batch inventory: result without listing_id");
    // Either the inventory itself or nested under "inventory".
    const json& inv = r.contains("inventory") && r["inventory"].is_object() ? r["inventory"] : r;
    base::Result<ListingQuantities> q = parse_inventory(inv.dump());
    if (!q.ok()) return q.status();
    if (!q->state && !string_field(r, "state").empty()) q->state = string_field(r, "state");
    out[*id] = std::move(*q);
  }
  return out;
}

namespace {

base::Status add_transaction_events(const json& t, const std::string& receipt_id, bool canceled,
                                    const domain::ChannelId& channel, ReceiptPage* page) {
  const std::optional<int64_t> transaction_id = int_field(t, "transaction_id");
  if (!transaction_id) {
    return base::Status::invalid_argument("etsy receipt " + receipt_id + ": transaction_id");
  }
  const std::string line = std::to_string(*transaction_id);
  const std::string sku_text = string_field(t, "sku");
  if (sku_text.empty() && bool_field(t, "is_digital", false)) return base::Status();
  base::Result<domain::Sku> sku = domain::Sku::parse(sku_text);
  if (!sku.ok()) {
    return base::Status::invalid_argument("etsy receipt " + receipt_id + " transaction " + line +
                                          ": " + sku.status().message());
  }
  const std::optional<int64_t> quantity = int_field(t, "quantity");
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
  const json j = parse_json(body);
  if (!j.is_object()) return base::Status::unavailable("etsy receipts: not JSON");
  const auto results = j.find("results");
  if (results == j.end() || !results->is_array()) {
    return base::Status::invalid_argument("etsy receipts: no results array");
  }
  ReceiptPage page;
  for (const json& r : *results) {
    const std::optional<int64_t> receipt_id = int_field(r, "receipt_id");
    const auto transactions = r.is_object() ? r.find("transactions") : r.end();
    if (!receipt_id || transactions == r.end() || !transactions->is_array()) {
      return base::Status::invalid_argument("etsy receipts: receipt without id or transactions");
    }
    const std::string id = std::to_string(*receipt_id);
    const std::string status = string_field(r, "status");
    const bool canceled = status == "canceled" || status == "Canceled" ||
                          bool_field(r, "was_canceled", false) ||
                          bool_field(r, "is_canceled", false);
    for (const json& t : *transactions) {
      INVSYNC_RETURN_IF_ERROR(add_transaction_events(t, id, canceled, channel, &page));
    }
    ++page.result_count;
    const std::optional<int64_t> updated = int_field(r, "updated_timestamp");
    if (updated && (!page.max_updated_unix_s || *updated > *page.max_updated_unix_s)) {
      page.max_updated_unix_s = updated;
    }
  }
  return page;
}

}  // namespace invsync::connector::etsy
