// Prng: the one source of randomness for core and simulator. xoshiro256** (Blackman & Vigna),
// state seeded through splitmix64, with our own uniform/range/chance functions so the sequence is
// the same with every compiler and standard library (std:: distributions are not). Not
// cryptographic: never use it for secrets or idempotency keys that must be unguessable.
#pragma once

#include <array>
#include <cstdint>

#include "core/base/ratio.h"

namespace invsync::base {

class Prng {
 public:
  explicit Prng(uint64_t seed);

  uint64_t seed() const { return seed_; }
  uint64_t next_u64();
  // Uniform in [0, bound), unbiased (rejection sampling). bound > 0.
  uint64_t uniform(uint64_t bound);
  // Uniform in [lo, hi], lo <= hi.
  int64_t range_inclusive(int64_t lo, int64_t hi);
  // True with probability ratio (exact up to 2^-64).
  bool chance(Ratio ratio);
  // Uniform double in [0, 1) with 53 random bits. For sampling shapes (exponential inter-arrival
  // times, Zipf); decisions that must be exact use chance().
  double unit_double();
  // A child generator with an independent stream, derived deterministically from this one.
  Prng fork();

 private:
  uint64_t seed_ = 0;
  std::array<uint64_t, 4> s_{};
};

// splitmix64 step, exposed for tests and for deriving sub-seeds.
uint64_t splitmix64(uint64_t& state);

}  // namespace invsync::base
