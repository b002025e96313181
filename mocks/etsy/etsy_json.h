// Private to mocks/etsy: JSON shapes of Etsy's responses (Money, ListingInventory, ShopListing,
// ShopReceipt, errors) and small parsing helpers. Includes nlohmann/json: .cc files only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "mocks/etsy/etsy_mock.h"
#include "mocks/etsy/etsy_model.h"

namespace invsync::mocks::etsy {

using Json = nlohmann::ordered_json;

base::HttpResponse json_response(int32_t status, const Json& body);
// Etsy's ErrorSchema: {"error":"<message>"}.
base::HttpResponse error_response(int32_t status, std::string_view message);
// OAuth errors add error_description.
base::HttpResponse oauth_error(int32_t status, std::string_view error,
                               std::string_view description);

Json money_json(int64_t amount, const std::string& currency_code);
Json inventory_json(const Listing& listing, const std::string& currency_code);
Json listing_json(const Listing& listing, const EtsyMockConfig& config);
Json receipt_json(const Receipt& receipt, const EtsyMockConfig& config);

// A whole decimal number that fits int64 (no sign, no spaces), else nullopt.
std::optional<int64_t> parse_int(std::string_view text);
std::vector<std::string> split(std::string_view text, char sep);

}  // namespace invsync::mocks::etsy
