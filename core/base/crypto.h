// Cryptographic primitives over OpenSSL: HMAC-SHA256 (webhook signatures of Shopify, WooCommerce,
// Etsy), base64, and a constant-time comparison for checking signatures without leaking timing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace invsync::base {

// Raw 32-byte SHA-256 digest of `message` (PKCE S256 code challenges).
std::string sha256(std::string_view message);
// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string base64_encode(std::string_view raw);
// base64url without padding (RFC 4648 §5; RFC 7636 S256 challenges).
std::string base64url_no_padding(std::string_view raw);
// nullopt when `encoded` is not valid base64.
std::optional<std::string> base64_decode(std::string_view encoded);
std::string hex_encode(std::string_view raw);
// Compares in time that depends only on the lengths, never on where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace invsync::base
