#include "mocks/shopify/shopify_graphql.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>

#include "core/base/assert.h"
#include "core/base/json_writer.h"
#include "mocks/shopify/shopify_json.h"
#include "mocks/shopify/shopify_payloads.h"
#include "mocks/shopify/shopify_rest.h"

namespace invsync::mocks {
namespace {

using base::JsonWriter;
using Value = std::optional<simdjson::dom::element>;
using shopify_json::int_of;
using shopify_json::is_array;
using shopify_json::is_integer;
using shopify_json::is_null;
using shopify_json::is_object;
using shopify_json::is_string;
using shopify_json::member;
using shopify_json::string_of;

// Request bodies are read with simdjson and responses written as text (no document is built):
// the bodies are the ones nlohmann produced before, byte for byte (members in the order they were
// inserted into an ordered_json, doubles in nlohmann's form).

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

// [{"message": ..., "extensions": {"code": ...}}]
std::string top_error(std::string_view message, std::string_view code) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().begin_object().field("message", message);
  w.key("extensions").begin_object().field("code", code).end_object();
  w.end_object().end_array();
  return out;
}

void append_gid(std::string& out, std::string_view type, int64_t id) {
  out += "gid://shopify/";
  out += type;
  out.push_back('/');
  out += std::to_string(id);
}

std::string gid(std::string_view type, int64_t id) {
  std::string out;
  append_gid(out, type, id);
  return out;
}

// "gid://shopify/<type>/<n>" -> n.
std::optional<int64_t> parse_gid_text(std::string_view s, std::string_view type) {
  constexpr std::string_view kPrefix = "gid://shopify/";
  const size_t prefix_size = kPrefix.size() + type.size() + 1;
  if (s.size() <= prefix_size || s.substr(0, kPrefix.size()) != kPrefix ||
      s.substr(kPrefix.size(), type.size()) != type || s[prefix_size - 1] != '/') {
    return std::nullopt;
  }
  int64_t n = 0;
  for (size_t i = prefix_size; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) || n > INT64_MAX / 10 - 10) {
      return std::nullopt;
    }
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

std::optional<int64_t> parse_gid(const Value& v, std::string_view type) {
  if (!is_string(v)) return std::nullopt;
  return parse_gid_text(string_of(*v), type);
}

// The text after `marker` and an optional `:`, as a string literal or a $variable.
std::optional<std::string> inline_argument(std::string_view q, std::string_view marker,
                                           const Value& variables, size_t from = 0) {
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
  const std::string_view token = q.substr(i, end - i);
  if (!token.empty() && token[0] == '$') {
    const Value v = member(variables, token.substr(1));
    if (is_string(v)) return std::string(string_of(*v));
    if (is_integer(v)) return std::to_string(int_of(*v));
    return std::nullopt;
  }
  return token.empty() ? std::nullopt : std::optional<std::string>(token);
}

// Idempotency: nullopt = no directive; "" = directive whose key cannot be resolved.
std::optional<std::string> idempotency_key(std::string_view q, const Value& variables) {
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

std::optional<std::string> search_text(std::string_view q, const Value& variables) {
  const Value query = member(variables, "query");
  if (is_string(query)) return std::string(string_of(*query));
  const size_t at = q.find("sku:");
  if (at == std::string_view::npos) return std::nullopt;
  size_t end = at;
  while (end < q.size() && q[end] != '"' && q[end] != ')' && q[end] != ' ') ++end;
  return std::string(q.substr(at, end - at));
}

int64_t page_size(std::string_view q, const Value& variables, Op op) {
  const Value first_var = member(variables, "first");
  if (is_integer(first_var)) return std::max<int64_t>(0, int_of(*first_var));
  const auto first = inline_argument(q, "first", variables, q.find(op_field(op)));
  if (first) {
    try {
      return std::max<int64_t>(0, std::stoll(*first));
    } catch (...) {
    }
  }
  return 10;
}

int64_t array_size(const Value& variables, const char* field) {
  const Value list = member(member(variables, "input"), field);
  simdjson::dom::array array;
  if (!list || list->get(array) != simdjson::SUCCESS) return 0;
  return static_cast<int64_t>(array.size());
}

int64_t requested_cost(Op op, std::string_view q, const Value& variables) {
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
  std::string data;    // JSON text of {"<field>": payload}; empty: null
  std::string errors;  // JSON text of the top-level errors array; empty: null
  std::vector<int64_t> changed;
  int64_t actual_cost = -1;  // -1: the requested cost
};

Exec top_level(std::string_view message, const char* code) {
  Exec e;
  e.errors = top_error(message, code);
  return e;
}

// A userErrors list, written as it grows: [{"code", "field": [...], "message"}, ...].
class UserErrors {
 public:
  void add(std::string_view code, std::initializer_list<std::string_view> field,
           std::string_view message) {
    if (count_++ != 0) text_.push_back(',');
    text_ += "{\"code\":";
    JsonWriter::append_escaped(text_, code);
    text_ += ",\"field\":[";
    bool first = true;
    for (std::string_view f : field) {
      if (!first) text_.push_back(',');
      first = false;
      JsonWriter::append_escaped(text_, f);
    }
    text_ += "],\"message\":";
    JsonWriter::append_escaped(text_, message);
    text_.push_back('}');
  }
  bool empty() const { return count_ == 0; }
  void append_to(std::string& out) const {
    out.push_back('[');
    out += text_;
    out.push_back(']');
  }

 private:
  std::string text_;
  size_t count_ = 0;
};

// A path into variables.input: {"input", <list>, "<index>"} plus an optional last field.
struct EntryPath {
  std::string_view list;
  std::string index;
};

void add_entry_error(UserErrors* errors, std::string_view code, const EntryPath& path,
                     std::string_view message) {
  errors->add(code, {"input", path.list, path.index}, message);
}

void add_field_error(UserErrors* errors, std::string_view code, const EntryPath& path,
                     std::string_view field, std::string_view message) {
  errors->add(code, {"input", path.list, path.index, field}, message);
}

bool valid_reason(const Value& reason) {
  static constexpr std::string_view kReasons[] = {"correction",
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
  if (!is_string(reason)) return false;
  const std::string_view r = string_of(*reason);
  return std::find(std::begin(kReasons), std::end(kReasons), r) != std::end(kReasons);
}

int64_t quantity_of(const ShopifyVariant& v, std::string_view name) {
  return name == "on_hand" ? v.available + v.committed : v.available;
}

struct Change {
  ShopifyVariant* variant = nullptr;
  int64_t delta = 0;
};

// One quantity/change entry: resolves the item and checks location and tracking. Appends user
// errors; returns the variant when usable.
ShopifyVariant* check_entry(const Value& e, const EntryPath& path, const ShopifyMockConfig& config,
                            ShopifyCatalog& catalog, UserErrors* errors) {
  const auto item = parse_gid(member(e, "inventoryItemId"), "InventoryItem");
  ShopifyVariant* v = item ? catalog.by_item(*item) : nullptr;
  if (v == nullptr) {
    add_field_error(errors, "INVALID_INVENTORY_ITEM", path, "inventoryItemId",
                    "The specified inventory item could not be found.");
    return nullptr;
  }
  const auto location = parse_gid(member(e, "locationId"), "Location");
  if (!location || *location != config.location_id) {
    add_field_error(errors, "INVALID_LOCATION", path, "locationId",
                    "The specified location could not be found.");
    return nullptr;
  }
  if (!v->tracked) {
    add_field_error(errors, "NON_MUTABLE_INVENTORY_ITEM", path, "inventoryItemId",
                    "Inventory item does not have inventory tracking enabled");
    return nullptr;
  }
  return v;
}

// Compare-and-set for one set quantity; appends a user error when stale or missing.
void check_cas(const Value& q, const Value& input, std::string_view version, int64_t current,
               const EntryPath& path, UserErrors* errors) {
  const Value change_from = member(q, "changeFromQuantity");
  if (version >= "2026-01" && change_from) {
    if (!is_null(change_from) && (!is_integer(change_from) || int_of(*change_from) != current)) {
      add_field_error(errors, "CHANGE_FROM_QUANTITY_STALE", path, "changeFromQuantity",
                      "The changeFromQuantity value does not match persisted value.");
    }
    return;
  }
  if (shopify_json::bool_member(*input, "ignoreCompareQuantity", false)) return;
  const Value compare = member(q, "compareQuantity");
  if (!compare || is_null(compare)) {
    add_field_error(errors, "COMPARE_QUANTITY_REQUIRED", path, "compareQuantity",
                    "The compareQuantity argument must be given to each quantity or "
                    "ignored using ignoreCompareQuantity.");
    return;
  }
  if (!is_integer(compare) || int_of(*compare) != current) {
    add_field_error(errors, "COMPARE_QUANTITY_STALE", path, "compareQuantity",
                    "The compareQuantity value does not match persisted value.");
  }
}

// Schema-level checks of a set/adjust input that Shopify reports as top-level errors.
std::optional<Exec> check_input_schema(const Value& input, const char* list,
                                       std::string_view version, bool is_set) {
  const Value entries = member(input, list);
  simdjson::dom::array array;
  if (!is_object(input) || !entries || entries->get(array) != simdjson::SUCCESS) {
    return top_level(
        std::string("Variable $input of type ") +
            (is_set ? "InventorySetQuantitiesInput!" : "InventoryAdjustQuantitiesInput!") +
            " was provided invalid value for " + list + " (Expected value to not be null)",
        "INVALID_VARIABLE");
  }
  if (static_cast<int64_t>(array.size()) > kMaxInputSize) {
    return top_level("The input array size of " + std::to_string(array.size()) +
                         " is greater than the maximum allowed of 250.",
                     "MAX_INPUT_SIZE_EXCEEDED");
  }
  const bool removed_compare = version >= "2026-04";
  if (is_set && removed_compare && member(input, "ignoreCompareQuantity")) {
    return top_level(
        "InputObject 'InventorySetQuantitiesInput' doesn't accept argument "
        "'ignoreCompareQuantity'",
        "argumentNotAccepted");
  }
  for (const simdjson::dom::element e : array) {
    if (!e.is_object())
      return top_level(std::string("Invalid ") + list + " entry", "INVALID_VARIABLE");
    const bool has_change_from = member(e, "changeFromQuantity").has_value();
    if (version < "2026-01" && has_change_from) {
      return top_level("InputObject doesn't accept argument 'changeFromQuantity'",
                       "argumentNotAccepted");
    }
    if (is_set && removed_compare && member(e, "compareQuantity")) {
      return top_level(
          "InputObject 'InventoryQuantityInput' doesn't accept argument "
          "'compareQuantity'",
          "argumentNotAccepted");
    }
    if (is_set && removed_compare && !has_change_from) {
      return top_level(
          "changeFromQuantity is required for each quantity (pass null to opt out "
          "of the compare-and-swap check).",
          "BAD_REQUEST");
    }
  }
  return std::nullopt;
}

// variables.input.name when it is a string, else "".
std::string_view input_name(const Value& input) {
  const Value name = member(input, "name");
  return is_string(name) ? string_of(*name) : std::string_view();
}

// Validates the name and reason of a set or adjust; appends the user errors.
void check_name_reason(const Value& input, bool is_set, UserErrors* errors) {
  const std::string_view name = input_name(input);
  if (name != "available" && name != "on_hand") {
    errors->add(is_set ? "INVALID_NAME" : "INVALID_QUANTITY_NAME", {"input", "name"},
                "The quantity name must be either 'available' or 'on_hand'.");
  }
  if (!valid_reason(member(input, "reason"))) {
    errors->add("INVALID_REASON", {"input", "reason"}, "The specified reason is invalid.");
  }
}

// {"inventoryAdjustmentGroup": {...}, "userErrors": []} of an applied set or adjust.
void write_adjustment_payload(JsonWriter& w, const Value& input, std::string_view name,
                              const std::vector<Change>& changes, const ShopifyMockConfig& config,
                              ShopifyCatalog& catalog, base::WallTime wall) {
  const std::string location = gid("Location", config.location_id);
  const std::string_view other = name == "on_hand" ? "available" : "on_hand";
  w.begin_object().key("inventoryAdjustmentGroup").begin_object();
  w.field("id", gid("InventoryAdjustmentGroup", catalog.next_adjustment_group_id()));
  w.field("createdAt", base::format_iso8601_utc(wall));
  // The reason is valid here (else a user error stopped the mutation), so a string.
  const Value reason = member(input, "reason");
  INVSYNC_ASSERT(is_string(reason));
  w.field("reason", string_of(*reason));
  const Value uri = member(input, "referenceDocumentUri");
  w.key("referenceDocumentUri");
  if (is_string(uri)) {
    w.value(string_of(*uri));
  } else {
    w.null();
  }
  w.key("changes").begin_array();
  for (const Change& c : changes) {
    const std::string item = gid("InventoryItem", c.variant->inventory_item_id);
    for (const std::string_view n : {name, other}) {
      w.begin_object().field("name", n).field("delta", c.delta);
      w.field("quantityAfterChange", quantity_of(*c.variant, n));
      w.key("item").begin_object().field("id", item).end_object();
      w.key("location").begin_object().field("id", location).end_object();
      w.end_object();
    }
  }
  w.end_array().end_object();
  w.key("userErrors").begin_array().end_array().end_object();
}

// {"<field>": {"inventoryAdjustmentGroup": null, "userErrors": [...]}}
std::string rejected_data(Op op, const UserErrors& errors) {
  std::string out = "{\"";
  out += op_field(op);
  out += "\":{\"inventoryAdjustmentGroup\":null,\"userErrors\":";
  errors.append_to(out);
  out += "}}";
  return out;
}

Exec exec_set(const Value& input, std::string_view version, const ShopifyMockConfig& config,
              ShopifyCatalog& catalog, base::WallTime wall) {
  if (auto err = check_input_schema(input, "quantities", version, true)) return *err;
  UserErrors errors;
  check_name_reason(input, true, &errors);
  const std::string_view name = input_name(input);
  std::vector<std::pair<ShopifyVariant*, int64_t>> writes;
  std::vector<int64_t> seen;
  simdjson::dom::array quantities;
  const bool listed = member(input, "quantities")->get(quantities) == simdjson::SUCCESS;
  INVSYNC_ASSERT(listed);  // check_input_schema made sure
  size_t i = 0;
  for (const simdjson::dom::element entry : quantities) {
    const Value q = entry;
    const EntryPath path{"quantities", std::to_string(i++)};
    ShopifyVariant* v = check_entry(q, path, config, catalog, &errors);
    if (v == nullptr) continue;
    if (std::find(seen.begin(), seen.end(), v->inventory_item_id) != seen.end()) {
      add_entry_error(&errors, "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", path,
                      "The combination of inventoryItemId and locationId must be unique.");
      continue;
    }
    seen.push_back(v->inventory_item_id);
    const Value qty = member(q, "quantity");
    if (!is_integer(qty)) {
      add_entry_error(&errors, "INVALID_QUANTITY_TOO_LOW", path, "quantity is required");
      continue;
    }
    const int64_t value = int_of(*qty);
    if (value > kMaxQuantity || value < -kMaxQuantity) {
      add_entry_error(&errors, value > 0 ? "INVALID_QUANTITY_TOO_HIGH" : "INVALID_QUANTITY_TOO_LOW",
                      path, "The quantity is out of range.");
      continue;
    }
    if (name == "available" || name == "on_hand") {
      check_cas(q, input, version, quantity_of(*v, name), path, &errors);
    }
    writes.emplace_back(v, value);
  }
  Exec e;
  if (!errors.empty()) {
    e.data = rejected_data(Op::kSet, errors);
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
  JsonWriter w(e.data);
  w.begin_object().key("inventorySetQuantities");
  write_adjustment_payload(w, input, name, changes, config, catalog, wall);
  w.end_object();
  return e;
}

Exec exec_adjust(const Value& input, std::string_view version, const ShopifyMockConfig& config,
                 ShopifyCatalog& catalog, base::WallTime wall) {
  if (auto err = check_input_schema(input, "changes", version, false)) return *err;
  UserErrors errors;
  check_name_reason(input, false, &errors);
  const std::string_view name = input_name(input);
  std::vector<Change> changes;
  simdjson::dom::array list;
  const bool listed = member(input, "changes")->get(list) == simdjson::SUCCESS;
  INVSYNC_ASSERT(listed);  // check_input_schema made sure
  size_t i = 0;
  for (const simdjson::dom::element entry : list) {
    const Value c = entry;
    const EntryPath path{"changes", std::to_string(i++)};
    ShopifyVariant* v = check_entry(c, path, config, catalog, &errors);
    if (v == nullptr) continue;
    const Value delta = member(c, "delta");
    if (!is_integer(delta)) {
      add_entry_error(&errors, "INVALID_QUANTITY_TOO_HIGH", path, "delta is required");
      continue;
    }
    const Value change_from = member(c, "changeFromQuantity");
    if (change_from && !is_null(change_from) && (name == "available" || name == "on_hand") &&
        (!is_integer(change_from) || int_of(*change_from) != quantity_of(*v, name))) {
      add_field_error(&errors, "CHANGE_FROM_QUANTITY_STALE", path, "changeFromQuantity",
                      "The changeFromQuantity value does not match persisted value.");
      continue;
    }
    changes.push_back({v, int_of(*delta)});
  }
  Exec e;
  if (!errors.empty()) {
    e.data = rejected_data(Op::kAdjust, errors);
    return e;
  }
  for (Change& c : changes) {
    c.variant->available += c.delta;
    c.variant->updated_at = wall;
    e.changed.push_back(c.variant->inventory_item_id);
  }
  JsonWriter w(e.data);
  w.begin_object().key("inventoryAdjustQuantities");
  write_adjustment_payload(w, input, name, changes, config, catalog, wall);
  w.end_object();
  return e;
}

// {"nodes": [{"id", "location": {"id"}, "quantities": [...]}]}
void write_levels(JsonWriter& w, const ShopifyVariant& v, const ShopifyMockConfig& config) {
  w.begin_object().key("nodes").begin_array().begin_object();
  w.field("id", "gid://shopify/InventoryLevel/" + std::to_string(config.location_id) +
                    "?inventory_item_id=" + std::to_string(v.inventory_item_id));
  w.key("location").begin_object().field("id", gid("Location", config.location_id)).end_object();
  w.key("quantities").begin_array();
  w.begin_object().field("name", "available").field("quantity", v.available).end_object();
  w.begin_object().field("name", "committed").field("quantity", v.committed).end_object();
  w.begin_object().field("name", "on_hand").field("quantity", v.available + v.committed);
  w.end_object();
  w.end_array().end_object().end_array().end_object();
}

void write_item(JsonWriter& w, const ShopifyVariant& v, const ShopifyMockConfig& config,
                bool with_variant) {
  w.begin_object().field("id", gid("InventoryItem", v.inventory_item_id)).field("sku", v.sku);
  w.field("tracked", v.tracked);
  if (with_variant) {
    w.key("variant").begin_object().field("id", gid("ProductVariant", v.variant_id)).end_object();
  }
  w.key("inventoryLevels");
  write_levels(w, v, config);
  w.end_object();
}

Exec exec_lookup(Op op, std::string_view q, const Value& variables, const ShopifyMockConfig& config,
                 const ShopifyCatalog& catalog) {
  Exec e;
  JsonWriter w(e.data);
  if (op == Op::kItem) {
    std::optional<int64_t> id;
    if (const Value id_var = member(variables, "id")) id = parse_gid(id_var, "InventoryItem");
    if (!id) {
      const auto text = inline_argument(q, "id", variables, q.find("inventoryItem"));
      if (text) id = parse_gid_text(*text, "InventoryItem");
    }
    const ShopifyVariant* v = id ? catalog.by_item(*id) : nullptr;
    w.begin_object().key("inventoryItem");
    if (v != nullptr) {
      write_item(w, *v, config, true);
    } else {
      w.null();
    }
    w.end_object();
    return e;
  }
  const auto search = search_text(q, variables);
  const auto sku = search ? sku_from_search(*search) : std::nullopt;
  std::vector<const ShopifyVariant*> found;
  if (sku) found = catalog.search_sku(*sku);
  const int64_t first = page_size(q, variables, op);
  if (static_cast<int64_t>(found.size()) > first) found.resize(static_cast<size_t>(first));
  w.begin_object().key(op_field(op)).begin_object().key("nodes").begin_array();
  for (const ShopifyVariant* v : found) {
    if (op == Op::kItems) {
      write_item(w, *v, config, true);
    } else {
      w.begin_object().field("id", gid("ProductVariant", v->variant_id)).field("sku", v->sku);
      w.key("product").begin_object().field("id", gid("Product", v->product_id)).end_object();
      w.key("inventoryItem");
      write_item(w, *v, config, false);
      w.end_object();
    }
  }
  w.end_array().end_object().end_object();
  e.actual_cost = 2 + 3 * static_cast<int64_t>(found.size());
  return e;
}

// "extensions": {"cost": {...}} (appends the value).
void append_cost(std::string& out, int64_t requested, std::optional<int64_t> actual,
                 TokenBucket& bucket, base::Instant now) {
  const double restore = static_cast<double>(bucket.rate_micro_per_s()) / 1e6;
  out += "{\"cost\":{\"requestedQueryCost\":";
  out += std::to_string(requested);
  out += ",\"actualQueryCost\":";
  out += actual ? std::to_string(*actual) : std::string("null");
  out += ",\"throttleStatus\":{\"maximumAvailable\":";
  shopify_json::append_double(out, static_cast<double>(bucket.capacity()));
  out += ",\"currentlyAvailable\":";
  out += std::to_string(bucket.available(now));
  out += ",\"restoreRate\":";
  shopify_json::append_double(out, restore);
  out += "}}}";
}

// The fingerprint of a mutation's input: nlohmann's sorted dump, so that key order and spacing
// do not matter.
std::string fingerprint(Op op, const Value& variables) {
  std::string out = op_field(op);
  out.push_back('|');
  shopify_json::append_sorted_dump(out, member(variables, "input"));
  return out;
}

base::HttpResponse throttled_response(int64_t requested, int32_t status, TokenBucket& bucket,
                                      base::Instant now) {
  std::string out =
      "{\"errors\":[{\"message\":\"Throttled\",\"extensions\":{\"code\":\"THROTTLED\","
      "\"documentation\":\"https://shopify.dev/api/usage/rate-limits\"}}],\"extensions\":";
  append_cost(out, requested, std::nullopt, bucket, now);
  out.push_back('}');
  base::HttpResponse r = base::HttpResponse::json(status, std::move(out));
  if (status == 429) {
    const base::Duration wait = bucket.time_until(requested, now);
    r.headers.set("Retry-After", std::to_string((wait.ms() + 999) / 1000));
  }
  return r;
}

struct CallContext {
  Op op;
  std::string_view query;
  const Value& variables;
  std::string_view version;
  const ShopifyAccessToken& token;
  const ShopifyMockConfig& config;
  ShopifyCatalog& catalog;
  base::WallTime wall;
};

using Records = std::unordered_map<std::string, ShopifyIdempotencyRecord>;

// Idempotent replay or mismatch for a key already used; nullopt when the key is new.
std::optional<Exec> replay(const CallContext& c, const std::string& slot, const Records& records) {
  auto it = records.find(slot);
  if (it == records.end()) return std::nullopt;
  Exec e;
  if (it->second.fingerprint == fingerprint(c.op, c.variables)) {
    e.data = it->second.data_json;
    return e;
  }
  UserErrors errors;
  errors.add("IDEMPOTENCY_KEY_PARAMETER_MISMATCH", {"input"},
             "The same idempotency key cannot be used with different operation parameters.");
  e.data = rejected_data(c.op, errors);
  return e;
}

Exec execute(const CallContext& c, Records& records) {
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
  const Value input = member(c.variables, "input");
  Exec e = c.op == Op::kSet ? exec_set(input, c.version, c.config, c.catalog, c.wall)
                            : exec_adjust(input, c.version, c.config, c.catalog, c.wall);
  if (key && !e.data.empty()) records[slot] = {fingerprint(c.op, c.variables), e.data};
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
  simdjson::dom::element root;
  const bool parsed = shopify_json::parse(body, &root);
  const Value query = parsed ? member(root, "query") : std::nullopt;
  if (!is_string(query)) {
    return {base::HttpResponse::json(
                400, R"({"errors":{"query":"Required parameter missing or invalid"}})"),
            {},
            false};
  }
  const std::string_view q = string_of(*query);
  // An absent "variables" reads as {}: every use treats it like any value that is no object.
  const Value variables = member(root, "variables");
  const Op op = detect_op(q);
  const int64_t requested = requested_cost(op, q, variables);
  std::string out;
  if (requested > config_.graphql_max_query_cost) {
    out = "{\"errors\":";
    out += top_error("Query cost is " + std::to_string(requested) +
                         ", which exceeds the single query max cost limit (" +
                         std::to_string(config_.graphql_max_query_cost) + ").",
                     "MAX_COST_EXCEEDED");
    out += ",\"extensions\":";
    append_cost(out, requested, std::nullopt, bucket_, now);
    out.push_back('}');
    return {base::HttpResponse::json(200, std::move(out)), {}, false};
  }
  if (!bucket_.try_take(requested, now)) {
    return {throttled_response(requested, throttled_status, bucket_, now), {}, true};
  }
  const CallContext call{op, q, variables, version, token, config_, catalog_, wall};
  Exec e = execute(call, idempotency_);
  const int64_t actual = e.actual_cost < 0 ? requested : e.actual_cost;
  if (actual < requested) bucket_.refund(requested - actual, now);
  out.reserve(e.errors.size() + e.data.size() + 200);
  out.push_back('{');
  if (!e.errors.empty()) {
    out += "\"errors\":";
    out += e.errors;
    out.push_back(',');
  }
  if (!e.data.empty()) {
    out += "\"data\":";
    out += e.data;
    out.push_back(',');
  }
  out += "\"extensions\":";
  append_cost(out, requested, actual, bucket_, now);
  out.push_back('}');
  return {base::HttpResponse::json(200, std::move(out)), std::move(e.changed), false};
}

}  // namespace invsync::mocks
