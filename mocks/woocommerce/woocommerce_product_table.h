// The WooCommerce mock's products and variations by id. Their ids come from one increasing
// sequence (WordPress posts), so a deque slot per id finds a product with one index instead of a
// tree walk, and walks them in id order. References to stored products stay valid while others
// are added or removed.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "mocks/woocommerce/woocommerce_records.h"

namespace invsync::mocks::woo {

class ProductTable {
 public:
  // Ids below `first_id` are never stored.
  explicit ProductTable(int64_t first_id) : first_id_(first_id) {}

  Product* find(int64_t id);
  const Product* find(int64_t id) const;
  // The product stored under `id` (>= first_id), default-constructed when there is none (as
  // std::map::operator[] does).
  Product& operator[](int64_t id);
  void erase(int64_t id);

  // Calls f(const Product&) for every product, highest id first.
  template <typename F>
  void for_each_descending(F f) const {
    for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) {
      if (it->has_value()) f(**it);
    }
  }

 private:
  int64_t first_id_;
  std::deque<std::optional<Product>> slots_;  // slot i holds id first_id_ + i
};

}  // namespace invsync::mocks::woo
