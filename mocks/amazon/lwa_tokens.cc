#include "mocks/amazon/lwa_tokens.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/url.h"

namespace invsync::mocks {
namespace {

base::HttpResponse lwa_json(int32_t status, const nlohmann::ordered_json& body) {
  base::HttpResponse r =
      base::HttpResponse::text(status, "application/json;charset=UTF-8", body.dump());
  r.headers.set("Cache-Control", "no-cache, no-store, must-revalidate");
  return r;
}

base::HttpResponse lwa_error(int32_t status, const std::string& error,
                             const std::string& description) {
  nlohmann::ordered_json body;
  body["error_description"] = description;
  body["error"] = error;
  return lwa_json(status, body);
}

}  // namespace

std::string LwaTokens::issue(base::Instant now, const std::string& token_suffix) {
  std::string token = "Atza|IwEB" + token_suffix;
  expiry_[token] = now + settings_.lifetime;
  ++issued_;
  return token;
}

base::HttpResponse LwaTokens::handle_token_request(const base::HttpRequest& request,
                                                   base::Instant now,
                                                   const std::string& token_suffix) {
  if (request.method != "POST") {
    return lwa_error(405, "invalid_request", "The request method must be POST");
  }
  const auto params = base::parse_query(request.body);
  if (!params) return lwa_error(400, "invalid_request", "The request body is malformed");
  const auto grant = base::query_param(*params, "grant_type");
  const auto client_id = base::query_param(*params, "client_id");
  const auto client_secret = base::query_param(*params, "client_secret");
  if (!grant) {
    return lwa_error(400, "invalid_request",
                     "The request is missing a required parameter : grant_type");
  }
  if (client_id != settings_.client_id || client_secret != settings_.client_secret) {
    return lwa_error(401, "invalid_client", "Client authentication failed");
  }
  if (*grant != "refresh_token") {
    return lwa_error(400, "unsupported_grant_type",
                     "The authorization grant type is not supported");
  }
  const auto refresh = base::query_param(*params, "refresh_token");
  if (!refresh || std::find(settings_.refresh_tokens.begin(), settings_.refresh_tokens.end(),
                            *refresh) == settings_.refresh_tokens.end()) {
    return lwa_error(400, "invalid_grant",
                     "The request has an invalid grant parameter : refresh_token");
  }
  nlohmann::ordered_json body;
  body["access_token"] = issue(now, token_suffix);
  body["token_type"] = "bearer";
  body["expires_in"] = settings_.lifetime.s();
  body["refresh_token"] = *refresh;
  return lwa_json(200, body);
}

LwaTokens::Check LwaTokens::check(const std::optional<std::string_view>& header,
                                  base::Instant now) const {
  if (!header || header->empty()) return Check::kMissing;
  const auto it = expiry_.find(*header);
  if (it == expiry_.end()) return Check::kInvalid;
  return now >= it->second ? Check::kExpired : Check::kValid;
}

base::HttpResponse LwaTokens::unauthorized(Check check) {
  std::string details;
  if (check == Check::kMissing) details = "Access token is missing in the request header.";
  if (check == Check::kExpired) details = "The access token you provided has expired.";
  if (check == Check::kInvalid) {
    details = "The access token you provided is revoked, malformed or invalid.";
  }
  nlohmann::ordered_json error;
  error["code"] = "Unauthorized";
  error["message"] = "Access to requested resource is denied.";
  error["details"] = details;
  nlohmann::ordered_json body;
  body["errors"] = nlohmann::ordered_json::array({error});
  return base::HttpResponse::text(403, "application/json", body.dump());
}

}  // namespace invsync::mocks
