// Percent-encoding and query strings (RFC 3986), for building and reading request targets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invsync::base {

// Encodes everything except unreserved characters (ALPHA / DIGIT / - . _ ~).
std::string percent_encode(std::string_view raw);
// Decodes %XX escapes (and '+' as space when form is true); nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view encoded, bool form = false);
// Splits "a=1&b=x%20y" into decoded pairs, in order; nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);
// The first value of `name` in a parsed query.
std::optional<std::string> query_param(
    const std::vector<std::pair<std::string, std::string>>& params, std::string_view name);

}  // namespace invsync::base
