#include "core/runtime/os_seed.h"

#include <sys/random.h>

#include <cerrno>
#include <chrono>

#include "core/base/prng.h"

namespace invsync::runtime {

uint64_t os_random_seed() {
  uint64_t seed = 0;
  char* out = reinterpret_cast<char*>(&seed);
  size_t got = 0;
  while (got < sizeof seed) {
    const ssize_t n = getrandom(out + got, sizeof seed - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got == sizeof seed) return seed;
  // No entropy source (very old kernel, seccomp): fall back to the clock, mixed.
  uint64_t state = static_cast<uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count()) ^
                   static_cast<uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
  return base::splitmix64(state);
}

}  // namespace invsync::runtime
