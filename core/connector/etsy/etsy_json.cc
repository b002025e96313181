#include "core/connector/etsy/etsy_json.h"

#include <charconv>

#include "core/base/compat_json.h"

namespace invsync::connector::etsy {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool parse_json(std::string_view body, element* root) {
  // One parser per thread, reused: its buffers grow to the largest body and stay.
  static thread_local base::CompatJsonParser parser;
  return parser.parse(body, root);
}

std::optional<int64_t> parse_int_text(std::string_view text) {
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<element> member(const element& object, std::string_view key) {
  return base::last_member(object, key);
}

std::optional<int64_t> as_int(const std::optional<element>& value) {
  if (!value) return std::nullopt;
  switch (value->type()) {
    case element_type::INT64:
      return value->get_int64().value_unsafe();
    case element_type::UINT64: {
      const uint64_t u = value->get_uint64().value_unsafe();
      if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case element_type::DOUBLE: {
      const double d = value->get_double().value_unsafe();
      if (d < -9e15 || d > 9e15 || d != static_cast<double>(static_cast<int64_t>(d))) {
        return std::nullopt;
      }
      return static_cast<int64_t>(d);
    }
    case element_type::STRING:
      return parse_int_text(value->get_string().value_unsafe());
    default:
      return std::nullopt;
  }
}

std::string_view as_string(const std::optional<element>& value) {
  return value && value->is_string() ? value->get_string().value_unsafe() : std::string_view();
}

bool as_bool(const std::optional<element>& value, bool fallback) {
  return value && value->is_bool() ? value->get_bool().value_unsafe() : fallback;
}

std::optional<simdjson::dom::array> as_array(const std::optional<element>& value) {
  simdjson::dom::array items;
  if (!value || value->get(items) != simdjson::SUCCESS) return std::nullopt;
  return items;
}

std::optional<int64_t> int_field(const element& object, std::string_view key) {
  return as_int(member(object, key));
}

std::string_view string_field(const element& object, std::string_view key) {
  return as_string(member(object, key));
}

bool bool_field(const element& object, std::string_view key, bool fallback) {
  return as_bool(member(object, key), fallback);
}

std::optional<simdjson::dom::array> array_field(const element& object, std::string_view key) {
  return as_array(member(object, key));
}

void write_value(base::JsonWriter& w, const element& value) {
  switch (value.type()) {
    case element_type::ARRAY: {
      const simdjson::dom::array items = value.get_array().value_unsafe();
      w.begin_array();
      for (const element item : items) write_value(w, item);
      w.end_array();
      return;
    }
    case element_type::OBJECT: {
      const simdjson::dom::object members = value.get_object().value_unsafe();
      w.begin_object();
      for (const simdjson::dom::key_value_pair kv : members) write_value(w.key(kv.key), kv.value);
      w.end_object();
      return;
    }
    case element_type::INT64:
      w.value(value.get_int64().value_unsafe());
      return;
    case element_type::UINT64:
      w.value(value.get_uint64().value_unsafe());
      return;
    case element_type::DOUBLE:
      w.value(value.get_double().value_unsafe());
      return;
    case element_type::STRING:
      w.value(value.get_string().value_unsafe());
      return;
    case element_type::BOOL:
      w.value(value.get_bool().value_unsafe());
      return;
    case element_type::NULL_VALUE:
      w.null();
      return;
  }
}

}  // namespace invsync::connector::etsy
