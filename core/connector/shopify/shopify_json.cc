#include "core/connector/shopify/shopify_json.h"

namespace invsync::connector::shopify_detail {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool BodyParser::parse(std::string_view body, element* root, bool remember) {
  if (remembered_ && body.size() == remembered_body_.size() && body == remembered_body_) {
    *root = remembered_root_;
    return remembered_ok_;
  }
  remembered_ = false;
  const bool ok = parser_.parse(body, root);
  if (remember) {
    remembered_ = true;
    remembered_body_.assign(body.data(), body.size());
    remembered_ok_ = ok;
    remembered_root_ = *root;
  }
  return ok;
}

JsonValue member(const JsonValue& object, std::string_view key) {
  return object ? base::last_member(*object, key) : std::nullopt;
}

bool is_object(const JsonValue& v) { return v && v->is_object(); }
bool is_array(const JsonValue& v) { return v && v->is_array(); }
bool is_string(const JsonValue& v) { return v && v->is_string(); }
bool is_null(const JsonValue& v) { return v && v->is_null(); }

bool is_integer(const JsonValue& v) {
  return v && (v->type() == element_type::INT64 || v->type() == element_type::UINT64);
}

bool is_number(const JsonValue& v) { return is_integer(v) || (v && v->is_double()); }

std::string_view string_of(const element& v) { return v.get_string().value_unsafe(); }

int64_t int_of(const element& v) {
  if (v.type() == element_type::UINT64) return static_cast<int64_t>(v.get_uint64().value_unsafe());
  return v.get_int64().value_unsafe();
}

double double_of(const element& v) {
  switch (v.type()) {
    case element_type::INT64:
      return static_cast<double>(v.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(v.get_uint64().value_unsafe());
    default:
      return v.get_double().value_unsafe();
  }
}

bool array_of(const JsonValue& value, simdjson::dom::array* out) {
  return value && value->get(*out) == simdjson::SUCCESS;
}


}  // namespace invsync::connector::shopify_detail
