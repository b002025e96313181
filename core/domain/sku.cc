#include "core/domain/sku.h"

namespace invsync::domain {

base::Status validate_sku(std::string_view text) {
  if (text.empty()) return base::Status::invalid_argument("sku is empty");
  if (text.size() > kSkuBytesMax) {
    return base::Status::invalid_argument("sku is " + std::to_string(text.size()) +
                                          " bytes; the limit is " + std::to_string(kSkuBytesMax));
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      return base::Status::invalid_argument("sku contains a control or non-ASCII byte");
    }
  }
  if (text.front() == ' ' || text.back() == ' ') {
    return base::Status::invalid_argument("sku has leading or trailing spaces");
  }
  return base::Status();
}

base::Result<Sku> Sku::parse(std::string_view text) {
  base::Status st = validate_sku(text);
  if (!st.ok()) return st;
  return Sku(std::string(text));
}

Sku Sku::from_trusted(std::string_view text) {
  INVSYNC_ASSERT(validate_sku(text).ok());
  return Sku(std::string(text));
}

}  // namespace invsync::domain
