// Private to the Etsy connector: Etsy's JSON bodies read with simdjson's DOM, with the meaning
// nlohmann gave them before (every document nlohmann accepts is read, the last of duplicate keys
// wins, ids may be numeric strings), and DOM values written back with base::JsonWriter. Only
// declarations of simdjson types here: the .cc files that read bodies include <simdjson.h>.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/json_writer.h"

namespace simdjson::dom {
class array;
class element;
}  // namespace simdjson::dom

namespace invsync::connector::etsy {

// Parses `body` into `*root`; false when it is not JSON. *root (and every value reached from it)
// stays valid until the next parse_json on this thread.
bool parse_json(std::string_view body, simdjson::dom::element* root);

// The value of `key` in `object` (the last one when the key repeats); nullopt when `object` is no
// object or has no such key.
std::optional<simdjson::dom::element> member(const simdjson::dom::element& object,
                                             std::string_view key);

// A decimal integer, the whole of `text` (a leading '-' allowed, nothing else), if it fits int64.
std::optional<int64_t> parse_int_text(std::string_view text);

// An integer JSON value: a number without fraction within int64 (floats up to 9e15), or a string
// holding a decimal integer, as Etsy sends some ids. nullopt for anything else or no value.
std::optional<int64_t> as_int(const std::optional<simdjson::dom::element>& value);
// A string value, or "" for anything else or no value.
std::string_view as_string(const std::optional<simdjson::dom::element>& value);
// A boolean value, or `fallback` for anything else or no value.
bool as_bool(const std::optional<simdjson::dom::element>& value, bool fallback);

// An array value, or nullopt for anything else or no value.
std::optional<simdjson::dom::array> as_array(const std::optional<simdjson::dom::element>& value);

// as_int / as_string / as_bool / as_array of member(object, key).
std::optional<int64_t> int_field(const simdjson::dom::element& object, std::string_view key);
std::string_view string_field(const simdjson::dom::element& object, std::string_view key);
bool bool_field(const simdjson::dom::element& object, std::string_view key, bool fallback);
std::optional<simdjson::dom::array> array_field(const simdjson::dom::element& object,
                                                std::string_view key);

// Writes `value` (any JSON value, nested ones included) as the next value of `w`.
void write_value(base::JsonWriter& w, const simdjson::dom::element& value);

}  // namespace invsync::connector::etsy
