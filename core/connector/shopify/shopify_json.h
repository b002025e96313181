// Internal to the Shopify connector: response and webhook bodies read with simdjson's DOM, with
// the meaning nlohmann gave them before (every document nlohmann accepts is read, the last of
// duplicate keys wins, an integer is any number without fraction or exponent, non-negative ones
// beyond int64 included). Includes <simdjson.h>: include this header only from the connector's
// .cc files.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/compat_json.h"

namespace invsync::connector::shopify_detail {

// A JSON value, or nullopt where nlohmann gave null for a missing key.
using JsonValue = std::optional<simdjson::dom::element>;

// A reusable parser. Its buffers grow to the largest body and stay.
class BodyParser {
 public:
  // Parses `body` into `*root`; false when it is not JSON. *root, and every value reached from it,
  // stays valid until the next parse() of another body. With `remember`, the next parse() of the
  // same bytes gives the same document without reading them again (observe_limits() and the
  // exchange's callback both look at one response).
  bool parse(std::string_view body, simdjson::dom::element* root, bool remember = false);

 private:
  base::CompatJsonParser parser_;
  bool remembered_ = false;            // remembered_body_ is the current document's body
  std::string remembered_body_;
  bool remembered_ok_ = false;
  simdjson::dom::element remembered_root_;
};

// The value of `key` in `object` (the last one when the key repeats); nullopt when `object` is
// absent, no object, or has no such key.
JsonValue member(const JsonValue& object, std::string_view key);

bool is_object(const JsonValue& value);
bool is_array(const JsonValue& value);
bool is_string(const JsonValue& value);
bool is_null(const JsonValue& value);
// What nlohmann calls number_integer or number_unsigned.
bool is_integer(const JsonValue& value);
bool is_number(const JsonValue& value);
// REQUIRES: is_string.
std::string_view string_of(const simdjson::dom::element& value);
// nlohmann's get<int64_t>() of an integer: unsigned ones beyond int64 wrap. REQUIRES: is_integer.
int64_t int_of(const simdjson::dom::element& value);
// nlohmann's get<double>() of a number. REQUIRES: is_number.
double double_of(const simdjson::dom::element& value);
// `*out` = the array; false when `value` is absent or no array.
bool array_of(const JsonValue& value, simdjson::dom::array* out);

// The value as nlohmann::json, for the rare paths that must say exactly what nlohmann said.
using base::to_nlohmann;


}  // namespace invsync::connector::shopify_detail
