// Quantity: a count of stock units with checked arithmetic. Any value that came from outside is
// bounded by kQuantityUnitsMax (Shopify's own limit is 1e9), so sums of a bounded number of
// bounded values cannot overflow; the arithmetic still asserts on overflow, because an overflow
// would mean a bound was skipped somewhere.
#pragma once

#include <compare>
#include <cstdint>

#include "core/base/assert.h"
#include "core/base/result.h"

namespace invsync::domain {

inline constexpr int64_t kQuantityUnitsMax = 1'000'000'000;

class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(int64_t units) : units_(units) {}
  // External input: |units| <= kQuantityUnitsMax.
  static base::Result<Quantity> checked(int64_t units);

  constexpr int64_t units() const { return units_; }
  constexpr bool is_negative() const { return units_ < 0; }
  constexpr bool is_zero() const { return units_ == 0; }

  Quantity operator+(Quantity o) const {
    int64_t r = 0;
    INVSYNC_ASSERT(!__builtin_add_overflow(units_, o.units_, &r));
    return Quantity(r);
  }
  Quantity operator-(Quantity o) const {
    int64_t r = 0;
    INVSYNC_ASSERT(!__builtin_sub_overflow(units_, o.units_, &r));
    return Quantity(r);
  }
  Quantity& operator+=(Quantity o) { return *this = *this + o; }
  Quantity& operator-=(Quantity o) { return *this = *this - o; }
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  int64_t units_ = 0;
};

inline Quantity min(Quantity a, Quantity b) { return a < b ? a : b; }
inline Quantity max(Quantity a, Quantity b) { return a < b ? b : a; }

}  // namespace invsync::domain
