#include "core/connector/etsy/etsy_json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

namespace invsync::connector::etsy {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

// Writes a document back as the JSON text of what nlohmann reads in it, from its SAX events as
// they come (no tree, no recursion at any depth): integers beyond 64 bits become the floats
// nlohmann made of them, a byte order mark goes. Counts the nesting depth on the way.
class NlohmannRewriter final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit NlohmannRewriter(std::string& out) : w_(out) {}
  size_t max_depth() const { return max_depth_; }

  bool null() override {
    w_.null();
    return true;
  }
  bool boolean(bool b) override {
    w_.value(b);
    return true;
  }
  bool number_integer(number_integer_t n) override {
    w_.value(int64_t{n});
    return true;
  }
  bool number_unsigned(number_unsigned_t n) override {
    w_.value(uint64_t{n});
    return true;
  }
  bool number_float(number_float_t d, const string_t&) override {
    w_.value(d);
    return true;
  }
  bool string(string_t& s) override {
    w_.value(s);
    return true;
  }
  bool binary(binary_t&) override { return false; }  // not in JSON text
  bool start_object(std::size_t) override {
    w_.begin_object();
    return enter();
  }
  bool key(string_t& k) override {
    w_.key(k);
    return true;
  }
  bool end_object() override {
    w_.end_object();
    return leave();
  }
  bool start_array(std::size_t) override {
    w_.begin_array();
    return enter();
  }
  bool end_array() override {
    w_.end_array();
    return leave();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool enter() {
    max_depth_ = std::max(max_depth_, ++depth_);
    return true;
  }
  bool leave() {
    --depth_;
    return true;
  }

  base::JsonWriter w_;
  size_t depth_ = 0;
  size_t max_depth_ = 0;
};

}  // namespace

bool parse_json(std::string_view body, element* root) {
  // One parser per thread, reused: its buffers grow to the largest body and stay.
  static thread_local simdjson::dom::parser parser;
  if (parser.parse(body.data(), body.size()).get(*root) == simdjson::SUCCESS) return true;
  // simdjson refuses a few valid documents that nlohmann, which read these bodies before, accepts:
  // integers beyond 64 bits, a leading byte order mark, nesting over 1023 levels. Such a (rare)
  // body is rewritten through nlohmann and parsed again, with the depth it needs.
  std::string text;
  NlohmannRewriter rewriter(text);
  if (!nlohmann::json::sax_parse(body, &rewriter)) return false;
  const size_t depth = rewriter.max_depth() + 1;  // simdjson counts the document itself too
  if (depth > parser.max_depth() && parser.allocate(text.size(), depth) != simdjson::SUCCESS) {
    return false;
  }
  return parser.parse(text).get(*root) == simdjson::SUCCESS;
}

std::optional<int64_t> parse_int_text(std::string_view text) {
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<element> member(const element& object, std::string_view key) {
  simdjson::dom::object members;
  if (object.get(members) != simdjson::SUCCESS) return std::nullopt;
  std::optional<element> found;
  for (const simdjson::dom::key_value_pair kv : members) {
    if (kv.key == key) found = kv.value;
  }
  return found;
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
