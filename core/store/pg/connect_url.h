// connect_url: the PostgreSQL connection string with an explicit connect timeout added (URL or
// key=value form), so no connection attempt of the store or the lane locks can hang. A timeout
// already in the string wins.
#pragma once

#include <string>

#include "core/base/time.h"

namespace invsync::store::pg {

std::string with_connect_timeout(const std::string& url, base::Duration timeout);

}  // namespace invsync::store::pg
