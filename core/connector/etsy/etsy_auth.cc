// EtsyConnector's credentials: the app key header and the OAuth 2.0 access token, refreshed
// through deps.auth with Etsy's rotating refresh tokens (one refresh in flight at a time, since a
// second refresh with the same token would find it revoked).
#include <nlohmann/json.hpp>

#include "core/base/url.h"
#include "core/connector/etsy/etsy_connector.h"
#include "core/connector/etsy/etsy_payloads.h"

namespace invsync::connector {
namespace {

using nlohmann::json;

constexpr const char* kTokenPath = "/v3/public/oauth/token";

bool is_invalid_token(const base::HttpResponse& response) {
  if (response.status != 401) return false;
  const json j = json::parse(response.body, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"] == "invalid_token";
}

}  // namespace

void EtsyConnector::set_refresh_token(std::string token) {
  refresh_token_ = std::move(token);
  auth_failure_ = base::Status();
  access_token_.clear();
}

base::HttpRequest EtsyConnector::make_request(std::string method, std::string target) const {
  base::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.base_url = config_.base_url;
  request.timeout = config_.request_timeout;
  request.headers.set("x-api-key", api_key_);
  request.headers.set("accept", "application/json");
  return request;
}

void EtsyConnector::with_access_token(StatusCallback callback) {
  const base::Instant now = deps_.clock.monotonic_now();
  if (!access_token_.empty() && now + config_.token_refresh_margin < access_expires_at_) {
    callback(base::Status());
    return;
  }
  if (!auth_failure_.ok()) {
    callback(auth_failure_);
    return;
  }
  token_waiters_.push_back(std::move(callback));
  if (!refreshing_) start_refresh();
}

void EtsyConnector::start_refresh() {
  refreshing_ = true;
  access_token_.clear();
  base::HttpRequest request;
  request.method = "POST";
  request.target = kTokenPath;
  request.base_url = config_.token_base_url;
  request.timeout = config_.request_timeout;
  request.headers.set("x-api-key", api_key_);
  request.headers.set("content-type", "application/x-www-form-urlencoded");
  request.headers.set("accept", "application/json");
  const std::string& client_id = config_.client_id.empty() ? config_.keystring : config_.client_id;
  request.body = "grant_type=refresh_token&client_id=" + base::percent_encode(client_id) +
                 "&refresh_token=" + base::percent_encode(refresh_token_);
  deps_.auth.send(std::move(request), [this](base::Result<base::HttpResponse> result) {
    on_refresh_response(std::move(result));
  });
}

void EtsyConnector::on_refresh_response(base::Result<base::HttpResponse> result) {
  if (!result.ok()) {
    finish_refresh(base::Status::unavailable("etsy token refresh: " + result.status().message()));
    return;
  }
  const base::HttpResponse& response = *result;
  const json j = json::parse(response.body, nullptr, false);
  const std::string error = j.is_object() && j.contains("error") && j["error"].is_string()
                                ? j["error"].get<std::string>()
                                : "";
  if (error == "invalid_grant" || error == "invalid_client" || error == "unauthorized_client") {
    // Permanent until the merchant re-authorises. Only Etsy's error code goes into the reason:
    // descriptions are Etsy's fixed texts, but nothing of ours (tokens, secrets) is echoed.
    auth_failure_ = base::Status::unauthenticated("etsy token refresh rejected: " + error +
                                                  " (re-authorisation needed)");
    finish_refresh(auth_failure_);
    return;
  }
  if (!response.is_success()) {
    base::Status status = etsy::status_of_response(response);
    if (status.code() == base::StatusCode::kInvalidArgument ||
        status.code() == base::StatusCode::kNotFound) {
      status =
          base::Status::unavailable("etsy token refresh: HTTP " + std::to_string(response.status));
    }
    finish_refresh(status);
    return;
  }
  const bool valid = j.is_object() && j.contains("access_token") && j["access_token"].is_string() &&
                     j.contains("expires_in") && j["expires_in"].is_number_integer();
  if (!valid) {
    finish_refresh(base::Status::unavailable("etsy token refresh: malformed token response"));
    return;
  }
  access_token_ = j["access_token"].get<std::string>();
  access_expires_at_ =
      deps_.clock.monotonic_now() + base::Duration::seconds(j["expires_in"].get<int64_t>());
  if (j.contains("refresh_token") && j["refresh_token"].is_string() &&
      j["refresh_token"].get<std::string>() != refresh_token_) {
    refresh_token_ = j["refresh_token"].get<std::string>();  // the old one is now revoked
    if (refresh_token_listener_) refresh_token_listener_(refresh_token_);
  }
  finish_refresh(base::Status());
}

void EtsyConnector::finish_refresh(const base::Status& status) {
  refreshing_ = false;
  std::vector<StatusCallback> waiters;
  waiters.swap(token_waiters_);
  for (StatusCallback& waiter : waiters) waiter(status);
}

void EtsyConnector::send_api(base::HttpRequest request, base::HttpCallback callback) {
  with_access_token([this, request = std::move(request),
                     callback = std::move(callback)](base::Status status) mutable {
    if (!status.ok()) {
      callback(std::move(status));
      return;
    }
    dispatch(std::move(request), false, std::move(callback));
  });
}

void EtsyConnector::dispatch(base::HttpRequest request, bool retried, base::HttpCallback callback) {
  const std::string token = access_token_;
  request.headers.set("authorization", "Bearer " + token);
  base::HttpRequest copy = request;
  deps_.api.send(std::move(copy),
                 [this, request = std::move(request), retried, token,
                  callback = std::move(callback)](base::Result<base::HttpResponse> result) mutable {
                   if (retried || !result.ok() || !is_invalid_token(*result)) {
                     callback(std::move(result));
                     return;
                   }
                   if (access_token_ == token)
                     access_token_.clear();  // expired early or revoked: refresh
                   with_access_token([this, request = std::move(request),
                                      callback = std::move(callback)](base::Status status) mutable {
                     if (!status.ok()) {
                       callback(std::move(status));
                       return;
                     }
                     dispatch(std::move(request), true, std::move(callback));
                   });
                 });
}

}  // namespace invsync::connector
