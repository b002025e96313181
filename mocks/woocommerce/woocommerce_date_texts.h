// The WooCommerce mock's date fields: "YYYY-MM-DDTHH:MM:SS" at the site's UTC offset (date_*) and
// in UTC (date_*_gmt), whole seconds. Bodies show the same few seconds over and over (every
// catalogue product was created at one instant, the products one batch saves share their modified
// second), so the texts of recent seconds are kept rather than formatted again.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/time.h"

namespace invsync::mocks::woo {

class DateTexts {
 public:
  explicit DateTexts(int32_t offset_minutes) : offset_minutes_(offset_minutes) {}

  // Valid until the next call.
  std::string_view local(base::WallTime t) { return entry(t).local; }
  std::string_view gmt(base::WallTime t) { return entry(t).gmt; }

 private:
  struct Entry {
    bool filled = false;
    int64_t second = 0;  // floor of the unix time in seconds
    std::string local;
    std::string gmt;
  };
  const Entry& entry(base::WallTime t);

  int32_t offset_minutes_;
  std::array<Entry, 16> entries_;  // direct-mapped by the second
};

}  // namespace invsync::mocks::woo
