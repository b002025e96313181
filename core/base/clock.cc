#include "core/base/clock.h"

#include "core/base/assert.h"

namespace invsync::base {

void ManualClock::advance(Duration d) {
  INVSYNC_ASSERT(d >= Duration::zero());
  now_ += d;
}

void ManualClock::advance_to(Instant t) {
  INVSYNC_ASSERT(t >= now_);
  now_ = t;
}

}  // namespace invsync::base
