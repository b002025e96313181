#include "core/app/connector_factory.h"

#include "core/base/json_reader.h"
#include "core/connector/amazon/amazon_config.h"
#include "core/connector/amazon/amazon_connector.h"
#include "core/connector/etsy/etsy_connector.h"
#include "core/connector/shopify/shopify_config.h"
#include "core/connector/shopify/shopify_connector.h"
#include "core/connector/woocommerce/woocommerce_connector.h"

namespace invsync::app {

namespace {
template <typename Config, typename Parse, typename Make>
base::Result<connector::ConnectorPtr> build(base::JsonReader& reader, Parse parse, Make make) {
  Config config;
  INVSYNC_RETURN_IF_ERROR(parse(reader, &config));
  return make(std::move(config));
}
}  // namespace

base::Result<connector::ConnectorPtr> make_connector(const domain::ChannelId& channel,
                                                     std::string_view connector_json,
                                                     connector::ConnectorDeps deps) {
  nlohmann::json doc = nlohmann::json::parse(connector_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return base::Status::invalid_argument("connector config must be a JSON object");
  }
  if (!doc.contains("channel")) doc["channel"] = channel.str();
  if (doc["channel"] != channel.str()) {
    return base::Status::invalid_argument("connector.channel must equal the channel id");
  }
  base::JsonReader reader(doc, "$.connector");
  using connector::ConnectorPtr;
  switch (channel.platform()) {
    case domain::Platform::kShopify:
      return build<connector::ShopifyConnectorConfig>(
          reader, connector::parse_shopify_connector_config, [&](auto c) -> ConnectorPtr {
            return std::make_unique<connector::ShopifyConnector>(std::move(c), deps);
          });
    case domain::Platform::kAmazon:
      return build<connector::AmazonConnectorConfig>(
          reader, connector::parse_amazon_connector_config, [&](auto c) -> ConnectorPtr {
            return std::make_unique<connector::AmazonConnector>(std::move(c), deps);
          });
    case domain::Platform::kEtsy:
      return build<connector::EtsyConnectorConfig>(
          reader, connector::parse_etsy_connector_config, [&](auto c) -> ConnectorPtr {
            return std::make_unique<connector::EtsyConnector>(std::move(c), deps);
          });
    case domain::Platform::kWooCommerce:
      return build<connector::WooCommerceConnectorConfig>(
          reader, connector::parse_woocommerce_connector_config, [&](auto c) -> ConnectorPtr {
            return std::make_unique<connector::WooCommerceConnector>(std::move(c), deps);
          });
    case domain::Platform::kManual:
      break;
  }
  return base::Status::invalid_argument("no connector for platform " +
                                        std::string(domain::platform_name(channel.platform())));
}

}  // namespace invsync::app
