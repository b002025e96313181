#include <gtest/gtest.h>

#include "core/base/crypto.h"

namespace invsync::base {
namespace {

// RFC 4231 test case 2 (key "Jefe"); `openssl dgst -sha256 -hmac Jefe -binary | base64` agrees.
TEST(Crypto, HmacSha256MatchesRfc4231) {
  const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(hex_encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base64_encode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

// The per-thread context is re-keyed on every call: alternating keys (a longer-than-block key is
// hashed first, RFC 4231 test case 6) and the empty key must each give their own known MAC.
TEST(Crypto, HmacSha256RekeysBetweenCalls) {
  const std::string long_key(131, '\xaa');
  const std::string long_msg = "Test Using Larger Than Block-Size Key - Hash Key First";
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(hex_encode(hmac_sha256(long_key, long_msg)),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(hex_encode(hmac_sha256("", "")),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}

// FIPS 180-2 "abc" vector and the RFC 7636 appendix B PKCE example.
TEST(Crypto, Sha256AndPkceChallenge) {
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(base64url_no_padding(sha256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Crypto, Base64RoundTripsAndRejectsGarbage) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto back = base64_decode(base64_encode(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_FALSE(base64_decode("abc").has_value());
  EXPECT_FALSE(base64_decode("a*c=").has_value());
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace invsync::base
