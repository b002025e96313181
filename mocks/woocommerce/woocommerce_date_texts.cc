#include "mocks/woocommerce/woocommerce_date_texts.h"

namespace invsync::mocks::woo {

const DateTexts::Entry& DateTexts::entry(base::WallTime t) {
  constexpr int64_t kNsPerS = 1'000'000'000;
  int64_t second = t.unix_ns() / kNsPerS;
  if (t.unix_ns() % kNsPerS < 0) --second;
  Entry& e = entries_[static_cast<uint64_t>(second) % entries_.size()];
  if (e.filled && e.second == second) return e;
  const base::WallTime whole = base::WallTime::from_unix_s(second);
  e.filled = true;
  e.second = second;
  e.local = base::format_iso8601_offset(whole, offset_minutes_);
  e.local.resize(19);  // without the offset
  e.gmt = base::format_iso8601_utc(whole);
  e.gmt.resize(19);  // without the "Z"
  return e;
}

}  // namespace invsync::mocks::woo
