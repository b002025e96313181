// RetrySchedule: when to try a failed push again. A per-channel list of delays (default 30 s,
// 2 min, 10 min, 1 h, as the case study configured), each stretched or shrunk by up to
// jitter_percent from the Prng so many jobs failing together do not retry together. After the last
// delay the job is parked and an alert raised. Rate limiting is not failure: it never consumes an
// attempt.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/base/prng.h"
#include "core/base/time.h"

namespace invsync::sync {

struct RetrySchedule {
  std::vector<base::Duration> delays = {base::Duration::seconds(30), base::Duration::minutes(2),
                                        base::Duration::minutes(10), base::Duration::hours(1)};
  uint32_t jitter_percent = 10;

  // The wait before attempt number `failed_attempts` + 1, or nullopt when it is time to park.
  // failed_attempts counts failures so far, including the one just seen (>= 1).
  std::optional<base::Duration> next_delay(int32_t failed_attempts, base::Prng& prng) const;
};

}  // namespace invsync::sync
