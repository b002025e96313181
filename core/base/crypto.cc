#include "core/base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "core/base/assert.h"

namespace invsync::base {

namespace {

// OpenSSL 3's one-shot HMAC() fetches the algorithm and builds a context on every call (a tenth of
// a webhook's cost); one fetched HMAC-SHA256 context per thread, re-keyed per call, does not.
struct MacContextDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

EVP_MAC_CTX* hmac_sha256_context() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  INVSYNC_ASSERT(mac != nullptr);
  thread_local const std::unique_ptr<EVP_MAC_CTX, MacContextDeleter> ctx = [] {
    std::unique_ptr<EVP_MAC_CTX, MacContextDeleter> made(EVP_MAC_CTX_new(mac));
    INVSYNC_ASSERT(made != nullptr);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                                 OSSL_PARAM_construct_end()};
    INVSYNC_ASSERT(EVP_MAC_CTX_set_params(made.get(), params) == 1);
    return made;
  }();
  return ctx.get();
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
  EVP_MAC_CTX* ctx = hmac_sha256_context();
  // An empty key is valid HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const auto* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  INVSYNC_ASSERT(EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) == 1);
  INVSYNC_ASSERT(EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size()) == 1);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t out_len = 0;
  INVSYNC_ASSERT(EVP_MAC_final(ctx, out, &out_len, sizeof out) == 1);
  INVSYNC_ASSERT(out_len == 32);
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string sha256(std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  const int ok = EVP_Digest(message.data(), message.size(), out, &out_len, EVP_sha256(), nullptr);
  INVSYNC_ASSERT(ok == 1);
  INVSYNC_ASSERT(out_len == 32);
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string base64url_no_padding(std::string_view raw) {
  std::string s = base64_encode(raw);
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string base64_encode(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  INVSYNC_ASSERT(n >= 0);
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view encoded) {
  if (encoded.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (encoded.size() / 4) + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(encoded.data()),
                                static_cast<int>(encoded.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  if (!encoded.empty() && encoded.back() == '=') --len;
  if (encoded.size() >= 2 && encoded[encoded.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string hex_encode(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace invsync::base
