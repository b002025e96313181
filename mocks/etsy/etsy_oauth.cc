// OAuth 2.0 as Etsy runs it: Bearer access tokens "<user_id>.<opaque>" (1 h), rotating refresh
// tokens (90 days; the used one is revoked, after an optional grace), and the authorization_code
// grant with PKCE S256. Error bodies carry error + error_description.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/base/crypto.h"
#include "core/base/url.h"
#include "mocks/etsy/etsy_json.h"
#include "mocks/etsy/etsy_mock.h"

namespace invsync::mocks {

using base::HttpResponse;
using base::Instant;
using Form = std::vector<std::pair<std::string, std::string>>;
// The token endpoint's bodies stay nlohmann-built: they are rare, and an error may echo client
// input (grant_type), which nlohmann refuses to serialise unless it is valid UTF-8.
using Json = nlohmann::ordered_json;

namespace {

// OAuth errors: Etsy's ErrorSchema plus error_description.
HttpResponse oauth_error(int32_t status, std::string_view error, std::string_view description) {
  Json body;
  body["error"] = std::string(error);
  body["error_description"] = std::string(description);
  return HttpResponse::json(status, body.dump());
}

std::vector<std::string> split_scopes(std::string_view scope) {
  std::vector<std::string> out;
  for (std::string& s : etsy::split(scope, ' ')) {
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

bool has_scope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace

std::string EtsyMock::random_token(int64_t user_id) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string opaque;
  for (int i = 0; i < 40; ++i) opaque.push_back(kAlphabet[prng_.uniform(64)]);
  return std::to_string(user_id) + "." + opaque;
}

std::string EtsyMock::authorize(std::string_view code_challenge, std::string_view redirect_uri,
                                std::string_view scope, Instant now) {
  advance(now);
  std::string code =
      random_token(config_.user_id).substr(std::to_string(config_.user_id).size() + 1);
  auth_codes_[code] =
      etsy::AuthorizationCode{std::string(code_challenge), std::string(redirect_uri),
                              split_scopes(scope), now + config_.authorization_code_lifetime};
  return code;
}

void EtsyMock::revoke_all_tokens() {
  access_tokens_.clear();
  refresh_tokens_.clear();
  bump("tokens_revoked_all");
}

std::optional<HttpResponse> EtsyMock::require_scope(const base::HttpRequest& request,
                                                    std::string_view scope, Instant now) {
  const auto auth = request.headers.get("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth.has_value() || auth->size() <= kBearer.size() ||
      !base::iequals(auth->substr(0, kBearer.size()), kBearer)) {
    bump("rejected_oauth");
    return oauth_error(401, "invalid_token", "access token is missing");
  }
  const auto it = access_tokens_.find(auth->substr(kBearer.size()));
  if (it == access_tokens_.end()) {
    bump("rejected_oauth");
    return oauth_error(401, "invalid_token", "access token is invalid");
  }
  if (now >= it->second.expires_at) {
    bump("rejected_oauth");
    return oauth_error(401, "invalid_token", "access token is expired");
  }
  if (!has_scope(it->second.scopes, scope)) {
    bump("rejected_scope");
    return oauth_error(403, "insufficient_scope",
                       "access token does not have the required scope: " + std::string(scope));
  }
  return std::nullopt;
}

HttpResponse EtsyMock::issue_tokens(int64_t user_id, const std::vector<std::string>& scopes,
                                    Instant now) {
  std::string access = random_token(user_id);
  std::string refresh = random_token(user_id);
  access_tokens_[access] = etsy::AccessToken{user_id, scopes, now + config_.access_token_lifetime};
  refresh_tokens_[refresh] = etsy::RefreshToken{user_id, scopes, now, std::nullopt};
  Json body;
  body["access_token"] = access;
  body["token_type"] = "Bearer";
  body["expires_in"] = config_.access_token_lifetime.s();
  body["refresh_token"] = refresh;
  bump("tokens_issued");
  return HttpResponse::json(200, body.dump());
}

HttpResponse EtsyMock::handle_token(const base::HttpRequest& request, Instant now) {
  if (request.method != "POST") return etsy::error_response(404, "Resource not found");
  const auto form = base::parse_query(request.body);
  if (!form.has_value()) {
    return oauth_error(400, "invalid_request", "request body is not valid form encoding");
  }
  const auto grant = base::query_param(*form, "grant_type");
  const auto client_id = base::query_param(*form, "client_id");
  if (!grant.has_value()) return oauth_error(400, "invalid_request", "grant_type is required");
  if (!client_id.has_value()) return oauth_error(400, "invalid_request", "client_id is required");
  if (*client_id != config_.keystring) {
    return oauth_error(401, "invalid_client", "client_id is not a known application");
  }
  if (*grant == "refresh_token") return refresh_grant(*form, now);
  if (*grant == "authorization_code") return authorization_code_grant(*form, now);
  return oauth_error(400, "unsupported_grant_type", "grant_type " + *grant + " is not supported");
}

HttpResponse EtsyMock::refresh_grant(const Form& form, Instant now) {
  const auto token = base::query_param(form, "refresh_token");
  if (!token.has_value()) return oauth_error(400, "invalid_request", "refresh_token is required");
  auto it = refresh_tokens_.find(*token);
  if (it == refresh_tokens_.end()) {
    bump("refresh_rejected");
    return oauth_error(400, "invalid_grant", "refresh_token is invalid");
  }
  const etsy::RefreshToken& old = it->second;
  if (old.rotated_at.has_value() && now >= *old.rotated_at + config_.refresh_token_grace) {
    bump("refresh_rejected");
    return oauth_error(400, "invalid_grant", "refresh_token is revoked");
  }
  if (now - old.issued_at >= config_.refresh_token_lifetime) {
    bump("refresh_rejected");
    return oauth_error(400, "invalid_grant", "refresh_token is expired");
  }
  if (!old.rotated_at.has_value()) it->second.rotated_at = now;
  bump("token_refreshes");
  return issue_tokens(old.user_id, old.scopes, now);
}

HttpResponse EtsyMock::authorization_code_grant(const Form& form, Instant now) {
  const auto code = base::query_param(form, "code");
  const auto verifier = base::query_param(form, "code_verifier");
  const auto redirect = base::query_param(form, "redirect_uri");
  if (!code || !verifier || !redirect) {
    return oauth_error(400, "invalid_request", "code, code_verifier and redirect_uri are required");
  }
  auto it = auth_codes_.find(*code);
  if (it == auth_codes_.end() || now >= it->second.expires_at) {
    return oauth_error(400, "invalid_grant", "code is invalid or expired");
  }
  const etsy::AuthorizationCode grant = it->second;
  auth_codes_.erase(it);  // single use, whatever the outcome
  if (*redirect != grant.redirect_uri) {
    return oauth_error(400, "invalid_grant", "redirect_uri does not match");
  }
  if (verifier->size() < 43 || verifier->size() > 128) {
    return oauth_error(400, "invalid_request", "code_verifier must be 43 to 128 characters");
  }
  const std::string computed = base::base64url_no_padding(base::sha256(*verifier));
  if (computed != grant.code_challenge) {
    bump("pkce_rejected");
    return oauth_error(400, "invalid_grant", "code_verifier does not match code_challenge");
  }
  return issue_tokens(config_.user_id, grant.scopes, now);
}

}  // namespace invsync::mocks
