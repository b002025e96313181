// Private to mocks/etsy: Etsy's response bodies (Money, ListingInventory, ShopListing,
// ShopReceipt, errors) written straight to JSON text with base::JsonWriter, and small parsing
// helpers. Members keep the order Etsy documents them in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/http.h"
#include "core/base/json_writer.h"
#include "mocks/etsy/etsy_mock.h"
#include "mocks/etsy/etsy_model.h"

namespace invsync::mocks::etsy {

// Etsy's ErrorSchema: {"error":"<message>"}.
base::HttpResponse error_response(int32_t status, std::string_view message);

// A ListingInventory object.
void write_inventory(base::JsonWriter& w, const Listing& listing, const std::string& currency_code);
// The members of a ShopListing, into an object the caller has begun (and ends; the batch
// endpoint adds "inventory" first).
void write_listing_members(base::JsonWriter& w, const Listing& listing,
                           const EtsyMockConfig& config);
// A ShopReceipt object with its transactions, as JSON text: written into receipt.json the first
// time, which whoever changes the receipt clears.
const std::string& receipt_json(Receipt& receipt, const EtsyMockConfig& config);

// A whole decimal number that fits int64 (no sign, no spaces), else nullopt.
std::optional<int64_t> parse_int(std::string_view text);
std::vector<std::string> split(std::string_view text, char sep);

}  // namespace invsync::mocks::etsy
