// Reading WooCommerce JSON bodies into the connector's *Facts with simdjson's DOM, with the
// meaning nlohmann gave them before: every document nlohmann accepts is read, the last of
// duplicate keys wins, ids may be strings of digits.
#include <charconv>

#include "core/base/compat_json.h"

#include "core/connector/woocommerce/woocommerce_internal.h"

namespace invsync::connector::woo {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr int kJsonStartCandidatesMax = 256;

// Parses the whole of `text` into *root; false when it is not JSON. *root (and every value
// reached from it) stays valid until the next parse on this thread.
bool parse_json(std::string_view text, element* root) {
  // One parser per thread, reused: its buffers grow to the largest body and stay.
  static thread_local base::CompatJsonParser parser;
  return parser.parse(text, root);
}

// The first JSON document in `body` that starts at a '{' or '[' and runs to the end.
bool extract_json(std::string_view body, element* root) {
  int candidates = 0;
  for (size_t pos = body.find_first_of("{["); pos != std::string_view::npos;
       pos = body.find_first_of("{[", pos + 1)) {
    if (++candidates > kJsonStartCandidatesMax) break;
    if (parse_json(body.substr(pos), root)) return true;
  }
  return false;
}

std::optional<int64_t> integer_id(const std::optional<element>& v) {
  if (!v) return std::nullopt;
  switch (v->type()) {
    case element_type::INT64:
      return v->get_int64().value_unsafe();
    case element_type::UINT64: {
      const uint64_t u = v->get_uint64().value_unsafe();
      if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case element_type::STRING: {
      const std::string_view s = v->get_string().value_unsafe();
      int64_t n = 0;
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return n;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> whole_number(const std::optional<element>& v) {
  if (!v) return std::nullopt;
  if (v->type() == element_type::INT64) return v->get_int64().value_unsafe();
  if (v->type() == element_type::UINT64) {
    return static_cast<int64_t>(v->get_uint64().value_unsafe());
  }
  return std::nullopt;
}

std::optional<std::string> string_value(const std::optional<element>& v) {
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string().value_unsafe());
}

ProductFacts product_facts(object o) {
  std::optional<element> id, parent_id, type, sku, manage_stock, stock_quantity;
  for (const simdjson::dom::key_value_pair kv : o) {
    if (kv.key == "id") {
      id = kv.value;
    } else if (kv.key == "parent_id") {
      parent_id = kv.value;
    } else if (kv.key == "type") {
      type = kv.value;
    } else if (kv.key == "sku") {
      sku = kv.value;
    } else if (kv.key == "manage_stock") {
      manage_stock = kv.value;
    } else if (kv.key == "stock_quantity") {
      stock_quantity = kv.value;
    }
  }
  ProductFacts f;
  f.id = integer_id(id);
  f.parent_id = integer_id(parent_id);
  f.type = string_value(type);
  f.sku = string_value(sku);
  if (manage_stock) {
    f.stock_managed = (manage_stock->is_bool() && manage_stock->get_bool().value_unsafe()) ||
                      string_value(manage_stock) == "parent";
  }
  f.stock_quantity = whole_number(stock_quantity);
  return f;
}

UpdateFacts update_facts(object o) {
  std::optional<element> id, error, stock_quantity;
  for (const simdjson::dom::key_value_pair kv : o) {
    if (kv.key == "id") {
      id = kv.value;
    } else if (kv.key == "error") {
      error = kv.value;
    } else if (kv.key == "stock_quantity") {
      stock_quantity = kv.value;
    }
  }
  UpdateFacts f;
  f.id = integer_id(id);
  f.stock_quantity = whole_number(stock_quantity);
  object e;
  if (error && error->get(e) == simdjson::SUCCESS) {
    f.error = true;
    f.error_code = string_value(base::last_member(e, "code")).value_or("");
    object data;
    const std::optional<element> d = base::last_member(e, "data");
    if (d && d->get(data) == simdjson::SUCCESS) {
      f.error_status = integer_id(base::last_member(data, "status")).value_or(0);
    }
  }
  return f;
}

LineFacts line_facts(element line) {
  LineFacts f;
  object o;
  if (line.get(o) != simdjson::SUCCESS) return f;
  f.is_object = true;
  std::optional<element> id, quantity, sku;
  for (const simdjson::dom::key_value_pair kv : o) {
    if (kv.key == "id") {
      id = kv.value;
    } else if (kv.key == "quantity") {
      quantity = kv.value;
    } else if (kv.key == "sku") {
      sku = kv.value;
    }
  }
  f.id = integer_id(id);
  f.quantity = whole_number(quantity);
  f.sku = string_value(sku);
  return f;
}

OrderFacts order_facts(object o) {
  std::optional<element> id, status, line_items, modified;
  for (const simdjson::dom::key_value_pair kv : o) {
    if (kv.key == "id") {
      id = kv.value;
    } else if (kv.key == "status") {
      status = kv.value;
    } else if (kv.key == "line_items") {
      line_items = kv.value;
    } else if (kv.key == "date_modified_gmt") {
      modified = kv.value;
    }
  }
  OrderFacts f;
  f.id = integer_id(id);
  f.status = string_value(status);
  f.date_modified_gmt = string_value(modified);
  simdjson::dom::array lines;
  if (line_items && line_items->get(lines) == simdjson::SUCCESS) {
    f.lines.emplace();
    for (const element line : lines) f.lines->push_back(line_facts(line));
  }
  return f;
}

}  // namespace

bool read_reply_body(std::string_view body, Shape shape, Reply* reply) {
  element root;
  if (!extract_json(body, &root)) return false;
  if (shape == Shape::kBatch) {
    object o;
    if (root.get(o) != simdjson::SUCCESS) return false;
    simdjson::dom::array updates;
    const std::optional<element> u = base::last_member(o, "update");
    if (!u || u->get(updates) != simdjson::SUCCESS) return true;
    reply->updates.emplace();
    for (const element entry : updates) {
      object entry_object;
      if (entry.get(entry_object) == simdjson::SUCCESS) {
        reply->updates->push_back(update_facts(entry_object));
      }
    }
    return true;
  }
  simdjson::dom::array items;
  if (root.get(items) != simdjson::SUCCESS) return false;
  for (const element item : items) {
    object o;
    if (item.get(o) != simdjson::SUCCESS) continue;
    if (shape == Shape::kProducts) {
      reply->products.push_back(product_facts(o));
    } else {
      reply->orders.push_back(order_facts(o));
    }
  }
  return true;
}

std::string read_error_detail(std::string_view body, size_t max_bytes) {
  element root;
  object o;
  if (!extract_json(body, &root) || root.get(o) != simdjson::SUCCESS) return "";
  std::string out = string_value(base::last_member(o, "code")).value_or("");
  if (const auto message = string_value(base::last_member(o, "message"))) {
    out += (out.empty() ? "" : ": ") + *message;
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

std::optional<OrderFacts> read_order_object(std::string_view body) {
  element root;
  object o;
  if (!parse_json(body, &root) || root.get(o) != simdjson::SUCCESS) return std::nullopt;
  return order_facts(o);
}

std::optional<WooCommerceIds> read_external_ids(std::string_view json) {
  element root;
  object o;
  if (!parse_json(json, &root) || root.get(o) != simdjson::SUCCESS) return std::nullopt;
  const auto product = integer_id(base::last_member(o, "product_id"));
  const std::optional<element> variation_value = base::last_member(o, "variation_id");
  const auto variation = !variation_value || variation_value->is_null()
                             ? std::optional<int64_t>(0)
                             : integer_id(variation_value);
  if (product.has_value() && *product > 0 && variation.has_value() && *variation >= 0) {
    return WooCommerceIds{*product, *variation};
  }
  return std::nullopt;
}

}  // namespace invsync::connector::woo
