#include "core/sync/retry_schedule.h"

#include "core/base/assert.h"

namespace invsync::sync {

std::optional<base::Duration> RetrySchedule::next_delay(int32_t failed_attempts,
                                                        base::Prng& prng) const {
  INVSYNC_ASSERT(failed_attempts >= 1);
  INVSYNC_ASSERT(jitter_percent <= 100);
  if (static_cast<size_t>(failed_attempts) > delays.size()) return std::nullopt;
  const base::Duration d = delays[static_cast<size_t>(failed_attempts) - 1];
  if (jitter_percent == 0) return d;
  const int64_t span = d.ns() / 100 * jitter_percent;
  return d + base::Duration::nanoseconds(prng.range_inclusive(-span, span));
}

}  // namespace invsync::sync
