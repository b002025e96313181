// OrdersByUpdate: the Amazon mock's orders by LastUpdateDate, for getOrders' LastUpdatedAfter
// queries (the order intake polls these constantly over a short recent window). It is a list of
// (date, order index) sorted the way getOrders lists orders by LastUpdateDate (earlier placed
// first among equal dates) that only grows: a changed date adds an entry and leaves the old one
// behind, and readers skip entries whose date is no longer the order's. Dates come in time order,
// so adding is an append; an earlier date (a caller going back in time) is inserted in place.
#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "core/base/time.h"

namespace invsync::mocks::amazon {

class OrdersByUpdate {
 public:
  using Entry = std::pair<base::WallTime, size_t>;  // (LastUpdateDate, order index)

  // Order `index` was last updated at `date`.
  void add(base::WallTime date, size_t index);
  // The entries dated within [after, before], in order; superseded ones included.
  std::span<const Entry> between(base::WallTime after, base::WallTime before) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace invsync::mocks::amazon
