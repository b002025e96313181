// Private to the Shopify mock: request bodies read with simdjson's DOM, with the meaning nlohmann
// gave them before (every document nlohmann accepts is read, the last of duplicate keys wins, an
// integer is any number without fraction or exponent, non-negative ones beyond int64 included),
// and the few values the mock writes without building a document. Only declarations of simdjson
// types here: the .cc files that read bodies include <simdjson.h>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simdjson::dom {
class element;
}

namespace invsync::mocks::shopify_json {

// Parses `body` into `*root`; false when it is not JSON. *root (and every value reached from it)
// stays valid until the next parse on this thread.
bool parse(std::string_view body, simdjson::dom::element* root);

// The value of `key` in `object` (the last one when the key repeats); nullopt when `object` is
// absent, no object, or has no such key.
std::optional<simdjson::dom::element> member(const std::optional<simdjson::dom::element>& object,
                                             std::string_view key);

bool is_object(const std::optional<simdjson::dom::element>& value);
bool is_array(const std::optional<simdjson::dom::element>& value);
bool is_string(const std::optional<simdjson::dom::element>& value);
// What nlohmann calls number_integer or number_unsigned.
bool is_integer(const std::optional<simdjson::dom::element>& value);
bool is_null(const std::optional<simdjson::dom::element>& value);
// The string of a string value (REQUIRES: is_string).
std::string_view string_of(const simdjson::dom::element& value);
// An integer value as nlohmann's get<int64_t>() gives it: unsigned ones beyond int64 wrap
// (REQUIRES: is_integer).
int64_t int_of(const simdjson::dom::element& value);

// nlohmann's value(key, bool default): the boolean, `fallback` when absent; any other type throws
// the nlohmann::json::type_error nlohmann threw.
bool bool_member(const simdjson::dom::element& object, std::string_view key, bool fallback);

// Appends `value` as nlohmann::json (std::map objects) dumped it: keys sorted, the last of
// duplicate keys, compact, numbers in nlohmann's form. `value` absent appends "null".
void append_sorted_dump(std::string& out, const std::optional<simdjson::dom::element>& value);

// Appends a double in nlohmann's form ("1000.0", "0.5", "1e+20"; non-finite as null).
void append_double(std::string& out, double value);

}  // namespace invsync::mocks::shopify_json
