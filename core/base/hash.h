// Hash helpers for unordered containers keyed by several fields (idempotency keys, order refs):
// hash_combine folds one field's hash into a running seed, in field order.
#pragma once

#include <cstddef>

namespace invsync::base {

// Boost's mixing step, widened to 64 bits: order-dependent, cheap, spreads low-entropy inputs.
constexpr size_t hash_combine(size_t seed, size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace invsync::base
