#include "mocks/http_host/mock_factory.h"

#include "core/base/json_reader.h"
#include "mocks/amazon/amazon_mock.h"
#include "mocks/etsy/etsy_mock.h"
#include "mocks/shopify/shopify_mock.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {

const std::vector<std::string>& mock_platform_names() {
  static const std::vector<std::string> kNames = {"shopify", "amazon", "etsy", "woocommerce"};
  return kNames;
}

base::Result<std::unique_ptr<MockPlatform>> make_mock(const std::string& platform,
                                                      base::JsonReader& reader, uint64_t seed) {
  if (platform == "shopify") {
    ShopifyMockConfig c;
    INVSYNC_RETURN_IF_ERROR(parse_shopify_mock_config(reader, &c));
    return std::unique_ptr<MockPlatform>(std::make_unique<ShopifyMock>(std::move(c), seed));
  }
  if (platform == "amazon") {
    AmazonMockConfig c;
    INVSYNC_RETURN_IF_ERROR(parse_amazon_mock_config(reader, &c));
    return std::unique_ptr<MockPlatform>(std::make_unique<AmazonMock>(std::move(c), seed));
  }
  if (platform == "etsy") {
    EtsyMockConfig c;
    INVSYNC_RETURN_IF_ERROR(parse_etsy_mock_config(reader, &c));
    return std::unique_ptr<MockPlatform>(std::make_unique<EtsyMock>(std::move(c), seed));
  }
  if (platform == "woocommerce") {
    WooCommerceMockConfig c;
    INVSYNC_RETURN_IF_ERROR(parse_woocommerce_mock_config(reader, &c));
    return std::unique_ptr<MockPlatform>(std::make_unique<WooCommerceMock>(std::move(c), seed));
  }
  return base::Status::invalid_argument("unknown platform '" + platform + "'");
}

}  // namespace invsync::mocks
