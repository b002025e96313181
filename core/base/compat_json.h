// CompatJsonParser: simdjson's DOM parser made to accept exactly the documents nlohmann::json::parse
// accepts and to read in them what nlohmann read, for the hot paths that used to build nlohmann
// trees (connectors reading platform responses and webhooks, mocks reading request bodies).
// simdjson refuses a few valid documents nlohmann takes (integers beyond 64 bits, a leading byte
// order mark, nesting deeper than its limit); such a (rare) text is rewritten through nlohmann's
// SAX parser (no tree, no recursion at any depth) and that rewrite is read instead, with integers
// beyond 64 bits as the floats nlohmann made of them. last_member() gives the last of repeated
// keys, as nlohmann kept. Includes <simdjson.h>: include this header only from .cc files.
#pragma once

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace invsync::base {

class CompatJsonParser {
 public:
  // Parses `text` into *root; false when nlohmann would reject it. *root, and every value reached
  // from it, stays valid until the next parse() on this parser. Buffers grow to the largest text
  // and stay: keep one parser per thread or per connector.
  bool parse(std::string_view text, simdjson::dom::element* root);

 private:
  simdjson::dom::parser parser_;
  std::string rewritten_;
};

// The value of `key` in `object`, the last one when the key repeats; nullopt when `object` is no
// object or has no such key.
std::optional<simdjson::dom::element> last_member(const simdjson::dom::element& object,
                                                  std::string_view key);
std::optional<simdjson::dom::element> last_member(const simdjson::dom::object& object,
                                                  std::string_view key);

// The value as nlohmann would have parsed it (non-negative integers unsigned, the last of repeated
// keys), for the rare paths that must behave exactly as nlohmann did: its dumps and exceptions.
nlohmann::json to_nlohmann(const simdjson::dom::element& value);

}  // namespace invsync::base
