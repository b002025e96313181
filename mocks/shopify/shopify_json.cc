#include "mocks/shopify/shopify_json.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/base/compat_json.h"
#include "core/base/json_writer.h"

namespace invsync::mocks::shopify_json {

using base::to_nlohmann;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

void append_sorted(std::string& out, const element& e) {
  switch (e.type()) {
    case element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      simdjson::dom::array items;
      if (e.get(items) == simdjson::SUCCESS) {
        for (const element item : items) {
          if (!first) out.push_back(',');
          first = false;
          append_sorted(out, item);
        }
      }
      out.push_back(']');
      return;
    }
    case element_type::OBJECT: {
      simdjson::dom::object object;
      if (e.get(object) != simdjson::SUCCESS) break;
      // Usually the keys come sorted and distinct already (nlohmann and JsonWriter senders): then
      // the object is written as it is.
      std::string_view previous;
      bool in_order = true;
      bool first = true;
      for (const simdjson::dom::key_value_pair kv : object) {
        if (!first && !(previous < kv.key)) {
          in_order = false;
          break;
        }
        previous = kv.key;
        first = false;
      }
      if (in_order) {
        out.push_back('{');
        first = true;
        for (const simdjson::dom::key_value_pair kv : object) {
          if (!first) out.push_back(',');
          first = false;
          base::JsonWriter::append_escaped(out, kv.key);
          out.push_back(':');
          append_sorted(out, kv.value);
        }
        out.push_back('}');
        return;
      }
      std::vector<std::pair<std::string_view, element>> members;
      for (const simdjson::dom::key_value_pair kv : object) members.emplace_back(kv.key, kv.value);
      // Sorted by key; of equal keys the last one in the text wins (stable sort keeps text order).
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      first = true;
      for (size_t i = 0; i < members.size(); ++i) {
        if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
        if (!first) out.push_back(',');
        first = false;
        base::JsonWriter::append_escaped(out, members[i].first);
        out.push_back(':');
        append_sorted(out, members[i].second);
      }
      out.push_back('}');
      return;
    }
    case element_type::INT64:
      out += std::to_string(e.get_int64().value_unsafe());
      return;
    case element_type::UINT64:
      out += std::to_string(e.get_uint64().value_unsafe());
      return;
    case element_type::DOUBLE:
      append_double(out, e.get_double().value_unsafe());
      return;
    case element_type::STRING:
      base::JsonWriter::append_escaped(out, e.get_string().value_unsafe());
      return;
    case element_type::BOOL:
      out += e.get_bool().value_unsafe() ? "true" : "false";
      return;
    case element_type::NULL_VALUE:
      break;
  }
  out += "null";
}

}  // namespace

bool parse(std::string_view body, element* root) {
  // One parser per thread, reused: its buffers grow to the largest body and stay.
  static thread_local base::CompatJsonParser parser;
  return parser.parse(body, root);
}

std::optional<element> member(const std::optional<element>& object, std::string_view key) {
  return object ? base::last_member(*object, key) : std::nullopt;
}

bool is_object(const std::optional<element>& v) { return v && v->is_object(); }
bool is_array(const std::optional<element>& v) { return v && v->is_array(); }
bool is_string(const std::optional<element>& v) { return v && v->is_string(); }
bool is_null(const std::optional<element>& v) { return v && v->is_null(); }

bool is_integer(const std::optional<element>& v) {
  return v && (v->type() == element_type::INT64 || v->type() == element_type::UINT64);
}

std::string_view string_of(const element& v) { return v.get_string().value_unsafe(); }

int64_t int_of(const element& v) {
  if (v.type() == element_type::UINT64) return static_cast<int64_t>(v.get_uint64().value_unsafe());
  return v.get_int64().value_unsafe();
}

bool bool_member(const element& object, std::string_view key, bool fallback) {
  const std::optional<element> v = member(object, key);
  if (!v) return fallback;
  if (v->is_bool()) return v->get_bool().value_unsafe();
  return to_nlohmann(*v).get<bool>();  // throws type_error 302, as value() did
}

void append_sorted_dump(std::string& out, const std::optional<element>& value) {
  if (!value) {
    out += "null";
    return;
  }
  append_sorted(out, *value);
}

void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 64> buf{};
  const char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), static_cast<size_t>(end - buf.data()));
}

}  // namespace invsync::mocks::shopify_json
