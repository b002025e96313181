#include "core/base/compat_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/json_writer.h"

namespace invsync::base {
namespace {

// Writes a document back as the JSON text of what nlohmann reads in it, from its SAX events as
// they come: integers beyond 64 bits become the floats nlohmann made of them, a byte order mark
// goes. Counts the nesting depth on the way.
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

  JsonWriter w_;
  size_t depth_ = 0;
  size_t max_depth_ = 0;
};

}  // namespace

bool CompatJsonParser::parse(std::string_view text, simdjson::dom::element* root) {
  if (parser_.parse(text.data(), text.size()).get(*root) == simdjson::SUCCESS) return true;
  rewritten_.clear();
  NlohmannRewriter rewriter(rewritten_);
  if (!nlohmann::json::sax_parse(text, &rewriter)) return false;
  const size_t depth = rewriter.max_depth() + 1;  // simdjson counts the document itself too
  if (depth > parser_.max_depth() &&
      parser_.allocate(std::max(parser_.capacity(), rewritten_.size()), depth) !=
          simdjson::SUCCESS) {
    return false;
  }
  return parser_.parse(rewritten_).get(*root) == simdjson::SUCCESS;
}

std::optional<simdjson::dom::element> last_member(const simdjson::dom::element& object,
                                                  std::string_view key) {
  simdjson::dom::object members;
  if (object.get(members) != simdjson::SUCCESS) return std::nullopt;
  return last_member(members, key);
}

std::optional<simdjson::dom::element> last_member(const simdjson::dom::object& object,
                                                  std::string_view key) {
  std::optional<simdjson::dom::element> found;
  for (const simdjson::dom::key_value_pair kv : object) {
    if (kv.key == key) found = kv.value;
  }
  return found;
}

nlohmann::json to_nlohmann(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      simdjson::dom::array items;
      if (e.get(items) == simdjson::SUCCESS) {
        for (const simdjson::dom::element item : items) out.push_back(to_nlohmann(item));
      }
      return out;
    }
    case simdjson::dom::element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      simdjson::dom::object members;
      if (e.get(members) == simdjson::SUCCESS) {
        for (const simdjson::dom::key_value_pair kv : members) {
          out[std::string(kv.key)] = to_nlohmann(kv.value);
        }
      }
      return out;
    }
    case simdjson::dom::element_type::INT64: {
      const int64_t n = e.get_int64().value_unsafe();
      // nlohmann's parser makes every non-negative integer unsigned.
      return n >= 0 ? nlohmann::json(static_cast<uint64_t>(n)) : nlohmann::json(n);
    }
    case simdjson::dom::element_type::UINT64:
      return nlohmann::json(e.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return nlohmann::json(e.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING:
      return nlohmann::json(std::string(e.get_string().value_unsafe()));
    case simdjson::dom::element_type::BOOL:
      return nlohmann::json(e.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      break;
  }
  return nlohmann::json();
}

}  // namespace invsync::base
