// The top-level keys of the WooCommerce mock's product and variation objects, and WordPress REST's
// `_fields` filter over them as a bit set: parsed once per request, tested per key while an object
// is written, instead of a string set looked up for every key of every object.
#pragma once

#include <cstdint>
#include <string_view>

namespace invsync::mocks::woo {

enum class ProductKey : uint8_t {
  kId,
  kName,
  kSlug,
  kPermalink,
  kDateCreated,
  kDateCreatedGmt,
  kDateModified,
  kDateModifiedGmt,
  kType,
  kStatus,
  kSku,
  kPrice,
  kRegularPrice,
  kSalePrice,
  kOnSale,
  kPurchasable,
  kManageStock,
  kStockQuantity,
  kBackorders,
  kBackordersAllowed,
  kBackordered,
  kLowStockAmount,
  kParentId,
  kVariations,
  kMetaData,
  kStockStatus,
  kAttributes,  // variations only
  kMenuOrder,   // variations only
  kLinks,
  kCount,
};

// The key as it appears in the JSON object ("date_created_gmt", "_links").
std::string_view key_name(ProductKey key);

class ProductFields {
 public:
  // Every key: `_fields` absent or empty.
  static ProductFields all() { return ProductFields(kAllBits); }
  // A `_fields` value: a comma list of top-level keys, where "a.b" selects within a (kept whole
  // here). Unknown names select nothing; a list naming no known key keeps no key at all.
  static ProductFields parse(std::string_view list);

  bool has(ProductKey key) const { return (bits_ >> static_cast<uint32_t>(key)) & 1U; }

 private:
  static constexpr uint32_t kAllBits = (1U << static_cast<uint32_t>(ProductKey::kCount)) - 1;
  explicit ProductFields(uint32_t bits) : bits_(bits) {}

  uint32_t bits_;
};

}  // namespace invsync::mocks::woo
