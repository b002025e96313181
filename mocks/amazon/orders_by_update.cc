#include "mocks/amazon/orders_by_update.h"

#include <algorithm>
#include <limits>

namespace invsync::mocks::amazon {

void OrdersByUpdate::add(base::WallTime date, size_t index) {
  const Entry entry{date, index};
  if (entries_.empty() || entries_.back() < entry) {
    entries_.push_back(entry);
    return;
  }
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), entry);
  if (*at != entry) entries_.insert(at, entry);
}

std::span<const OrdersByUpdate::Entry> OrdersByUpdate::between(base::WallTime after,
                                                               base::WallTime before) const {
  const auto first = std::lower_bound(entries_.begin(), entries_.end(), Entry{after, 0});
  const auto last =
      std::upper_bound(first, entries_.end(), Entry{before, std::numeric_limits<size_t>::max()});
  return {first, last};
}

}  // namespace invsync::mocks::amazon
