#include "core/domain/channel_id.h"

namespace invsync::domain {

std::string_view platform_name(Platform p) {
  switch (p) {
    case Platform::kShopify: return "shopify";
    case Platform::kAmazon: return "amazon";
    case Platform::kEtsy: return "etsy";
    case Platform::kWooCommerce: return "woocommerce";
    case Platform::kManual: return "manual";
  }
  return "unknown";
}

base::Result<Platform> parse_platform(std::string_view name) {
  for (Platform p : {Platform::kShopify, Platform::kAmazon, Platform::kEtsy,
                     Platform::kWooCommerce, Platform::kManual}) {
    if (platform_name(p) == name) return p;
  }
  return base::Status::invalid_argument("unknown platform '" + std::string(name) +
                                        "' (expected shopify, amazon, etsy, woocommerce, manual)");
}

ChannelId::ChannelId(Platform platform, std::string account)
    : platform_(platform), account_(std::move(account)) {
  text_ = std::string(platform_name(platform_)) + ":" + account_;
}

base::Result<ChannelId> ChannelId::make(Platform platform, std::string_view account) {
  if (account.empty() || account.size() > kChannelAccountBytesMax) {
    return base::Status::invalid_argument("channel account must be 1 to 48 characters");
  }
  for (char c : account) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return base::Status::invalid_argument("channel account '" + std::string(account) +
                                            "' may hold only a-z, 0-9, '_' and '-'");
    }
  }
  return ChannelId(platform, std::string(account));
}

base::Result<ChannelId> ChannelId::parse(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return base::Status::invalid_argument("channel '" + std::string(text) +
                                          "' is not of the form platform:account");
  }
  auto platform = parse_platform(text.substr(0, colon));
  if (!platform.ok()) return platform.status();
  return make(*platform, text.substr(colon + 1));
}

ChannelId ChannelId::from_trusted(std::string_view text) {
  auto id = parse(text);
  INVSYNC_ASSERT(id.ok());
  return std::move(id).value();
}

}  // namespace invsync::domain
