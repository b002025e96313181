#include "mocks/woocommerce/woocommerce_product_table.h"

#include <utility>

#include "core/base/assert.h"

namespace invsync::mocks::woo {

const Product* ProductTable::find(int64_t id) const {
  if (id < first_id_ || id - first_id_ >= static_cast<int64_t>(slots_.size())) return nullptr;
  const std::optional<Product>& slot = slots_[static_cast<size_t>(id - first_id_)];
  return slot.has_value() ? &*slot : nullptr;
}

Product* ProductTable::find(int64_t id) {
  return const_cast<Product*>(std::as_const(*this).find(id));
}

Product& ProductTable::operator[](int64_t id) {
  INVSYNC_ASSERT(id >= first_id_);
  const auto index = static_cast<size_t>(id - first_id_);
  if (index >= slots_.size()) slots_.resize(index + 1);
  std::optional<Product>& slot = slots_[index];
  if (!slot.has_value()) slot.emplace();
  return *slot;
}

void ProductTable::erase(int64_t id) {
  if (find(id) != nullptr) slots_[static_cast<size_t>(id - first_id_)].reset();
}

}  // namespace invsync::mocks::woo
