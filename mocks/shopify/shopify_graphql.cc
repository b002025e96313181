#include "mocks/shopify/shopify_graphql.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "mocks/shopify/shopify_payloads.h"
#include "mocks/shopify/shopify_rest.h"

namespace invsync::mocks {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

enum class Op : uint8_t { kSet, kAdjust, kVariants, kItems, kItem, kUnknown };

constexpr int64_t kMaxInputSize = 250;
constexpr int64_t kMaxQuantity = 1'000'000'000;

Op detect_op(std::string_view q) {
  if (q.find("inventorySetQuantities") != std::string_view::npos) return Op::kSet;
  if (q.find("inventoryAdjustQuantities") != std::string_view::npos) return Op::kAdjust;
  if (q.find("productVariants") != std::string_view::npos) return Op::kVariants;
  if (q.find("inventoryItems") != std::string_view::npos) return Op::kItems;
  if (q.find("inventoryItem") != std::string_view::npos) return Op::kItem;
  return Op::kUnknown;
}

const char* op_field(Op op) {
  switch (op) {
    case Op::kSet:
      return "inventorySetQuantities";
    case Op::kAdjust:
      return "inventoryAdjustQuantities";
    case Op::kVariants:
      return "productVariants";
    case Op::kItems:
      return "inventoryItems";
    case Op::kItem:
      return "inventoryItem";
    case Op::kUnknown:
      break;
  }
  return "unknown";
}

ordered_json top_error(const std::string& message, const char* code) {
  return ordered_json::array({{{"message", message}, {"extensions", {{"code", code}}}}});
}

std::string gid(const char* type, int64_t id) {
  return std::string("gid://shopify/") + type + "/" + std::to_string(id);
}

// "gid://shopify/<type>/<n>" -> n.
std::optional<int64_t> parse_gid(const json& v, const char* type) {
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  const std::string prefix = std::string("gid://shopify/") + type + "/";
  if (s.rfind(prefix, 0) != 0 || s.size() == prefix.size()) return std::nullopt;
  int64_t n = 0;
  for (size_t i = prefix.size(); i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) || n > INT64_MAX / 10 - 10) {
      return std::nullopt;
    }
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

// The text after `marker` and an optional `:`, as a string literal or a $variable.
std::optional<std::string> inline_argument(std::string_view q, std::string_view marker,
                                           const json& variables, size_t from = 0) {
  const size_t at = q.find(marker, from);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + marker.size();
  while (i < q.size() && (q[i] == ' ' || q[i] == ':' || q[i] == '\n' || q[i] == '\t')) ++i;
  if (i >= q.size()) return std::nullopt;
  if (q[i] == '"') {
    const size_t end = q.find('"', i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return std::string(q.substr(i + 1, end - i - 1));
  }
  size_t end = i;
  while (end < q.size() &&
         (std::isalnum(static_cast<unsigned char>(q[end])) || q[end] == '_' || q[end] == '$')) {
    ++end;
  }
  const std::string token(q.substr(i, end - i));
  if (!token.empty() && token[0] == '$') {
    const std::string name = token.substr(1);
    if (variables.is_object() && variables.contains(name)) {
      const json& v = variables[name];
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    }
    return std::nullopt;
  }
  return token.empty() ? std::nullopt : std::optional<std::string>(token);
}

// Idempotency: nullopt = no directive; "" = directive whose key cannot be resolved.
std::optional<std::string> idempotency_key(std::string_view q, const json& variables) {
  const size_t at = q.find("@idempotent");
  if (at == std::string_view::npos) return std::nullopt;
  return inline_argument(q, "key", variables, at).value_or("");
}

// "sku:ABC-1" / "sku:'ABC-1'" / "sku:\"ABC-1\"" -> ABC-1.
std::optional<std::string> sku_from_search(const std::string& search) {
  const size_t at = search.find("sku:");
  if (at == std::string::npos) return std::nullopt;
  size_t i = at + 4;
  while (i < search.size() && (search[i] == '\\' || search[i] == '"' || search[i] == '\'')) ++i;
  size_t end = i;
  while (end < search.size() && search[end] != '\\' && search[end] != '"' && search[end] != '\'' &&
         search[end] != ' ' && search[end] != ')') {
    ++end;
  }
  return search.substr(i, end - i);
}

std::optional<std::string> search_text(std::string_view q, const json& variables) {
  if (variables.is_object() && variables.contains("query") && variables["query"].is_string()) {
    return variables["query"].get<std::string>();
  }
  const size_t at = q.find("sku:");
  if (at == std::string_view::npos) return std::nullopt;
  size_t end = at;
  while (end < q.size() && q[end] != '"' && q[end] != ')' && q[end] != ' ') ++end;
  return std::string(q.substr(at, end - at));
}

int64_t page_size(std::string_view q, const json& variables, Op op) {
  if (variables.is_object() && variables.contains("first") &&
      variables["first"].is_number_integer()) {
    return std::max<int64_t>(0, variables["first"].get<int64_t>());
  }
  const auto first = inline_argument(q, "first", variables, q.find(op_field(op)));
  if (first) {
    try {
      return std::max<int64_t>(0, std::stoll(*first));
    } catch (...) {
    }
  }
  return 10;
}

int64_t array_size(const json& variables, const char* field) {
  if (!variables.is_object() || !variables.contains("input")) return 0;
  const json& input = variables["input"];
  if (!input.is_object() || !input.contains(field) || !input[field].is_array()) return 0;
  return static_cast<int64_t>(input[field].size());
}

int64_t requested_cost(Op op, std::string_view q, const json& variables) {
  switch (op) {
    case Op::kSet:
      return 10 + array_size(variables, "quantities");
    case Op::kAdjust:
      return 10 + array_size(variables, "changes");
    case Op::kVariants:
    case Op::kItems:
      return 2 + 3 * page_size(q, variables, op);
    case Op::kItem:
      return 3;
    case Op::kUnknown:
      break;
  }
  return 1;
}

struct Exec {
  ordered_json data;    // {"<field>": payload}, or null
  ordered_json errors;  // top-level errors, or null
  std::vector<int64_t> changed;
  int64_t actual_cost = -1;  // -1: the requested cost
};

Exec top_level(const std::string& message, const char* code) {
  Exec e;
  e.errors = top_error(message, code);
  return e;
}

ordered_json user_error(const char* code, std::vector<std::string> field,
                        const std::string& message) {
  return {{"code", code}, {"field", std::move(field)}, {"message", message}};
}

bool valid_reason(const json& reason) {
  static const std::set<std::string> kReasons = {"correction",
                                                 "cycle_count_available",
                                                 "damaged",
                                                 "movement_canceled",
                                                 "movement_created",
                                                 "movement_received",
                                                 "movement_updated",
                                                 "other",
                                                 "promotion",
                                                 "quality_control",
                                                 "received",
                                                 "reservation_created",
                                                 "reservation_deleted",
                                                 "reservation_updated",
                                                 "restock",
                                                 "safety_stock",
                                                 "shrinkage"};
  return reason.is_string() && kReasons.count(reason.get<std::string>()) != 0;
}

int64_t quantity_of(const ShopifyVariant& v, const std::string& name) {
  return name == "on_hand" ? v.available + v.committed : v.available;
}

struct Change {
  ShopifyVariant* variant = nullptr;
  int64_t delta = 0;
};

// One quantity/change entry: resolves the item and checks location, range, CAS. Appends user
// errors; returns the variant when usable.
ShopifyVariant* check_entry(const json& e, const std::vector<std::string>& path,
                            const ShopifyMockConfig& config, ShopifyCatalog& catalog,
                            ordered_json* errors) {
  auto field = [&](const char* f) {
    std::vector<std::string> p = path;
    p.push_back(f);
    return p;
  };
  const auto item = parse_gid(e.value("inventoryItemId", json()), "InventoryItem");
  ShopifyVariant* v = item ? catalog.by_item(*item) : nullptr;
  if (v == nullptr) {
    errors->push_back(user_error("INVALID_INVENTORY_ITEM", field("inventoryItemId"),
                                 "The specified inventory item could not be found."));
    return nullptr;
  }
  const auto location = parse_gid(e.value("locationId", json()), "Location");
  if (!location || *location != config.location_id) {
    errors->push_back(user_error("INVALID_LOCATION", field("locationId"),
                                 "The specified location could not be found."));
    return nullptr;
  }
  if (!v->tracked) {
    errors->push_back(user_error("NON_MUTABLE_INVENTORY_ITEM", field("inventoryItemId"),
                                 "Inventory item does not have inventory tracking enabled"));
    return nullptr;
  }
  return v;
}

// Compare-and-set for one set quantity; appends a user error when stale or missing.
void check_cas(const json& q, const json& input, std::string_view version, int64_t current,
               const std::vector<std::string>& path, ordered_json* errors) {
  std::vector<std::string> p = path;
  if (version >= "2026-01" && q.contains("changeFromQuantity")) {
    const json& c = q["changeFromQuantity"];
    if (!c.is_null() && (!c.is_number_integer() || c.get<int64_t>() != current)) {
      p.push_back("changeFromQuantity");
      errors->push_back(user_error("CHANGE_FROM_QUANTITY_STALE", p,
                                   "The changeFromQuantity value does not match persisted value."));
    }
    return;
  }
  if (input.value("ignoreCompareQuantity", false)) return;
  p.push_back("compareQuantity");
  if (!q.contains("compareQuantity") || q["compareQuantity"].is_null()) {
    errors->push_back(user_error("COMPARE_QUANTITY_REQUIRED", p,
                                 "The compareQuantity argument must be given to each quantity or "
                                 "ignored using ignoreCompareQuantity."));
    return;
  }
  const json& c = q["compareQuantity"];
  if (!c.is_number_integer() || c.get<int64_t>() != current) {
    errors->push_back(user_error("COMPARE_QUANTITY_STALE", p,
                                 "The compareQuantity value does not match persisted value."));
  }
}

// Schema-level checks of a set/adjust input that Shopify reports as top-level errors.
std::optional<Exec> check_input_schema(const json& input, const char* list,
                                       std::string_view version, bool is_set) {
  if (!input.is_object() || !input.contains(list) || !input[list].is_array()) {
    return top_level(
        std::string("Variable $input of type ") +
            (is_set ? "InventorySetQuantitiesInput!" : "InventoryAdjustQuantitiesInput!") +
            " was provided invalid value for " + list + " (Expected value to not be null)",
        "INVALID_VARIABLE");
  }
  const json& entries = input[list];
  if (static_cast<int64_t>(entries.size()) > kMaxInputSize) {
    return top_level("The input array size of " + std::to_string(entries.size()) +
                         " is greater than the maximum allowed of 250.",
                     "MAX_INPUT_SIZE_EXCEEDED");
  }
  const bool removed_compare = version >= "2026-04";
  if (is_set && removed_compare && input.contains("ignoreCompareQuantity")) {
    return top_level(
        "InputObject 'InventorySetQuantitiesInput' doesn't accept argument "
        "'ignoreCompareQuantity'",
        "argumentNotAccepted");
  }
  for (const json& e : entries) {
    if (!e.is_object())
      return top_level(std::string("Invalid ") + list + " entry", "INVALID_VARIABLE");
    if (version < "2026-01" && e.contains("changeFromQuantity")) {
      return top_level("InputObject doesn't accept argument 'changeFromQuantity'",
                       "argumentNotAccepted");
    }
    if (is_set && removed_compare && e.contains("compareQuantity")) {
      return top_level(
          "InputObject 'InventoryQuantityInput' doesn't accept argument "
          "'compareQuantity'",
          "argumentNotAccepted");
    }
    if (is_set && removed_compare && !e.contains("changeFromQuantity")) {
      return top_level(
          "changeFromQuantity is required for each quantity (pass null to opt out "
          "of the compare-and-swap check).",
          "BAD_REQUEST");
    }
  }
  return std::nullopt;
}

ordered_json adjustment_group(const json& input, const std::string& name,
                              const std::vector<Change>& changes, const ShopifyMockConfig& config,
                              ShopifyCatalog& catalog, base::WallTime wall) {
  ordered_json list = ordered_json::array();
  for (const Change& c : changes) {
    const std::string other = name == "on_hand" ? "available" : "on_hand";
    for (const std::string& n : {name, other}) {
      list.push_back({{"name", n},
                      {"delta", c.delta},
                      {"quantityAfterChange", quantity_of(*c.variant, n)},
                      {"item", {{"id", gid("InventoryItem", c.variant->inventory_item_id)}}},
                      {"location", {{"id", gid("Location", config.location_id)}}}});
    }
  }
  const json uri = input.value("referenceDocumentUri", json());
  return {{"id", gid("InventoryAdjustmentGroup", catalog.next_adjustment_group_id())},
          {"createdAt", base::format_iso8601_utc(wall)},
          {"reason", input.value("reason", json())},
          {"referenceDocumentUri",
           uri.is_string() ? ordered_json(uri.get<std::string>()) : ordered_json(nullptr)},
          {"changes", list}};
}

ordered_json payload(ordered_json group, ordered_json user_errors) {
  return {{"inventoryAdjustmentGroup", std::move(group)}, {"userErrors", std::move(user_errors)}};
}

// Validates the name/reason/range of a set or adjust; returns the user errors so far.
ordered_json check_name_reason(const json& input, bool is_set) {
  ordered_json errors = ordered_json::array();
  const std::string name = input.value("name", json("")).is_string()
                               ? input.value("name", std::string())
                               : std::string();
  if (name != "available" && name != "on_hand") {
    errors.push_back(user_error(is_set ? "INVALID_NAME" : "INVALID_QUANTITY_NAME",
                                {"input", "name"},
                                "The quantity name must be either 'available' or 'on_hand'."));
  }
  if (!valid_reason(input.value("reason", json()))) {
    errors.push_back(
        user_error("INVALID_REASON", {"input", "reason"}, "The specified reason is invalid."));
  }
  return errors;
}

Exec exec_set(const json& input, std::string_view version, const ShopifyMockConfig& config,
              ShopifyCatalog& catalog, base::WallTime wall) {
  if (auto err = check_input_schema(input, "quantities", version, true)) return *err;
  ordered_json errors = check_name_reason(input, true);
  const std::string name = input.value("name", json("")).is_string()
                               ? input.value("name", std::string())
                               : std::string();
  std::vector<std::pair<ShopifyVariant*, int64_t>> writes;
  std::set<int64_t> seen;
  const json& quantities = input["quantities"];
  for (size_t i = 0; i < quantities.size(); ++i) {
    const json& q = quantities[i];
    const std::vector<std::string> path = {"input", "quantities", std::to_string(i)};
    ShopifyVariant* v = check_entry(q, path, config, catalog, &errors);
    if (v == nullptr) continue;
    if (!seen.insert(v->inventory_item_id).second) {
      errors.push_back(user_error("NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", path,
                                  "The combination of inventoryItemId and locationId must be "
                                  "unique."));
      continue;
    }
    const json& qty = q.value("quantity", json());
    if (!qty.is_number_integer()) {
      errors.push_back(user_error("INVALID_QUANTITY_TOO_LOW", path, "quantity is required"));
      continue;
    }
    const int64_t value = qty.get<int64_t>();
    if (value > kMaxQuantity || value < -kMaxQuantity) {
      errors.push_back(
          user_error(value > 0 ? "INVALID_QUANTITY_TOO_HIGH" : "INVALID_QUANTITY_TOO_LOW", path,
                     "The quantity is out of range."));
      continue;
    }
    if (name == "available" || name == "on_hand") {
      check_cas(q, input, version, quantity_of(*v, name), path, &errors);
    }
    writes.emplace_back(v, value);
  }
  Exec e;
  if (!errors.empty()) {
    e.data = {{"inventorySetQuantities", payload(nullptr, errors)}};
    return e;
  }
  std::vector<Change> changes;
  for (auto& [v, value] : writes) {
    const int64_t before = quantity_of(*v, name);
    v->available += value - before;
    v->updated_at = wall;
    changes.push_back({v, value - before});
    e.changed.push_back(v->inventory_item_id);
  }
  e.data = {{"inventorySetQuantities",
             payload(adjustment_group(input, name, changes, config, catalog, wall), errors)}};
  return e;
}

Exec exec_adjust(const json& input, std::string_view version, const ShopifyMockConfig& config,
                 ShopifyCatalog& catalog, base::WallTime wall) {
  if (auto err = check_input_schema(input, "changes", version, false)) return *err;
  ordered_json errors = check_name_reason(input, false);
  const std::string name = input.value("name", json("")).is_string()
                               ? input.value("name", std::string())
                               : std::string();
  std::vector<Change> changes;
  const json& list = input["changes"];
  for (size_t i = 0; i < list.size(); ++i) {
    const json& c = list[i];
    const std::vector<std::string> path = {"input", "changes", std::to_string(i)};
    ShopifyVariant* v = check_entry(c, path, config, catalog, &errors);
    if (v == nullptr) continue;
    const json& delta = c.value("delta", json());
    if (!delta.is_number_integer()) {
      errors.push_back(user_error("INVALID_QUANTITY_TOO_HIGH", path, "delta is required"));
      continue;
    }
    if (c.contains("changeFromQuantity") && !c["changeFromQuantity"].is_null() &&
        (name == "available" || name == "on_hand") &&
        (!c["changeFromQuantity"].is_number_integer() ||
         c["changeFromQuantity"].get<int64_t>() != quantity_of(*v, name))) {
      std::vector<std::string> p = path;
      p.push_back("changeFromQuantity");
      errors.push_back(user_error("CHANGE_FROM_QUANTITY_STALE", p,
                                  "The changeFromQuantity value does not match persisted value."));
      continue;
    }
    changes.push_back({v, delta.get<int64_t>()});
  }
  Exec e;
  if (!errors.empty()) {
    e.data = {{"inventoryAdjustQuantities", payload(nullptr, errors)}};
    return e;
  }
  for (Change& c : changes) {
    c.variant->available += c.delta;
    c.variant->updated_at = wall;
    e.changed.push_back(c.variant->inventory_item_id);
  }
  e.data = {{"inventoryAdjustQuantities",
             payload(adjustment_group(input, name, changes, config, catalog, wall), errors)}};
  return e;
}

ordered_json levels_json(const ShopifyVariant& v, const ShopifyMockConfig& config) {
  ordered_json level = {
      {"id", "gid://shopify/InventoryLevel/" + std::to_string(config.location_id) +
                 "?inventory_item_id=" + std::to_string(v.inventory_item_id)},
      {"location", {{"id", gid("Location", config.location_id)}}},
      {"quantities",
       ordered_json::array({{{"name", "available"}, {"quantity", v.available}},
                            {{"name", "committed"}, {"quantity", v.committed}},
                            {{"name", "on_hand"}, {"quantity", v.available + v.committed}}})}};
  return {{"nodes", ordered_json::array({level})}};
}

ordered_json item_json(const ShopifyVariant& v, const ShopifyMockConfig& config,
                       bool with_variant) {
  ordered_json j = {
      {"id", gid("InventoryItem", v.inventory_item_id)}, {"sku", v.sku}, {"tracked", v.tracked}};
  if (with_variant) j["variant"] = {{"id", gid("ProductVariant", v.variant_id)}};
  j["inventoryLevels"] = levels_json(v, config);
  return j;
}

Exec exec_lookup(Op op, std::string_view q, const json& variables, const ShopifyMockConfig& config,
                 const ShopifyCatalog& catalog) {
  Exec e;
  if (op == Op::kItem) {
    std::optional<int64_t> id;
    if (variables.is_object() && variables.contains("id"))
      id = parse_gid(variables["id"], "InventoryItem");
    if (!id) {
      const auto text = inline_argument(q, "id", variables, q.find("inventoryItem"));
      if (text) id = parse_gid(json(*text), "InventoryItem");
    }
    const ShopifyVariant* v = id ? catalog.by_item(*id) : nullptr;
    e.data = {{"inventoryItem", v ? item_json(*v, config, true) : ordered_json(nullptr)}};
    return e;
  }
  const auto search = search_text(q, variables);
  const auto sku = search ? sku_from_search(*search) : std::nullopt;
  std::vector<const ShopifyVariant*> found;
  if (sku) found = catalog.search_sku(*sku);
  const int64_t first = page_size(q, variables, op);
  if (static_cast<int64_t>(found.size()) > first) found.resize(static_cast<size_t>(first));
  ordered_json nodes = ordered_json::array();
  for (const ShopifyVariant* v : found) {
    if (op == Op::kItems) {
      nodes.push_back(item_json(*v, config, true));
    } else {
      nodes.push_back({{"id", gid("ProductVariant", v->variant_id)},
                       {"sku", v->sku},
                       {"product", {{"id", gid("Product", v->product_id)}}},
                       {"inventoryItem", item_json(*v, config, false)}});
    }
  }
  e.data = {{op_field(op), {{"nodes", nodes}}}};
  e.actual_cost = 2 + 3 * static_cast<int64_t>(found.size());
  return e;
}

ordered_json cost_json(int64_t requested, std::optional<int64_t> actual, TokenBucket& bucket,
                       base::Instant now) {
  const double restore = static_cast<double>(bucket.rate_micro_per_s()) / 1e6;
  return {{"cost",
           {{"requestedQueryCost", requested},
            {"actualQueryCost", actual ? ordered_json(*actual) : ordered_json(nullptr)},
            {"throttleStatus",
             {{"maximumAvailable", static_cast<double>(bucket.capacity())},
              {"currentlyAvailable", bucket.available(now)},
              {"restoreRate", restore}}}}}};
}

std::string fingerprint(Op op, const json& variables) {
  const json input = variables.is_object() ? variables.value("input", json()) : json();
  return std::string(op_field(op)) + "|" + input.dump();  // json objects dump with sorted keys
}

base::HttpResponse throttled_response(int64_t requested, int32_t status, TokenBucket& bucket,
                                      base::Instant now) {
  ordered_json out;
  out["errors"] =
      ordered_json::array({{{"message", "Throttled"},
                            {"extensions",
                             {{"code", "THROTTLED"},
                              {"documentation", "https://shopify.dev/api/usage/rate-limits"}}}}});
  out["extensions"] = cost_json(requested, std::nullopt, bucket, now);
  base::HttpResponse r = base::HttpResponse::json(status, out.dump());
  if (status == 429) {
    const base::Duration wait = bucket.time_until(requested, now);
    r.headers.set("Retry-After", std::to_string((wait.ms() + 999) / 1000));
  }
  return r;
}

struct CallContext {
  Op op;
  const std::string& query;
  const json& variables;
  std::string_view version;
  const ShopifyAccessToken& token;
  const ShopifyMockConfig& config;
  ShopifyCatalog& catalog;
  base::WallTime wall;
};

// Idempotent replay or mismatch for a key already used; nullopt when the key is new.
std::optional<Exec> replay(const CallContext& c, const std::string& slot,
                           const std::map<std::string, ShopifyIdempotencyRecord>& records) {
  auto it = records.find(slot);
  if (it == records.end()) return std::nullopt;
  Exec e;
  if (it->second.fingerprint == fingerprint(c.op, c.variables)) {
    e.data = ordered_json::parse(it->second.data_json);
    return e;
  }
  e.data = {{op_field(c.op),
             payload(nullptr, ordered_json::array({user_error(
                                  "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", {"input"},
                                  "The same idempotency key cannot be used with different "
                                  "operation parameters.")}))}};
  return e;
}

Exec execute(const CallContext& c, std::map<std::string, ShopifyIdempotencyRecord>& records) {
  const bool mutation = c.op == Op::kSet || c.op == Op::kAdjust;
  const char* scope = mutation                ? "write_inventory"
                      : c.op == Op::kVariants ? "read_products"
                                              : "read_inventory";
  if (c.op == Op::kUnknown) return top_level("mock: no supported field in query", "undefinedField");
  if (!shopify_has_scope(c.token, scope)) {
    return top_level(std::string("Access denied for ") + op_field(c.op) +
                         " field. Required access: `" + scope + "` access scope.",
                     "ACCESS_DENIED");
  }
  if (!mutation) return exec_lookup(c.op, c.query, c.variables, c.config, c.catalog);
  const std::optional<std::string> key = idempotency_key(c.query, c.variables);
  if (key && key->empty())
    return top_level("The @idempotent directive requires a key.", "BAD_REQUEST");
  if (!key && !c.config.idempotency_required_from.empty() &&
      c.version >= c.config.idempotency_required_from) {
    return top_level(
        std::string("The @idempotent directive is required for ") + op_field(c.op) + ".",
        "BAD_REQUEST");
  }
  const std::string slot = key ? std::string(op_field(c.op)) + "|" + *key : std::string();
  if (key) {
    if (auto e = replay(c, slot, records)) return *e;
  }
  const json input = c.variables.is_object() ? c.variables.value("input", json()) : json();
  Exec e = c.op == Op::kSet ? exec_set(input, c.version, c.config, c.catalog, c.wall)
                            : exec_adjust(input, c.version, c.config, c.catalog, c.wall);
  if (key && !e.data.is_null()) records[slot] = {fingerprint(c.op, c.variables), e.data.dump()};
  return e;
}

}  // namespace

ShopifyGraphql::ShopifyGraphql(const ShopifyMockConfig& config, ShopifyCatalog& catalog,
                               base::Instant start)
    : config_(config),
      catalog_(catalog),
      bucket_(config.graphql_bucket_max, config.graphql_restore_rate_per_s * kMicroUnits, start) {}

void ShopifyGraphql::set_rate_percent(uint32_t percent, base::Instant now) {
  const int64_t capacity = std::max<int64_t>(1, config_.graphql_bucket_max * percent / 100);
  const int64_t rate = config_.graphql_restore_rate_per_s * kMicroUnits * percent / 100;
  bucket_.reconfigure(capacity, std::max<int64_t>(1, rate), now);
}

ShopifyGraphqlResult ShopifyGraphql::handle(std::string_view body, std::string_view version,
                                            const ShopifyAccessToken& token,
                                            int32_t throttled_status, base::Instant now,
                                            base::WallTime wall) {
  const json request = json::parse(body.begin(), body.end(), nullptr, false);
  if (request.is_discarded() || !request.is_object() || !request.contains("query") ||
      !request["query"].is_string()) {
    return {base::HttpResponse::json(
                400, R"({"errors":{"query":"Required parameter missing or invalid"}})"),
            {},
            false};
  }
  const std::string q = request["query"].get<std::string>();
  const json variables = request.value("variables", json::object());
  const Op op = detect_op(q);
  const int64_t requested = requested_cost(op, q, variables);
  ordered_json out;
  if (requested > config_.graphql_max_query_cost) {
    out["errors"] = top_error("Query cost is " + std::to_string(requested) +
                                  ", which exceeds the single query max cost limit (" +
                                  std::to_string(config_.graphql_max_query_cost) + ").",
                              "MAX_COST_EXCEEDED");
    out["extensions"] = cost_json(requested, std::nullopt, bucket_, now);
    return {base::HttpResponse::json(200, out.dump()), {}, false};
  }
  if (!bucket_.try_take(requested, now)) {
    return {throttled_response(requested, throttled_status, bucket_, now), {}, true};
  }
  const CallContext call{op, q, variables, version, token, config_, catalog_, wall};
  Exec e = execute(call, idempotency_);
  const int64_t actual = e.actual_cost < 0 ? requested : e.actual_cost;
  if (actual < requested) bucket_.refund(requested - actual, now);
  if (!e.errors.is_null()) out["errors"] = e.errors;
  if (!e.data.is_null()) out["data"] = e.data;
  out["extensions"] = cost_json(requested, actual, bucket_, now);
  return {base::HttpResponse::json(200, out.dump()), std::move(e.changed), false};
}

}  // namespace invsync::mocks
