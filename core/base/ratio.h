// Ratio: an exact probability or share as numerator/denominator (no floating point in decisions).
#pragma once

#include <cstdint>

#include "core/base/assert.h"

namespace invsync::base {

struct Ratio {
  uint64_t numerator = 0;
  uint64_t denominator = 1;

  static constexpr Ratio zero() { return {0, 1}; }
  static constexpr Ratio one() { return {1, 1}; }
  static constexpr Ratio percent(uint64_t p) { return {p, 100}; }
  constexpr bool valid() const { return denominator > 0 && numerator <= denominator; }
};

}  // namespace invsync::base
