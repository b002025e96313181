// SHA-256 (FIPS 180-4), just enough for the mock's PKCE S256 check: core/base/crypto.h offers
// HMAC-SHA256 but no bare digest, and the mock links nothing beyond core/base.
#pragma once

#include <string>
#include <string_view>

namespace invsync::mocks::etsy {

// Raw 32-byte digest of `message`.
std::string sha256(std::string_view message);
// base64url without padding (RFC 7636 S256: BASE64URL(SHA256(code_verifier))).
std::string base64url_no_padding(std::string_view raw);

}  // namespace invsync::mocks::etsy
