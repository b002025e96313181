// Clock: the only way core code learns the time. Production reads the OS clocks
// (core/runtime/system_clock.h); the simulator advances virtual time. Monotonic time never goes
// backwards; wall time may jump (NTP, simulated skew) and is used only for timestamps.
#pragma once

#include "core/base/time.h"

namespace invsync::base {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant monotonic_now() = 0;
  virtual WallTime wall_now() = 0;
};

// A clock that only moves when told to: for unit tests and the simulator's kernel.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime wall_origin = WallTime::from_unix_s(1'795'000'000))
      : wall_origin_(wall_origin) {}
  Instant monotonic_now() override { return now_; }
  WallTime wall_now() override { return wall_origin_ + (now_ - Instant()); }
  void advance(Duration d);
  void advance_to(Instant t);

 private:
  Instant now_;
  WallTime wall_origin_;
};

}  // namespace invsync::base
