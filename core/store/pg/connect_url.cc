#include "core/store/pg/connect_url.h"

#include <algorithm>
#include <cstdint>

namespace invsync::store::pg {

std::string with_connect_timeout(const std::string& url, base::Duration timeout) {
  const std::string seconds = std::to_string(std::max<int64_t>(1, timeout.s()));
  if (url.find("connect_timeout") != std::string::npos) return url;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=" + seconds;
  }
  return url + " connect_timeout=" + seconds;
}

}  // namespace invsync::store::pg
