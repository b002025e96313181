// The Etsy mock's state as plain data: listings with their product/offering inventory tree,
// receipts with transactions, OAuth tokens and pending ORDER_PAID webhooks. Serialisation and the
// rules that change this state live in the etsy_*.cc files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/time.h"

namespace invsync::mocks::etsy {

// A variation property of a product: (property_id, values); Etsy's custom properties are 513/514.
struct PropertyValue {
  int64_t property_id = 0;
  std::string property_name;
  std::optional<int64_t> scale_id;
  std::vector<int64_t> value_ids;
  std::vector<std::string> values;
};

struct Offering {
  int64_t offering_id = 0;
  int64_t quantity = 0;
  bool is_enabled = true;
  int64_t price_amount = 0;  // in 1/100 of the currency (Money divisor 100)
  std::optional<int64_t> readiness_state_id;
};

struct Product {
  int64_t product_id = 0;
  std::string sku;
  std::vector<PropertyValue> property_values;
  std::vector<Offering> offerings;  // the mock keeps exactly one per product, as Etsy does
};

enum class ListingState : uint8_t { kActive, kInactive, kSoldOut };

struct Listing {
  int64_t listing_id = 0;
  std::string title;
  ListingState state = ListingState::kActive;
  std::vector<Product> products;
  std::vector<int64_t> price_on_property;
  std::vector<int64_t> quantity_on_property;
  std::vector<int64_t> sku_on_property;
  std::vector<int64_t> readiness_state_on_property;
  int64_t created_unix_s = 0;
  int64_t updated_unix_s = 0;

  bool has_variations() const;
  int64_t quantity() const;  // sum of the enabled offerings' quantities
  Product* find_sku(std::string_view sku);
  const Product* find_sku(std::string_view sku) const;
};

const char* state_name(ListingState state);

struct Transaction {
  int64_t transaction_id = 0;
  int64_t listing_id = 0;
  int64_t product_id = 0;
  std::string sku;
  int64_t quantity = 0;
  int64_t price_amount = 0;
  std::vector<PropertyValue> variations;
};

struct Receipt {
  int64_t receipt_id = 0;
  std::string status = "paid";  // "paid" or "canceled"
  int64_t created_unix_s = 0;
  int64_t updated_unix_s = 0;
  base::Instant visible_at;  // polling sees the receipt from here on
  std::vector<Transaction> transactions;
  // Its ShopReceipt JSON once served, until it changes: polls read each receipt many times over.
  std::string json;
};

struct AccessToken {
  int64_t user_id = 0;
  std::vector<std::string> scopes;
  base::Instant expires_at;
};

struct RefreshToken {
  int64_t user_id = 0;
  std::vector<std::string> scopes;
  base::Instant issued_at;
  std::optional<base::Instant> rotated_at;  // when a refresh replaced it
};

struct AuthorizationCode {
  std::string code_challenge;
  std::string redirect_uri;
  std::vector<std::string> scopes;
  base::Instant expires_at;
};

struct PendingWebhook {
  std::string message_id;  // webhook-id, the same on every attempt
  std::string body;
  size_t attempt = 0;  // index into the retry schedule of the attempt in flight
};

}  // namespace invsync::mocks::etsy
