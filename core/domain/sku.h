// Sku: a stock-keeping unit as the retailer names it. Validated once at the boundary: 1 to
// kSkuBytesMax bytes of printable ASCII without spaces at either end (Amazon allows 40, Etsy 32,
// Shopify and WooCommerce more; 100 covers every platform we sync without truncation).
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace invsync::domain {

inline constexpr size_t kSkuBytesMax = 100;

class Sku {
 public:
  static base::Result<Sku> parse(std::string_view text);
  // For values that were validated before (e.g. read back from our own store). Asserts validity.
  static Sku from_trusted(std::string_view text);

  const std::string& str() const { return value_; }
  friend auto operator<=>(const Sku&, const Sku&) = default;
  friend bool operator==(const Sku&, const Sku&) = default;

 private:
  explicit Sku(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// Why `text` is not a valid SKU, or OK.
base::Status validate_sku(std::string_view text);

}  // namespace invsync::domain
