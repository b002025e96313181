// Builds any of the four platform mocks from its JSON config section, so the HTTP host and the
// simulator construct mocks the same way. Config sections are read strictly (unknown keys fail
// with their path).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "mocks/common/mock_platform.h"

namespace invsync::base {
class JsonReader;
}

namespace invsync::mocks {

const std::vector<std::string>& mock_platform_names();  // shopify, amazon, etsy, woocommerce

// `reader` is the platform's "config" object; the mock is seeded with `seed`.
base::Result<std::unique_ptr<MockPlatform>> make_mock(const std::string& platform,
                                                      base::JsonReader& reader, uint64_t seed);

}  // namespace invsync::mocks
