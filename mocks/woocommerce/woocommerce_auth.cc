// WC_REST_Authentication: consumer keys over HTTPS (query string first, then Basic), OAuth 1.0a
// one-legged over HTTP, then the key's read/write permission check.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "mocks/woocommerce/woocommerce_internal.h"
#include "mocks/woocommerce/woocommerce_mock.h"

namespace invsync::mocks {
namespace {

constexpr const char* kRealm =
    "Basic realm=\"WooCommerce API. Use a consumer key in the username field and a consumer "
    "secret in the password field.\"";
constexpr int64_t kOAuthWindowS = 15 * 60;

base::HttpResponse auth_error(std::string_view message, bool basic) {
  base::HttpResponse r = woo::error_response(401, "woocommerce_rest_authentication_error", message);
  if (basic) r.headers.set("WWW-Authenticate", kRealm);
  return r;
}

const WooCommerceApiKey* find_key(const std::vector<WooCommerceApiKey>& keys,
                                  std::string_view consumer_key) {
  for (const WooCommerceApiKey& k : keys) {
    if (k.consumer_key == consumer_key) return &k;
  }
  return nullptr;
}

std::string hmac(std::string_view algorithm, std::string_view key, std::string_view message) {
  if (algorithm == "sha256") return base::hmac_sha256(key, message);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// Authorization: OAuth oauth_consumer_key="...", ... (only oauth_* keys, urldecoded).
void parse_oauth_header(std::string_view header, std::map<std::string, std::string>* params) {
  if (!header.starts_with("OAuth ")) return;
  header.remove_prefix(6);
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || !item.starts_with("oauth_")) continue;
    std::string_view value = item.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    (*params)[std::string(item.substr(0, eq))] =
        base::percent_decode(value, true).value_or(std::string(value));
  }
}

}  // namespace

std::optional<base::HttpResponse> WooCommerceMock::basic_auth(const base::HttpRequest& request,
                                                              const Params& params,
                                                              Caller* caller) {
  std::string key = base::query_param(params, "consumer_key").value_or("");
  std::string secret = base::query_param(params, "consumer_secret").value_or("");
  if (key.empty() || secret.empty()) {
    key.clear();
    secret.clear();
    const std::string_view header = request.headers.get("Authorization").value_or("");
    if (config_.https && header.starts_with("Basic ")) {
      const std::string decoded = base::base64_decode(header.substr(6)).value_or("");
      const size_t colon = decoded.find(':');
      if (colon != std::string::npos) {
        key = decoded.substr(0, colon);
        secret = decoded.substr(colon + 1);
      }
    }
  }
  if (key.empty() || secret.empty()) return std::nullopt;
  const WooCommerceApiKey* k = find_key(config_.keys, key);
  if (k == nullptr) return std::nullopt;  // carries on unauthenticated
  caller->basic_auth = true;
  if (!base::constant_time_equal(k->consumer_secret, secret)) {
    return auth_error("Consumer secret is invalid.", true);
  }
  caller->authenticated = true;
  caller->permissions = k->permissions;
  return std::nullopt;
}

std::optional<base::HttpResponse> WooCommerceMock::oauth1(const base::HttpRequest& request,
                                                          const Params& query, base::Instant now,
                                                          Caller* caller) {
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : query) params[k] = v;
  parse_oauth_header(request.headers.get("Authorization").value_or(""), &params);
  std::string missing;
  bool have_one = false;
  for (const char* name : {"oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                           "oauth_signature", "oauth_signature_method"}) {
    const bool present = params.contains(name) && !params[name].empty();
    have_one = have_one || present;
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  if (!have_one) return std::nullopt;
  if (!missing.empty()) {
    const bool plural = missing.find(',') != std::string::npos;
    return woo::error_response(
        401, "woocommerce_rest_authentication_missing_parameter",
        std::string(plural ? "Missing OAuth parameters " : "Missing OAuth parameter ") + missing);
  }
  const WooCommerceApiKey* k = find_key(config_.keys, params["oauth_consumer_key"]);
  if (k == nullptr) return auth_error("Consumer key is invalid.", false);
  const std::string provided = params["oauth_signature"];
  params.erase("oauth_signature");
  const std::string method = params["oauth_signature_method"];
  std::string normalized;
  for (const auto& [key, value] : params) {  // std::map: sorted by strcmp
    normalized += (normalized.empty() ? "" : "&") + base::percent_encode(key) + "=" +
                  base::percent_encode(value);
  }
  const std::string host = config_.home_url.substr(config_.home_url.find("://") + 3);
  const std::string base_uri = std::string(config_.https ? "https://" : "http://") +
                               host.substr(0, host.size() - 1) + std::string(request.path());
  const std::string to_sign = request.method + "&" + base::percent_encode(base_uri) + "&" +
                              base::percent_encode(normalized);
  if (method != "HMAC-SHA1" && method != "HMAC-SHA256") {
    return auth_error("Invalid signature - signature method is invalid.", false);
  }
  const std::string expected = base::base64_encode(
      hmac(method == "HMAC-SHA1" ? "sha1" : "sha256", k->consumer_secret + "&", to_sign));
  if (!base::constant_time_equal(expected, provided)) {
    return auth_error("Invalid signature - provided signature does not match.", false);
  }
  const int64_t now_s = wall(now).unix_s();
  const int64_t ts = woo::parse_id(params["oauth_timestamp"]).value_or(0);
  if (ts < now_s - kOAuthWindowS || ts > now_s + kOAuthWindowS) {
    return auth_error("Invalid timestamp.", false);
  }
  std::map<int64_t, std::string>& used = nonces_[k->consumer_key];
  for (const auto& [used_ts, nonce] : used) {
    if (nonce == params["oauth_nonce"]) {
      return auth_error("Invalid nonce - nonce has already been used.", false);
    }
  }
  used[ts] = params["oauth_nonce"];
  std::erase_if(used, [&](const auto& e) { return e.first < now_s - kOAuthWindowS; });
  caller->authenticated = true;
  caller->permissions = k->permissions;
  return std::nullopt;
}

std::optional<base::HttpResponse> WooCommerceMock::authenticate(const base::HttpRequest& request,
                                                                const Params& params,
                                                                base::Instant now, Caller* caller) {
  if (config_.https || config_.query_auth_over_http) {
    if (auto error = basic_auth(request, params, caller)) return error;
  }
  if (!caller->authenticated) {
    if (auto error = oauth1(request, params, now, caller)) return error;
  }
  if (!caller->authenticated) return std::nullopt;
  const bool read = request.method == "GET" || request.method == "HEAD";
  const std::string_view need = read ? "read" : "write";
  if (caller->permissions != need && caller->permissions != "read_write") {
    return auth_error(
        std::string("The API key provided does not have ") + std::string(need) + " permissions.",
        caller->basic_auth);
  }
  return std::nullopt;
}

}  // namespace invsync::mocks
