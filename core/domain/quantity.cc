#include "core/domain/quantity.h"

#include <string>

namespace invsync::domain {

base::Result<Quantity> Quantity::checked(int64_t units) {
  if (units > kQuantityUnitsMax || units < -kQuantityUnitsMax) {
    return base::Status::invalid_argument("quantity " + std::to_string(units) +
                                          " is outside +/-" + std::to_string(kQuantityUnitsMax));
  }
  return Quantity(units);
}

}  // namespace invsync::domain
