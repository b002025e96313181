#include "core/base/prng.h"

#include "core/base/assert.h"

namespace invsync::base {
namespace {
constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Prng::Prng(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (auto& word : s_) word = splitmix64(sm);
  // xoshiro must not start from the all-zero state; splitmix64 cannot produce four zeros in a
  // row, but the invariant is cheap to state.
  INVSYNC_ASSERT((s_[0] | s_[1] | s_[2] | s_[3]) != 0);
}

uint64_t Prng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Prng::uniform(uint64_t bound) {
  INVSYNC_ASSERT(bound > 0);
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  uint64_t x = next_u64();
  while (x >= limit) x = next_u64();
  return x % bound;
}

int64_t Prng::range_inclusive(int64_t lo, int64_t hi) {
  INVSYNC_ASSERT(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + uniform(span + 1));
}

bool Prng::chance(Ratio ratio) {
  INVSYNC_ASSERT(ratio.valid());
  if (ratio.numerator == 0) return false;
  if (ratio.numerator == ratio.denominator) return true;
  return uniform(ratio.denominator) < ratio.numerator;
}

double Prng::unit_double() {
  return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

Prng Prng::fork() { return Prng(next_u64()); }

}  // namespace invsync::base
