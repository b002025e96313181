// os_seed: the production Prng's seed, drawn once from the operating system's entropy
// (getrandom). The service logs it at start, so a run's random choices (retry jitter) can be
// replayed in the simulator with the same seed. Not for secrets: the Prng is not cryptographic.
#pragma once

#include <cstdint>

namespace invsync::runtime {

uint64_t os_random_seed();

}  // namespace invsync::runtime
