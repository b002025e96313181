// SystemClock: the production Clock over std::chrono's steady and system clocks. Asserts that
// monotonic time never goes backwards (a broken clock would corrupt every rate limit and lease).
#pragma once

#include <mutex>

#include "core/base/clock.h"

namespace invsync::runtime {

class SystemClock final : public base::Clock {
 public:
  base::Instant monotonic_now() override;
  base::WallTime wall_now() override;

 private:
  std::mutex mu_;
  base::Instant last_;
};

}  // namespace invsync::runtime
