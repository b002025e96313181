// ChannelId: one sales channel account, "platform:account" (e.g. "shopify:uk-store"). The
// platform decides the connector; the account tells two shops on one platform apart. The
// pseudo-platform "manual" names stock changes made by people (admin API, imports).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace invsync::domain {

enum class Platform : uint8_t { kShopify, kAmazon, kEtsy, kWooCommerce, kManual };

std::string_view platform_name(Platform p);
base::Result<Platform> parse_platform(std::string_view name);

inline constexpr size_t kChannelAccountBytesMax = 48;

class ChannelId {
 public:
  // "shopify:main"; the account is [a-z0-9_-]{1,48}.
  static base::Result<ChannelId> parse(std::string_view text);
  static base::Result<ChannelId> make(Platform platform, std::string_view account);
  static ChannelId from_trusted(std::string_view text);

  Platform platform() const { return platform_; }
  const std::string& account() const { return account_; }
  const std::string& str() const { return text_; }

  friend bool operator==(const ChannelId& a, const ChannelId& b) { return a.text_ == b.text_; }
  friend auto operator<=>(const ChannelId& a, const ChannelId& b) { return a.text_ <=> b.text_; }

 private:
  ChannelId(Platform platform, std::string account);
  Platform platform_ = Platform::kManual;
  std::string account_;
  std::string text_;
};

}  // namespace invsync::domain
